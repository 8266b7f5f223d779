// A sequential word stream over Philox blocks: word j of stream (key) is lane j%4 of
// philox(key, {j/4, 0, 0, 0}). Task sampling uses it (a task needs many words). The TypeScript
// twin is src/backend/js/envs/stream.ts.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/rng/philox.h"

namespace ol::envs {

class Stream {
 public:
  explicit Stream(rng::Key key) : key_(key) {}
  uint32_t next() {
    if (lane_ == 4) {
      blk_ = rng::philox(key_, block_++, 0, 0, 0);
      lane_ = 0;
    }
    return blk_.v[lane_++];
  }
  // Uniform in [0, 1).
  float uniform() { return rng::toUniform(next()); }
  // Standard normal from two words (the library's Box-Muller, in double).
  float normal() {
    uint32_t w0 = next(), w1 = next();
    float z0, z1;
    rng::boxMuller(w0, w1, &z0, &z1);
    return z0;
  }
  // Exponential(1): -log(u) with u in (0, 1], computed in double.
  float exponential() {
    double u = (static_cast<double>(next() >> 8) + 1.0) * (1.0 / 16777216.0);
    return static_cast<float>(-std::log(u));
  }

 private:
  rng::Key key_;
  uint32_t block_ = 0;
  rng::Block blk_{};
  int lane_ = 4;
};

}  // namespace ol::envs
