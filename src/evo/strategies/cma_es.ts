// CMA-ES (Hansen 2016 tutorial, positive weights) and sep-CMA-ES (Ros & Hansen 2008: diagonal
// covariance, c1 and cμ scaled by (d + 2)/3). Internals are float64; members are rounded to
// float32 only in the population handed out. Per generation, with y_i = (x_i − m)/σ ~ N(0, C):
//   y_w = Σ_{k<μ} w_k y_{k:λ};  m ← m + σ y_w
//   p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ)μ_eff) C^{−1/2} y_w
//   p_c ← (1 − c_c) p_c + h_σ √(c_c(2 − c_c)μ_eff) y_w
//   C ← (1 − c1 − cμ) C + c1 (p_c p_cᵀ + δ(h_σ) C) + cμ Σ w_k y_{k:λ} y_{k:λ}ᵀ
//   σ ← σ exp((c_σ/d_σ)(‖p_σ‖/E‖N‖ − 1))
import { normal as randomNormal } from '../../random/index.js';
import { checkRange } from '../../util/check.js';
import { symmetricEigen } from '../../util/eigen.js';
import { checkOptions, checkPopSize, commonOptions, sortByLoss } from '../common.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Population, Strategy, StrategyState } from '../types.js';
import { type CmaParams, cmaParams, cmaPopSize } from './cma_params.js';

export interface CmaEsOptions extends CommonOptions {
  /** λ, default 4 + ⌊3 ln d⌋ (fixed at the first init when not given). */
  popSize?: number;
  /** Initial step size σ, default 0.5. */
  sigma?: number;
}

export interface CmaEsState extends StrategyState {
  readonly mean: Float64Array;
  readonly sigma: number;
  readonly ps: Float64Array;
  readonly pc: Float64Array;
  /** Covariance: d×d row-major (full) or its diagonal (sep). */
  readonly C: Float64Array;
  /** Eigenvectors of C as columns (full only; identity for sep). */
  readonly B: Float64Array;
  /** Square roots of C's eigenvalues (the axis lengths). */
  readonly D: Float64Array;
  /** Generation of the last eigendecomposition. */
  readonly eigenGeneration: number;
  readonly params: CmaParams;
}

export interface CmaEsPopulation extends Population {
  /** y_i = (x_i − m)/σ before float32 rounding [λ × d], float64. */
  readonly y: Float64Array;
}

const KEYS = ['sigma'] as const;
const MAX_FULL_DIM = 8192;

