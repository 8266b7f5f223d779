// metaRl.reptile: Reptile (Nichol et al. 2018) over RL tasks. Each meta-iteration samples
// metaBatch tasks, runs innerSteps VPG updates per task from the current initialization θ (each
// on fresh episodes of the task's current policy, the same inner step as metaRl.maml: linear
// baseline, per-task normalized advantages, lr innerLr), and moves θ toward the mean adapted
// parameters: θ ← θ + outerLr · mean_t(θ̃_t − θ). No second derivatives. The inner loop is VPG;
// a PPO inner loop (as in the RAMario experiments) is not implemented. Train, adapt and evaluate
// (with the random and multi-task baselines) are metaRl.maml's.
import { fold } from '../random/index.js';
import { checkRange } from '../util/check.js';
import type { MamlConfig } from './maml/config.js';
import { resolveMamlConfig } from './maml/config.js';
import { adaptAll } from './maml/evaluate.js';
import { type MetaRlLearner, maml, mamlLearner, metaRlLearner, type OuterUpdate } from './maml/index.js';

/** metaRl.reptile's options: metaRl.maml's sampling and inner-loop settings plus the outer step. */
export interface ReptileConfig
  extends Pick<
    MamlConfig,
    'env' | 'envOptions' | 'policy' | 'innerLr' | 'innerSteps' | 'episodesPerTask' | 'metaBatch' | 'gamma' | 'gaeLambda'
  > {
  /** ε: the step toward the mean adapted parameters (1: all the way; default 1). */
  outerLr?: number;
}

/** Reptile's default inner steps (k). */
export const REPTILE_INNER_STEPS = 5;

/**
 * Reptile on RL tasks with the same train/adapt/evaluate shape as metaRl.maml.
 *
 * ```ts
 * const reptile = metaRl.reptile({ env: 'Navigation2D-v0', innerSteps: 5, outerLr: 1 });
 * const { params } = await reptile.train({ iterations: 200, seed: 0 });
 * ```
 */
export function reptile(config: ReptileConfig): MetaRlLearner {
  const fn = 'metaRl.reptile';
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  const { outerLr = 1, ...rest } = config;
  checkRange(outerLr, `${fn}: outerLr`, 0, 100);
  const c = resolveMamlConfig({ innerSteps: REPTILE_INNER_STEPS, ...rest }, fn);
  if (c.innerSteps < 1) throw new RangeError(`${fn}: innerSteps: expected at least 1, got ${c.innerSteps}`);
  const update: OuterUpdate = (cc, policy, pool, theta, tasks, key) => {
    const r = adaptAll(pool, policy, cc, theta, tasks, cc.innerSteps, cc.episodesPerTask, cc.innerLr, fold(key, 0));
    const T = r.adapted.length;
    for (let i = 0; i < theta.length; i++) {
      let d = 0;
      for (const a of r.adapted) d += (a[i] as number) - (theta[i] as number);
      theta[i] = (theta[i] as number) + (outerLr * d) / T;
    }
    const mean = (x: Float64Array | undefined) => (x ? x.reduce((s, v) => s + v, 0) / x.length : Number.NaN);
    return {
      stats: { kl: 0, surrogateGain: 0, stepFraction: outerLr, trials: cc.innerSteps, clipFraction: 0 },
      preReturn: mean(r.returns[0]),
      postReturn: mean(r.returns[r.returns.length - 1]),
      envSteps: r.envSteps,
    };
  };
  return metaRlLearner(
    { ...c, outerLr } as typeof c,
    'metaRl.reptile',
    fn,
    update,
    undefined,
    async (iterations, seed) => {
      const multiTask = maml({ ...rest, innerSteps: 0, outer: 'trpo' });
      return (await multiTask.train({ iterations, seed: seed + 1 })).params;
    },
    () => mamlLearner({ ...rest, innerSteps: 0, outer: 'trpo' }, true),
  );
}
