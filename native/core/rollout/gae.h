// Generalized advantage estimation over a [T x N] time-major trajectory, bootstrapping
// correctly at episode ends: no bootstrap where `terminated`; at `truncated` (and not
// terminated) the bootstrap is finalValues[t][i], the value of the pre-reset observation; after
// the last step it is lastValues[i]. GAE never runs across an episode boundary.
// Float32 arithmetic in a fixed order; the TypeScript twin is src/backend/js/rollout/gae.ts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::rollout {

struct GaeInput {
  size_t T, N;
  const float* rewards;       // [T x N]
  const float* values;        // [T x N]
  const uint8_t* terminated;  // [T x N]
  const uint8_t* truncated;   // [T x N]
  const float* finalValues;   // [T x N], read where truncated and not terminated
  const float* lastValues;    // [N], value of the observation after the last step
  float gamma, lambda;
};

// advantages [T x N]; returns [T x N] = advantages + values (either may be null). Threaded over envs.
void gae(const GaeInput& in, float* advantages, float* returns);

}  // namespace ol::rollout
