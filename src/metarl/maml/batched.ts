// The adaptation's Jacobian and the KL Fisher for a whole meta-batch, one kernel call per product
// (mamlGaussianProducts, threaded over tasks natively) instead of one call per task: each task's
// vector is a row of a [T × S] block. Same math as adaptation.ts's per-task forward/back passes
// (J = Π_k (I − α H_k), symmetric per step) and objectives.ts's Fisher; Gaussian policies only
// (the categorical head keeps the per-task path). What does not depend on the vector (the forward
// tape, the inner loss's backward pass) is prepared once per parameter block, when the products
// are built: CG then pays only the tangent and R-operator passes per product.
import { getBackend } from '../../backend/index.js';
import { mamlTapeWidth } from '../../backend/kernels/metarl.js';
import { ACTIVATION_CODES } from '../../nn/activations.js';
import type { TaskBatch } from './episodes.js';
import type { GaussianPolicy } from './policy.js';

// Tapes are large (rows × 2Σwidths floats: 40 MB for a 64-64 policy on 20 × 2000 rows) and made
// every meta-iteration: they are cut from one grow-only arena per policy and role (the inner step,
// the validation Fisher, or a re-prepared copy), reused by the next meta-batch (the previous one is
// dead by then: a meta-iteration runs synchronously), so they are not allocated and collected anew.
// Each arena remembers its current owner: products whose buffers were taken over since (two
// meta-batches alive at once) prepare them again before use, so reuse never changes a result.
interface Arena {
  buf: Float32Array;
  owner: unknown;
}
const arenas = new WeakMap<GaussianPolicy, Map<string, Arena>>();
function arena(policy: GaussianPolicy, role: string, n: number, owner: unknown): Float32Array {
  let m = arenas.get(policy);
  if (!m) {
    m = new Map();
    arenas.set(policy, m);
  }
  let a = m.get(role);
  if (!a || a.buf.length < n) {
    a = { buf: new Float32Array(n), owner };
    m.set(role, a);
  }
  a.owner = owner;
  return a.buf.subarray(0, n);
}
const owns = (policy: GaussianPolicy, role: string, owner: unknown): boolean =>
  arenas.get(policy)?.get(role)?.owner === owner;

/** The batched products over one TaskBatch at fixed per-task parameters [T × S]. */
export class BatchProducts {
  private readonly sizes: Int32Array;
  private readonly scalars: { hidden: number; output: number; tasks: number; mode: 0 | 1 };
  private tape: Float32Array;
  private back: Float32Array | null;
  private readonly out: Float32Array;

  private constructor(
    readonly policy: GaussianPolicy,
    readonly batch: TaskBatch,
    readonly coef: Float64Array,
    readonly params: Float32Array,
    mode: 0 | 1,
    private readonly role: string,
  ) {
    const mlp = policy.mlp;
    this.sizes = Int32Array.from(mlp.sizes);
    this.scalars = {
      hidden: ACTIVATION_CODES[mlp.activation],
      output: ACTIVATION_CODES[mlp.outputActivation],
      tasks: batch.tasks,
      mode,
    };
    this.out = new Float32Array(batch.tasks * policy.size);
    this.tape = this.back = null as unknown as Float32Array;
    this.prepare();
  }

  /** Takes the role's buffers and fills them: the forward tape (and the inner loss's backward cache). */
  private prepare(): void {
    const b = this.batch;
    const n = (b.rowStart[b.tasks] as number) * mamlTapeWidth(this.sizes);
    this.tape = arena(this.policy, `${this.role}:tape`, n, this);
    this.back = this.scalars.mode === 0 ? arena(this.policy, `${this.role}:back`, n, this) : null;
    const { hidden, output, tasks } = this.scalars;
    getBackend().mamlGaussianPrepare(
      this.sizes,
      this.params,
      b.obs,
      b.rowStart,
      b.actions,
      this.coef,
      this.tape,
      this.back,
      {
        hidden,
        output,
        tasks,
      },
    );
  }

