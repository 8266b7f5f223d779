// TwoColorGrid-v0: the non-stationary two-colour grid world of the meta-gradient / BMG experiments
// (Flennerhag et al. 2022; constants from the third-party replication MagiFeeney/Bootstrapped-
// Meta-Learning `common/env.py`, see ../shared/reference/meta-rl-and-learned-optimizers.md §10.2).
// A 5 x 5 grid with the agent and two objects, blue and red, on distinct cells. Actions 0 up (row
// - 1), 1 down, 2 left (column - 1), 3 right; a move into a wall stays put. Stepping onto an
// object gives its reward and respawns that object on a uniformly random cell free of the agent
// and the other object; any other step costs 0.04. Blue pays +1 and red -1, swapped every
// `swapEvery` (config p0) steps of the episode: step t (elapsed before the step) pays with the
// colours swapped when floor(t / swapEvery) is odd. Non-episodic: only the step limit ends it.
// Obs (30): one-hot row then one-hot column (5 + 5) of the agent, blue, red. State [agent row,
// agent col, blue row, blue col, red row, red col]. Twin: src/backend/js/envs/two_color_grid.ts.
#include "core/envs/ops.h"

namespace ol::envs {
namespace {
constexpr int32_t kSize = 5, kCells = kSize * kSize;
constexpr size_t kObs = 6 * kSize;

Dims dimsOf(const Config&) { return Dims{6, kObs, 1, 0, 4}; }

// An exact uniform integer in [0, k) from the top 24 bits of a word.
int32_t below(uint32_t w, int32_t k) {
  return static_cast<int32_t>((static_cast<uint64_t>(w >> 8) * static_cast<uint64_t>(k)) >> 24);
}

// The j-th cell (row-major) that is neither a nor b (a != b).
int32_t freeCell(int32_t j, int32_t a, int32_t b) {
  for (int32_t c = 0; c < kCells; ++c) {
    if (c == a || c == b) continue;
    if (j-- == 0) return c;
  }
  return -1;
}

void writeObs(const float* s, size_t n, size_t i, float* o) {
  for (size_t c = 0; c < kObs; ++c) o[c] = 0.0f;
  for (size_t e = 0; e < 3; ++e) {
    o[2 * kSize * e + static_cast<size_t>(s[2 * e * n + i])] = 1.0f;
    o[2 * kSize * e + kSize + static_cast<size_t>(s[(2 * e + 1) * n + i])] = 1.0f;
  }
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n;
  float* s = b.state;
  for (size_t i = begin; i < end; ++i) {
    int32_t r = static_cast<int32_t>(s[i]), c = static_cast<int32_t>(s[n + i]);
    const int32_t a = act[i];
    if (a == 0 && r > 0) --r;
    if (a == 1 && r < kSize - 1) ++r;
    if (a == 2 && c > 0) --c;
    if (a == 3 && c < kSize - 1) ++c;
    s[i] = static_cast<float>(r);
    s[n + i] = static_cast<float>(c);
    const int32_t agent = r * kSize + c;
    const bool swapped = (b.elapsed[i] / cfg.p0) % 2 == 1;
    float reward = -0.04f;
    for (size_t e = 1; e < 3; ++e) {
      const int32_t cell = static_cast<int32_t>(s[2 * e * n + i]) * kSize + static_cast<int32_t>(s[(2 * e + 1) * n + i]);
      if (cell != agent) continue;
      reward = (e == 1) != swapped ? 1.0f : -1.0f;
      const size_t o = 3 - e;  // the other object
      const int32_t other = static_cast<int32_t>(s[2 * o * n + i]) * kSize + static_cast<int32_t>(s[(2 * o + 1) * n + i]);
      const int32_t to = freeCell(below(drawBlock(b.rng + 4 * i).v[0], kCells - 2), agent, other);
      s[2 * e * n + i] = static_cast<float>(to / kSize);
      s[(2 * e + 1) * n + i] = static_cast<float>(to % kSize);
    }
    writeObs(s, n, i, out.obs + kObs * i);
    writeObs(s, n, i, out.finalObs + kObs * i);
    endStep(cfg, b, out, i, false, reward);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  const size_t n = b.n;
  rng::Block blk = drawBlock(b.rng + 4 * i);
  const int32_t agent = below(blk.v[0], kCells);
  const int32_t blue = freeCell(below(blk.v[1], kCells - 1), agent, agent);
  const int32_t red = freeCell(below(blk.v[2], kCells - 2), agent, blue);
  const int32_t cells[3] = {agent, blue, red};
  for (size_t e = 0; e < 3; ++e) {
    b.state[2 * e * n + i] = static_cast<float>(cells[e] / kSize);
    b.state[(2 * e + 1) * n + i] = static_cast<float>(cells[e] % kSize);
  }
  writeObs(b.state, n, i, obs + kObs * i);
}

const char* checkConfig(const Config& cfg) {
  return cfg.p0 < 1 ? "config[2] (swapEvery): expected a positive integer" : nullptr;
}
}  // namespace

const EnvOps twoColorGridOps{dimsOf, step, reset, nullptr, checkConfig};

}  // namespace ol::envs
