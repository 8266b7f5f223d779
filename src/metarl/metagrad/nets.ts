// The agent's networks: a separate actor (logits) and critic (value) MLP over [obs | cond], where
// cond holds the learned meta-parameter values when the agent is η-conditioned (Xu et al. 2018:
// policy and value see η, so they can follow it as it moves); θ = [actor | critic] exactly as
// rl.Policy lays out a 'separate' actor-critic, so a trained agent exports as an rl.Policy with
// the final η folded into the first-layer biases. With an outer value head (Bonnet et al. 2022)
// θ = [actor | critic | outer critic]: a second critic of the same shape, trained on the reference
// discount, whose values the outer objective's advantages use; the exported policy leaves it out.
import type { Mlp } from '../../nn/types.js';
import type * as random from '../../random/index.js';
import { ActorCritic } from '../../rl/model.js';
import { Policy, type PolicyInfo } from '../../rl/policy.js';

export class AgentNets {
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly inDim: number;
  readonly actorSize: number;
  /** End of [actor | critic]: where the outer critic starts when there is one. */
  readonly innerSize: number;
  readonly size: number;
  private readonly ac: ActorCritic;
  constructor(
    readonly obsDim: number,
    readonly numActions: number,
    readonly hidden: readonly number[],
    readonly condDim: number,
    /** Keep a second critic for the outer objective (Bonnet et al. 2022). */
    readonly outerValue = false,
  ) {
    this.inDim = obsDim + condDim;
    this.ac = new ActorCritic({
      obsDim: this.inDim,
      action: { type: 'discrete', n: numActions },
      hidden,
      activation: 'tanh',
      network: 'separate',
    });
    this.actor = this.ac.actor.mlp;
    this.critic = (this.ac.critic as { mlp: Mlp }).mlp;
    this.actorSize = this.actor.size;
    this.innerSize = this.ac.size;
    this.size = this.innerSize + (outerValue ? this.critic.size : 0);
  }

  /** CleanRL's initialization (orthogonal; policy head gain 0.01). */
  init(key: random.Key): Float32Array {
    const theta = new Float32Array(this.size);
    theta.set(this.ac.init(key));
    // the outer head starts as a copy of the critic (the same function until the discounts differ)
    if (this.outerValue) theta.set(this.criticParams(theta), this.innerSize);
    return theta;
  }

  actorParams(theta: Float32Array): Float32Array {
    return theta.subarray(0, this.actorSize);
  }
  criticParams(theta: Float32Array): Float32Array {
    return theta.subarray(this.actorSize, this.innerSize);
  }
  /** The outer critic's parameters (empty without an outer value head). */
  outerParams(theta: Float32Array): Float32Array {
    return theta.subarray(this.innerSize, this.size);
  }

  /** Network inputs [rows × inDim]: each observation row followed by `cond`. */
  inputs(obs: Float32Array, rows: number, cond: ArrayLike<number>): Float32Array {
    if (this.condDim === 0) return obs.length === rows * this.obsDim ? obs : obs.subarray(0, rows * this.obsDim);
    const x = new Float32Array(rows * this.inDim);
    for (let r = 0; r < rows; r++) {
      x.set(obs.subarray(r * this.obsDim, (r + 1) * this.obsDim), r * this.inDim);
      for (let j = 0; j < this.condDim; j++) x[r * this.inDim + this.obsDim + j] = cond[j] as number;
    }
    return x;
  }

  /** An rl.Policy over raw observations: the cond inputs' weights times `cond` join the first biases. */
  toPolicy(theta: Float32Array, cond: ArrayLike<number>, info: PolicyInfo): Policy {
    const spec = {
      obsDim: this.obsDim,
      action: { type: 'discrete' as const, n: this.numActions },
      hidden: [...this.hidden],
      activation: 'tanh' as const,
      network: 'separate' as const,
    };
    const out = new ActorCritic(spec);
    const params = new Float32Array(out.size);
    const fold = (net: Mlp, src: Float32Array, dst: Float32Array): void => {
      const w = net.layout.find((s) => s.name === 'dense0.w');
      const b = net.layout.find((s) => s.name === 'dense0.b');
      if (!w || !b) throw new Error('metaGradient: unexpected network layout');
      const width = w.shape[1] as number;
      const rest = w.offset + this.inDim * width;
      // first-layer weights of the observation rows, then biases + Σ_j cond_j W[obsDim + j, :]
      dst.set(src.subarray(w.offset, w.offset + this.obsDim * width), 0);
      for (let c = 0; c < width; c++) {
        let s = src[b.offset + c] as number;
        for (let j = 0; j < this.condDim; j++)
          s += (cond[j] as number) * (src[w.offset + (this.obsDim + j) * width + c] as number);
        dst[this.obsDim * width + c] = s;
      }
      // the rest of the network follows dense0.b unchanged
      dst.set(src.subarray(b.offset + width), this.obsDim * width + width);
      if (rest !== b.offset) throw new Error('metaGradient: unexpected network layout');
    };
    fold(this.actor, this.actorParams(theta), params.subarray(0, out.actor.mlp.size));
    fold(this.critic, this.criticParams(theta), params.subarray(out.actor.mlp.size));
    return new Policy(spec, params, info);
  }
}
