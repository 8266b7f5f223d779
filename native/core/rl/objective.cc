#include "core/rl/objective.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/simd.h"

namespace ol::rl {
namespace {

constexpr double kHalfLog2Pi = 0.91893853320467274178;  // 0.5 * log(2 pi)

// Mean and 1/(std + 1e-8) of the minibatch advantages (unbiased std, as torch's .std()).
void advantageScale(int64_t batch, const float* adv, bool normalize, double* mean, double* invStd) {
  *mean = 0;
  *invStd = 1;
  if (!normalize || batch < 2) return;
  double s = 0;
  for (int64_t i = 0; i < batch; ++i) s += adv[i];
  double m = s / static_cast<double>(batch);
  double ss = 0;
  for (int64_t i = 0; i < batch; ++i) ss += (adv[i] - m) * (adv[i] - m);
  *mean = m;
  *invStd = 1.0 / (std::sqrt(ss / static_cast<double>(batch - 1)) + 1e-8);
}

// n doubles of scratch: on the stack for the usual widths (no allocation per minibatch), else
// on the heap.
class Scratch {
 public:
  explicit Scratch(size_t n) : data_(n <= kSmall ? small_ : (heap_.resize(n), heap_.data())) {}
  double& operator[](int64_t i) { return data_[i]; }

