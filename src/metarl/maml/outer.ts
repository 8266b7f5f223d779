// The outer updates on a meta-batch's objective.
//   MAML-TRPO (Finn et al. 2017 §5.3; pytorch-maml-rl's MAMLTRPO): g = the meta-gradient of the
//     task-mean surrogate, the natural step by CG on the KL's Hessian through the adaptation
//     (rl/trpo/step's naturalStep, shared with rl.trpo), then the same backtracking line search,
//     each trial re-adapting from θ_old + f·Δ on the fixed inner batches and measuring the
//     surrogate gain and the mean KL of the adapted policies.
//   ProMP-style PPO (Rothfuss et al. 2019, without its inner KL penalty): epochs of Adam steps on
//     the clipped surrogate of the adapted policies, its meta-gradient taken through the
//     adaptation (re-adapted every epoch).
import type { Optimizer, OptState } from '../../optim/types.js';
import { backtrack, naturalStep } from '../../rl/trpo/step.js';
import type { MetaBatch } from './meta_batch.js';

/** What an outer update reports. */
export interface OuterStats {
  /** Mean KL between the old and new adapted policies after the update. */
  kl: number;
  /** Surrogate gain of the update. */
  surrogateGain: number;
  /** TRPO: accepted fraction of the full step (0: rejected); PPO: 1. */
  stepFraction: number;
  /** TRPO: line-search trials; PPO: epochs. */
  trials: number;
  /**
   * PPO outer: weight share of clipped ratios in the last epoch; Reptile-PPO: the inner loop's
   * mean over inner updates; TRPO and VPG: 0.
   */
  clipFraction: number;
}

/** One MAML-TRPO step of θ in place. */
export function trpoStep(mb: MetaBatch, theta: Float32Array): OuterStats {
  const c = mb.c;
  const n = theta.length;
  const g = new Float32Array(n);
  const before = mb.objective(mb.paths, 0, g);
  const ns = naturalStep(g, (v, out) => mb.fvp(v, out), {
    maxKl: c.maxKl,
    cgIters: c.cgIters,
    cgDamping: c.cgDamping,
  });
  const base = theta.slice();
  const trial = new Float32Array(n);
  const ls = backtrack(
    (f) => {
      for (let i = 0; i < n; i++) trial[i] = (base[i] as number) + f * (ns.step[i] as number);
      const after = mb.objective(mb.pathsFrom(trial), 0);
      return { gain: after.value - before.value, kl: after.kl };
    },
    { maxKl: c.maxKl, steps: c.lineSearchSteps, ratio: c.lineSearchRatio },
  );
  if (ls.fraction > 0)
    for (let i = 0; i < n; i++) theta[i] = (base[i] as number) + ls.fraction * (ns.step[i] as number);
  return { kl: ls.kl, surrogateGain: ls.gain, stepFraction: ls.fraction, trials: ls.trials, clipFraction: 0 };
}

/** ProMP-style clipped PPO epochs on θ in place (Adam state carried across meta-iterations). */
export function ppoEpochs(mb: MetaBatch, theta: Float32Array, opt: Optimizer, state: OptState): OuterStats {
  const c = mb.c;
  const g = new Float32Array(theta.length);
  const first = mb.objective(mb.paths, c.ppoClip).value;
  let clipFraction = 0;
  for (let e = 0; e < c.ppoEpochs; e++) {
    clipFraction = mb.objective(mb.pathsFrom(theta), c.ppoClip, g).clipFraction;
    for (let i = 0; i < g.length; i++) g[i] = -(g[i] as number); // Adam descends
    opt.step(theta, g, state);
  }
  const last = mb.objective(mb.pathsFrom(theta), c.ppoClip);
  return { kl: last.kl, surrogateGain: last.value - first, stepFraction: 1, trials: c.ppoEpochs, clipFraction };
}
