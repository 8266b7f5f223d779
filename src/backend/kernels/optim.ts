/** Scalars of one Adam/AdamW/AMSGrad step (decay rates in double so 1 − b is exact). */
export interface AdamScalars {
  b1: number;
  b2: number;
  eps: number;
  /** lr / (1 − b1^t). */
  stepSize: number;
  /** 1 / sqrt(1 − b2^t). */
  invBc2Sqrt: number;
  /** Coupled (L2) decay added to the gradient. */
  weightDecay: number;
  /** Decoupled decay factor 1 − lr·wd (1 for none). */
  decay: number;
}
export interface RmspropScalars {
  lr: number;
  decay: number;
  eps: number;
  momentum: number;
  weightDecay: number;
}
export interface NadamScalars {
  b1: number;
  b2: number;
  eps: number;
  invBc2: number;
  gradCoef: number;
  momCoef: number;
  weightDecay: number;
  decay: number;
}
export interface GramsScalars {
  b1: number;
  b2: number;
  eps: number;
  stepSize: number;
  invBc2Sqrt: number;
  decay: number;
}
export interface DiffgradScalars {
  b1: number;
  b2: number;
  eps: number;
  /** lr·sqrt(bc2)/bc1. */
  stepSize: number;
  weightDecay: number;
}
export interface NovogradScalars {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  weightDecay: number;
  /** The first step initialises nu and m. */
  first: boolean;
}
export interface MadgradScalars {
  /** The reference's lr + eps. */
  lr: number;
  /** lr·sqrt(k + 1). */
  lamb: number;
  eps: number;
  momentum: number;
  weightDecay: number;
  decoupled: boolean;
}
export interface OptimisticAmsgradScalars {
  lr: number;
  b1: number;
  b2: number;
}
export interface SwatsScalars {
  b1: number;
  b2: number;
  eps: number;
  stepSize: number;
  weightDecay: number;
}

/**
 * Fused optimizer steps over flat float32 buffers (native/core/optim, twins in
 * src/backend/js/optim). Each call updates its buffers in place in one pass. All buffers of a call
 * have the length of `p` (params); `g` is the gradient. An optional buffer is passed as an empty
 * Float32Array. Per-step scalars (bias corrections, schedules) are computed by the caller in double.
 */
