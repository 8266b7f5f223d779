// The policy distributions TRPO optimizes, written over the actor's outputs ("heads": logits, or
// Gaussian means beside a state-independent log-std vector), all in float64 accumulators:
//   log π(a|s);
//   the surrogate L(θ) = mean_t r_t(θ)·Â_t + entCoef·mean_t H(π_θ(·|s_t)), r_t = π_θ(a_t|s_t)/π_old(a_t|s_t),
//     and its gradient w.r.t. the heads and the log-std (the MLP's VJP carries it to the weights);
//   the mean KL(π_old‖π_θ) over the batch, and the same KL as an nn Loss over the heads, whose
//     output-space Hessian is what nn.ggnvp needs for the Fisher-vector product.
// The formulas are Schulman et al. (2015) §6 and baselines' trpo_mpi (KL with the old distribution
// held fixed; surrogate = mean ratio × advantage).
import type { Loss } from '../../nn/types.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** One batch the surrogate is measured on: actions, the old log-probs and the advantages. */
export interface SurrogateBatch {
  /** Rows. */
  n: number;
  /** Discrete actions [n] or box actions [n × dim]. */
  actions: Int32Array | Float32Array;
  /** log π_old(a_t|s_t) [n]. */
  logpOld: Float64Array;
  /** Advantages [n] (already normalized if wanted). */
  adv: Float64Array;
  entCoef: number;
}

/** What the surrogate reports besides its value. */
export interface SurrogateStats {
  /** mean r·Â + entCoef·mean H (to maximize). */
  value: number;
  /** Mean entropy of π_θ over the batch. */
  entropy: number;
}

/** The distribution family of a policy head: categorical over logits, or diagonal Gaussian. */
export interface PolicyDist {
  /** log π(a_t|s_t) per row into `out` [n]. */
  logProb(
    heads: Float32Array,
    logStd: Float32Array,
    actions: Int32Array | Float32Array,
    n: number,
    out: Float64Array,
  ): void;
  /**
   * The surrogate at heads/logStd; with dHeads (and dLogStd for Gaussians) also its gradient
   * (overwritten) w.r.t. them.
   */
  surrogate(
    heads: Float32Array,
    logStd: Float32Array,
    batch: SurrogateBatch,
    dHeads?: Float32Array,
    dLogStd?: Float32Array,
  ): SurrogateStats;
  /** mean_t KL(π_old(·|s_t) ‖ π(·|s_t)) over n rows. */
  meanKl(oldHeads: Float32Array, oldLogStd: Float32Array, heads: Float32Array, logStd: Float32Array, n: number): number;
  /**
   * The mean KL(π_old‖π) as a loss over the heads (log-std fixed at `logStd`): its output Hessian
   * taken at heads = old heads is the Fisher of the heads, so nn.ggnvp of it is the Fisher-vector
   * product of the actor's weights.
   */
  klLoss(oldHeads: Float32Array, oldLogStd: Float32Array, logStd: Float32Array): Loss;
  /**
   * d²(mean KL)/d(logStd)² at π = π_old (2 per dimension; the mean–log-std cross terms vanish
   * there), or 0 for categorical heads: the Fisher's log-std block is this times the identity.
   */
  readonly logStdFisher: number;
}

// ---- Categorical ---------------------------------------------------------------------------------

/** log-softmax of row `r` of `z` (width k) into `out` (float64); returns nothing. */
function logSoftmax(z: ArrayLike<number>, r: number, k: number, out: Float64Array): void {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k; j++) m = Math.max(m, z[r * k + j] as number);
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp((z[r * k + j] as number) - m);
  const lse = m + Math.log(s);
  for (let j = 0; j < k; j++) out[j] = (z[r * k + j] as number) - lse;
}

