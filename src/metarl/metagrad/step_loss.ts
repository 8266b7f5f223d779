// One inner (or outer) loss on a fixed rollout at fixed parameters: the stop-gradient targets
// (critic values, λ-returns, advantages) are computed once at θ and then held constant, as in Xu
// et al.'s update function f, so every product below is an exact derivative of the loss with
// those targets fixed. θ = [actor | critic]; both heads share the inputs [obs | cond].
import { type ParamLossMixed, paramLossMixed } from '../../nn/param_loss.js';
import { ActorLoss, CriticLoss } from './losses.js';
import type { MetaName } from './meta_params.js';
import type { AgentNets } from './nets.js';
import { lambdaReturns } from './returns.js';
import type { Rollout } from './rollout.js';

/** Which raw meta-parameters the loss is differentiated in, and d value / d raw of each. */
export interface MetaSlopes {
  names: readonly MetaName[];
  slopes: readonly number[];
}

/** The loss's coefficients: the inner update's η, or the outer objective's reference η̄. */
export interface LossCoefficients {
  gamma: number;
  lambda: number;
  entropy: number;
  value: number;
}

/** The outer value head's part (Bonnet et al. 2022). */
export interface OuterHeadOptions {
  /** Add the outer critic's TD(λ̄) loss with discount γ̄ and this cost (the inner loss trains it). */
  train?: { gamma: number; lambda: number; cost: number };
  /** Take the policy's advantages from the outer critic (the outer objective does). */
  advantages?: boolean;
}

export class StepLoss {
  readonly rows: number;
  readonly x: Float32Array;
  readonly actorLoss: ActorLoss;
  readonly criticLoss: CriticLoss;
  /** The outer critic's TD loss, when the inner loss trains an outer value head. */
  readonly outerLoss: CriticLoss | undefined;
  /** Critic values v_θ(s_t) the targets were built from (also the baseline of A_t). */
  readonly values: Float32Array;
  private readonly mixA: ParamLossMixed;
  private readonly mixC: ParamLossMixed;
  private readonly jTmp: Float64Array;

  constructor(
    readonly nets: AgentNets,
    theta: Float32Array,
    roll: Rollout,
    coef: LossCoefficients,
    cond: ArrayLike<number>,
    meta: MetaSlopes = { names: [], slopes: [] },
    outer: OuterHeadOptions = {},
  ) {
    const n = roll.steps * roll.envs;
    this.rows = n;
    this.x = nets.inputs(roll.obs, n, cond);
    const lastX = nets.inputs(roll.lastObs, roll.envs, cond);
    const anyTrunc = roll.truncated.some((f) => f === 1);
    const finalX = anyTrunc ? nets.inputs(roll.finalObs, n, cond) : undefined;
    // λ-returns from one critic's values at θ (held fixed from here on)
    const returnsOf = (params: Float32Array, gamma: number, lambda: number) => {
      const values = nets.critic.forward(params, this.x, n);
      const lastValues = nets.critic.forward(params, lastX, roll.envs);
      const finalValues = finalX ? nets.critic.forward(params, finalX, n) : values;
      return { values, ...lambdaReturns({ ...roll, values, lastValues, finalValues }, gamma, lambda) };
    };
    const ret = returnsOf(nets.criticParams(theta), coef.gamma, coef.lambda);
    this.values = ret.values;
    const fromOuter = outer.advantages === true && nets.outerValue;
    const advRet = fromOuter ? returnsOf(nets.outerParams(theta), coef.gamma, coef.lambda) : ret;
    const adv = new Float64Array(n);
    for (let i = 0; i < n; i++) adv[i] = (advRet.g[i] as number) - (advRet.values[i] as number);
    this.outerLoss = undefined;
    if (outer.train && nets.outerValue) {
      const t = outer.train;
      this.outerLoss = new CriticLoss(returnsOf(nets.outerParams(theta), t.gamma, t.lambda).g, t.cost);
    }
    const zeros = new Float64Array(n);
    const dG = meta.names.map((name, j) => {
      const s = meta.slopes[j] as number;
      if (name === 'gamma') return ret.dGamma.map((v) => v * s);
      if (name === 'lambda') return ret.dLambda.map((v) => v * s);
      return zeros;
    });
    const dCoef = (which: MetaName): number[] =>
      meta.names.map((name, j) => (name === which ? (meta.slopes[j] as number) : 0));
    this.actorLoss = new ActorLoss(roll.actions, adv, nets.numActions, coef.entropy, dG, dCoef('entropy'));
    this.criticLoss = new CriticLoss(ret.g, coef.value, dG, dCoef('value'));
    this.mixA = paramLossMixed(nets.actor, this.actorLoss, this.x, n);
    this.mixC = paramLossMixed(nets.critic, this.criticLoss, this.x, n);
    this.jTmp = new Float64Array(meta.names.length);
  }

  /** ∇θ loss into out (length nets.size); returns the loss. */
  grad(theta: Float32Array, out: Float32Array): number {
    const { nets, x, rows } = this;
    const a = nets.actor.gradInto(nets.actorParams(theta), x, rows, this.actorLoss, nets.actorParams(out));
    const c = nets.critic.gradInto(nets.criticParams(theta), x, rows, this.criticLoss, nets.criticParams(out));
    if (!this.outerLoss) {
      nets.outerParams(out).fill(0);
      return a + c;
    }
    return a + c + nets.critic.gradInto(nets.outerParams(theta), x, rows, this.outerLoss, nets.outerParams(out));
  }

  /** ∇²θθ loss · u into out (exact R-operator products; the heads do not interact). */
  hvp(theta: Float32Array, u: Float32Array, out: Float32Array): void {
    const { nets, x, rows } = this;
    nets.actor.hvpInto(nets.actorParams(theta), x, rows, this.actorLoss, nets.actorParams(u), nets.actorParams(out));
    nets.critic.hvpInto(
      nets.criticParams(theta),
      x,
      rows,
      this.criticLoss,
      nets.criticParams(u),
      nets.criticParams(out),
    );
  }

  /** D²_ηθ loss · u (one entry per meta-parameter; the outer head's loss does not depend on η). */
  mixedT(theta: Float32Array, u: Float32Array, out: Float64Array): void {
    const { nets } = this;
    this.mixA.yx(nets.actorParams(theta), nets.actorParams(u), out);
    this.mixC.yx(nets.criticParams(theta), nets.criticParams(u), this.jTmp);
    for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + (this.jTmp[j] as number);
  }

  /** D²_θη loss · w into out (length nets.size). */
  mixed(theta: Float32Array, w: ArrayLike<number>, out: Float32Array): void {
    const { nets } = this;
    this.mixA.xy(nets.actorParams(theta), w, nets.actorParams(out));
    this.mixC.xy(nets.criticParams(theta), w, nets.criticParams(out));
    nets.outerParams(out).fill(0);
  }
}
