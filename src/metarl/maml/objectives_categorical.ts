// The task losses of objectives.ts for the categorical policy (pytorch-maml-rl's
// CategoricalMLPPolicy): logits z = MLP_θ(s), p = softmax(z), log π(a|s) = z_a − logsumexp(z).
// Same losses and weights as the Gaussian path (inner VPG loss, surrogate, mean KL); only the
// output-space derivatives differ:
//   ∂ log π(a)/∂z = e_a − p,   ∂²(−log π(a))/∂z² = diag(p) − ppᵀ  (independent of a),
//   KL(π_old ‖ π_θ) = Σ_j p_old,j (log p_old,j − log p_j), whose z-Hessian is diag(p) − ppᵀ too;
// at θ = θ_old its gradient vanishes, so nn.ggnvp with that output Hessian is the exact Fisher.
// The inner loss's Hessian over θ is one nn R-operator pass (hvpInto) with the same output Hessian.
import { ggnvp } from '../../nn/ggn.js';
import type { Loss } from '../../nn/types.js';
import type { TaskBatch } from './episodes.js';
import type { PolicyObjectives, SurrogateValue } from './objectives.js';
import type { CategoricalPolicy } from './policy.js';

/** p = softmax(z[off .. off + K]) into p[0 .. K] (float64); returns logsumexp(z). */
function softmax(z: ArrayLike<number>, off: number, K: number, p: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < K; j++) m = Math.max(m, z[off + j] as number);
  let s = 0;
  for (let j = 0; j < K; j++) {
    const e = Math.exp((z[off + j] as number) - m);
    p[j] = e;
    s += e;
  }
  for (let j = 0; j < K; j++) p[j] = (p[j] as number) / s;
  return m + Math.log(s);
}

/** out = c · (diag(p) − ppᵀ) u on one row. */
function softmaxHessianRow(
  p: Float64Array,
  u: ArrayLike<number>,
  off: number,
  K: number,
  c: number,
  out: Float32Array,
) {
  let pu = 0;
  for (let j = 0; j < K; j++) pu += (p[j] as number) * (u[off + j] as number);
  for (let j = 0; j < K; j++) out[off + j] = c * (p[j] as number) * ((u[off + j] as number) - pu);
}

/** The categorical task losses of one batch; scratch grows to the largest task. */
export class CategoricalObjectives implements PolicyObjectives {
  private z = new Float32Array(0);
  private readonly p: Float64Array;

  constructor(
    readonly policy: CategoricalPolicy,
    readonly batch: TaskBatch,
  ) {
    this.p = new Float64Array(policy.actions);
  }

  private rows(task: number): { lo: number; n: number } {
    const lo = this.batch.rowStart[task] as number;
    return { lo, n: (this.batch.rowStart[task + 1] as number) - lo };
  }

  private obs(lo: number, n: number): Float32Array {
    const od = this.policy.mlp.inputSize;
    return this.batch.obs.subarray(lo * od, (lo + n) * od);
  }

  private action(k: number): number {
    return this.batch.actions[k] as number;
  }

  /** Logits of the task's rows under θ, into `out` [n × actions]. */
  means(theta: Float32Array, task: number, out?: Float32Array): Float32Array {
    const { lo, n } = this.rows(task);
    const y = out ?? new Float32Array(n * this.policy.actions);
    if (n === 0) return y;
    return this.policy.mlp.forwardInto(theta, this.obs(lo, n), n, y);
  }

  private logits(theta: Float32Array, task: number): Float32Array {
    const { n } = this.rows(task);
    const m = n * this.policy.actions;
    if (this.z.length < m) this.z = new Float32Array(m);
    return this.means(theta, task, this.z.subarray(0, m));
  }

  logProb(theta: Float32Array, task: number, out: Float64Array): void {
    const { lo, n } = this.rows(task);
    if (n === 0) return;
    const K = this.policy.actions;
    const z = this.logits(theta, task);
    for (let r = 0; r < n; r++) out[lo + r] = (z[r * K + this.action(lo + r)] as number) - softmax(z, r * K, K, this.p);
  }

