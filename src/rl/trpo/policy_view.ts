// The policy part of an actor-critic parameter vector as TRPO sees it: one packed vector
// [actor weights | log-std] (the critic is fitted separately), with the surrogate gradient and the
// Fisher-vector product of the mean KL w.r.t. it. The actor's part of the product is nn.ggnvp of
// the KL over the heads (exact at θ = θ_old, where the KL's output gradient vanishes); the log-std
// part is the KL's closed-form log-std Hessian, 2·I, with no cross term at θ_old.
import { ggnvp } from '../../nn/ggn.js';
import type { ActorCritic } from '../model.js';
import { categorical, gaussian, type PolicyDist, type SurrogateBatch, type SurrogateStats } from './dist.js';

export class PolicyView {
  /** Actor weights, then log-std entries (0 for categorical policies). */
  readonly actorSize: number;
  readonly logStdSize: number;
  /** Length of the packed vector. */
  readonly size: number;
  readonly dist: PolicyDist;
  private readonly dHeads: Float32Array;

  constructor(
    readonly model: ActorCritic,
    /** Rows of the batches it works on (scratch is sized for it). */
    readonly batch: number,
  ) {
    if (model.critic === undefined)
      throw new RangeError("rl.trpo.train: network: TRPO fits the value function apart, use 'separate'");
    const a = model.spec.action;
    this.actorSize = model.actor.mlp.size;
    this.logStdSize = a.type === 'box' ? a.dim : 0;
    this.size = this.actorSize + this.logStdSize;
    this.dist = a.type === 'box' ? gaussian(a.dim) : categorical(a.n);
    this.dHeads = new Float32Array(batch * model.policyDim);
  }

  /** Copies the policy entries of `params` into `out` [size]. */
  gather(params: Float32Array, out: Float32Array): Float32Array {
    out.set(this.model.actorParams(params), 0);
    out.set(this.model.logStd(params), this.actorSize);
    return out;
  }

  /** Sets the policy entries of `params` to the packed vector `packed`. */
  scatter(params: Float32Array, packed: Float32Array): void {
    this.model.actorParams(params).set(packed.subarray(0, this.actorSize));
    this.model.logStd(params).set(packed.subarray(this.actorSize, this.size));
  }

  /** Sets the policy entries of `params` to base + f·step (packed vectors). */
  setFrom(params: Float32Array, base: Float32Array, step: Float32Array, f: number): void {
    const a = this.model.actorParams(params);
    for (let i = 0; i < this.actorSize; i++) a[i] = (base[i] as number) + f * (step[i] as number);
    const ls = this.model.logStd(params);
    const o = this.actorSize;
    for (let j = 0; j < this.logStdSize; j++) ls[j] = (base[o + j] as number) + f * (step[o + j] as number);
  }

  /** Policy heads of `n` rows of `obs` into `out` [n × policyDim]. */
  heads(params: Float32Array, obs: Float32Array, n: number, out: Float32Array): Float32Array {
    return this.model.actor.mlp.forwardInto(this.model.actorParams(params), obs, n, out);
  }

  /**
   * The surrogate at `params` on `batch` (rows of obs), with its gradient w.r.t. the packed policy
   * vector written into `g` [size].
   */
  gradient(
    params: Float32Array,
    obs: Float32Array,
    batch: SurrogateBatch,
    heads: Float32Array,
    g: Float32Array,
  ): SurrogateStats {
    const m = this.model;
    const n = batch.n;
    this.heads(params, obs, n, heads);
    const dHeads = this.dHeads.subarray(0, n * m.policyDim);
    const gLogStd = g.subarray(this.actorSize, this.size);
    const stats = this.dist.surrogate(heads, m.logStd(params), batch, dHeads, gLogStd);
    m.actor.mlp.vjpInto(m.actorParams(params), obs, n, dHeads, g.subarray(0, this.actorSize));
    return stats;
  }

  /**
   * F·v for the packed vector v: the Hessian of the mean KL(π_old‖π_θ) over `n` rows of obs at
   * θ = θ_old = params (whose heads are `oldHeads`), into `out` [size].
   */
  fvp(
    params: Float32Array,
    obs: Float32Array,
    n: number,
    oldHeads: Float32Array,
    v: Float32Array,
    out: Float32Array,
  ): void {
    const m = this.model;
    const logStd = m.logStd(params);
    const loss = this.dist.klLoss(oldHeads.subarray(0, n * m.policyDim), logStd, logStd);
    const a = this.actorSize;
    ggnvp(m.actor.mlp, m.actorParams(params), obs, n, loss, v.subarray(0, a), out.subarray(0, a));
    const c = this.dist.logStdFisher;
    for (let j = a; j < this.size; j++) out[j] = c * (v[j] as number);
  }
}