 private:
  static constexpr size_t kSmall = 64;
  double small_[kSmall];
  std::vector<double> heap_;
  double* data_;
};

// The objective term (to maximize) for one sample and its derivative w.r.t. log pi(a|s).
struct Term {
  double value;
  double dLogp;
};

// ---- kLpo's drift, evaluated kTile samples at a time -------------------------------------------
// D(r, A[, progress]) and dD/dr as src/learned/drift.ts defines them (the float64 reference), in
// doubles. The samples of a tile run through the MLP together: each hidden unit's pre-activation is
// a dot product over the layer's inputs (in input order, as the reference sums) of kTile-wide lanes
// with one weight, so the weights (copied once per call to doubles, transposed so a unit's weights
// are contiguous) are read once per tile and the lanes are SIMD vectors. dD/dr runs forward beside
// the value (the tangent of the features in r pushed through the same weights): one sweep, no
// stored activations. tanh is branch-free over the lanes (tanhLanes) where std::tanh, a scalar
// libm call per unit and sample, cost most of the time.
constexpr int kTile = 16;
// A tile's row (one unit, 16 samples) is two 8-double vectors: one AVX-512 register each (two AVX2
// ones), so the accumulators stay in registers (a single 16-wide GCC vector spilled to the stack).
typedef double V8 __attribute__((vector_size(8 * sizeof(double))));
typedef int64_t I8 __attribute__((vector_size(8 * sizeof(int64_t))));

// tanh over the lanes, in place: t = 1 - 2 / (e^(2|x|) + 1) with the sign of x, |x| clamped to 20
// (where tanh rounds to 1). e^y = 2^k e^s with k = round(y / ln 2) (by the 1.5 * 2^52 shift, whose
// low mantissa bits then hold k), s = y - k ln 2 (ln 2 split so k * hi is exact, |s| <= 0.35), e^s
// by its Taylor series to degree 13 (truncation < 1e-17), 2^k built in the exponent bits. Absolute
// error a few 1e-16 (vs std::tanh), tanh(0) = 0 exactly, odd by construction.
inline __attribute__((always_inline)) void tanhLanes(V8& x) {
  const V8 zero = {};
  const V8 ax0 = x < zero ? -x : x;
  const V8 ax = ax0 > zero + 20.0 ? zero + 20.0 : ax0;
  const V8 y = ax * 2.0;
  constexpr double kShift = 0x1.8p52, kLog2e = 1.4426950408889634, kLn2Hi = 6.93147180369123816490e-01,
                   kLn2Lo = 1.90821492927058770002e-10;
  V8 kd = y * kLog2e + kShift;
  const I8 kBits = reinterpret_cast<I8>(kd);
  kd = kd - kShift;
  const V8 s = (y - kd * kLn2Hi) - kd * kLn2Lo;
  V8 p = zero + 1.0 / 6227020800.0;  // 1/13!
  p = p * s + 1.0 / 479001600.0;
  p = p * s + 1.0 / 39916800.0;
  p = p * s + 1.0 / 3628800.0;
  p = p * s + 1.0 / 362880.0;
  p = p * s + 1.0 / 40320.0;
  p = p * s + 1.0 / 5040.0;
  p = p * s + 1.0 / 720.0;
  p = p * s + 1.0 / 120.0;
  p = p * s + 1.0 / 24.0;
  p = p * s + 1.0 / 6.0;
  p = p * s + 0.5;
  p = p * s + 1.0;
  p = p * s + 1.0;
  const V8 e = p * reinterpret_cast<V8>((kBits + 1023) << 52);
  const V8 t = 1.0 - 2.0 / (e + 1.0);
  x = x < zero ? -t : t;
}

// One tile through the network. x/dx hold the features and their r-derivatives (rows of two V8,
// sizes[0] rows each); a and da are scratch of the widest layer; the output unit's value and
// tangent come back in n[0..1] and dn[0..1]. w: every layer's weights, unit-major (unit o of a
// layer at o * nin). x and dx are overwritten.
OL_HOT_LOOP void driftTile(const double* w, const int64_t* sizes, int64_t last, V8* x, V8* dx, V8* a, V8* da,
                           V8* n, V8* dn) {
  V8 *in = x, *din = dx, *out = a, *dout = da;
  for (int64_t layer = 0; layer < last; ++layer) {
    const int64_t nin = sizes[layer], nout = sizes[layer + 1];
    const bool hidden = layer + 1 < last;
    for (int64_t o = 0; o < nout; ++o) {
      const double* wo = w + o * nin;
      V8 acc0 = {}, acc1 = {}, dacc0 = {}, dacc1 = {};
      for (int64_t i = 0; i < nin; ++i) {
        const double wi = wo[i];
        acc0 += in[2 * i] * wi;
        acc1 += in[2 * i + 1] * wi;
        dacc0 += din[2 * i] * wi;
        dacc1 += din[2 * i + 1] * wi;
      }
      if (hidden) {
        tanhLanes(acc0);
        tanhLanes(acc1);
        dacc0 *= 1.0 - acc0 * acc0;
        dacc1 *= 1.0 - acc1 * acc1;
      }
      out[2 * o] = acc0;
      out[2 * o + 1] = acc1;
      dout[2 * o] = dacc0;
      dout[2 * o + 1] = dacc1;
    }
    w += nin * nout;
    // The first layer's output goes to a; later layers alternate between a and x (free by then).
    V8* next = layer == 0 ? x : in;
    V8* dnext = layer == 0 ? dx : din;
    in = out, din = dout, out = next, dout = dnext;
  }
  n[0] = in[0], n[1] = in[1];
  dn[0] = din[0], dn[1] = din[1];
}

// Scratch that only grows (per thread, as objectives may run on several): no allocation per call
// once warm.
struct DriftScratch {
  std::vector<double> weights;       // the network in doubles, unit-major per layer
  std::vector<double> lanes;         // x, dx, a, da: 4 x the widest layer, as rows of two V8
  std::vector<double> r, a, d, dDr;  // per sample: ratio, advantage, D, dD/dr
  std::vector<double> keep;          // per sample: what the main pass reuses (logZ, or log pi)
  std::vector<int64_t> sizes;        // layer widths: inputs, hidden..., 1
  void reserve(int64_t batch) {
    if (r.size() >= static_cast<size_t>(batch)) return;
    for (auto* v : {&r, &a, &d, &dDr, &keep}) v->resize(static_cast<size_t>(batch));
  }
};
DriftScratch& driftScratch() {
  static thread_local DriftScratch s;
  return s;
}

// D and dD/dr at the points (s.r[i], s.a[i]), i < batch, into s.d and s.dDr.
void driftValues(const DriftNet& net, int64_t batch, DriftScratch& s) {
  constexpr double kThreshold = 1e-4, kClip = 2;
  const int64_t inputs = net.temporal ? 16 : 8;
  if (s.sizes.size() < static_cast<size_t>(net.layers) + 2) s.sizes.resize(static_cast<size_t>(net.layers) + 2);
  int64_t* sizes = s.sizes.data();
  sizes[0] = inputs;
  int64_t width = inputs, count = 0;
  for (int32_t l = 0; l < net.layers; ++l) {
    sizes[l + 1] = net.hidden[l];
    width = std::max<int64_t>(width, net.hidden[l]);
  }
  sizes[net.layers + 1] = 1;
  const int64_t last = net.layers + 1;
  for (int64_t l = 0; l < last; ++l) count += sizes[l] * sizes[l + 1];
  if (s.weights.size() < static_cast<size_t>(count)) s.weights.resize(count);
  // (std::vector<V8> would not be 64-byte aligned here: the rows start at the first aligned double.)
  const size_t need = static_cast<size_t>(4 * width) * kTile + 8;
  if (s.lanes.size() < need) s.lanes.resize(need);
  // theta is input-major per layer, weight (i, o) at i * out + o; transpose to unit-major.
  for (int64_t l = 0, off = 0; l < last; off += sizes[l] * sizes[l + 1], ++l)
    for (int64_t i = 0; i < sizes[l]; ++i)
      for (int64_t o = 0; o < sizes[l + 1]; ++o)
        s.weights[off + o * sizes[l] + i] = static_cast<double>(net.theta[off + i * sizes[l + 1] + o]);
  const uintptr_t base = reinterpret_cast<uintptr_t>(s.lanes.data());
  const uintptr_t aligned = (base + sizeof(V8) - 1) & ~static_cast<uintptr_t>(sizeof(V8) - 1);
  V8 *x = reinterpret_cast<V8*>(aligned), *dx = x + 2 * width, *a = dx + 2 * width, *da = a + 2 * width;
  for (int64_t t0 = 0; t0 < batch; t0 += kTile) {
    const int64_t len = std::min<int64_t>(kTile, batch - t0);
    // Features (all 0 at r = 1) and their derivatives in r; lanes past the batch get r = 1, A = 0.
    for (int64_t t = 0; t < kTile; ++t) {
      const double r = t < len ? s.r[t0 + t] : 1.0, adv = t < len ? s.a[t0 + t] : 0.0;
      const double l = std::log(r);
      const double raw[4] = {l, l * l, 1 - r, (1 - r) * (1 - r)};
      const double draw[4] = {1 / r, (2 * l) / r, -1, -2 * (1 - r)};
      double f[16], df[16];
      for (int k = 0; k < 4; ++k) {
        f[k] = raw[k];
        df[k] = draw[k];
        f[4 + k] = adv * raw[k];
        df[4 + k] = adv * draw[k];
      }
      if (net.temporal)
        for (int k = 0; k < 8; ++k) {
          f[8 + k] = net.progress * f[k];
          df[8 + k] = net.progress * df[k];
        }
      for (int64_t k = 0; k < inputs; ++k) {
        if (f[k] > kClip || f[k] < -kClip) {
          f[k] = f[k] > kClip ? kClip : -kClip;
          df[k] = 0;
        }
        x[2 * k + t / 8][t % 8] = f[k];
        dx[2 * k + t / 8][t % 8] = df[k];
      }
    }
    V8 n[2], dn[2];
    driftTile(s.weights.data(), sizes, last, x, dx, a, da, n, dn);
    for (int64_t t = 0; t < len; ++t) {
      const double v = n[t / 8][t % 8] - kThreshold;
      s.d[t0 + t] = v > 0 ? v : 0.0;
      s.dDr[t0 + t] = v > 0 ? dn[t / 8][t % 8] : 0.0;
    }
  }
}

// drift: kLpo's {D, dD/dr} at this sample (from driftValues), unused by the other objectives.
Term objectiveTerm(const ObjectiveConfig& c, double logp, double oldLogp, double a, Term drift) {
  double logRatio = logp - oldLogp;
  double r = std::exp(logRatio);
  switch (c.objective) {
    case kClip: {
      double eps = c.clipEps;
      double unclipped = r * a;
      double clipped = std::clamp(r, 1.0 - eps, 1.0 + eps) * a;
      // min(unclipped, clipped): the gradient flows only when the unclipped branch is chosen.
      return unclipped <= clipped ? Term{unclipped, unclipped} : Term{clipped, 0.0};
    }
    case kDpo: {
      // drift = relu(u - s * tanh(u / s)) with u = (r - 1) A, s = alpha for A >= 0, and
      // u = log(r) A, s = beta for A < 0. u - s tanh(u/s) > 0 exactly when u > 0, and its
      // derivative in u is tanh^2(u / s).
      double u, s, duDLogp;
      if (a >= 0) {
        u = (r - 1.0) * a;
        s = c.dpoAlpha;
        duDLogp = r * a;
      } else {
        u = logRatio * a;
        s = c.dpoBeta;
        duDLogp = a;
      }
      double drift = 0, dDrift = 0;
      if (u > 0) {
        double t = std::tanh(u / s);
        drift = u - s * t;
        dDrift = t * t * duDLogp;
      }
      return Term{r * a - drift, r * a - dDrift};
    }
    case kMdpo:
      return Term{r * a, r * a};
    case kLpo: {
      // term = r A - D(r, A); d/dlogp = r A - r dD/dr (dr/dlogp = r).
      return Term{r * a - drift.value, r * a - r * drift.dLogp};
    }
    default:  // kPg
      return Term{logp * a, a};
  }
}

// log of the softmax normalizer of a row of logits (max-shifted): log p_j = z_j - logZ.
double logNormalizer(const float* z, int64_t n) {
  double zMax = z[0];
  for (int64_t j = 1; j < n; ++j) zMax = std::max(zMax, static_cast<double>(z[j]));
  double sumExp = 0;
  for (int64_t j = 0; j < n; ++j) sumExp += std::exp(z[j] - zMax);
  return zMax + std::log(sumExp);
}

// log N(x; mu, diag(exp(logStd))^2).
double gaussianLogp(const float* mu, const float* x, const float* logStd, int64_t dim) {
  double logp = 0;
  for (int64_t d = 0; d < dim; ++d) {
    double z = (x[d] - mu[d]) * std::exp(-static_cast<double>(logStd[d]));
    logp += -0.5 * z * z - logStd[d] - kHalfLog2Pi;
  }
  return logp;
}

// kLpo: the drift at every sample, before the main pass, so that it runs tile by tile. logp(i,
// keep) returns log pi(a_i|s_i) and sets keep to what the main pass then reads from s.keep[i]
// instead of computing it again (so both passes see the same bits).
template <class Logp>
DriftScratch* driftPass(const ObjectiveConfig& c, int64_t batch, const float* oldLogp, const float* adv,
                        double advMean, double advInvStd, Logp logp) {
  if (c.objective != kLpo) return nullptr;
  DriftScratch& s = driftScratch();
  s.reserve(batch);
  for (int64_t i = 0; i < batch; ++i) {
    s.r[i] = std::exp(logp(i, s.keep[i]) - oldLogp[i]);
    s.a[i] = (adv[i] - advMean) * advInvStd;
  }
  driftValues(c.drift, batch, s);
  return &s;
}
Term driftAt(const DriftScratch* s, int64_t i) { return s != nullptr ? Term{s->d[i], s->dDr[i]} : Term{0, 0}; }

}  // namespace

int64_t driftSize(const int32_t* hidden, int32_t layers, bool temporal) {
  int64_t size = 0, prev = temporal ? 16 : 8;
  for (int32_t l = 0; l < layers; ++l) size += prev * hidden[l], prev = hidden[l];
  return size + prev;
}

PolicyStats categoricalObjective(const ObjectiveConfig& c, int64_t batch, int64_t n, const float* logits,
                                 const int32_t* actions, const float* oldLogp, const float* advantages,
                                 const float* oldLogits, float* dLogits) {
  double advMean, advInvStd;
  advantageScale(batch, advantages, c.normalizeAdv, &advMean, &advInvStd);
  const double eps = c.clipEps, entCoef = c.entCoef, klCoef = c.klCoef;
  const bool mdpo = c.objective == kMdpo && oldLogits != nullptr;
  const double invB = 1.0 / static_cast<double>(batch);
  Scratch logProb(static_cast<size_t>(n)), oldLogProb(static_cast<size_t>(n));
  const DriftScratch* drift = driftPass(c, batch, oldLogp, advantages, advMean, advInvStd, [&](int64_t i, double& logZ) {
    logZ = logNormalizer(logits + i * n, n);
    return static_cast<double>(logits[i * n + actions[i]]) - logZ;
  });
  double surrogate = 0, entropy = 0, approxKl = 0, clipped = 0, klOld = 0;

  for (int64_t i = 0; i < batch; ++i) {
    const float* z = logits + i * n;
    float* dz = dLogits + i * n;
    // log-softmax, max-shifted.
    const double logZ = drift != nullptr ? drift->keep[i] : logNormalizer(z, n);
    double h = 0;
    for (int64_t j = 0; j < n; ++j) {
      logProb[j] = z[j] - logZ;
      h -= std::exp(logProb[j]) * logProb[j];
    }
    double kl = 0;
    if (mdpo) {
      const float* zo = oldLogits + i * n;
      double oMax = zo[0];
      for (int64_t j = 1; j < n; ++j) oMax = std::max(oMax, static_cast<double>(zo[j]));
      double oSum = 0;
      for (int64_t j = 0; j < n; ++j) oSum += std::exp(zo[j] - oMax);
      double oLogZ = oMax + std::log(oSum);
      for (int64_t j = 0; j < n; ++j) {
        oldLogProb[j] = zo[j] - oLogZ;
        kl += std::exp(logProb[j]) * (logProb[j] - oldLogProb[j]);
      }
    }

    int32_t act = actions[i];
    double a = (advantages[i] - advMean) * advInvStd;
    double logRatio = logProb[act] - oldLogp[i];
    Term t = objectiveTerm(c, logProb[act], oldLogp[i], a, driftAt(drift, i));
    surrogate -= t.value;
    entropy += h;
    klOld += kl;
    approxKl += std::expm1(logRatio) - logRatio;
    clipped += std::fabs(std::expm1(logRatio)) > eps ? 1.0 : 0.0;

    // loss_i = -term - entCoef * H + klCoef * KL, all divided by the batch size.
    //   d log p_act / dz_j = [j == act] - p_j;  dH/dz_j = -p_j (log p_j + H);
    //   dKL/dz_j = p_j ((log p_j - log q_j) - KL).
    for (int64_t j = 0; j < n; ++j) {
      double p = std::exp(logProb[j]);
      double g = -t.dLogp * ((j == act ? 1.0 : 0.0) - p);
      g += entCoef * p * (logProb[j] + h);
      if (mdpo) g += klCoef * p * ((logProb[j] - oldLogProb[j]) - kl);
      dz[j] = static_cast<float>(g * invB);
    }
  }
  return PolicyStats{surrogate * invB,  entropy * invB, approxKl * invB, clipped * invB, klOld * invB,
                     (surrogate - entCoef * entropy + (mdpo ? klCoef * klOld : 0.0)) * invB};
}

PolicyStats gaussianObjective(const ObjectiveConfig& c, int64_t batch, int64_t dim, const float* mean,
                              const float* logStd, const float* actions, const float* oldLogp, const float* advantages,
                              const float* oldMean, const float* oldLogStd, float* dMean, float* dLogStd) {
  double advMean, advInvStd;
  advantageScale(batch, advantages, c.normalizeAdv, &advMean, &advInvStd);
  const double eps = c.clipEps, entCoef = c.entCoef, klCoef = c.klCoef;
  const bool mdpo = c.objective == kMdpo && oldMean != nullptr && oldLogStd != nullptr;
  const double invB = 1.0 / static_cast<double>(batch);
  Scratch dLs(static_cast<size_t>(dim));
  const DriftScratch* drift = driftPass(c, batch, oldLogp, advantages, advMean, advInvStd, [&](int64_t i, double& logp) {
    logp = gaussianLogp(mean + i * dim, actions + i * dim, logStd, dim);
    return logp;
  });
  for (int64_t d = 0; d < dim; ++d) dLs[d] = 0.0;
  double surrogate = 0, approxKl = 0, clipped = 0, klOld = 0;

  // The entropy sum_d (logStd_d + 0.5 log(2 pi e)) does not depend on the state.
  double h = 0;
  for (int64_t d = 0; d < dim; ++d) h += logStd[d] + kHalfLog2Pi + 0.5;

  for (int64_t i = 0; i < batch; ++i) {
    const float* mu = mean + i * dim;
    const float* x = actions + i * dim;
    const double logp = drift != nullptr ? drift->keep[i] : gaussianLogp(mu, x, logStd, dim);
    double a = (advantages[i] - advMean) * advInvStd;
    double logRatio = logp - oldLogp[i];
    Term t = objectiveTerm(c, logp, oldLogp[i], a, driftAt(drift, i));
    surrogate -= t.value;
    approxKl += std::expm1(logRatio) - logRatio;
    clipped += std::fabs(std::expm1(logRatio)) > eps ? 1.0 : 0.0;

    // d log p / d mu = (x - mu) / sigma^2;  d log p / d logStd = z^2 - 1.
    // KL(N(mu, s) || N(mu_o, s_o)) = log(s_o / s) + (s^2 + (mu - mu_o)^2) / (2 s_o^2) - 1/2;
    //   d/d mu = (mu - mu_o) / s_o^2;  d/d log s = s^2 / s_o^2 - 1.
    for (int64_t d = 0; d < dim; ++d) {
      double invVar = std::exp(-2.0 * static_cast<double>(logStd[d]));
      double diff = x[d] - mu[d];
      double gMu = -t.dLogp * diff * invVar;
      double gLs = -t.dLogp * (diff * diff * invVar - 1.0) - entCoef;
      if (mdpo) {
        double oInvVar = std::exp(-2.0 * static_cast<double>(oldLogStd[d]));
        double dm = mu[d] - oldMean[i * dim + d];
        double var = std::exp(2.0 * static_cast<double>(logStd[d]));
        klOld += (oldLogStd[d] - logStd[d]) + 0.5 * (var + dm * dm) * oInvVar - 0.5;
        gMu += klCoef * dm * oInvVar;
        gLs += klCoef * (var * oInvVar - 1.0);
      }
      dMean[i * dim + d] = static_cast<float>(gMu * invB);
      dLs[d] += gLs;
    }
  }
  for (int64_t d = 0; d < dim; ++d) dLogStd[d] = static_cast<float>(dLs[d] * invB);
  return PolicyStats{surrogate * invB, h, approxKl * invB, clipped * invB, klOld * invB,
                     surrogate * invB - entCoef * h + (mdpo ? klCoef * klOld * invB : 0.0)};
}

double valueLoss(int64_t batch, const float* values, const float* oldValues, const float* returns, double clipEps,
                 double vfCoef, float* dValues) {
  const double invB = 1.0 / static_cast<double>(batch);
  double loss = 0;
  for (int64_t i = 0; i < batch; ++i) {
    double v = values[i], ret = returns[i];
    double e = v - ret;
    double g = e;
    double sq = e * e;
    if (clipEps > 0) {
      double delta = v - oldValues[i];
      double vc = oldValues[i] + std::clamp(delta, -clipEps, clipEps);
      double ec = vc - ret;
      // max of the two squared errors; the clipped branch has zero slope once delta is clipped.
      if (ec * ec > sq) {
        sq = ec * ec;
        g = std::fabs(delta) < clipEps ? ec : 0.0;
      }
    }
    loss += sq;
    dValues[i] = static_cast<float>(vfCoef * g * invB);
  }
  return 0.5 * loss * invB;
}

void categoricalSample(int64_t batch, int64_t n, const float* logits, const float* uniforms, int32_t* actions,
                       float* logp) {
  for (int64_t i = 0; i < batch; ++i) {
    const float* z = logits + i * n;
    double zMax = z[0];
    int64_t arg = 0;
    for (int64_t j = 1; j < n; ++j)
      if (z[j] > zMax) zMax = z[j], arg = j;
    double sumExp = 0;
    for (int64_t j = 0; j < n; ++j) sumExp += std::exp(z[j] - zMax);
    int64_t pick = arg;
    if (uniforms != nullptr) {
      // Inverse CDF; the last action takes any rounding remainder.
      double target = uniforms[i] * sumExp, c = 0;
      pick = n - 1;
      for (int64_t j = 0; j < n - 1; ++j) {
        c += std::exp(z[j] - zMax);
        if (target < c) {
          pick = j;
          break;
        }
      }
    }
    actions[i] = static_cast<int32_t>(pick);
    logp[i] = static_cast<float>(z[pick] - zMax - std::log(sumExp));
  }
}

void gaussianSample(int64_t batch, int64_t dim, const float* mean, const float* logStd, const float* normals,
                    float* actions, float* logp) {
  for (int64_t i = 0; i < batch; ++i) {
    double lp = 0;
    for (int64_t d = 0; d < dim; ++d) {
      double eps = normals != nullptr ? normals[i * dim + d] : 0.0;
      actions[i * dim + d] = static_cast<float>(mean[i * dim + d] + std::exp(static_cast<double>(logStd[d])) * eps);
      lp += -0.5 * eps * eps - logStd[d] - kHalfLog2Pi;
    }
    logp[i] = static_cast<float>(lp);
  }
}

}  // namespace ol::rl
