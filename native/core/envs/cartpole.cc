// CartPole-v1 (Gymnasium classic_control/cartpole.py): explicit Euler, terminate when |x| > 2.4
// or |theta| > 12 degrees, reward 1 on every step, 500 steps. State = obs = [x, x_dot, theta,
// theta_dot], float32. Twin: src/backend/js/envs/cartpole.ts.
#include "core/envs/fmath.h"
#include "core/envs/ops.h"
#include "core/simd.h"

namespace ol::envs {
namespace {
constexpr float kGravity = 9.8f;
constexpr float kMassPole = 0.1f;
constexpr float kTotalMass = 1.1f;  // cart 1.0 + pole 0.1
constexpr float kLength = 0.5f;     // half the pole length
constexpr float kPoleMassLength = 0.05f;
constexpr float kForceMag = 10.0f;
constexpr float kTau = 0.02f;
constexpr float kThetaLimit = 0.20943951023931953f;  // 12 * 2 * pi / 360
constexpr float kXLimit = 2.4f;
constexpr float kFourThirds = 4.0f / 3.0f;

Dims dimsOf(const Config&) { return Dims{4, 4, 1, 0, 2}; }

OL_HOT_LOOP void stepRows(int32_t maxSteps, size_t n, float* __restrict state, int32_t* __restrict elapsed,
                          const int32_t* __restrict act, float* __restrict obs, float* __restrict reward,
                          uint8_t* __restrict term, uint8_t* __restrict trunc, float* __restrict fin, size_t begin,
                          size_t end) {
  float* __restrict xs = state;
  float* __restrict xds = state + n;
  float* __restrict ths = state + 2 * n;
  float* __restrict thds = state + 3 * n;
#pragma GCC ivdep
  for (size_t i = begin; i < end; ++i) {
    float x = xs[i], xd = xds[i], th = ths[i], thd = thds[i];
    float force = act[i] == 1 ? kForceMag : -kForceMag;
    float s, c;
    fsincos(th, &s, &c);
    float temp = (force + kPoleMassLength * thd * thd * s) / kTotalMass;
    float thacc = (kGravity * s - c * temp) / (kLength * (kFourThirds - kMassPole * c * c / kTotalMass));
    float xacc = temp - kPoleMassLength * thacc * c / kTotalMass;
    x = x + kTau * xd;
    xd = xd + kTau * xacc;
    th = th + kTau * thd;
    thd = thd + kTau * thacc;
    xs[i] = x;
    xds[i] = xd;
    ths[i] = th;
    thds[i] = thd;
    obs[4 * i] = fin[4 * i] = x;
    obs[4 * i + 1] = fin[4 * i + 1] = xd;
    obs[4 * i + 2] = fin[4 * i + 2] = th;
    obs[4 * i + 3] = fin[4 * i + 3] = thd;
    uint8_t done = (x < -kXLimit) | (x > kXLimit) | (th < -kThetaLimit) | (th > kThetaLimit);
    int32_t e = elapsed[i] + 1;
    elapsed[i] = e;
    term[i] = done;
    trunc[i] = e >= maxSteps ? 1 : 0;
    reward[i] = 1.0f;
  }
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  stepRows(cfg.maxSteps, b.n, b.state, b.elapsed, static_cast<const int32_t*>(actions), out.obs, out.reward,
           out.terminated, out.truncated, out.finalObs, begin, end);
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  for (size_t c = 0; c < 4; ++c) {
    float v = uniformIn(blk.v[c], -0.05f, 0.05f);
    b.state[c * b.n + i] = v;
    obs[4 * i + c] = v;
  }
}

// reset for a list of rows: CartPole episodes under random actions last ~20 steps, so a 4096-env
// step resets ~200 rows, and one Philox block per row is a third of the step's cost unbatched.
void resetRows(const Config&, const Batch& b, float* obs, const size_t* rows, size_t k) {
  uint32_t words[4][kResetBatch];
  drawBlocks(b.rng, rows, k, words);
  for (size_t j = 0; j < k; ++j) {
    size_t i = rows[j];
    for (size_t c = 0; c < 4; ++c) {
      float v = uniformIn(words[c][j], -0.05f, 0.05f);
      b.state[c * b.n + i] = v;
      obs[4 * i + c] = v;
    }
  }
}
}  // namespace

const EnvOps cartpoleOps{dimsOf, step, reset, /*sampleTask*/ nullptr, /*checkConfig*/ nullptr, resetRows};

}  // namespace ol::envs
