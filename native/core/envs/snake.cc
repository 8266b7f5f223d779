// Snake-v0: the Snake of Bonnet et al. (2021) as Jumanji implements it (instadeepai/jumanji
// `environments/routing/snake/env.py`), on the 6 x 6 board of Jumanji's small registered variant
// (Snake-6x6-v0) so that short CPU runs learn something. Rules (Jumanji's unless marked "ours"):
// - Actions 0 up (row - 1), 1 right (column + 1), 2 down, 3 left.
// - Reset: the head on a uniformly random cell (length 1), the fruit on a uniformly random other cell.
// - Step: the head moves one cell. A move off the board or onto a body cell other than the tail
//   (which moves away in the same step) ends the episode (terminated, reward 0; ours: the board is
//   left as it was before the move, so finalObs shows where the snake died). A move onto the fruit
//   pays +1 and grows the snake by one (the tail stays); the new fruit goes on a uniformly random
//   free cell, drawn from the row's own stream. Every other step pays 0. A snake filling the
//   board terminates.
// - Step limit (ours): 1000, Jumanji's 4000 on 12 x 12 scaled to the same steps per cell.
// State (39 floats): head cell, fruit cell, length, then per cell its body order (0 empty, 1 the
// tail ... length the head), Jumanji's `body_state`. Cells are row-major (row * 6 + column).
// Obs (180): Jumanji's five feature maps, plane after plane (ours: planes first, not HWC): body,
// head, tail, fruit, and body order / length. Twin: src/backend/js/envs/snake.ts.
#include "core/envs/ops.h"

namespace ol::envs {
namespace {
constexpr int32_t kSize = 6, kCells = kSize * kSize;
constexpr size_t kObs = 5 * kCells;
constexpr size_t kOrder = 3;  // state component of cell 0's body order

Dims dimsOf(const Config&) { return Dims{kOrder + kCells, kObs, 1, 0, 4}; }

// An exact uniform integer in [0, k) from the top 24 bits of a word.
int32_t below(uint32_t w, int32_t k) {
  return static_cast<int32_t>((static_cast<uint64_t>(w >> 8) * static_cast<uint64_t>(k)) >> 24);
}

// The j-th empty cell (row-major) of row i.
int32_t freeCell(const float* s, size_t n, size_t i, int32_t j) {
  for (int32_t c = 0; c < kCells; ++c) {
    if (s[(kOrder + c) * n + i] != 0.0f) continue;
    if (j-- == 0) return c;
  }
  return -1;
}

void writeObs(const float* s, size_t n, size_t i, float* o) {
  const float length = s[2 * n + i];
  const int32_t head = static_cast<int32_t>(s[i]), fruit = static_cast<int32_t>(s[n + i]);
  for (int32_t c = 0; c < kCells; ++c) {
    const float order = s[(kOrder + c) * n + i];
    o[c] = order > 0.0f ? 1.0f : 0.0f;
    o[kCells + c] = c == head ? 1.0f : 0.0f;
    o[2 * kCells + c] = order == 1.0f ? 1.0f : 0.0f;
    o[3 * kCells + c] = c == fruit ? 1.0f : 0.0f;
    o[4 * kCells + c] = order / length;
  }
}

constexpr int32_t kMoveRow[4] = {-1, 0, 1, 0}, kMoveCol[4] = {0, 1, 0, -1};

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n;
  float* s = b.state;
  for (size_t i = begin; i < end; ++i) {
    const int32_t head = static_cast<int32_t>(s[i]), a = act[i];
    const int32_t r = head / kSize + kMoveRow[a], c = head % kSize + kMoveCol[a];
    const int32_t to = r * kSize + c;
    bool dead = r < 0 || r >= kSize || c < 0 || c >= kSize || s[(kOrder + to) * n + i] >= 2.0f;
    float reward = 0.0f;
    if (!dead) {
      float length = s[2 * n + i];
      const bool eats = to == static_cast<int32_t>(s[n + i]);
      if (eats) {
        length += 1.0f;
        reward = 1.0f;
      } else {
        for (int32_t k = 0; k < kCells; ++k) {
          float& order = s[(kOrder + k) * n + i];
          if (order > 0.0f) order -= 1.0f;
        }
      }
      s[(kOrder + to) * n + i] = length;
      s[i] = static_cast<float>(to);
      s[2 * n + i] = length;
      if (static_cast<int32_t>(length) == kCells) {
        dead = true;  // the board is full: no fruit left to place
      } else if (eats) {
        const int32_t j = below(drawBlock(b.rng + 4 * i).v[0], kCells - static_cast<int32_t>(length));
        s[n + i] = static_cast<float>(freeCell(s, n, i, j));
      }
    }
    writeObs(s, n, i, out.obs + kObs * i);
    writeObs(s, n, i, out.finalObs + kObs * i);
    endStep(cfg, b, out, i, dead, reward);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  const size_t n = b.n;
  rng::Block blk = drawBlock(b.rng + 4 * i);
  for (int32_t c = 0; c < kCells; ++c) b.state[(kOrder + c) * n + i] = 0.0f;
  const int32_t head = below(blk.v[0], kCells);
  b.state[(kOrder + head) * n + i] = 1.0f;
  b.state[i] = static_cast<float>(head);
  b.state[n + i] = static_cast<float>(freeCell(b.state, n, i, below(blk.v[1], kCells - 1)));
  b.state[2 * n + i] = 1.0f;
  writeObs(b.state, n, i, obs + kObs * i);
}
}  // namespace

const EnvOps snakeOps{dimsOf, step, reset};

}  // namespace ol::envs
