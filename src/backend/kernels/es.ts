/**
 * Evolution-strategy kernels (native/core/es, js twins in src/backend/js/es).
 *
 * Population layout: `out` is row-major [members × dim]. With `antithetic`, noise vector i gives
 * rows 2i (mean + σ⊙e_i) and 2i+1 (mean − σ⊙e_i); without, row i is mean + σ⊙e_i. `sigma` has
 * length 1 (isotropic) or dim. A noise-table vector e_i is the slice table[indices[i] ..
 * indices[i] + dim), so every index must be at most table.length − dim.
 */
export interface EsKernels {
  /** Population from noise-table slices. */
  esPerturbTable(
    table: Float32Array,
    indices: Uint32Array,
    mean: Float32Array,
    sigma: Float32Array,
    antithetic: boolean,
    out: Float32Array,
  ): void;
  /**
   * Population from fresh normals: fills `eps` [numNoise × dim] with the normals of Philox stream
   * (key, counter) — the numbers `random.normal(key, numNoise·dim, counter)` gives — and writes
   * the members into `out`.
   */
  esPerturbNormal(
    key: Uint32Array,
    counter: number,
    mean: Float32Array,
    sigma: Float32Array,
    antithetic: boolean,
    eps: Float32Array,
    out: Float32Array,
  ): void;
  /** out[j] = Σ_i weights[i]·table[indices[i] + j], summed in float64 in index order. */
  esWeightedSumTable(table: Float32Array, indices: Uint32Array, weights: Float64Array, out: Float32Array): void;
  /** out[j] = Σ_i weights[i]·rows[i·dim + j] (rows [weights.length × out.length]), float64 sums in order. */
  esWeightedSumRows(rows: Float32Array, weights: Float64Array, out: Float32Array): void;
  /**
   * Centered ranks: the k-th smallest of n values gets k/(n−1) − 0.5; tied values share their
   * mean rank. Non-finite values rank above every finite one (tied with each other), so ranked as
   * losses they come last.
   */
  esCenteredRanks(fitness: Float64Array, out: Float64Array): void;
  /**
   * Batched population evaluation (native/core/es/population_rollout.h): P = returns.length
   * policies, one MLP parameter vector each in `params` [P × paramCount] (architecture `sizes`,
   * activation codes `hidden`/`output`), each run on `envsPerMember` envs of `config` for one
   * episode of at most `maxSteps` steps (argmax actions for discrete spaces, raw outputs for box).
   * Writes the mean episode return over the member's envs, the member's total steps, and the mean
   * over its envs of each episode's last observation (a behaviour descriptor, [P × obsDim]).
   * Env e of member m is seeded with fold(key, e) when `commonEnvSeeds`, else fold(fold(key, m), e).
   * `tasks` [envsPerMember × taskDim] are shared by all members (empty when taskDim is 0).
   * `actionStats` [P × actionWidth], when given and non-empty, receives per member over all its
   * steps the fraction of steps taking each discrete action (a histogram), or the mean of each box
   * action component as the policy gave it (NaN read as 0, before the env's clipping).
   */
  esRolloutPolicies(
    config: Int32Array,
    sizes: Int32Array,
    params: Float32Array,
    key: Uint32Array,
    tasks: Float32Array,
    returns: Float64Array,
    lengths: Int32Array,
    descriptors: Float32Array,
    scalars: EsRolloutScalars,
    actionStats?: Float32Array,
  ): void;
  /** `esRolloutPolicies` on a worker thread; no buffer may be touched until the promise settles. */
  esRolloutPoliciesAsync(
    config: Int32Array,
    sizes: Int32Array,
    params: Float32Array,
    key: Uint32Array,
    tasks: Float32Array,
    returns: Float64Array,
    lengths: Int32Array,
    descriptors: Float32Array,
    scalars: EsRolloutScalars,
    actionStats?: Float32Array,
  ): Promise<void>;
}

/** The scalars of a population rollout. */
export interface EsRolloutScalars {
  /** Hidden activation code (src/nn/activations.ts). */
  hidden: number;
  /** Output activation code. */
  output: number;
  /** Envs (episodes) per member, in [1, 2^20]. */
  envsPerMember: number;
  /** Step cap per episode, in [1, 2^30]. */
  maxSteps: number;
  /** Every member meets the same initial states. */
  commonEnvSeeds: boolean;
}
