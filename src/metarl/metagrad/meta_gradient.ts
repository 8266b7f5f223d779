// Meta-gradients of an outer objective through L inner updates θ_{k+1} = θ_k − P_k ⊙ ∇θℓ_k(θ_k, η)
// (P_k = α for SGD, α/(√ν + ε) for RMSProp with its statistics held constant), in reverse mode:
//   v ← ∂J'/∂θ_L;  for k = L−1 … 0:  w = P_k ⊙ v;  dJ'/dx −= D²_ηθ ℓ_k · w  (+ the α term);
//                                     v ← v − ∇²θθ ℓ_k · w
// which is Xu et al.'s dθ'/dη = (I + ∂f/∂θ) dθ/dη + ∂f/∂η unrolled, with f = −P ⊙ ∇θℓ. The trace
// form of Xu et al. keeps z ← μ z + ∂f/∂η instead (μ = 0: only the last update's direct effect).
// BMG (Flennerhag et al. 2022) replaces ∂J'/∂θ_L by the gradient of a matching loss between θ_L and a
// stop-gradient target θ̃ bootstrapped K + 1 more updates ahead (the last one on the outer loss).

import type { AgentNets } from './nets.js';
import type { Rollout } from './rollout.js';
import { type LossCoefficients, type MetaSlopes, type OuterHeadOptions, StepLoss } from './step_loss.js';

/** A recorded inner update: θ_k, its loss (targets fixed at θ_k), the step multipliers P_k and ∇ℓ_k. */
export interface InnerStep {
  theta: Float32Array;
  loss: StepLoss;
  step: Float32Array;
  grad: Float32Array;
  /** α and its d/d raw for each meta-parameter (0 unless 'lr' is learned). */
  lr: number;
  lrSlopes: readonly number[];
}

/** Step multipliers of one update: SGD (α everywhere) or RMSProp (α/(√ν + ε), ν updated first). */
export interface Preconditioner {
  /** Updates its statistics with grad and writes P into out. */
  multipliers(grad: Float32Array, lr: number, out: Float32Array): void;
}

export const sgd: Preconditioner = {
  multipliers: (_g, lr, out) => {
    out.fill(lr);
  },
};

/** The multipliers of a recorded update, reused as they are (BMG's target steps: no statistics move). */
export function frozen(step: Float32Array): Preconditioner {
  return { multipliers: (_g, _lr, out) => out.set(step) };
}

/** RMSProp's diagonal scaling, used as a constant of each update (no derivative through ν). */
export function rmsprop(size: number, decay: number, eps: number): Preconditioner {
  const nu = new Float32Array(size);
  return {
    multipliers(g, lr, out) {
      for (let i = 0; i < size; i++) {
        const gi = g[i] as number;
        nu[i] = decay * (nu[i] as number) + (1 - decay) * gi * gi;
        out[i] = lr / (Math.sqrt(nu[i] as number) + eps);
      }
    },
  };
}

/** Applies one inner update to theta in place and returns its record. */
export function innerUpdate(
  nets: AgentNets,
  theta: Float32Array,
  roll: Rollout,
  coef: LossCoefficients & { lr: number },
  cond: ArrayLike<number>,
  meta: MetaSlopes,
  pre: Preconditioner,
  outerHead?: OuterHeadOptions['train'],
): InnerStep {
  const loss = new StepLoss(nets, theta, roll, coef, cond, meta, { train: outerHead });
  const grad = new Float32Array(nets.size);
  loss.grad(theta, grad);
  const step = new Float32Array(nets.size);
  pre.multipliers(grad, coef.lr, step);
  const rec: InnerStep = {
    theta: theta.slice(),
    loss,
    step,
    grad,
    lr: coef.lr,
    lrSlopes: meta.names.map((n, j) => (n === 'lr' ? (meta.slopes[j] as number) : 0)),
  };
  for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] as number) - (step[i] as number) * (grad[i] as number);
  return rec;
}

/**
 * dJ/dx for a gradient g = ∂J/∂θ_L after the recorded updates (exact, reverse mode). With
 * `along[k]` = ∂J_k/∂θ_k (k = 1 … L−1) it differentiates J + Σ_k J_k instead: Bonnet et al.'s
 * mixture of the 1 … L-step meta-gradients in one backward pass (weights folded into the gradients).
 */
export function backprop(
  steps: readonly InnerStep[],
  g: Float32Array,
  count: number,
  along: readonly (Float32Array | undefined)[] = [],
): Float64Array {
  const out = new Float64Array(count);
  const v = g.slice();
  const w = new Float32Array(v.length);
  const hw = new Float32Array(v.length);
  const tmp = new Float64Array(count);
  for (let k = steps.length - 1; k >= 0; k--) {
    const s = steps[k] as InnerStep;
    let wg = 0;
    for (let i = 0; i < v.length; i++) {
      w[i] = (s.step[i] as number) * (v[i] as number);
      wg += (w[i] as number) * (s.grad[i] as number);
    }
    s.loss.mixedT(s.theta, w, tmp);
    for (let j = 0; j < count; j++)
      out[j] = (out[j] as number) - (tmp[j] as number) - ((s.lrSlopes[j] as number) / s.lr) * wg;
    if (k === 0) break; // v is not needed past θ_0 (θ_0 does not depend on η)
    s.loss.hvp(s.theta, w, hw);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) - (hw[i] as number);
    const a = along[k];
    if (a) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) + (a[i] as number);
  }
  return out;
}

