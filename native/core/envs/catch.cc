// Catch-v0 (bsuite `environments/catch.py`; gymnax `environments/bsuite/catch.py`): a 10 x 5 board,
// the ball starts in row 0 at a uniformly random column and falls one row per step; the paddle
// starts at column 2 of row 9 and moves by action - 1 (0 left, 1 stay, 2 right), clipped to the
// board, before the ball drops. When the ball reaches row 9 the episode terminates with reward +1
// if the paddle is under it, else -1; every other reward is 0 (9 steps per episode).
// Obs: the 10 x 5 board row-major, 1 at the ball and at the paddle. State [ball row, ball column,
// paddle column]. Twin: src/backend/js/envs/catch.ts.
#include "core/envs/ops.h"

namespace ol::envs {
namespace {
constexpr int32_t kRows = 10, kCols = 5;

Dims dimsOf(const Config&) { return Dims{3, kRows * kCols, 1, 0, 3}; }

void writeBoard(int32_t ballRow, int32_t ballCol, int32_t paddle, float* o) {
  for (int32_t c = 0; c < kRows * kCols; ++c) o[c] = 0.0f;
  o[ballRow * kCols + ballCol] = 1.0f;
  o[(kRows - 1) * kCols + paddle] = 1.0f;
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    int32_t ballRow = static_cast<int32_t>(b.state[i]) + 1;
    int32_t ballCol = static_cast<int32_t>(b.state[n + i]);
    int32_t paddle = static_cast<int32_t>(b.state[2 * n + i]) + act[i] - 1;
    paddle = paddle < 0 ? 0 : paddle >= kCols ? kCols - 1 : paddle;
    b.state[i] = static_cast<float>(ballRow);
    b.state[2 * n + i] = static_cast<float>(paddle);
    const bool done = ballRow == kRows - 1;
    writeBoard(ballRow, ballCol, paddle, out.obs + kRows * kCols * i);
    writeBoard(ballRow, ballCol, paddle, out.finalObs + kRows * kCols * i);
    endStep(cfg, b, out, i, done, done ? (paddle == ballCol ? 1.0f : -1.0f) : 0.0f);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  // An exact uniform integer in [0, 5) from the top 24 bits (the twin computes the same in doubles).
  int32_t col = static_cast<int32_t>((static_cast<uint64_t>(blk.v[0] >> 8) * kCols) >> 24);
  b.state[i] = 0.0f;
  b.state[b.n + i] = static_cast<float>(col);
  b.state[2 * b.n + i] = static_cast<float>(kCols / 2);
  writeBoard(0, col, kCols / 2, obs + kRows * kCols * i);
}
}  // namespace

const EnvOps catchGameOps{dimsOf, step, reset};

}  // namespace ol::envs
