#include "core/rollout/gae.h"

#include <vector>

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::rollout {
namespace {
OL_HOT_LOOP void gaeColumns(const GaeInput& in, float* __restrict adv, float* __restrict ret, float* __restrict carry,
                            size_t begin, size_t end) {
  const size_t N = in.N;
  const float g = in.gamma, gl = in.gamma * in.lambda;
  for (size_t i = begin; i < end; ++i) carry[i - begin] = 0.0f;
  for (size_t tt = in.T; tt-- > 0;) {
    const size_t o = tt * N;
    const float* nextV = tt + 1 < in.T ? in.values + o + N : in.lastValues;
    for (size_t i = begin; i < end; ++i) {
      const bool term = in.terminated[o + i] != 0;
      const bool trunc = in.truncated[o + i] != 0;
      const float boot = term ? 0.0f : (trunc ? in.finalValues[o + i] : nextV[i]);
      const float delta = (in.rewards[o + i] + g * boot) - in.values[o + i];
      const float a = (term || trunc) ? delta : delta + gl * carry[i - begin];
      carry[i - begin] = a;
      if (adv) adv[o + i] = a;
      if (ret) ret[o + i] = a + in.values[o + i];
    }
  }
}
}  // namespace

void gae(const GaeInput& in, float* advantages, float* returns) {
  parallelFor(in.N, 1024, [&](size_t begin, size_t end) {
    std::vector<float> carry(end - begin);
    gaeColumns(in, advantages, returns, carry.data(), begin, end);
  });
}

}  // namespace ol::rollout