/** A categorical policy over `k` logits. */
export function categorical(k: number): PolicyDist {
  const lp = new Float64Array(k);
  const lq = new Float64Array(k);
  const meanKl = (
    oldHeads: Float32Array,
    _oldLogStd: Float32Array,
    heads: ArrayLike<number>,
    _logStd: Float32Array,
    n: number,
  ): number => {
    let kl = 0;
    for (let r = 0; r < n; r++) {
      logSoftmax(oldHeads, r, k, lp);
      logSoftmax(heads, r, k, lq);
      for (let j = 0; j < k; j++) kl += Math.exp(lp[j] as number) * ((lp[j] as number) - (lq[j] as number));
    }
    return kl / n;
  };
  return {
    logStdFisher: 0,

    logProb(heads, _logStd, actions, n, out) {
      for (let r = 0; r < n; r++) {
        logSoftmax(heads, r, k, lp);
        out[r] = lp[actions[r] as number] as number;
      }
    },

    surrogate(heads, _logStd, b, dHeads) {
      let value = 0;
      let entropy = 0;
      const inv = 1 / b.n;
      for (let r = 0; r < b.n; r++) {
        logSoftmax(heads, r, k, lp);
        const a = b.actions[r] as number;
        const ratio = Math.exp((lp[a] as number) - (b.logpOld[r] as number));
        const ra = ratio * (b.adv[r] as number);
        let h = 0;
        for (let j = 0; j < k; j++) h -= Math.exp(lp[j] as number) * (lp[j] as number);
        value += ra;
        entropy += h;
        if (dHeads) {
          // d(r·A)/dz_j = r·A·(δ_ja − p_j); dH/dz_j = −p_j (log p_j + H).
          for (let j = 0; j < k; j++) {
            const p = Math.exp(lp[j] as number);
            const dSurr = ra * ((j === a ? 1 : 0) - p);
            const dEnt = -p * ((lp[j] as number) + h);
            dHeads[r * k + j] = (dSurr + b.entCoef * dEnt) * inv;
          }
        }
      }
      return { value: (value + b.entCoef * entropy) * inv, entropy: entropy * inv };
    },

    meanKl,

    klLoss(oldHeads) {
      return {
        name: 'categoricalKl',
        check(outDim, batch) {
          if (outDim !== k) throw new RangeError(`categoricalKl: the actor has ${outDim} outputs, expected ${k}`);
          if (oldHeads.length !== batch * k)
            throw new RangeError(`categoricalKl: old logits: expected ${batch * k} elements, got ${oldHeads.length}`);
        },
        value(y, batch) {
          return meanKl(oldHeads, EMPTY, y, EMPTY, batch);
        },
        grad(y, batch, out) {
          // d KL(p_old‖softmax(y))/dy = softmax(y) − p_old, averaged over rows.
          let kl = 0;
          for (let r = 0; r < batch; r++) {
            logSoftmax(oldHeads, r, k, lp);
            logSoftmax(y, r, k, lq);
            for (let j = 0; j < k; j++) {
              const po = Math.exp(lp[j] as number);
              kl += po * ((lp[j] as number) - (lq[j] as number));
              out[r * k + j] = (Math.exp(lq[j] as number) - po) / batch;
            }
          }
          return kl / batch;
        },
        hvp(y, batch, v, out) {
          // (diag(p) − p pᵀ) v per row, p = softmax(y): the softmax Hessian, whatever p_old is.
          for (let r = 0; r < batch; r++) {
            logSoftmax(y, r, k, lq);
            let pv = 0;
            for (let j = 0; j < k; j++) pv += Math.exp(lq[j] as number) * (v[r * k + j] as number);
            for (let j = 0; j < k; j++) {
              const p = Math.exp(lq[j] as number);
              out[r * k + j] = (p * ((v[r * k + j] as number) - pv)) / batch;
            }
          }
        },
      };
    },
  };
}

const EMPTY = new Float32Array(0);

// ---- Diagonal Gaussian ---------------------------------------------------------------------------

