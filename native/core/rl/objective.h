// Fused policy-gradient objectives: one pass over a minibatch computes the loss, its statistics
// and the gradient of the loss with respect to the network outputs (logits, Gaussian means and
// log-stds, values). The model's VJP then turns that into the parameter gradient.
#pragma once

#include <cstdint>

namespace ol::rl {

// Which surrogate. kClip: PPO's clipped ratio. kDpo: Discovered Policy Optimisation's drift.
// kMdpo: the ratio surrogate plus klCoef * KL(pi || pi_old) (on-policy Mirror Descent PO).
// kPg: the vanilla policy gradient log pi * A (A2C). kLpo: r * A minus a learned drift (LPO /
// TA-LPO), the network of src/learned/drift.ts, evaluated 16 samples per SIMD tile ahead of the
// main pass (objective.cc: driftValues).
enum Objective : int32_t { kClip = 0, kDpo = 1, kMdpo = 2, kPg = 3, kLpo = 4 };

// kLpo's drift network, as src/learned/drift.ts defines it: features of (r, A[, progress]), a tanh
// MLP without biases over them, D = relu(N - 1e-4). theta is layer-major, weight (i, o) of a layer
// at i * out + o. Not owned.
struct DriftNet {
  const float* theta = nullptr;
  const int32_t* hidden = nullptr;  // hidden widths
  int32_t layers = 0;               // number of hidden widths
  bool temporal = false;            // TA-LPO: 16 inputs, progress times the 8 LPO features
  double progress = 0;              // training progress in [0, 1] (temporal only)
};

// The number of weights of a drift network with 8 (16 when temporal) inputs and these hidden widths.
int64_t driftSize(const int32_t* hidden, int32_t layers, bool temporal);

struct ObjectiveConfig {
  Objective objective;
  double clipEps;  // kClip's range; for every objective, the |r - 1| beyond which a sample counts as clipped
  double entCoef;
  double dpoAlpha, dpoBeta;  // kDpo only: drift scales for positive / negative advantages
  double klCoef;             // kMdpo only: weight of KL(pi || pi_old)
  bool normalizeAdv;         // advantages are normalized over the minibatch
  DriftNet drift{};          // kLpo only
};

// What a policy objective reports (all means over the minibatch).
struct PolicyStats {
  double surrogateLoss;  // -mean(objective term)
  double entropy;
  double approxKl;       // mean((r - 1) - log r), CleanRL's estimator of KL(pi_old || pi)
  double clipFraction;   // fraction with |r - 1| > clipEps
  double klToOld;        // exact mean KL(pi || pi_old) (kMdpo only, else 0)
  double policyLoss;     // surrogate - entCoef * entropy + klCoef * klToOld: what the gradient is of
};

// Categorical policy over n actions. dLogits receives d(policy loss)/d(logits).
// oldLogits (batch x n) is read only for kMdpo and may be null otherwise.
PolicyStats categoricalObjective(const ObjectiveConfig& c, int64_t batch, int64_t n, const float* logits,
                                 const int32_t* actions, const float* oldLogp, const float* advantages,
                                 const float* oldLogits, float* dLogits);

// Diagonal Gaussian policy with state-independent log-stds (one per action dim). dMean gets
// d loss / d mean (batch x dim); dLogStd (dim) gets the gradient summed over the batch.
// oldMean (batch x dim) and oldLogStd (dim) are read only for kMdpo and may be null otherwise.
PolicyStats gaussianObjective(const ObjectiveConfig& c, int64_t batch, int64_t dim, const float* mean,
                              const float* logStd, const float* actions, const float* oldLogp, const float* advantages,
                              const float* oldMean, const float* oldLogStd, float* dMean, float* dLogStd);

// Value loss vfCoef * 0.5 * mean(max((v - R)^2, (clip(v, vOld +- clipEps) - R)^2)); clipEps <= 0
// turns clipping off. dValues gets its gradient; returns the unscaled 0.5 * mean(...).
double valueLoss(int64_t batch, const float* values, const float* oldValues, const float* returns, double clipEps,
                 double vfCoef, float* dValues);

// Draws one action per row from softmax(logits) by inverse CDF on uniforms[i] in [0, 1), or the
// argmax when uniforms is null; writes the action and its log-probability.
void categoricalSample(int64_t batch, int64_t n, const float* logits, const float* uniforms, int32_t* actions,
                       float* logp);

// actions = mean + exp(logStd) * normals (or the mean when normals is null); writes log-probs.
void gaussianSample(int64_t batch, int64_t dim, const float* mean, const float* logStd, const float* normals,
                    float* actions, float* logp);

}  // namespace ol::rl
