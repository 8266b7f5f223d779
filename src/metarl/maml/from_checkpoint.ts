// A meta-RL learner rebuilt from a saved training state (`outerloop eval` of a meta-rl run): the
// checkpoint holds the resolved config, so the same env, policy and inner loop come back and the
// saved initialization can be adapted and evaluated exactly as at the end of training.
import { loadCheckpoint } from '../../io/checkpoint.js';
import { reptile } from '../reptile.js';
import { loadMetaRlState, type MetaRlState } from './checkpoint.js';
import type { MamlConfig } from './config.js';
import { type MetaRlLearner, maml } from './index.js';
import type { PpoInnerOptions } from './ppo_inner.js';

/** The checkpoint kinds a meta-RL learner can be rebuilt from. */
export const META_RL_KINDS = ['metaRl.maml', 'metaRl.reptile'] as const;

/** The kind of the checkpoint in `file` when it is a metaRl.maml / metaRl.reptile state, else undefined. */
export async function metaRlKind(file: string): Promise<(typeof META_RL_KINDS)[number] | undefined> {
  const kind = (await loadCheckpoint(file)).kind;
  return (META_RL_KINDS as readonly string[]).includes(kind) ? (kind as (typeof META_RL_KINDS)[number]) : undefined;
}

/** The learner a saved metaRl.maml / metaRl.reptile state was trained with, and the state. */
export async function learnerFromCheckpoint(
  file: string,
  kind: (typeof META_RL_KINDS)[number],
): Promise<{ learner: MetaRlLearner; state: MetaRlState }> {
  const state = await loadMetaRlState(file, kind, 'eval');
  const { env, envOptions, hidden, activation, outerLr, ...rest } = state.config as Record<string, unknown>;
  const base = {
    env,
    envOptions,
    policy: { hidden, activation },
  } as Pick<MamlConfig, 'env' | 'envOptions' | 'policy'>;
  if (kind === 'metaRl.maml') return { learner: maml({ ...base, ...(rest as Omit<MamlConfig, 'env'>) }), state };
  const r = rest as Record<string, number>;
  // A PPO inner loop's settings come back with it (its innerLr is the unused default).
  const ppo =
    rest.inner === 'ppo' ? { inner: 'ppo' as const, ppo: rest.ppo as PpoInnerOptions } : { innerLr: r.innerLr };
  const learner = reptile({
    ...base,
    ...ppo,
    innerSteps: r.innerSteps,
    episodesPerTask: r.episodesPerTask,
    metaBatch: r.metaBatch,
    gamma: r.gamma,
    gaeLambda: r.gaeLambda,
    outerLr: outerLr as number,
  });
  return { learner, state };
}
