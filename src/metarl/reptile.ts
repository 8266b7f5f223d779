// metaRl.reptile: Reptile (Nichol et al. 2018) over RL tasks. Each meta-iteration samples
// metaBatch tasks, runs innerSteps VPG updates per task from the current initialization θ (each
// on fresh episodes of the task's current policy, the same inner step as metaRl.maml: linear
// baseline, per-task normalized advantages, lr innerLr), and moves θ toward the mean adapted
// parameters: θ ← θ + outerLr · mean_t(θ̃_t − θ). No second derivatives. With inner: 'ppo' each
// of the k inner updates is instead PPO's clipped-surrogate epochs over shuffled minibatches with
// Adam or SGD (maml/ppo_inner.ts; the natural RL form of Reptile, as in the RAMario experiments),
// and adapt/evaluate adapt with the same loop. Train, adapt and evaluate (with the random and
// multi-task baselines) are metaRl.maml's.
import { fold } from '../random/index.js';
import { checkRange } from '../util/check.js';
import type { MamlConfig } from './maml/config.js';
import { resolveMamlConfig } from './maml/config.js';
import { adaptAll } from './maml/evaluate.js';
import { type MetaRlLearner, maml, mamlLearner, metaRlLearner, type OuterUpdate } from './maml/index.js';
import { type PpoInnerOptions, ppoInnerLoop, resolvePpoInner } from './maml/ppo_inner.js';

export type { PpoInnerOptions } from './maml/ppo_inner.js';
export { PPO_INNER_DEFAULTS } from './maml/ppo_inner.js';

/** metaRl.reptile's options: metaRl.maml's sampling and inner-loop settings plus the outer step. */
export interface ReptileConfig
  extends Pick<
    MamlConfig,
    'env' | 'envOptions' | 'policy' | 'innerLr' | 'innerSteps' | 'episodesPerTask' | 'metaBatch' | 'gamma' | 'gaeLambda'
  > {
  /** ε: the step toward the mean adapted parameters (1: all the way; default 1). */
  outerLr?: number;
  /**
   * The inner update: 'vpg' (default), one VPG step at innerLr per inner step; 'ppo', PPO's
   * clipped-surrogate epochs per inner step (settings in `ppo`; innerLr unused).
   */
  inner?: 'vpg' | 'ppo';
  /** inner 'ppo': epochs, minibatches, clip ε, the inner optimizer and its lr (PPO_INNER_DEFAULTS). */
  ppo?: PpoInnerOptions;
}

/** Reptile's default inner steps (k). */
export const REPTILE_INNER_STEPS = 5;

/**
 * Reptile on RL tasks with the same train/adapt/evaluate shape as metaRl.maml.
 *
 * ```ts
 * const reptile = metaRl.reptile({ env: 'Navigation2D-v0', innerSteps: 5, outerLr: 1 });
 * const { params } = await reptile.train({ iterations: 200, seed: 0 });
 * // k = 5 PPO updates per task instead (4 epochs × 4 minibatches, clip 0.2, Adam 3e-3):
 * const reptilePpo = metaRl.reptile({ env: 'PointRobot-v0', inner: 'ppo', ppo: { epochs: 4 }, outerLr: 0.1 });
 * ```
 */
export function reptile(config: ReptileConfig): MetaRlLearner {
  const fn = 'metaRl.reptile';
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  const { outerLr = 1, inner = 'vpg', ppo, ...rest } = config;
  checkRange(outerLr, `${fn}: outerLr`, 0, 100);
  if (inner !== 'vpg' && inner !== 'ppo')
    throw new RangeError(
      `${fn}: inner: expected 'vpg' or 'ppo', got ${typeof inner === 'string' ? `'${inner}'` : String(inner)}`,
    );
  if (inner === 'vpg' && ppo !== undefined) throw new RangeError(`${fn}: ppo: only read with inner: 'ppo'`);
  if (inner === 'ppo' && config.innerLr !== undefined)
    throw new RangeError(`${fn}: innerLr: the VPG step size, unused with inner: 'ppo' (set ppo.lr)`);
  const ppoInner = inner === 'ppo' ? resolvePpoInner(ppo, fn) : undefined;
  const loop = ppoInner ? ppoInnerLoop(ppoInner) : undefined;
  const c = resolveMamlConfig({ innerSteps: REPTILE_INNER_STEPS, ...rest }, fn);
  if (c.innerSteps < 1) throw new RangeError(`${fn}: innerSteps: expected at least 1, got ${c.innerSteps}`);
  const update: OuterUpdate = (cc, policy, pool, theta, tasks, key) => {
    const r = adaptAll(
      pool,
      policy,
      cc,
      theta,
      tasks,
      cc.innerSteps,
      cc.episodesPerTask,
      cc.innerLr,
      fold(key, 0),
      loop,
    );
    const T = r.adapted.length;
    for (let i = 0; i < theta.length; i++) {
      let d = 0;
      for (const a of r.adapted) d += (a[i] as number) - (theta[i] as number);
      theta[i] = (theta[i] as number) + (outerLr * d) / T;
    }
    const mean = (x: Float64Array | undefined) => (x ? x.reduce((s, v) => s + v, 0) / x.length : Number.NaN);
    return {
      stats: { kl: 0, surrogateGain: 0, stepFraction: outerLr, trials: cc.innerSteps, clipFraction: r.clipFraction },
      preReturn: mean(r.returns[0]),
      postReturn: mean(r.returns[r.returns.length - 1]),
      envSteps: r.envSteps,
    };
  };
  // The VPG config is what it was before the inner option existed, so its checkpoints still resume.
  return metaRlLearner(
    (ppoInner ? { ...c, outerLr, inner, ppo: ppoInner } : { ...c, outerLr }) as unknown as typeof c,
    'metaRl.reptile',
    fn,
    update,
    undefined,
    async (iterations, seed) => {
      const multiTask = maml({ ...rest, innerSteps: 0, outer: 'trpo' });
      return (await multiTask.train({ iterations, seed: seed + 1 })).params;
    },
    () => mamlLearner({ ...rest, innerSteps: 0, outer: 'trpo' }, true),
    false,
    loop,
  );
}
