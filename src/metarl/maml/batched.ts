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

/** The batched products over one TaskBatch at fixed per-task parameters [T × S]. */
export class BatchProducts {
  private readonly sizes: Int32Array;
  private readonly scalars: { hidden: number; output: number; tasks: number; mode: 0 | 1 };
  private readonly tape: Float32Array;
  private readonly back: Float32Array | null;
  private readonly out: Float32Array;

  private constructor(
    readonly policy: GaussianPolicy,
    readonly batch: TaskBatch,
    readonly coef: Float64Array,
    readonly params: Float32Array,
    mode: 0 | 1,
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
    const rows = batch.rowStart[batch.tasks] as number;
    this.tape = new Float32Array(rows * mamlTapeWidth(this.sizes));
    this.back = mode === 0 ? new Float32Array(this.tape.length) : null;
    const b = batch;
    getBackend().mamlGaussianPrepare(this.sizes, params, b.obs, b.rowStart, b.actions, coef, this.tape, this.back, {
      hidden: this.scalars.hidden,
      output: this.scalars.output,
      tasks: batch.tasks,
    });
  }

  /** H_t · v[t] for every task into a reused buffer [T × S] (overwritten by the next call). */
  apply(v: Float32Array): Float32Array {
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

  /** The inner VPG loss's Hessians at params [T × S]: coef = weight × advantage. */
  static inner(policy: GaussianPolicy, batch: TaskBatch, params: Float32Array): BatchProducts {
    const c = new Float64Array(batch.weight.length);
    for (let i = 0; i < c.length; i++) c[i] = (batch.weight[i] as number) * (batch.adv[i] as number);
    return new BatchProducts(policy, batch, c, params, 0);
  }

  /** The KL Fisher at π_old = the policies at params [T × S]: coef = weight. */
  static fisher(policy: GaussianPolicy, batch: TaskBatch, params: Float32Array): BatchProducts {
    return new BatchProducts(policy, batch, batch.weight, params, 1);
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
