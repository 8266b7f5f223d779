#include "core/rollout/rollout.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::rollout {
namespace {
constexpr double kHalfLog2Pi = 0.91893853320467274178;
constexpr size_t kRowGrain = 64;

struct Scratch {
  std::vector<float> out, val, ws, gathered, gatheredOut;
  std::vector<double> e;
  std::vector<size_t> rows;
  std::vector<rng::Key> keys;
  std::vector<uint32_t> k0, k1, words;  // row keys as lanes, and each row's first Philox word
};

// Word 0 of block (lo, hi) of every row's stream, rows as independent lanes (vectorized): the
// same values as rng::philox row by row.
OL_HOT_LOOP void firstWords(size_t n, const uint32_t* __restrict k0, const uint32_t* __restrict k1, uint32_t lo,
                            uint32_t hi, uint32_t* __restrict out) {
  for (size_t r = 0; r < n; ++r) out[r] = rng::philox(rng::Key{k0[r], k1[r]}, lo, hi, 0, 0).v[0];
}

// Samples an action from logits [k] (e: scratch of k doubles); returns it and writes its
// log-probability. Compares u * sum(e) with the running sum of e = exp(l - max): k exps, one log.
int32_t sampleCategorical(const float* logits, int k, uint32_t word, double* e, float* logProb) {
  double m = logits[0];
  for (int j = 1; j < k; ++j) m = std::max(m, static_cast<double>(logits[j]));
  double s = 0.0;
  for (int j = 0; j < k; ++j) {
    // exp(0) is exactly 1: the largest logit needs no exp (one exp fewer per row, same bits).
    e[j] = logits[j] == m ? 1.0 : std::exp(static_cast<double>(logits[j]) - m);
    s += e[j];
  }
  double target = static_cast<double>(rng::toUniform(word)) * s;
  double cum = 0.0;
  int32_t a = k - 1;
  for (int j = 0; j < k; ++j) {
    cum += e[j];
    if (target < cum) {
      a = j;
      break;
    }
  }
  *logProb = static_cast<float>(static_cast<double>(logits[a]) - m - std::log(s));
  return a;
}

// Gaussian sample a = mean + exp(logStd) * z for one row; returns the log-probability.
float sampleGaussian(const float* mean, const float* logStd, size_t dim, rng::Key key, uint64_t block, float* a) {
  double lp = 0.0;
  for (size_t j = 0; j < dim; j += 4) {
    uint64_t b = block + j / 4;
    rng::Block blk = rng::philox(key, static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32), 0, 0);
    float z[4];
    rng::boxMuller(blk.v[0], blk.v[1], &z[0], &z[1]);
    rng::boxMuller(blk.v[2], blk.v[3], &z[2], &z[3]);
    for (size_t l = 0; l < 4 && j + l < dim; ++l) {
      double zl = z[l], ls = logStd[j + l];
      a[j + l] = static_cast<float>(static_cast<double>(mean[j + l]) + std::exp(ls) * zl);
      lp += -0.5 * zl * zl - ls - kHalfLog2Pi;
    }
  }
  return static_cast<float>(lp);
}

size_t outWidth(const Net& n) { return static_cast<size_t>(n.spec.sizes[n.spec.numLayers]); }

// Values of `rows` observation rows x into v (policy head column or value net).
void valuesOf(const RolloutArgs& a, Scratch& s, const float* x, size_t rows, float* v) {
  if (rows == 0) return;
  if (a.valueMode == ValueMode::None) {
    std::fill(v, v + rows, 0.0f);
  } else if (a.valueMode == ValueMode::Head) {
    size_t w = outWidth(a.policy);
    nn::mlpForwardRows(a.policy.spec, a.policy.params, x, rows, s.gatheredOut.data(), s.ws.data());
    for (size_t r = 0; r < rows; ++r) v[r] = s.gatheredOut[r * w + w - 1];
  } else {
    nn::mlpForwardRows(a.value.spec, a.value.params, x, rows, v, s.ws.data());
  }
}