  /** H_t · v[t] for every task into a reused buffer [T × S] (overwritten by the next call). */
  apply(v: Float32Array): Float32Array {
    if (!owns(this.policy, `${this.role}:tape`, this)) this.prepare();
    const b = this.batch;
    getBackend().mamlGaussianProducts(
      this.sizes,
      this.params,
      b.obs,
      b.rowStart,
      b.actions,
      this.coef,
      this.tape,
      this.back,
      v,
      this.out,
      this.scalars,
    );
    return this.out;
  }

  /**
   * The inner VPG loss's Hessians at params [T × S]: coef = weight × advantage. Its buffers are
   * `role`'s (e.g. 'inner0'): a later call with the same policy and role reuses them.
   */
  static inner(policy: GaussianPolicy, batch: TaskBatch, params: Float32Array, role: string): BatchProducts {
    const c = new Float64Array(batch.weight.length);
    for (let i = 0; i < c.length; i++) c[i] = (batch.weight[i] as number) * (batch.adv[i] as number);
    return new BatchProducts(policy, batch, c, params, 0, role);
  }

  /** The KL Fisher at π_old = the policies at params [T × S]: coef = weight (buffers as `inner`'s). */
  static fisher(policy: GaussianPolicy, batch: TaskBatch, params: Float32Array, role: string): BatchProducts {
    return new BatchProducts(policy, batch, batch.weight, params, 1, role);
  }
}

/** Rows θ[t] = paths[t][k] as one [T × S] block. */
export function packStep(paths: readonly Float32Array[][], k: number, size: number): Float32Array {
  const p = new Float32Array(paths.length * size);
  for (let t = 0; t < paths.length; t++) p.set((paths[t] as Float32Array[])[k] as Float32Array, t * size);
  return p;
}

/**
 * Applies Π (I − α H_k) to the rows of V in place, steps in `order` (forward: 0 … K−1, back:
 * K−1 … 0), each H_k prepared at that step's parameters.
 */
export function throughAdaptation(
  inner: readonly BatchProducts[],
  lr: number,
  V: Float32Array,
  order: 'forward' | 'back',
): void {
  const K = inner.length;
  for (let j = 0; j < K; j++) {
    const k = order === 'forward' ? j : K - 1 - j;
    const hv = (inner[k] as BatchProducts).apply(V);
    for (let i = 0; i < V.length; i++) V[i] = (V[i] as number) - lr * (hv[i] as number);
  }
}

/**
 * The inner VPG loss's gradient for every task at params [T × S] (rows of the result), in two
 * batched MLP calls (forward, then the VJP; both threaded over tasks natively). Same math as
 * TaskObjectives.innerGrad: ∂ℓ/∂μ = −c(a − μ)e^{−2s}, ∂ℓ/∂s = −c(z² − 1), c = weight × advantage.
 */
export function innerGrads(policy: GaussianPolicy, batch: TaskBatch, params: Float32Array): Float32Array {
  const T = batch.tasks;
  const S = policy.size;
  const P = policy.mlpSize;
  const D = policy.dim;
  const W = new Float32Array(T * P);
  for (let t = 0; t < T; t++) W.set(params.subarray(t * S, t * S + P), t * P);
  const mu = policy.mlp.forwardBatched(W, batch.obs, batch.rowStart);
  const gy = new Float32Array(mu.length);
  const out = new Float32Array(T * S);
  const iv = new Float64Array(D);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) iv[d] = Math.exp(-2 * (params[t * S + P + d] as number));
    const gS = new Float64Array(D);
    for (let r = batch.rowStart[t] as number; r < (batch.rowStart[t + 1] as number); r++) {
      const c = (batch.weight[r] as number) * (batch.adv[r] as number);
      for (let d = 0; d < D; d++) {
        const diff = (batch.actions[r * D + d] as number) - (mu[r * D + d] as number);
        const z2 = diff * diff * (iv[d] as number);
        gy[r * D + d] = -c * diff * (iv[d] as number);
        gS[d] = (gS[d] as number) - c * (z2 - 1);
      }
    }
    for (let d = 0; d < D; d++) out[t * S + P + d] = gS[d] as number;
  }
  const gW = policy.mlp.vjpBatched(W, batch.obs, batch.rowStart, gy);
  for (let t = 0; t < T; t++) out.set(gW.subarray(t * P, (t + 1) * P), t * S);
  return out;
}
