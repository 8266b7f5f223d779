/**
 * RL kernels: fused policy-gradient objectives (loss, statistics and the gradient w.r.t. the
 * network outputs in one pass) and action sampling. See native/core/rl/objective.h.
 *
 * `objective` is one of RL_OBJECTIVE; `coefs` is a Float64Array laid out as RL_COEF; the policy
 * objectives write RL_STAT into `stats` (a Float64Array of at least RL_NUM_STATS).
 */
export interface RlKernels {
  /**
   * Categorical policy. Writes d(policy loss)/d(logits) into dLogits (batch × numActions).
   * oldLogits (batch × numActions) is read only for 'mdpo'; pass an empty array otherwise.
   */
  rlCategoricalObjective(
    objective: number,
    batch: number,
    numActions: number,
    logits: Float32Array,
    actions: Int32Array,
    oldLogp: Float32Array,
    advantages: Float32Array,
    oldLogits: Float32Array,
    coefs: Float64Array,
    dLogits: Float32Array,
    stats: Float64Array,
  ): void;
  /**
   * Diagonal Gaussian policy with state-independent log-stds. Writes d loss/d mean (batch × dim)
   * and d loss/d logStd (dim, summed over the batch). oldMean/oldLogStd are read only for 'mdpo'.
   */
  rlGaussianObjective(
    objective: number,
    batch: number,
    dim: number,
    mean: Float32Array,
    logStd: Float32Array,
    actions: Float32Array,
    oldLogp: Float32Array,
    advantages: Float32Array,
    oldMean: Float32Array,
    oldLogStd: Float32Array,
    coefs: Float64Array,
    dMean: Float32Array,
    dLogStd: Float32Array,
    stats: Float64Array,
  ): void;
  /**
   * vfCoef · ½·mean(max((v−R)², (clip(v, vOld±clipEps)−R)²)); clipEps ≤ 0 disables clipping.
   * Writes its gradient into dValues and the unscaled loss into stats[0].
   */
  rlValueLoss(
    batch: number,
    values: Float32Array,
    oldValues: Float32Array,
    returns: Float32Array,
    clipEps: number,
    vfCoef: number,
    dValues: Float32Array,
    stats: Float64Array,
  ): void;
  /** One action per row from softmax(logits) by inverse CDF on uniforms (empty: argmax), with its log-prob. */
  rlCategoricalSample(
    batch: number,
    numActions: number,
    logits: Float32Array,
    uniforms: Float32Array,
    actions: Int32Array,
    logp: Float32Array,
  ): void;
  /** actions = mean + exp(logStd)·normals (empty normals: the mean), with log-probs. */
  rlGaussianSample(
    batch: number,
    dim: number,
    mean: Float32Array,
    logStd: Float32Array,
    normals: Float32Array,
    actions: Float32Array,
    logp: Float32Array,
  ): void;
}

/** Objective codes shared with native/core/rl/objective.h. */
export const RL_OBJECTIVE = { clip: 0, dpo: 1, mdpo: 2, pg: 3 } as const;
/** Indices into the coefs array. */
export const RL_COEF = { clipEps: 0, entCoef: 1, dpoAlpha: 2, dpoBeta: 3, klCoef: 4, normalizeAdv: 5 } as const;
export const RL_NUM_COEFS = 6;
/** Indices into the stats array the policy objectives write. */
export const RL_STAT = {
  surrogateLoss: 0,
  entropy: 1,
  approxKl: 2,
  clipFraction: 3,
  klToOld: 4,
  policyLoss: 5,
} as const;
export const RL_NUM_STATS = 6;
