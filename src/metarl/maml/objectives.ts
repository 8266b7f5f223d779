// The losses of one task over the packed Gaussian policy θ = [W | s] (means μ = MLP_W(obs),
// log-std s), with exact first and second derivatives. Per step k of the task, w_k is the
// weighted_mean weight, A_k the normalized advantage, z = (a − μ)e^{−s}:
//   inner (VPG) loss   L(θ) = −Σ_k w_k A_k log π_θ(a_k|s_k)                       (reinforce_loss)
//   outer surrogate    S(θ) = Σ_k w_k ρ_k A_k, ρ_k = π_θ(a_k|s_k)/π_old(a_k|s_k)   (surrogate_loss,
//                      maximized; with a clip ε, PPO's Σ w min(ρA, clip(ρ, 1±ε)A))
//   mean KL            K(θ) = Σ_k w_k KL(π_old(·|s_k) ‖ π_θ(·|s_k))
// log π = Σ_d −½z_d² − s_d − ½log 2π, so ∂/∂μ = (a − μ)e^{−2s}, ∂/∂s = z² − 1, ∂²/∂μ² = −e^{−2s},
// ∂²/∂μ∂s = −2(a − μ)e^{−2s}, ∂²/∂s² = −2z². The inner loss's Hessian-vector product over (W, s)
// is one nn R-operator pass: its output-space product is handed the cross term ℓ_μs·v_s, and the
// s-block (ℓ_sμ·J v_W + ℓ_ss·v_s) is read off the same pass's output tangent J v_W. The KL's
// Hessian at θ = θ_old is the Fisher: nn.ggnvp with w e^{−2s} per mean, 2·Σw on the log-std.
import { ggnvp } from '../../nn/ggn.js';
import type { Loss } from '../../nn/types.js';
import type { TaskBatch } from './episodes.js';
import { CategoricalObjectives } from './objectives_categorical.js';
import type { GaussianPolicy, Policy } from './policy.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** What the surrogate evaluation reports. */
export interface SurrogateValue {
  /** S(θ) (clipped when asked). */
  value: number;
  /** Fraction of the weight whose ratio was clipped (0 without a clip). */
  clipFraction: number;
}

/**
 * The task losses of one batch over a policy head, with their exact derivatives; the adaptation
 * and the outer loops read only this. `means` gives the MLP's outputs (Gaussian means or
 * categorical logits) and `kl` takes π_old as those outputs plus the packed vector's tail
 * (the log-std; empty for a categorical policy).
 */
export interface PolicyObjectives {
  readonly batch: TaskBatch;
  means(theta: Float32Array, task: number, out?: Float32Array): Float32Array;
  logProb(theta: Float32Array, task: number, out: Float64Array): void;
  innerGrad(theta: Float32Array, task: number, grad: Float32Array): number;
  innerHvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void;
  surrogate(theta: Float32Array, task: number, clip: number, grad?: Float32Array): SurrogateValue;
  kl(theta: Float32Array, task: number, oldOut: Float32Array, oldTail: Float32Array): number;
  fvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void;
}

/** The objectives of `batch` for the policy's distribution. */
export function taskObjectives(policy: Policy, batch: TaskBatch): PolicyObjectives {
  return policy.kind === 'categorical' ? new CategoricalObjectives(policy, batch) : new TaskObjectives(policy, batch);
}

/** The task losses of one batch under the Gaussian policy; scratch grows to the largest task. */
export class TaskObjectives implements PolicyObjectives {
  private mu = new Float32Array(0);
  private dMu = new Float32Array(0);

  constructor(
    readonly policy: GaussianPolicy,
    readonly batch: TaskBatch,
  ) {}

  private rows(task: number): { lo: number; n: number } {
    const lo = this.batch.rowStart[task] as number;
    return { lo, n: (this.batch.rowStart[task + 1] as number) - lo };
  }

  private scratch(n: number): { mu: Float32Array; dMu: Float32Array } {
    const m = n * this.policy.dim;
    if (this.mu.length < m) {
      this.mu = new Float32Array(m);
      this.dMu = new Float32Array(m);
    }
    return { mu: this.mu.subarray(0, m), dMu: this.dMu.subarray(0, m) };
  }

  private obs(lo: number, n: number): Float32Array {
    const od = this.policy.mlp.inputSize;
    return this.batch.obs.subarray(lo * od, (lo + n) * od);
  }

