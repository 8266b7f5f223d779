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

// Folds `rows` observations into stats = [count, mean[d], var[d]]: the parallel Welford update of
// Gymnasium's RunningMeanStd, the same double operations in the same order as
// RunningMeanStd.update (src/rl/normalize.ts) and the js twin.
void foldStats(double* stats, const float* x, size_t rows, size_t d) {
  const double n = static_cast<double>(rows);
  const double count = stats[0];
  double* mean = stats + 1;
  double* var = stats + 1 + d;
  for (size_t j = 0; j < d; ++j) {
    double sum = 0.0;
    for (size_t i = 0; i < rows; ++i) sum += x[i * d + j];
    const double bMean = sum / n;
    double ss = 0.0;
    for (size_t i = 0; i < rows; ++i) {
      const double e = x[i * d + j] - bMean;
      ss += e * e;
    }
    const double bVar = ss / n;
    const double delta = bMean - mean[j];
    const double total = count + n;
    mean[j] = mean[j] + delta * n / total;
    const double m2 = var[j] * count + bVar * n + delta * delta * count * n / total;
    var[j] = m2 / total;
  }
  stats[0] = count + n;
}

size_t outWidth(const Net& n) { return static_cast<size_t>(n.spec.sizes[n.spec.numLayers]); }

// What every row chunk of one call shares.
struct Shared {
  const RolloutArgs& a;
  envs::Dims d;
  float* finalObs;    // [N x obsDim]
  float* envActions;  // [N x actionDim] the clipped box actions, or null
};

// One chunk of rows [begin, end) with its scratch: step(t) runs step t for these rows, finish()
// writes their lastValues.
class Rows {
 public:
  Rows(const Shared& sh, size_t begin, size_t end) : sh_(sh), a_(sh.a), begin_(begin), end_(end), rows_(end - begin) {
    const envs::Dims& d = sh.d;
    const size_t pw = outWidth(a_.policy);
    out_.resize(rows_ * pw);
    val_.resize(rows_);
    gathered_.resize(rows_ * d.obs);
    gatheredOut_.resize(rows_ * pw);
    truncRows_.resize(rows_);
    size_t ws = nn::mlpForwardWorkspace(a_.policy.spec, rows_);
    if (a_.valueMode == ValueMode::Separate) ws = std::max(ws, nn::mlpForwardWorkspace(a_.value.spec, rows_));
    ws_.resize(std::max<size_t>(ws, 1));
    keys_.resize(rows_);
    e_.resize(std::max<int32_t>(d.discrete, 1));
    inv_.resize(a_.obsStats ? d.obs : 0);
    for (size_t r = 0; r < rows_; ++r) keys_[r] = rng::fold(a_.key, static_cast<uint32_t>(begin + r));
    if (d.discrete > 0) {
      k0_.resize(rows_);
      k1_.resize(rows_);
      words_.resize(rows_);
      for (size_t r = 0; r < rows_; ++r) k0_[r] = keys_[r].k0, k1_[r] = keys_[r].k1;
    }
  }

