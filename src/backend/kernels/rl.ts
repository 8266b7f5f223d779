/**
 * RL kernels: fused policy-gradient objectives (loss, statistics and the gradient w.r.t. the
 * network outputs in one pass) and action sampling. See native/core/rl/objective.h.
 *
 * The policy objectives take their batch from `advantages.length` and their width from the other
 * buffers (categorical: logits.length / batch actions; Gaussian: logStd.length dims).
 */
export interface RlKernels {
  /**
   * Categorical policy. Writes d(policy loss)/d(logits) into dLogits (batch × numActions) and
   * the statistics into `stats`. oldLogits (batch × numActions) is read only for 'mdpo'; pass an
   * empty array otherwise.
   */
  rlCategoricalObjective(
    logits: Float32Array,
    actions: Int32Array,
    oldLogp: Float32Array,
    advantages: Float32Array,
    oldLogits: Float32Array,
    dLogits: Float32Array,
    stats: RlPolicyStats,
    options: RlObjectiveOptions,
  ): void;
  /**
   * Diagonal Gaussian policy with state-independent log-stds. Writes d loss/d mean (batch × dim)
   * and d loss/d logStd (dim, summed over the batch). oldMean/oldLogStd are read only for 'mdpo'.
   */
  rlGaussianObjective(
    mean: Float32Array,
    logStd: Float32Array,
    actions: Float32Array,
    oldLogp: Float32Array,
    advantages: Float32Array,
    oldMean: Float32Array,
    oldLogStd: Float32Array,
    dMean: Float32Array,
    dLogStd: Float32Array,
    stats: RlPolicyStats,
    options: RlObjectiveOptions,
  ): void;
  /**
   * vfCoef · ½·mean(max((v−R)², (clip(v, vOld±clipEps)−R)²)); clipEps ≤ 0 disables clipping.
   * Writes its gradient into dValues and returns the unscaled loss ½·mean(…).
   */
  rlValueLoss(
    batch: number,
    values: Float32Array,
    oldValues: Float32Array,
    returns: Float32Array,
    clipEps: number,
    vfCoef: number,
    dValues: Float32Array,
  ): number;
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

/**
 * The policy surrogate: 'clip' PPO's clipped ratio; 'dpo' Discovered Policy Optimisation's drift;
 * 'mdpo' the ratio surrogate plus klCoef·KL(π‖π_old); 'pg' the vanilla policy gradient log π·A;
 * (The learned objective 'lpo' is RlLpoObjective: it carries a network, not coefficients.)
 */
export type RlObjective = 'clip' | 'dpo' | 'mdpo' | 'pg';

/** The coefficients every objective reads. */
export interface RlObjectiveCommon {
  /** 'clip''s range; for every objective, the |r − 1| beyond which a sample counts in clipFraction. */
  clipEps: number;
  /** Weight of the entropy bonus. */
  entCoef: number;
  /** Normalize the advantages over the minibatch (mean 0, unbiased std 1). */
  normalizeAdv: boolean;
}
/** PPO's clipped surrogate or the vanilla policy gradient: no coefficient of their own. */
export interface RlPlainObjective extends RlObjectiveCommon {
  objective: 'clip' | 'pg';
}
export interface RlDpoObjective extends RlObjectiveCommon {
  objective: 'dpo';
  /** Drift scale for positive advantages (α > 0). */
  dpoAlpha: number;
  /** Drift scale for negative advantages (β > 0). */
  dpoBeta: number;
}
export interface RlMdpoObjective extends RlObjectiveCommon {
  objective: 'mdpo';
  /** Weight of KL(π‖π_old). */
  klCoef: number;
}
/** LPO / TA-LPO: r·A − D_θ(r, A[, progress]), D the network of `learned.driftFunction`. */
export interface RlLpoObjective extends RlObjectiveCommon {
  objective: 'lpo';
  /** The drift's meta-parameters θ (its `size` weights, layer-major). */
  driftTheta: Float32Array;
  /** The drift's hidden widths. */
  driftHidden: Int32Array;
  /** TA-LPO: training progress is an input. */
  driftTemporal: boolean;
  /** Training progress in [0, 1] (read when temporal; trainers set it each update). */
  driftProgress: number;
}
/**
 * A policy objective with the coefficients it uses (and no others). Trainers keep one per run
 * and change a coefficient in place (mdpo's klCoef each update).
 */
export type RlObjectiveOptions = RlPlainObjective | RlDpoObjective | RlMdpoObjective | RlLpoObjective;

/**
 * What a policy objective reports, each a mean over the minibatch, read by name. It is the
 * Float64Array the kernel writes (in the order of native/core/rl/objective.h's PolicyStats), so
 * a call reads no extra property; `record` is how the js twin writes it.
 */
export class RlPolicyStats extends Float64Array {
  constructor() {
    super(6);
  }
  /** −mean(objective term). */
  get surrogateLoss(): number {
    return this[0] as number;
  }
  get entropy(): number {
    return this[1] as number;
  }
  /** mean((r − 1) − log r), CleanRL's estimator of KL(π_old‖π). */
  get approxKl(): number {
    return this[2] as number;
  }
  /** Fraction of samples with |r − 1| > clipEps. */
  get clipFraction(): number {
    return this[3] as number;
  }
  /** Exact mean KL(π‖π_old) ('mdpo' with old outputs; else 0). */
  get klToOld(): number {
    return this[4] as number;
  }
  /** surrogateLoss − entCoef·entropy (+ klCoef·klToOld for 'mdpo'): the loss the gradient is of. */
  get policyLoss(): number {
    return this[5] as number;
  }
  /** Writes every statistic (the js twin's output). */
  record(
    surrogateLoss: number,
    entropy: number,
    approxKl: number,
    clipFraction: number,
    klToOld: number,
    policyLoss: number,
  ): void {
    this[0] = surrogateLoss;
    this[1] = entropy;
    this[2] = approxKl;
    this[3] = clipFraction;
    this[4] = klToOld;
    this[5] = policyLoss;
  }
}
