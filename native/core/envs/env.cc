#include "core/envs/env.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/envs/ops.h"
#include "core/parallel.h"
#include "core/simd.h"

namespace ol::envs {
namespace {
// Rows per task: a CartPole row costs a few ns, so a task must hold thousands to pay a hand-off.
constexpr size_t kStepGrain = 2048;
constexpr size_t kResetGrain = 512;

// Every kind's operations, in kinds.h order (parseConfig has checked the kind).
#define OL_ENV_OPS(name, id) &name##Ops,
constexpr const EnvOps* kOps[] = {OL_ENV_KINDS(OL_ENV_OPS)};
#undef OL_ENV_OPS

const EnvOps& ops(int32_t kind) { return *kOps[kind]; }

// Resets the rows of [begin, end) that ended this step; their obs rows get the new episode's start.
// The ended rows are listed branch-free first: which rows end is unpredictable, and a mispredicted
// branch per row cost more than the resets themselves; the list then goes to a batched reset.
void autoreset(const EnvOps& op, const Config& cfg, const Batch& b, const StepOut& out, size_t begin, size_t end) {
  size_t rows[kResetBatch];
  for (size_t chunk = begin; chunk < end; chunk += kResetBatch) {
    size_t chunkEnd = std::min(end, chunk + kResetBatch);
    size_t k = 0;
    size_t i = chunk;
    for (; i + 8 <= chunkEnd; i += 8) {
      uint64_t t, u;  // eight rows at once: most groups of eight have no ended row
      std::memcpy(&t, out.terminated + i, 8);
      std::memcpy(&u, out.truncated + i, 8);
      if ((t | u) == 0) continue;
      for (size_t r = i; r < i + 8; ++r) {
        rows[k] = r;
        k += (out.terminated[r] | out.truncated[r]) != 0;
      }
    }
    for (; i < chunkEnd; ++i) {
      rows[k] = i;
      k += (out.terminated[i] | out.truncated[i]) != 0;
    }
    for (size_t j = 0; j < k; ++j) b.elapsed[rows[j]] = 0;
    if (op.resetRows != nullptr) {
      if (k > 0) op.resetRows(cfg, b, out.obs, rows, k);
    } else {
      for (size_t j = 0; j < k; ++j) op.reset(cfg, b, out.obs, rows[j]);
    }
  }
}

OL_HOT_LOOP void philoxLanes(size_t k, const uint32_t* __restrict k0, const uint32_t* __restrict k1,
                             const uint32_t* __restrict lo, const uint32_t* __restrict hi, uint32_t* __restrict w0,
                             uint32_t* __restrict w1, uint32_t* __restrict w2, uint32_t* __restrict w3) {
  for (size_t j = 0; j < k; ++j) {
    rng::Block blk = rng::philox(rng::Key{k0[j], k1[j]}, lo[j], hi[j], 0, 0);
    w0[j] = blk.v[0];
    w1[j] = blk.v[1];
    w2[j] = blk.v[2];
    w3[j] = blk.v[3];
  }
}
}  // namespace

const char* parseConfig(const int32_t* raw, Config* out) {
  if (raw[0] < 0 || raw[0] >= kNumKinds) return "config[0] (kind): unknown environment kind";
  if (raw[1] < 1) return "config[1] (maxEpisodeSteps): expected an integer >= 1";
  Config c{raw[0], raw[1], raw[2], raw[3]};
  const EnvOps& op = ops(c.kind);
  if (op.checkConfig != nullptr)
    if (const char* err = op.checkConfig(c)) return err;
  *out = c;
  return nullptr;
}

Dims dims(const Config& cfg) { return ops(cfg.kind).dims(cfg); }

void drawBlocks(uint32_t* rng, const size_t* rows, size_t k, uint32_t (*words)[kResetBatch]) {
  uint32_t k0[kResetBatch], k1[kResetBatch], lo[kResetBatch], hi[kResetBatch];
  for (size_t j = 0; j < k; ++j) {
    uint32_t* r = rng + 4 * rows[j];
    k0[j] = r[0];
    k1[j] = r[1];
    lo[j] = r[2];
    hi[j] = r[3];
    if (++r[2] == 0) ++r[3];
  }
  philoxLanes(k, k0, k1, lo, hi, words[0], words[1], words[2], words[3]);
}

void seedRows(rng::Key key, uint32_t* rng, size_t n) {
  parallelFor(n, 4096, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      rng::Key k = rng::fold(key, static_cast<uint32_t>(i));
      rng[4 * i] = k.k0;
      rng[4 * i + 1] = k.k1;
      rng[4 * i + 2] = 0;
      rng[4 * i + 3] = 0;
    }
  });
}

void reset(const Config& cfg, const Batch& b, float* obs) {
  const EnvOps& op = ops(cfg.kind);
  parallelFor(b.n, kResetGrain, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      b.elapsed[i] = 0;
      op.reset(cfg, b, obs, i);
    }
  });
}

void stepRange(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const EnvOps& op = ops(cfg.kind);
  op.step(cfg, b, actions, out, begin, end);
  autoreset(op, cfg, b, out, begin, end);
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out) {
  parallelFor(b.n, kStepGrain, [&](size_t begin, size_t end) { stepRange(cfg, b, actions, out, begin, end); });
}

void sampleTasks(const Config& cfg, rng::Key key, float* out, size_t n) {
  const EnvOps& op = ops(cfg.kind);
  size_t dim = op.dims(cfg).task;
  if (dim == 0 || op.sampleTask == nullptr) return;
  parallelFor(n, 64, [&](size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) op.sampleTask(cfg, rng::fold(key, static_cast<uint32_t>(j)), out + j * dim);
  });
}

namespace {
// Whether any of a[0..count) is outside [0, n) (negatives wrap to huge as unsigned): a reduction
// without an early exit, so it vectorizes; the caller runs it on every step of every row.
OL_HOT_LOOP bool anyOutside(const int32_t* __restrict a, size_t count, uint32_t n) {
  uint32_t bad = 0;
  for (size_t i = 0; i < count; ++i) bad |= static_cast<uint32_t>(a[i]) >= n;
  return bad != 0;
}
OL_HOT_LOOP bool anyNan(const float* __restrict a, size_t count) {
  uint32_t bad = 0;
  for (size_t i = 0; i < count; ++i) bad |= a[i] != a[i];
  return bad != 0;
}
}  // namespace

int64_t firstInvalidAction(const Config& cfg, const void* actions, size_t count) {
  Dims d = dims(cfg);
  if (d.discrete > 0) {
    const int32_t* a = static_cast<const int32_t*>(actions);
    if (!anyOutside(a, count, static_cast<uint32_t>(d.discrete))) return -1;
    for (size_t i = 0; i < count; ++i)
      if (a[i] < 0 || a[i] >= d.discrete) return static_cast<int64_t>(i);
  } else {
    const float* a = static_cast<const float*>(actions);
    if (!anyNan(a, count)) return -1;
    for (size_t i = 0; i < count; ++i)
      if (std::isnan(a[i])) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace ol::envs