  /** Means of the task's rows under θ, into `out` [n × dim]. */
  means(theta: Float32Array, task: number, out?: Float32Array): Float32Array {
    const { lo, n } = this.rows(task);
    const p = this.policy;
    const y = out ?? new Float32Array(n * p.dim);
    if (n === 0) return y;
    return p.mlp.forwardInto(theta.subarray(0, p.mlpSize), this.obs(lo, n), n, y);
  }

  /** log π_θ(a_k|s_k) of the task's rows into `out` (rows of the whole batch). */
  logProb(theta: Float32Array, task: number, out: Float64Array): void {
    const { lo, n } = this.rows(task);
    if (n === 0) return;
    const { mu } = this.scratch(n);
    this.means(theta, task, mu);
    const D = this.policy.dim;
    const s = theta.subarray(this.policy.mlpSize);
    const a = this.batch.actions;
    for (let r = 0; r < n; r++) {
      let lp = 0;
      for (let d = 0; d < D; d++) {
        const ls = s[d] as number;
        const z = ((a[(lo + r) * D + d] as number) - (mu[r * D + d] as number)) * Math.exp(-ls);
        lp += -0.5 * z * z - ls - HALF_LOG_2PI;
      }
      out[lo + r] = lp;
    }
  }

  /** The inner loss L(θ); its gradient into `grad` [size] when given. */
  innerGrad(theta: Float32Array, task: number, grad: Float32Array): number {
    const { lo, n } = this.rows(task);
    grad.fill(0);
    if (n === 0) return 0;
    const p = this.policy;
    const D = p.dim;
    const s = theta.subarray(p.mlpSize);
    const b = this.batch;
    const gS = new Float64Array(D);
    let value = 0;
    const loss: Loss = {
      name: 'mamlInnerLoss',
      check: () => undefined,
      value: () => Number.NaN,
      grad: (mu, _batch, gy) => {
        for (let r = 0; r < n; r++) {
          const c = (b.weight[lo + r] as number) * (b.adv[lo + r] as number);
          for (let d = 0; d < D; d++) {
            const iv = Math.exp(-2 * (s[d] as number));
            const diff = (b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number);
            const z2 = diff * diff * iv;
            value -= c * (-0.5 * z2 - (s[d] as number) - HALF_LOG_2PI);
            gy[r * D + d] = -c * diff * iv;
            gS[d] = (gS[d] as number) - c * (z2 - 1);
          }
        }
        return value;
      },
    };
    p.mlp.gradInto(theta.subarray(0, p.mlpSize), this.obs(lo, n), n, loss, grad.subarray(0, p.mlpSize));
    for (let d = 0; d < D; d++) grad[p.mlpSize + d] = gS[d] as number;
    return value;
  }

  /** ∇²L(θ)·v for the packed v, into `out` [size]. */
  innerHvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void {
    const { lo, n } = this.rows(task);
    out.fill(0);
    if (n === 0) return;
    const p = this.policy;
    const D = p.dim;
    const P = p.mlpSize;
    const s = theta.subarray(P);
    const vS = v.subarray(P);
    const b = this.batch;
    const hS = new Float64Array(D);
    const loss: Loss = {
      name: 'mamlInnerLoss',
      check: () => undefined,
      value: () => Number.NaN,
      grad: (mu, _batch, gy) => {
        for (let r = 0; r < n; r++) {
          const c = (b.weight[lo + r] as number) * (b.adv[lo + r] as number);
          for (let d = 0; d < D; d++) {
            const iv = Math.exp(-2 * (s[d] as number));
            gy[r * D + d] = -c * ((b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number)) * iv;
          }
        }
        return 0;
      },
      hvp: (mu, _batch, muDot, hy) => {
        for (let r = 0; r < n; r++) {
          const c = (b.weight[lo + r] as number) * (b.adv[lo + r] as number);
          for (let d = 0; d < D; d++) {
            const iv = Math.exp(-2 * (s[d] as number));
            const diff = (b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number);
            const lMuS = 2 * c * diff * iv; // ∂²ℓ/∂μ∂s
            const u = muDot[r * D + d] as number;
            hy[r * D + d] = c * iv * u + lMuS * (vS[d] as number);
            hS[d] = (hS[d] as number) + lMuS * u + 2 * c * diff * diff * iv * (vS[d] as number);
          }
        }
      },
    };
    p.mlp.hvpInto(theta.subarray(0, P), this.obs(lo, n), n, loss, v.subarray(0, P), out.subarray(0, P));
    for (let d = 0; d < D; d++) out[P + d] = hS[d] as number;
  }

