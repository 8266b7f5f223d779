#include "core/rl/objective.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

// kLpo's drift D(r, A[, progress]) and dD/dr, in doubles, in the order of src/learned/drift.ts
// (the js twin and the reference), with its activations kept for the backward pass.
class Drift {
 public:
  explicit Drift(const DriftNet& net) : net_(net) {
    sizes_.push_back(net.temporal ? 16 : 8);
    for (int32_t l = 0; l < net.layers; ++l) sizes_.push_back(net.hidden[l]);
    sizes_.push_back(1);
    int64_t width = 0;
    for (int64_t s : sizes_) width = std::max(width, s), total_ += s;
    acts_.resize(static_cast<size_t>(total_));
    dx_.resize(static_cast<size_t>(sizes_[0]));
    back_.resize(static_cast<size_t>(width));
    back2_.resize(static_cast<size_t>(width));
  }

  // {D, dD/dr} at (r, a).
  Term at(double r, double a) {
    constexpr double kThreshold = 1e-4, kClip = 2;
    const int64_t inputs = sizes_[0];
    double* x = acts_.data();
    // Features (all 0 at r = 1) and their derivatives in r.
    const double l = std::log(r);
    const double raw[4] = {l, l * l, 1 - r, (1 - r) * (1 - r)};
    const double draw[4] = {1 / r, (2 * l) / r, -1, -2 * (1 - r)};
    for (int k = 0; k < 4; ++k) {
      x[k] = raw[k];
      dx_[k] = draw[k];
      x[4 + k] = a * raw[k];
      dx_[4 + k] = a * draw[k];
    }
    if (net_.temporal)
      for (int k = 0; k < 8; ++k) {
        x[8 + k] = net_.progress * x[k];
        dx_[8 + k] = net_.progress * dx_[k];
      }
    for (int64_t k = 0; k < inputs; ++k)
      if (x[k] > kClip || x[k] < -kClip) {
        x[k] = x[k] > kClip ? kClip : -kClip;
        dx_[k] = 0;
      }
    // Forward: tanh on the hidden layers, none on the output.
    const float* w = net_.theta;
    double* in = x;
    const size_t last = sizes_.size() - 1;
    for (size_t layer = 0; layer < last; ++layer) {
      const int64_t nin = sizes_[layer], nout = sizes_[layer + 1];
      double* out = in + nin;
      for (int64_t o = 0; o < nout; ++o) out[o] = 0;
      for (int64_t i = 0; i < nin; ++i) {
        const double xi = in[i];
        if (xi == 0) continue;
        for (int64_t o = 0; o < nout; ++o) out[o] += xi * static_cast<double>(w[i * nout + o]);
      }
      if (layer + 1 < last)
        for (int64_t o = 0; o < nout; ++o) out[o] = std::tanh(out[o]);
      w += nin * nout;
      in = out;
    }
    const double n = in[0] - kThreshold;
    if (n <= 0) return Term{0, 0};
    // Backward: dN/d(layer output) from the top; the weights are read from the end of theta.
    double* g = back_.data();
    double* gNext = back2_.data();
    g[0] = 1;
    double* act = in;
    for (size_t layer = last; layer-- > 0;) {
      const int64_t nin = sizes_[layer], nout = sizes_[layer + 1];
      act -= nin;
      w -= nin * nout;
      for (int64_t i = 0; i < nin; ++i) {
        double s = 0;
        for (int64_t o = 0; o < nout; ++o) s += static_cast<double>(w[i * nout + o]) * g[o];
        gNext[i] = layer > 0 ? s * (1 - act[i] * act[i]) : s;
      }
      std::swap(g, gNext);
    }
    double d = 0;
    for (int64_t k = 0; k < inputs; ++k) d += g[k] * dx_[k];
    return Term{n, d};
  }

 private:
  DriftNet net_;
  std::vector<int64_t> sizes_;
  int64_t total_ = 0;
  std::vector<double> acts_, dx_, back_, back2_;
};

Term objectiveTerm(const ObjectiveConfig& c, double logp, double oldLogp, double a, Drift* drift) {
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
      Term d = drift->at(r, a);
      return Term{r * a - d.value, r * a - r * d.dLogp};
    }
    default:  // kPg
      return Term{logp * a, a};
  }
}

// A Drift only for kLpo (no allocation for the other objectives).
std::vector<Drift> driftFor(const ObjectiveConfig& c) {
  std::vector<Drift> d;
  if (c.objective == kLpo) d.emplace_back(c.drift);
  return d;
}

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
  std::vector<Drift> drift = driftFor(c);
  double surrogate = 0, entropy = 0, approxKl = 0, clipped = 0, klOld = 0;

  for (int64_t i = 0; i < batch; ++i) {
    const float* z = logits + i * n;
    float* dz = dLogits + i * n;
    // log-softmax, max-shifted.
    double zMax = z[0];
    for (int64_t j = 1; j < n; ++j) zMax = std::max(zMax, static_cast<double>(z[j]));
    double sumExp = 0;
    for (int64_t j = 0; j < n; ++j) sumExp += std::exp(z[j] - zMax);
    double logZ = zMax + std::log(sumExp);
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
    Term t = objectiveTerm(c, logProb[act], oldLogp[i], a, drift.empty() ? nullptr : drift.data());
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
  std::vector<Drift> drift = driftFor(c);
  for (int64_t d = 0; d < dim; ++d) dLs[d] = 0.0;
  double surrogate = 0, approxKl = 0, clipped = 0, klOld = 0;

  // The entropy sum_d (logStd_d + 0.5 log(2 pi e)) does not depend on the state.
  double h = 0;
  for (int64_t d = 0; d < dim; ++d) h += logStd[d] + kHalfLog2Pi + 0.5;

  for (int64_t i = 0; i < batch; ++i) {
    const float* mu = mean + i * dim;
    const float* x = actions + i * dim;
    double logp = 0;
    for (int64_t d = 0; d < dim; ++d) {
      double z = (x[d] - mu[d]) * std::exp(-static_cast<double>(logStd[d]));
      logp += -0.5 * z * z - logStd[d] - kHalfLog2Pi;
    }
    double a = (advantages[i] - advMean) * advInvStd;
    double logRatio = logp - oldLogp[i];
    Term t = objectiveTerm(c, logp, oldLogp[i], a, drift.empty() ? nullptr : drift.data());
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