/** A diagonal Gaussian policy: means from the actor (width `dim`), state-independent log-std. */
export function gaussian(dim: number): PolicyDist {
  const logProbRow = (mu: ArrayLike<number>, logStd: Float32Array, a: Float32Array, r: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const ls = logStd[j] as number;
      const z = ((a[r * dim + j] as number) - (mu[r * dim + j] as number)) * Math.exp(-ls);
      s += -0.5 * z * z - ls - HALF_LOG_2PI;
    }
    return s;
  };
  const klOf = (
    oldHeads: Float32Array,
    oldLogStd: Float32Array,
    heads: ArrayLike<number>,
    logStd: Float32Array,
    n: number,
  ): number => {
    // KL(N(μo, σo²) ‖ N(μ, σ²)) = log σ/σo + (σo² + (μo − μ)²)/(2σ²) − ½ per dimension.
    let kl = 0;
    for (let r = 0; r < n; r++)
      for (let j = 0; j < dim; j++) {
        const ls = logStd[j] as number;
        const lso = oldLogStd[j] as number;
        const d = (oldHeads[r * dim + j] as number) - (heads[r * dim + j] as number);
        kl += ls - lso + (Math.exp(2 * lso) + d * d) / (2 * Math.exp(2 * ls)) - 0.5;
      }
    return kl / n;
  };
  return {
    logStdFisher: 2,

    logProb(heads, logStd, actions, n, out) {
      for (let r = 0; r < n; r++) out[r] = logProbRow(heads, logStd, actions as Float32Array, r);
    },

    surrogate(heads, logStd, b, dHeads, dLogStd) {
      const a = b.actions as Float32Array;
      const inv = 1 / b.n;
      let value = 0;
      let sumLogStd = 0;
      for (let j = 0; j < dim; j++) sumLogStd += logStd[j] as number;
      // H = Σ log σ + dim·(½ + ½ log 2π), the same for every state.
      const entropy = sumLogStd + dim * (0.5 + HALF_LOG_2PI);
      if (dLogStd) dLogStd.fill(0);
      const gLogStd = new Float64Array(dim);
      for (let r = 0; r < b.n; r++) {
        const ratio = Math.exp(logProbRow(heads, logStd, a, r) - (b.logpOld[r] as number));
        const ra = ratio * (b.adv[r] as number);
        value += ra;
        if (!dHeads) continue;
        // d log π/dμ_j = (a − μ)/σ²; d log π/d log σ_j = (a − μ)²/σ² − 1.
        for (let j = 0; j < dim; j++) {
          const iv = Math.exp(-2 * (logStd[j] as number));
          const d = (a[r * dim + j] as number) - (heads[r * dim + j] as number);
          dHeads[r * dim + j] = ra * d * iv * inv;
          gLogStd[j] = (gLogStd[j] as number) + ra * (d * d * iv - 1);
        }
      }
      if (dLogStd) for (let j = 0; j < dim; j++) dLogStd[j] = (gLogStd[j] as number) * inv + b.entCoef;
      return { value: value * inv + b.entCoef * entropy, entropy };
    },

    meanKl: klOf,

    klLoss(oldHeads, oldLogStd, logStd) {
      return {
        name: 'gaussianKl',
        check(outDim, batch) {
          if (outDim !== dim) throw new RangeError(`gaussianKl: the actor has ${outDim} outputs, expected ${dim}`);
          if (oldHeads.length !== batch * dim)
            throw new RangeError(`gaussianKl: old means: expected ${batch * dim} elements, got ${oldHeads.length}`);
        },
        value(y, batch) {
          return klOf(oldHeads, oldLogStd, y, logStd, batch);
        },
        grad(y, batch, out) {
          for (let r = 0; r < batch; r++)
            for (let j = 0; j < dim; j++) {
              const i = r * dim + j;
              out[i] = (((y[i] as number) - (oldHeads[i] as number)) * Math.exp(-2 * (logStd[j] as number))) / batch;
            }
          return klOf(oldHeads, oldLogStd, y, logStd, batch);
        },
        hvp(_y, batch, v, out) {
          // ∂²KL/∂μ² = 1/σ² per dimension, whatever the old distribution.
          for (let r = 0; r < batch; r++)
            for (let j = 0; j < dim; j++) {
              const i = r * dim + j;
              out[i] = ((v[i] as number) * Math.exp(-2 * (logStd[j] as number))) / batch;
            }
        },
      };
    },
  };
}
