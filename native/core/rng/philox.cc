#include "core/rng/philox.h"

#include <cmath>

#include "core/parallel.h"

namespace ol::rng {
namespace {
constexpr size_t kGrainBlocks = 16384;  // blocks per task: big enough to amortize a hand-off

// Calls emit(blockIndex, block) for the blocks covering words [0, n).
template <class Emit>
void forEachBlock(Key key, uint64_t counter, size_t n, Emit&& emit) {
  size_t blocks = (n + 3) / 4;
  parallelFor(blocks, kGrainBlocks, [&](size_t begin, size_t end) {
    for (size_t b = begin; b < end; ++b) {
      uint64_t c = counter + b;
      emit(b, philox(key, static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32), 0, 0));
    }
  });
}
}  // namespace

void boxMuller(uint32_t w0, uint32_t w1, float* z0, float* z1) {
  constexpr double kTwoPi = 6.283185307179586;
  double u1 = (static_cast<double>(w0 >> 8) + 1.0) * (1.0 / 16777216.0);
  double u2 = static_cast<double>(w1 >> 8) * (1.0 / 16777216.0);
  double r = std::sqrt(-2.0 * std::log(u1));
  double a = kTwoPi * u2;
  *z0 = static_cast<float>(r * std::cos(a));
  *z1 = static_cast<float>(r * std::sin(a));
}

void fillBits(Key key, uint64_t counter, uint32_t* out, size_t n) {
  forEachBlock(key, counter, n, [&](size_t b, const Block& blk) {
    for (size_t lane = 0; lane < 4 && 4 * b + lane < n; ++lane) out[4 * b + lane] = blk.v[lane];
  });
}

void fillUniform(Key key, uint64_t counter, float* out, size_t n) {
  forEachBlock(key, counter, n, [&](size_t b, const Block& blk) {
    for (size_t lane = 0; lane < 4 && 4 * b + lane < n; ++lane) out[4 * b + lane] = toUniform(blk.v[lane]);
  });
}

void fillNormal(Key key, uint64_t counter, float* out, size_t n) {
  forEachBlock(key, counter, n, [&](size_t b, const Block& blk) {
    float z[4];
    boxMuller(blk.v[0], blk.v[1], &z[0], &z[1]);
    boxMuller(blk.v[2], blk.v[3], &z[2], &z[3]);
    for (size_t lane = 0; lane < 4 && 4 * b + lane < n; ++lane) out[4 * b + lane] = z[lane];
  });
}

}  // namespace ol::rng