  void step(size_t t) {
    const RolloutArgs& a = a_;
    const envs::Dims& d = sh_.d;
    const size_t N = a.env.n, begin = begin_, end = end_, rows = rows_, od = d.obs;
    const size_t pw = outWidth(a.policy);
    const bool discrete = d.discrete > 0;
    const size_t o = t * N;
    // The policy input, stored: the observations, normalized with this step's statistics.
    float* x = a.trajObs + (o + begin) * od;
    if (a.obsStats) {
      refreshNormalization();
      normalize(a.obs + begin * od, rows, x);
    } else {
      std::memcpy(x, a.obs + begin * od, rows * od * sizeof(float));
    }
    nn::mlpForwardRows(a.policy.spec, a.policy.params, x, rows, out_.data(), ws_.data());
    if (a.valueMode == ValueMode::Head) {
      for (size_t r = 0; r < rows; ++r) a.values[o + begin + r] = out_[r * pw + pw - 1];
    } else if (a.valueMode == ValueMode::Separate) {
      nn::mlpForwardRows(a.value.spec, a.value.params, x, rows, a.values + o + begin, ws_.data());
    } else {
      std::fill(a.values + o + begin, a.values + o + end, 0.0f);
    }
    if (a.heads) {
      const size_t k = discrete ? static_cast<size_t>(d.discrete) : d.action;
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(a.heads + (o + begin + r) * k, out_.data() + r * pw, k * sizeof(float));
    }
    // sample
    const size_t B = blocksPerStep(d);
    const uint64_t block = a.counter + t * B;
    if (discrete)
      firstWords(rows, k0_.data(), k1_.data(), static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32),
                 words_.data());
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = begin + r;
      if (discrete) {
        static_cast<int32_t*>(a.actions)[o + i] =
            sampleCategorical(out_.data() + r * pw, d.discrete, words_[r], e_.data(), a.logProbs + o + i);
      } else {
        float* act = static_cast<float*>(a.actions) + (o + i) * d.action;
        a.logProbs[o + i] = sampleGaussian(out_.data() + r * pw, a.logStd, d.action, keys_[r], block, act);
      }
    }
    // step (clipped box actions go to the env; the stored ones stay as sampled)
    const void* stepActions = discrete ? static_cast<const void*>(static_cast<int32_t*>(a.actions) + o)
                                       : static_cast<const void*>(static_cast<float*>(a.actions) + o * d.action);
    if (sh_.envActions) {
      const size_t ad = d.action;
      const float* src = static_cast<const float*>(stepActions);
      for (size_t k = begin * ad; k < end * ad; ++k) {
        const float v = src[k], lo = a.actionLow[k % ad], hi = a.actionHigh[k % ad];
        sh_.envActions[k] = v < lo ? lo : std::min(v, hi);
      }
      stepActions = sh_.envActions;
    }
    envs::StepOut out{a.obs, a.rewards + o, a.terminated + o, a.truncated + o, sh_.finalObs};
    envs::stepRange(a.cfg, a.env, stepActions, out, begin, end);
    // bootstrap values at truncation, episode bookkeeping
    size_t nTrunc = 0;
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = begin + r;
      a.finalValues[o + i] = 0.0f;
      if (a.truncated[o + i] && !a.terminated[o + i]) {
        std::memcpy(gathered_.data() + nTrunc * od, sh_.finalObs + i * od, od * sizeof(float));
        truncRows_[nTrunc++] = i;
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
      if (a.obsStats) normalize(gathered_.data(), nTrunc, gathered_.data());
      valuesOf(gathered_.data(), nTrunc, val_.data());
      for (size_t k = 0; k < nTrunc; ++k) a.finalValues[o + truncRows_[k]] = val_[k];
    }
  }

  void finish() {
    const size_t od = sh_.d.obs;
    const float* x = a_.obs + begin_ * od;
    if (a_.obsStats) {
      refreshNormalization();
      normalize(x, rows_, gathered_.data());
      x = gathered_.data();
    }
    valuesOf(x, rows_, a_.lastValues + begin_);
  }

 private:
  // 1 / sqrt(var + 1e-8) of the current statistics, per observation component.
  void refreshNormalization() {
    const size_t od = sh_.d.obs;
    for (size_t j = 0; j < od; ++j) inv_[j] = 1.0 / std::sqrt(a_.obsStats[1 + od + j] + 1e-8);
  }
  // out = clip((raw - mean) * inv, +-clipObs) for `rows` rows (out may be raw).
  void normalize(const float* raw, size_t rows, float* out) const {
    const size_t od = sh_.d.obs;
    const double* mean = a_.obsStats + 1;
    const double clip = a_.clipObs;
    for (size_t k = 0; k < rows * od; ++k) {
      const size_t j = k % od;
      const double v = (static_cast<double>(raw[k]) - mean[j]) * inv_[j];
      out[k] = static_cast<float>(v > clip ? clip : std::max(v, -clip));
    }
  }
  // Values of `rows` policy inputs x into v (policy head column or value net).
  void valuesOf(const float* x, size_t rows, float* v) {
    if (rows == 0) return;
    if (a_.valueMode == ValueMode::None) {
      std::fill(v, v + rows, 0.0f);
    } else if (a_.valueMode == ValueMode::Head) {
      const size_t w = outWidth(a_.policy);
      nn::mlpForwardRows(a_.policy.spec, a_.policy.params, x, rows, gatheredOut_.data(), ws_.data());
      for (size_t r = 0; r < rows; ++r) v[r] = gatheredOut_[r * w + w - 1];
    } else {
      nn::mlpForwardRows(a_.value.spec, a_.value.params, x, rows, v, ws_.data());
    }
  }

  const Shared& sh_;
  const RolloutArgs& a_;
  size_t begin_, end_, rows_;
  std::vector<float> out_, val_, ws_, gathered_, gatheredOut_;
  std::vector<double> e_, inv_;
  std::vector<size_t> truncRows_;
  std::vector<rng::Key> keys_;
  std::vector<uint32_t> k0_, k1_, words_;  // row keys as lanes, and each row's first Philox word
};
}  // namespace

size_t blocksPerStep(const envs::Dims& d) { return d.discrete > 0 ? 1 : (d.action + 3) / 4; }

void run(const RolloutArgs& a) {
  const envs::Dims d = envs::dims(a.cfg);
  const size_t N = a.env.n;
  std::vector<float> finalObs(N * d.obs);
  std::vector<float> envActions(a.actionLow && d.discrete == 0 ? N * d.action : 0);
  const Shared sh{a, d, finalObs.data(), envActions.empty() ? nullptr : envActions.data()};
  if (!a.obsStats) {
    // Several row chunks per thread: a thread that loses its core on a shared machine then holds
    // up less of the call (rows are independent; results do not depend on the split).
    parallelFor(
        N, kRowGrain,
        [&](size_t begin, size_t end) {
          Rows rows(sh, begin, end);
          for (size_t t = 0; t < a.T; ++t) rows.step(t);
          rows.finish();
        },
        4);
    return;
  }
  // Each step's statistics fold in every row's observation, so all rows finish a step before
  // the next one starts.
  std::vector<Rows> chunks;
  chunks.reserve((N + kRowGrain - 1) / kRowGrain);
  for (size_t b = 0; b < N; b += kRowGrain) chunks.emplace_back(sh, b, std::min(N, b + kRowGrain));
  auto each = [&](auto&& fn) {
    parallelFor(chunks.size(), 1, [&](size_t cb, size_t ce) {
      for (size_t c = cb; c < ce; ++c) fn(chunks[c]);
    });
  };
  for (size_t t = 0; t < a.T; ++t) {
    foldStats(a.obsStats, a.obs, N, d.obs);
    each([t](Rows& r) { r.step(t); });
  }
  each([](Rows& r) { r.finish(); });
}

}  // namespace ol::rollout