function cma(options: CmaEsOptions, separable: boolean): Strategy<CmaEsState, CmaEsPopulation> {
  const name = separable ? 'sepCmaEs' : 'cmaEs';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  if (options.popSize !== undefined) checkPopSize(options.popSize, name);
  const sigma0 = options.sigma ?? 0.5;
  checkRange(sigma0, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);

  return defineStrategy<CmaEsState, CmaEsPopulation>({
    name,
    common,
    popSize: (d) => options.popSize ?? cmaPopSize(d),
    dim: (state) => state.mean.length,
    init(_key, mean32, lambda) {
      const d = mean32.length;
      // The full covariance and its eigenvectors are two float64 d × d matrices; past this they
      // would not fit a typed array (and one eigendecomposition would take hours).
      if (!separable && d > MAX_FULL_DIM)
        throw new RangeError(
          `${name}: x0: dimension ${d} is too large for a full covariance (at most ${MAX_FULL_DIM}); use sepCmaEs`,
        );
      if (lambda < 4) throw new RangeError(`${name}: popSize: expected at least 4 (μ = λ/2 ≥ 2), got ${lambda}`);
      const C = new Float64Array(separable ? d : d * d);
      const B = new Float64Array(separable ? 0 : d * d);
      for (let i = 0; i < d; i++) {
        if (separable) C[i] = 1;
        else {
          C[i * d + i] = 1;
          B[i * d + i] = 1;
        }
      }
      return {
        mean: Float64Array.from(mean32),
        sigma: sigma0,
        ps: new Float64Array(d),
        pc: new Float64Array(d),
        C,
        B,
        D: new Float64Array(d).fill(1),
        eigenGeneration: 0,
        params: cmaParams(d, lambda, separable),
      };
    },
    ask({ state, key, popSize: lambda, dim: d }) {
      const z = randomNormal(key, lambda * d);
      const y = new Float64Array(lambda * d);
      const x = new Float32Array(lambda * d);
      const dz = new Float64Array(d);
      for (let i = 0; i < lambda; i++) {
        const o = i * d;
        for (let j = 0; j < d; j++) dz[j] = (state.D[j] as number) * (z[o + j] as number);
        for (let r = 0; r < d; r++) {
          let v = 0;
          if (separable) v = dz[r] as number;
          else for (let c = 0; c < d; c++) v += (state.B[r * d + c] as number) * (dz[c] as number);
          y[o + r] = v;
          x[o + r] = (state.mean[r] as number) + state.sigma * v;
        }
      }
      return { x, popSize: lambda, dim: d, y };
    },
    missing: ({ pop, popSize, dim }) =>
      pop.y instanceof Float64Array && pop.y.length === popSize * dim ? undefined : 'y',
    tell({ state, pop, dim: d }, losses) {
      const p = state.params;
      const order = sortByLoss(losses);
      const y = pop.y;
      const yw = new Float64Array(d);
      for (let k = 0; k < p.mu; k++) {
        const w = p.weights[k] as number;
        const o = (order[k] as number) * d;
        for (let j = 0; j < d; j++) yw[j] = (yw[j] as number) + w * (y[o + j] as number);
      }
      const mean = new Float64Array(d);
      for (let j = 0; j < d; j++) mean[j] = (state.mean[j] as number) + state.sigma * (yw[j] as number);

      // C^{-1/2} y_w = B D^{-1} Bᵀ y_w
      const invSqrtCyw = new Float64Array(d);
      if (separable) for (let j = 0; j < d; j++) invSqrtCyw[j] = (yw[j] as number) / (state.D[j] as number);
      else {
        const t = new Float64Array(d);
        for (let c = 0; c < d; c++) {
          let v = 0;
          for (let r = 0; r < d; r++) v += (state.B[r * d + c] as number) * (yw[r] as number);
          t[c] = v / (state.D[c] as number);
        }
        for (let r = 0; r < d; r++) {
          let v = 0;
          for (let c = 0; c < d; c++) v += (state.B[r * d + c] as number) * (t[c] as number);
          invSqrtCyw[r] = v;
        }
      }
      const g = state.generation + 1;
      const ps = new Float64Array(d);
      const csn = Math.sqrt(p.cSigma * (2 - p.cSigma) * p.muEff);
      let psNorm2 = 0;
      for (let j = 0; j < d; j++) {
        ps[j] = (1 - p.cSigma) * (state.ps[j] as number) + csn * (invSqrtCyw[j] as number);
        psNorm2 += (ps[j] as number) ** 2;
      }
      const psNorm = Math.sqrt(psNorm2);
      const hSigma = psNorm / Math.sqrt(1 - (1 - p.cSigma) ** (2 * g)) / p.chiN < 1.4 + 2 / (d + 1) ? 1 : 0;
      const pc = new Float64Array(d);
      const ccn = hSigma * Math.sqrt(p.cc * (2 - p.cc) * p.muEff);
      for (let j = 0; j < d; j++) pc[j] = (1 - p.cc) * (state.pc[j] as number) + ccn * (yw[j] as number);
      const deltaH = (1 - hSigma) * p.cc * (2 - p.cc);
      const decay = 1 - p.c1 - p.cMu + p.c1 * deltaH;
      const C = new Float64Array(state.C.length);
      if (separable) {
        for (let j = 0; j < d; j++) {
          let rankMu = 0;
          for (let k = 0; k < p.mu; k++)
            rankMu += (p.weights[k] as number) * (y[(order[k] as number) * d + j] as number) ** 2;
          C[j] = decay * (state.C[j] as number) + p.c1 * (pc[j] as number) ** 2 + p.cMu * rankMu;
        }
      } else {
        for (let r = 0; r < d; r++)
          for (let c = r; c < d; c++) {
            let rankMu = 0;
            for (let k = 0; k < p.mu; k++) {
              const o = (order[k] as number) * d;
              rankMu += (p.weights[k] as number) * (y[o + r] as number) * (y[o + c] as number);
            }
            const v =
              decay * (state.C[r * d + c] as number) + p.c1 * (pc[r] as number) * (pc[c] as number) + p.cMu * rankMu;
            C[r * d + c] = v;
            C[c * d + r] = v;
          }
      }
      const sigma = state.sigma * Math.exp((p.cSigma / p.dSigma) * (psNorm / p.chiN - 1));
      let { B, D, eigenGeneration } = state;
      if (separable) {
        D = new Float64Array(d);
        for (let j = 0; j < d; j++) D[j] = Math.sqrt(Math.max(C[j] as number, 1e-300));
      } else if (g - eigenGeneration > p.lambda / ((p.c1 + p.cMu) * d * 10)) {
        const values = new Float64Array(d);
        B = new Float64Array(d * d);
        symmetricEigen(C, d, values, B);
        D = new Float64Array(d);
        for (let j = 0; j < d; j++) D[j] = Math.sqrt(Math.max(values[j] as number, 1e-300));
        eigenGeneration = g;
      }
      return { mean, sigma, ps, pc, C, B, D, eigenGeneration };
    },
    center: (state) => Float32Array.from(state.mean),
  });
}

/** Full-covariance CMA-ES with explicit state (O(d²) per member: for dimensions up to a few hundred). */
export function cmaEs(options: CmaEsOptions = {}): Strategy<CmaEsState, CmaEsPopulation> {
  return cma(options, false);
}

/** Separable (diagonal) CMA-ES with explicit state: O(d) per member. */
export function sepCmaEs(options: CmaEsOptions = {}): Strategy<CmaEsState, CmaEsPopulation> {
  return cma(options, true);
}