/** Xu et al.'s accumulated trace z_j ≈ dθ/dx_j: z ← μ z + ∂f/∂x_j after each update. */
export class MetaTrace {
  readonly z: Float32Array[];
  private readonly e: Float64Array;
  private readonly tmp: Float32Array;
  constructor(
    size: number,
    readonly count: number,
    readonly mu: number,
  ) {
    this.z = Array.from({ length: count }, () => new Float32Array(size));
    this.e = new Float64Array(count);
    this.tmp = new Float32Array(size);
  }
  /** Adds the update's ∂f/∂x_j = −P ⊙ D²_θη ℓ e_j − (dα/dx_j / α) P ⊙ ∇ℓ. */
  accumulate(s: InnerStep): void {
    for (let j = 0; j < this.count; j++) {
      this.e.fill(0);
      this.e[j] = 1;
      s.loss.mixed(s.theta, this.e, this.tmp);
      const z = this.z[j] as Float32Array;
      const c = (s.lrSlopes[j] as number) / s.lr;
      for (let i = 0; i < z.length; i++)
        z[i] =
          this.mu * (z[i] as number) - (s.step[i] as number) * ((this.tmp[i] as number) + c * (s.grad[i] as number));
    }
  }
  /** dJ/dx_j ≈ gᵀ z_j. */
  metaGradient(g: Float32Array): Float64Array {
    return Float64Array.from(this.z, (z) => {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += (g[i] as number) * (z[i] as number);
      return s;
    });
  }
}

/**
 * ∇θ of the outer objective J'(τ', θ, η̄): the policy-gradient (+ entropy) loss with reference η̄,
 * its advantages from the outer value head when the agent has one (Bonnet et al. 2022).
 */
export function outerGradient(
  nets: AgentNets,
  theta: Float32Array,
  roll: Rollout,
  ref: LossCoefficients,
  cond: ArrayLike<number>,
  out: Float32Array,
): number {
  return new StepLoss(nets, theta, roll, ref, cond, undefined, { advantages: true }).grad(theta, out);
}

/** How BMG forms and matches its target. */
export interface BmgOptions {
  /** Extra updates K with the learned rule from stop-grad(θ_L), before the final outer-loss step. */
  steps: number;
  /** 'kl': mean KL(π_θ̃ ‖ π_θL) over τ' states; 'l2': ½‖θ̃ − θ_L‖². */
  match: 'kl' | 'l2';
  /** Step size of the final update on the outer loss (SGD; default: the inner α). */
  targetLr?: number;
}

/**
 * The BMG matching gradient ∂μ(θ̃, θ_L)/∂θ_L. The target's K learned updates and its final SGD
 * step on the outer loss all reuse τ' (each with targets recomputed at its own parameters).
 */
export function bmgGradient(
  nets: AgentNets,
  thetaL: Float32Array,
  roll: Rollout,
  coef: LossCoefficients & { lr: number },
  ref: LossCoefficients,
  cond: ArrayLike<number>,
  refCond: ArrayLike<number>,
  opts: BmgOptions,
  pre: Preconditioner,
  out: Float32Array,
  outerHead?: OuterHeadOptions['train'],
): void {
  const target = thetaL.slice();
  const none: MetaSlopes = { names: [], slopes: [] };
  for (let k = 0; k < opts.steps; k++) innerUpdate(nets, target, roll, coef, cond, none, pre, outerHead);
  const g = new Float32Array(nets.size);
  outerGradient(nets, target, roll, ref, refCond, g);
  const c = opts.targetLr ?? coef.lr;
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) - c * (g[i] as number);
  if (opts.match === 'l2') {
    for (let i = 0; i < out.length; i++) out[i] = (thetaL[i] as number) - (target[i] as number);
    return;
  }
  // ∂/∂logits_L of (1/N) Σ KL(p̃ ‖ p_L) = (p_L − p̃)/N per row; the critic is not matched
  const n = roll.steps * roll.envs;
  const k = nets.numActions;
  const x = nets.inputs(roll.obs, n, cond);
  const yL = nets.actor.forward(nets.actorParams(thetaL), x, n);
  const yT = nets.actor.forward(nets.actorParams(target), x, n);
  const dy = new Float32Array(n * k);
  const pL = new Float64Array(k);
  const pT = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    softmax(yL, i, k, pL);
    softmax(yT, i, k, pT);
    for (let a = 0; a < k; a++) dy[i * k + a] = ((pL[a] as number) - (pT[a] as number)) / n;
  }
  out.fill(0);
  nets.actor.vjpInto(nets.actorParams(thetaL), x, n, dy, nets.actorParams(out), null);
}

function softmax(y: Float32Array, i: number, k: number, p: Float64Array): void {
  let m = -Infinity;
  for (let a = 0; a < k; a++) m = Math.max(m, y[i * k + a] as number);
  let s = 0;
  for (let a = 0; a < k; a++) {
    p[a] = Math.exp((y[i * k + a] as number) - m);
    s += p[a] as number;
  }
  for (let a = 0; a < k; a++) p[a] = (p[a] as number) / s;
}
