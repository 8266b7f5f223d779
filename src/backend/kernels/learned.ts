/**
 * learned kernels: the fused step of a per-parameter MLP learned optimizer (native/core/learned;
 * js twin src/backend/js/learned/). learned_optimization's AdafacMLPLOpt ("small_fc_lopt") for
 * rank < 2 tensors: one call updates the accumulators, forms the 39 features of every parameter
 * (28 normalized per segment + 11 time features), evaluates the MLP and applies
 * p ← p − multiplier · stepMult · d · exp(expMult · m).
 */
export interface MlpStepScalars {
  /** Updates applied before this one (the time features tanh(count/τ − 1) read it). */
  count: number;
  /** Step scale of the update. */
  stepMult: number;
  /** Magnitude scale inside the exponential. */
  expMult: number;
}

/** Scalars of learnedQuadraticPopulation. */
export interface QuadraticPopulationScalars {
  /** Parameters per member (the quadratic's dimension d). */
  dim: number;
  /** Inner steps K each member takes. */
  steps: number;
  /** Std of the additive gradient noise (0: `noise` is empty). */
  noise: number;
  /** Step scale of the update. */
  stepMult: number;
  /** Magnitude scale inside the exponential. */
  expMult: number;
}

/** The learned-optimizer kernels. */
export interface LearnedKernels {
  /**
   * One learned-optimizer step in place over every parameter inside `segments` ((offset, size)
   * pairs, ascending and disjoint; each is one tensor whose features are normalized together).
   * `acc` [7 × n] holds the accumulator rows m(0.9), m(0.99), m(0.999), v(0.999), vf(0.9),
   * vf(0.99), vf(0.999); `theta` is the MLP of layer sizes `widths` [39, …hidden, 2] (per layer
   * W [in × out] row-major, then b [out]; ReLU between layers); `multipliers` [segments] scale
   * each segment's update (μLO's per-tensor multipliers; 1 otherwise).
   */
  learnedMlpStep(
    params: Float32Array,
    grads: Float32Array,
    acc: Float32Array,
    theta: Float32Array,
    widths: Int32Array,
    segments: Uint32Array,
    multipliers: Float32Array,
    scalars: MlpStepScalars,
  ): void;
  /**
   * A whole ES/PES population advanced K inner steps in one call (native: threaded over members):
   * member m, K times, takes the loss and gradient of the quadratic task `taskOf[m]`,
   * ½(x − c)ᵀQ(x − c) and float32(Q(x − c) + noise·z) in float64 as learned.tasks.quadratic does,
   * then one learnedMlpStep over its whole buffer with θ_m, and counts[m] += 1. `params` [M × d],
   * `acc` [M × 7d], `counts` [M], `thetas` [M × |θ|], `q` [T × d × d], `centers` [T × d], `noise`
   * [T × K × d] standard-normal draws (empty when scalars.noise is 0). Writes `losses` [M × (K+1)]:
   * the loss before each step, then the loss after the last.
   */
  learnedQuadraticPopulation(
    params: Float32Array,
    acc: Float32Array,
    counts: Float64Array,
    thetas: Float32Array,
    widths: Int32Array,
    q: Float64Array,
    centers: Float64Array,
    taskOf: Uint32Array,
    noise: Float32Array,
    losses: Float64Array,
    scalars: QuadraticPopulationScalars,
  ): void;
}