  /**
   * The surrogate S(θ) against the batch's logpOld (clipped at 1 ± clip when clip > 0); its
   * gradient w.r.t. θ into `grad` when given.
   */
  surrogate(theta: Float32Array, task: number, clip: number, grad?: Float32Array): SurrogateValue {
    const { lo, n } = this.rows(task);
    grad?.fill(0);
    if (n === 0) return { value: 0, clipFraction: 0 };
    const p = this.policy;
    const D = p.dim;
    const P = p.mlpSize;
    const s = theta.subarray(P);
    const b = this.batch;
    const { mu, dMu } = this.scratch(n);
    this.means(theta, task, mu);
    const gS = new Float64Array(D);
    let value = 0;
    let clipped = 0;
    for (let r = 0; r < n; r++) {
      let lp = 0;
      for (let d = 0; d < D; d++) {
        const ls = s[d] as number;
        const z = ((b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number)) * Math.exp(-ls);
        lp += -0.5 * z * z - ls - HALF_LOG_2PI;
      }
      const w = b.weight[lo + r] as number;
      const A = b.adv[lo + r] as number;
      const ratio = Math.exp(lp - (b.logpOld[lo + r] as number));
      let c = w * ratio * A; // d(w ρ A)/d log π
      if (clip > 0) {
        const rc = Math.min(Math.max(ratio, 1 - clip), 1 + clip);
        if (rc * A < ratio * A) {
          value += w * rc * A;
          clipped += w;
          c = 0;
        } else value += w * ratio * A;
      } else value += w * ratio * A;
      if (!grad) continue;
      for (let d = 0; d < D; d++) {
        const iv = Math.exp(-2 * (s[d] as number));
        const diff = (b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number);
        dMu[r * D + d] = c * diff * iv;
        gS[d] = (gS[d] as number) + c * (diff * diff * iv - 1);
      }
    }
    if (grad) {
      p.mlp.vjpInto(theta.subarray(0, P), this.obs(lo, n), n, dMu, grad.subarray(0, P));
      for (let d = 0; d < D; d++) grad[P + d] = gS[d] as number;
    }
    return { value, clipFraction: clipped };
  }

  /** K(θ) = Σ w KL(π_old ‖ π_θ), π_old given by its means [n × dim] and log-std. */
  kl(theta: Float32Array, task: number, oldMu: Float32Array, oldS: Float32Array): number {
    const { lo, n } = this.rows(task);
    if (n === 0) return 0;
    const p = this.policy;
    const D = p.dim;
    const s = theta.subarray(p.mlpSize);
    const { mu } = this.scratch(n);
    this.means(theta, task, mu);
    let kl = 0;
    for (let r = 0; r < n; r++) {
      let k = 0;
      for (let d = 0; d < D; d++) {
        const ls = s[d] as number;
        const lso = oldS[d] as number;
        const diff = (oldMu[r * D + d] as number) - (mu[r * D + d] as number);
        k += ls - lso + (Math.exp(2 * lso) + diff * diff) / (2 * Math.exp(2 * ls)) - 0.5;
      }
      kl += (this.batch.weight[lo + r] as number) * k;
    }
    return kl;
  }

  /** The Fisher product ∇²K(θ)·v at θ = θ_old (the Hessian of the mean KL there), into `out`. */
  fvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void {
    const { lo, n } = this.rows(task);
    out.fill(0);
    if (n === 0) return;
    const p = this.policy;
    const D = p.dim;
    const P = p.mlpSize;
    const s = theta.subarray(P);
    const b = this.batch;
    let wsum = 0;
    for (let r = 0; r < n; r++) wsum += b.weight[lo + r] as number;
    const loss: Loss = {
      name: 'mamlKl',
      check: () => undefined,
      value: () => Number.NaN,
      grad: () => Number.NaN,
      hvp: (_mu, _batch, u, hy) => {
        for (let r = 0; r < n; r++) {
          const w = b.weight[lo + r] as number;
          for (let d = 0; d < D; d++) hy[r * D + d] = w * Math.exp(-2 * (s[d] as number)) * (u[r * D + d] as number);
        }
      },
    };
    ggnvp(p.mlp, theta.subarray(0, P), this.obs(lo, n), n, loss, v.subarray(0, P), out.subarray(0, P));
    for (let d = 0; d < D; d++) out[P + d] = 2 * wsum * (v[P + d] as number);
  }
}
