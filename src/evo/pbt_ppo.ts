// The PPO trainer of evo.pbt: generation 0 starts rl.ppo.train fresh; later generations continue
// a member's (or its donor's) training checkpoint with `resume`. A resumed run keeps its saved
// configuration, so the checkpoint handed to resume is a shallow copy whose saved config
// (meta.training.config) carries the member's new hyperparameters and seed — the policy, optimizer
// state, env snapshot and collector state go on unchanged, which is PBT's "copy the weights, keep
// training with new hyperparameters". The saved checkpoints themselves are never modified.
// annealLr is forced off: a decay spread over one interval would restart every generation.
import type { Checkpoint, JsonValue } from '../io/checkpoint.js';
import type { PpoConfig } from '../rl/config.js';
import { train } from '../rl/ppo.js';
import type { PbtTrainer, PbtTrainResult, PbtTrainStep } from './pbt.js';

/** Where member `member`'s checkpoint after `generation` lies in the folder `dir`. */
export function pbtCheckpointPath(dir: string, member: number, generation: number): string {
  return `${dir}/m${member}-g${generation}.olck`;
}

/** Options of the 'ppo' trainer of `evo.pbt`. */
export interface PbtPpoTrainerOptions {
  /** Environment id. */
  env: string;
  /** Fixed PPO options (the searched ones come from PBT; env, seed, totalSteps and resume are set here). */
  config?: Omit<PpoConfig, 'env' | 'seed' | 'totalSteps' | 'resume' | 'annealLr'> | undefined;
  /** When set, every member's checkpoint after every generation is also written (atomically) as `<dir>/m<member>-g<generation>.olck`. */
  dir?: string | undefined;
}

const FN = 'evo.pbt';
const FIXED = ['env', 'seed', 'totalSteps', 'resume', 'annealLr'];

/** A copy of `c` whose saved training config has `changes` (shallow; arrays shared, never modified). */
export function withSavedConfig(c: Checkpoint, changes: Readonly<Record<string, JsonValue>>): Checkpoint {
  const training = c.meta.training as { [k: string]: JsonValue };
  const config = training.config as { [k: string]: JsonValue };
  return {
    kind: c.kind,
    meta: { ...c.meta, training: { ...training, config: { ...config, ...changes } } },
    arrays: c.arrays,
  };
}

/**
 * The trainer `evo.pbt` uses for `trainer: 'ppo'`: states are PPO training checkpoints; the score
 * is the mean return of the last (up to 100) finished training episodes after the interval, as in
 * Jaderberg et al.'s RL experiments (NaN when none has finished yet).
 */
export function pbtPpoTrainer(options: PbtPpoTrainerOptions): PbtTrainer<Checkpoint> {
  const base = options.config ?? {};
  for (const k of FIXED)
    if (k in base) throw new TypeError(`${FN}: ppo.${k}: set by PBT (env is its own option), leave it out`);
  return {
    async train(step: PbtTrainStep<Checkpoint>): Promise<PbtTrainResult<Checkpoint>> {
      const { from, hyper, seed, steps } = step;
      for (const k of Object.keys(hyper))
        if (FIXED.includes(k)) throw new TypeError(`${FN}: hyper.${k}: cannot be searched by PBT`);
      let r: Awaited<ReturnType<typeof train>>;
      if (from === undefined) {
        r = await train({ ...base, ...hyper, env: options.env, seed, totalSteps: steps, annealLr: false });
      } else {
        const state = from.meta.training as { [k: string]: JsonValue };
        const done = state.steps as number;
        r = await train({
          env: options.env,
          resume: withSavedConfig(from, { ...hyper, seed }),
          totalSteps: done + steps,
        });
      }
      const last = r.history[r.history.length - 1];
      if (options.dir !== undefined) await r.save(pbtCheckpointPath(options.dir, step.member, step.generation));
      return { state: r.checkpoint, score: last === undefined ? Number.NaN : last.meanReturn };
    },
  };
}
