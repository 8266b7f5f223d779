// Fused policy-gradient objectives: one pass over a minibatch computes the loss, its statistics
// and the gradient of the loss with respect to the network outputs (logits, Gaussian means and
// log-stds, values). The model's VJP then turns that into the parameter gradient.
#pragma once

#include <cstdint>

namespace ol::rl {

// Which surrogate. kClip: PPO's clipped ratio. kDpo: Discovered Policy Optimisation's drift.
// kMdpo: the ratio surrogate plus klCoef * KL(pi || pi_old) (on-policy Mirror Descent PO).
// kPg: the vanilla policy gradient log pi * A (A2C).
enum Objective : int32_t { kClip = 0, kDpo = 1, kMdpo = 2, kPg = 3 };

// Layout of the coefs array (JS passes a Float64Array; see src/backend/kernels/rl.ts).
enum Coef : int32_t {
  kClipEps = 0,
  kEntCoef = 1,
  kDpoAlpha = 2,
  kDpoBeta = 3,
  kKlCoef = 4,
  kNormalizeAdv = 5,  // nonzero: advantages are normalized over the minibatch
  kNumCoefs = 6,
};

// Layout of the stats array written by the policy objectives (all means over the minibatch).
enum Stat : int32_t {
  kSurrogateLoss = 0,  // -mean(objective term)
  kEntropy = 1,
  kApproxKl = 2,  // mean((r - 1) - log r), CleanRL's estimator of KL(pi_old || pi)
  kClipFraction = 3,  // fraction with |r - 1| > clipEps
  kKlToOld = 4,  // exact mean KL(pi || pi_old) (kMdpo only, else 0)
  kPolicyLoss = 5,  // surrogate - entCoef * entropy + klCoef * KlToOld: what the gradient is of
  kNumStats = 6,
};

// Categorical policy over n actions. dLogits receives d(policy loss)/d(logits).
// oldLogits (batch x n) is read only for kMdpo and may be null otherwise.
void categoricalObjective(int32_t objective, int64_t batch, int64_t n, const float* logits, const int32_t* actions,
                          const float* oldLogp, const float* advantages, const float* oldLogits, const double* coefs,
                          float* dLogits, double* stats);

// Diagonal Gaussian policy with state-independent log-stds (one per action dim). dMean gets
// d loss / d mean (batch x dim); dLogStd (dim) gets the gradient summed over the batch.
// oldMean (batch x dim) and oldLogStd (dim) are read only for kMdpo and may be null otherwise.
void gaussianObjective(int32_t objective, int64_t batch, int64_t dim, const float* mean, const float* logStd,
                       const float* actions, const float* oldLogp, const float* advantages, const float* oldMean,
                       const float* oldLogStd, const double* coefs, float* dMean, float* dLogStd, double* stats);

// Value loss vfCoef * 0.5 * mean(max((v - R)^2, (clip(v, vOld +- clipEps) - R)^2)); clipEps <= 0
// turns clipping off. dValues gets its gradient; stats[0] = the unscaled 0.5 * mean(...).
void valueLoss(int64_t batch, const float* values, const float* oldValues, const float* returns, double clipEps,
               double vfCoef, float* dValues, double* stats);

// Draws one action per row from softmax(logits) by inverse CDF on uniforms[i] in [0, 1), or the
// argmax when uniforms is null; writes the action and its log-probability.
void categoricalSample(int64_t batch, int64_t n, const float* logits, const float* uniforms, int32_t* actions,
                       float* logp);

// actions = mean + exp(logStd) * normals (or the mean when normals is null); writes log-probs.
void gaussianSample(int64_t batch, int64_t dim, const float* mean, const float* logStd, const float* normals,
                    float* actions, float* logp);

}  // namespace ol::rl
