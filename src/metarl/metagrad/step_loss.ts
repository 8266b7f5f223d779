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

export class StepLoss {
  readonly rows: number;
  readonly x: Float32Array;
  readonly actorLoss: ActorLoss;
  readonly criticLoss: CriticLoss;
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
  ) {
    const n = roll.steps * roll.envs;
    this.rows = n;
    const thetaC = nets.criticParams(theta);
    this.x = nets.inputs(roll.obs, n, cond);
    this.values = nets.critic.forward(thetaC, this.x, n);
    const lastValues = nets.critic.forward(thetaC, nets.inputs(roll.lastObs, roll.envs, cond), roll.envs);
    const anyTrunc = roll.truncated.some((f) => f === 1);
    const finalValues = anyTrunc ? nets.critic.forward(thetaC, nets.inputs(roll.finalObs, n, cond), n) : this.values;
    const ret = lambdaReturns({ ...roll, values: this.values, lastValues, finalValues }, coef.gamma, coef.lambda);
    const adv = new Float64Array(n);
    for (let i = 0; i < n; i++) adv[i] = (ret.g[i] as number) - (this.values[i] as number);
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
    return a + c;
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

  /** D²_ηθ loss · u (one entry per meta-parameter). */
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
  }
}