  /** The inner VPG loss −Σ w A log π and its gradient into `grad`. */
  innerGrad(theta: Float32Array, task: number, grad: Float32Array): number {
    const { lo, n } = this.rows(task);
    grad.fill(0);
    if (n === 0) return 0;
    return this.policy.mlp.gradInto(theta, this.obs(lo, n), n, this.innerLoss(lo, n), grad);
  }

  /** ∇²L(θ)·v into `out`. */
  innerHvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void {
    const { lo, n } = this.rows(task);
    out.fill(0);
    if (n === 0) return;
    this.policy.mlp.hvpInto(theta, this.obs(lo, n), n, this.innerLoss(lo, n), v, out);
  }

  private innerLoss(lo: number, n: number): Loss {
    const b = this.batch;
    const K = this.policy.actions;
    const p = this.p;
    const coef = (r: number) => (b.weight[lo + r] as number) * (b.adv[lo + r] as number);
    return {
      name: 'mamlInnerLoss',
      check: () => undefined,
      value: () => Number.NaN,
      grad: (z, _batch, gy) => {
        let value = 0;
        for (let r = 0; r < n; r++) {
          const c = coef(r);
          const a = this.action(lo + r);
          value -= c * ((z[r * K + a] as number) - softmax(z, r * K, K, p));
          for (let j = 0; j < K; j++) gy[r * K + j] = c * ((p[j] as number) - (j === a ? 1 : 0));
        }
        return value;
      },
      hvp: (z, _batch, u, hy) => {
        for (let r = 0; r < n; r++) {
          softmax(z, r * K, K, p);
          softmaxHessianRow(p, u, r * K, K, coef(r), hy);
        }
      },
    };
  }

  surrogate(theta: Float32Array, task: number, clip: number, grad?: Float32Array): SurrogateValue {
    const { lo, n } = this.rows(task);
    grad?.fill(0);
    if (n === 0) return { value: 0, clipFraction: 0 };
    const K = this.policy.actions;
    const b = this.batch;
    const p = this.p;
    const z = this.logits(theta, task);
    const dz = grad ? new Float32Array(n * K) : undefined;
    let value = 0;
    let clipped = 0;
    for (let r = 0; r < n; r++) {
      const a = this.action(lo + r);
      const lp = (z[r * K + a] as number) - softmax(z, r * K, K, p);
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
      if (dz) for (let j = 0; j < K; j++) dz[r * K + j] = c * ((j === a ? 1 : 0) - (p[j] as number));
    }
    if (grad && dz) this.policy.mlp.vjpInto(theta, this.obs(lo, n), n, dz, grad);
    return { value, clipFraction: clipped };
  }

  /** Σ w KL(π_old ‖ π_θ), π_old given by its logits [n × actions] (the tail is unused). */
  kl(theta: Float32Array, task: number, oldOut: Float32Array, _oldTail: Float32Array): number {
    const { lo, n } = this.rows(task);
    if (n === 0) return 0;
    const K = this.policy.actions;
    const z = this.logits(theta, task);
    const p = this.p;
    let kl = 0;
    for (let r = 0; r < n; r++) {
      const lse = softmax(z, r * K, K, p);
      const lseOld = softmax(oldOut, r * K, K, p); // p = p_old
      let k = 0;
      for (let j = 0; j < K; j++) {
        const pj = p[j] as number;
        if (pj > 0) k += pj * ((oldOut[r * K + j] as number) - lseOld - ((z[r * K + j] as number) - lse));
      }
      kl += (this.batch.weight[lo + r] as number) * k;
    }
    return kl;
  }

  /** The Fisher product ∇²K(θ)·v at θ = θ_old, into `out`. */
  fvp(theta: Float32Array, task: number, v: Float32Array, out: Float32Array): void {
    const { lo, n } = this.rows(task);
    out.fill(0);
    if (n === 0) return;
    const K = this.policy.actions;
    const b = this.batch;
    const p = this.p;
    const loss: Loss = {
      name: 'mamlKl',
      check: () => undefined,
      value: () => Number.NaN,
      grad: () => Number.NaN,
      hvp: (z, _batch, u, hy) => {
        for (let r = 0; r < n; r++) {
          softmax(z, r * K, K, p);
          softmaxHessianRow(p, u, r * K, K, b.weight[lo + r] as number, hy);
        }
      },
    };
    ggnvp(this.policy.mlp, theta, this.obs(lo, n), n, loss, v, out);
  }
}