void runRows(const RolloutArgs& a, const envs::Dims& d, float* finalObs, size_t begin, size_t end) {
  const size_t N = a.env.n, rows = end - begin, od = d.obs;
  const size_t pw = outWidth(a.policy);
  const bool discrete = d.discrete > 0;
  const size_t B = blocksPerStep(d);
  Scratch s;
  s.out.resize(rows * pw);
  s.val.resize(rows);
  s.gathered.resize(rows * od);
  s.gatheredOut.resize(rows * pw);
  s.rows.resize(rows);
  size_t ws = nn::mlpForwardWorkspace(a.policy.spec, rows);
  if (a.valueMode == ValueMode::Separate) ws = std::max(ws, nn::mlpForwardWorkspace(a.value.spec, rows));
  s.ws.resize(std::max<size_t>(ws, 1));
  s.keys.resize(rows);
  s.e.resize(std::max<int32_t>(d.discrete, 1));
  for (size_t r = 0; r < rows; ++r) s.keys[r] = rng::fold(a.key, static_cast<uint32_t>(begin + r));
  if (discrete) {
    s.k0.resize(rows);
    s.k1.resize(rows);
    s.words.resize(rows);
    for (size_t r = 0; r < rows; ++r) s.k0[r] = s.keys[r].k0, s.k1[r] = s.keys[r].k1;
  }

  for (size_t t = 0; t < a.T; ++t) {
    const size_t o = t * N;
    const float* x = a.obs + begin * od;
    std::memcpy(a.trajObs + (o + begin) * od, x, rows * od * sizeof(float));
    nn::mlpForwardRows(a.policy.spec, a.policy.params, x, rows, s.out.data(), s.ws.data());
    if (a.valueMode == ValueMode::Head) {
      for (size_t r = 0; r < rows; ++r) a.values[o + begin + r] = s.out[r * pw + pw - 1];
    } else if (a.valueMode == ValueMode::Separate) {
      nn::mlpForwardRows(a.value.spec, a.value.params, x, rows, a.values + o + begin, s.ws.data());
    } else {
      std::fill(a.values + o + begin, a.values + o + end, 0.0f);
    }
    // sample
    const uint64_t block = a.counter + t * B;
    if (discrete)
      firstWords(rows, s.k0.data(), s.k1.data(), static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32),
                 s.words.data());
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = begin + r;
      if (discrete) {
        static_cast<int32_t*>(a.actions)[o + i] =
            sampleCategorical(s.out.data() + r * pw, d.discrete, s.words[r], s.e.data(), a.logProbs + o + i);
      } else {
        float* act = static_cast<float*>(a.actions) + (o + i) * d.action;
        a.logProbs[o + i] = sampleGaussian(s.out.data() + r * pw, a.logStd, d.action, s.keys[r], block, act);
      }
    }
    // step
    const void* stepActions = discrete ? static_cast<const void*>(static_cast<int32_t*>(a.actions) + o)
                                       : static_cast<const void*>(static_cast<float*>(a.actions) + o * d.action);
    envs::StepOut out{a.obs, a.rewards + o, a.terminated + o, a.truncated + o, finalObs};
    envs::stepRange(a.cfg, a.env, stepActions, out, begin, end);
    // bootstrap values at truncation, episode bookkeeping
    size_t nTrunc = 0;
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = begin + r;
      a.finalValues[o + i] = 0.0f;
      if (a.truncated[o + i] && !a.terminated[o + i]) {
        std::memcpy(s.gathered.data() + nTrunc * od, finalObs + i * od, od * sizeof(float));
        s.rows[nTrunc++] = i;
      }
      float ret = a.episodeReturn[i] + a.rewards[o + i];
      int32_t len = a.episodeLength[i] + 1;
      if (a.terminated[o + i] | a.truncated[o + i]) {
        a.doneReturn[o + i] = ret;
        a.doneLength[o + i] = len;
        ret = 0.0f;
        len = 0;
      } else {
        a.doneReturn[o + i] = 0.0f;
        a.doneLength[o + i] = 0;
      }
      a.episodeReturn[i] = ret;
      a.episodeLength[i] = len;
    }
    if (nTrunc > 0 && a.valueMode != ValueMode::None) {
      valuesOf(a, s, s.gathered.data(), nTrunc, s.val.data());
      for (size_t k = 0; k < nTrunc; ++k) a.finalValues[o + s.rows[k]] = s.val[k];
    }
  }
  valuesOf(a, s, a.obs + begin * od, rows, a.lastValues + begin);
}
}  // namespace

size_t blocksPerStep(const envs::Dims& d) { return d.discrete > 0 ? 1 : (d.action + 3) / 4; }

void run(const RolloutArgs& a) {
  envs::Dims d = envs::dims(a.cfg);
  std::vector<float> finalObs(a.env.n * d.obs);
  // Several row chunks per thread: a thread that loses its core on a shared machine then holds up
  // less of the call (rows are independent; results do not depend on the split).
  parallelFor(
      a.env.n, kRowGrain, [&](size_t begin, size_t end) { runRows(a, d, finalObs.data(), begin, end); }, 4);
}

}  // namespace ol::rollout