export interface OptimKernels {
  /** torch.optim.SGD without momentum: p ← p − lr·(g + wd·p). */
  optimSgd(p: Float32Array, g: Float32Array, lr: number, weightDecay: number): void;
  /** torch.optim.SGD with momentum (buf = d on the first step) and optional Nesterov. */
  optimSgdMomentum(
    p: Float32Array,
    g: Float32Array,
    buf: Float32Array,
    lr: number,
    momentum: number,
    dampening: number,
    weightDecay: number,
    nesterov: boolean,
    first: boolean,
  ): void;
  /** torch.optim.Adagrad (lr already decayed). */
  optimAdagrad(p: Float32Array, g: Float32Array, sum: Float32Array, lr: number, eps: number, weightDecay: number): void;
  /** torch.optim.Adadelta. */
  optimAdadelta(
    p: Float32Array,
    g: Float32Array,
    sqAvg: Float32Array,
    accDelta: Float32Array,
    lr: number,
    rho: number,
    eps: number,
    weightDecay: number,
  ): void;
  /** torch.optim.RMSprop; gAvg non-empty: centered; buf non-empty: momentum. */
  optimRmsprop(
    p: Float32Array,
    g: Float32Array,
    sqAvg: Float32Array,
    gAvg: Float32Array,
    buf: Float32Array,
    s: RmspropScalars,
  ): void;
  /**
   * torch.optim.Adam/AdamW (vMax non-empty: AMSGrad, max over raw v):
   * p ← p·decay − stepSize·m/(sqrt(v)·invBc2Sqrt + eps) after g ← g + weightDecay·p.
   */
  optimAdam(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    vMax: Float32Array,
    s: AdamScalars,
  ): void;
  /** XGrad's Adam weight prediction: out ← p − stepSize·m/(sqrt(v)·invBc2Sqrt + eps). */
  optimAdamPredict(
    p: Float32Array,
    m: Float32Array,
    v: Float32Array,
    out: Float32Array,
    stepSize: number,
    invBc2Sqrt: number,
    eps: number,
  ): void;
  /** torch.optim.Adamax. */
  optimAdamax(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    u: Float32Array,
    b1: number,
    b2: number,
    eps: number,
    stepSize: number,
    weightDecay: number,
  ): void;
  /** torch.optim.NAdam: p ← p·decay − gradCoef·g/d − momCoef·m/d, d = sqrt(v·invBc2) + eps. */
  optimNadam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: NadamScalars): void;
  /** optax.scale_by_yogi + learning rate. */
  optimYogi(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    b1: number,
    b2: number,
    eps: number,
    stepSize: number,
    invBc2: number,
  ): void;
  /** Grams (paper formula). */
  optimGrams(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: GramsScalars): void;
  /** diffGrad (diffGrad_v2.py); stepSize = lr·sqrt(bc2)/bc1. */
  optimDiffgrad(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    gPrev: Float32Array,
    s: DiffgradScalars,
  ): void;
  /** Lion (google/automl); decay = 1 − lr·wd. */
  optimLion(p: Float32Array, g: Float32Array, m: Float32Array, lr: number, b1: number, b2: number, decay: number): void;
  /** NovoGrad (optax) with one second moment per segment; segments are (offset, size) pairs. */
  optimNovograd(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    nu: Float64Array,
    segments: Uint32Array,
    s: NovogradScalars,
  ): void;
  /** MADGRAD (facebookresearch/madgrad); x0 empty when momentum is 0; lamb = lr·sqrt(k+1). */
  optimMadgrad(
    p: Float32Array,
    g: Float32Array,
    s: Float32Array,
    nu: Float32Array,
    x0: Float32Array,
    sc: MadgradScalars,
  ): void;
  /**
   * Optimistic-AMSGrad (paper, Algorithm 1): the AMSGrad half-step, then a step along
   * h = b1·θ_{t−1} + (1−b1)·guess, guess being the caller's prediction of the next gradient.
   */
  optimOptimisticAmsgrad(
    p: Float32Array,
    g: Float32Array,
    guess: Float32Array,
    m: Float32Array,
    v: Float32Array,
    vHat: Float32Array,
    wHalf: Float32Array,
    s: OptimisticAmsgradScalars,
  ): void;
  /** Gravity (Keras reference), per segment max|g|. */
  optimGravity(
    p: Float32Array,
    g: Float32Array,
    vel: Float32Array,
    segments: Uint32Array,
    lr: number,
    betaHat: number,
  ): void;
  /** AEGD (txping/AEGD); gradScale = 1/(2·sqrt(f + c)). */
  optimAegd(
    p: Float32Array,
    g: Float32Array,
    energy: Float32Array,
    lr: number,
    gradScale: number,
    weightDecay: number,
  ): void;
  /** SWATS Adam phase; writes [p_kᵀp_k, p_kᵀg] into dots. */
  optimSwatsAdam(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    a: Float32Array,
    s: SwatsScalars,
    dots: Float64Array,
  ): void;
  /** Complex momentum: μ ← βμ − g, p ← p + lr·Re(μ). */
  optimComplexMomentum(
    p: Float32Array,
    g: Float32Array,
    muRe: Float32Array,
    muIm: Float32Array,
    lr: number,
    betaRe: number,
    betaIm: number,
  ): void;
  /** Grokfast-EMA filter on a gradient buffer (in place). */
  optimGrokfastEma(g: Float32Array, mu: Float32Array, alpha: number, lamb: number, first: boolean): void;
  /** g ← clip(g, lo, hi). */
  optimClipByValue(g: Float32Array, lo: number, hi: number): void;
  /** Lookahead: slow ← slow + α(fast − slow); fast ← slow. */
  optimLookaheadSync(fast: Float32Array, slow: Float32Array, alpha: number): void;
  /**
   * Symmetric eigendecomposition of the n×n row-major `a` (float64, unchanged): eigenvalues
   * ascending into `values`, unit eigenvectors into the ROWS of `vectors` (Householder + implicit QL).
   */
  optimSymEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void;
  /** out ← (max(A, 0) + eps·I)^(−1/root) through the eigendecomposition (Shampoo's inverse roots). */
  optimInverseRoot(a: Float64Array, n: number, root: number, eps: number, out: Float64Array): void;
  /** Shampoo statistics of a rows×cols block G: L ← decay·L + weight·GGᵀ, R ← decay·R + weight·GᵀG. */
  optimShampooStats(
    g: Float32Array,
    rows: number,
    cols: number,
    l: Float64Array,
    r: Float64Array,
    decay: number,
    weight: number,
  ): void;
  /** out ← lRoot · G · rRoot for a rows×cols block (accumulated in double). */
  optimShampooPrecondition(
    g: Float32Array,
    rows: number,
    cols: number,
    lRoot: Float64Array,
    rRoot: Float64Array,
    out: Float32Array,
  ): void;
  /** STREAM copy dst ← src (bandwidth measurement). */
  optimStreamCopy(dst: Float32Array, src: Float32Array): void;
  /** STREAM triad a ← b + s·c (bandwidth measurement). */
  optimStreamTriad(a: Float32Array, b: Float32Array, c: Float32Array, s: number): void;
}
