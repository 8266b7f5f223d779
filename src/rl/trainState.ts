// The training state that rides along in a policy checkpoint so a stopped PPO/A2C run can go on
// bit-identically: the update index, elapsed steps and seconds, the resolved configuration, the
// optimizer state, the vector env's snapshot and what the collector carries between rollouts
// (observations, episodes in progress, the recent-episode window, the reward normalizer). The
// observation statistics are already part of the policy.
//
// The file is an ordinary 'rl.policy' checkpoint (src/io/checkpoint.ts, CRC-checked), so
// Policy.load and `outerloop eval` read it unchanged; the extra state is meta.training plus
// arrays named 'training.*', which a policy loader ignores. Random keys need no saving: every
// stream is derived from the seed and the update index (collect: fold(collectKey, update);
// shuffle: fold(shuffleKey, update·1009 + epoch)).
import type { EnvSnapshot, VectorEnv } from '../envs/index.js';
import { OuterloopError } from '../errors.js';
import { type Checkpoint, type CheckpointArray, type JsonValue, loadCheckpoint } from '../io/checkpoint.js';
import type { OptState, SavedState } from '../optim/index.js';
import { saveState } from '../optim/index.js';
import type { CollectorState, RolloutCollector } from './collector.js';
import type { CommonTrainConfig } from './config.js';
import { POLICY_KIND, Policy } from './policy.js';

/** Version of the training-state section (meta.training.version). */
export const TRAINING_STATE_VERSION = 1;

const P = 'training.';
const OPT = `${P}optimizer.`;

/** Config keys that are not hyperparameters: never saved, never compared. */
const RUNTIME_KEYS = new Set(['onUpdate', 'signal', 'resume']);

/** A resolved training configuration as saved (JSON values only). */
export type SavedConfig = { [key: string]: JsonValue };

/** A training state read back from a checkpoint, ready to continue from. */
export interface TrainingState {
  /** Where it came from (a path or 'checkpoint'), for error messages. */
  source: string;
  algo: string;
  config: SavedConfig;
  /** Updates done. */
  update: number;
  /** Env steps and seconds at the end of the last update done. */
  steps: number;
  seconds: number;
  /** The policy (its params are a fresh copy: training changes them in place). */
  policy: Policy;
  optimizer: SavedState;
  env: EnvSnapshot;
  collector: CollectorState;
}

/** What a live run hands over to be saved. */
export interface TrainingParts {
  algo: string;
  config: object;
  update: number;
  steps: number;
  seconds: number;
  policy: Policy;
  optState: OptState;
  env: VectorEnv;
  collector: RolloutCollector;
}

/** The resolved config as JSON: every hyperparameter, without callbacks, signal or resume. */
export function savedConfigOf(config: object): SavedConfig {
  const out: SavedConfig = {};
  for (const [k, v] of Object.entries(config)) {
    if (RUNTIME_KEYS.has(k) || v === undefined) continue;
    out[k] = Array.isArray(v) ? [...v] : (v as JsonValue);
  }
  return out;
}

/** The policy checkpoint plus the training state, all fresh copies. */
export function trainingCheckpoint(t: TrainingParts): Checkpoint {
  const base = t.policy.toCheckpoint();
  const arrays: Record<string, CheckpointArray> = { ...base.arrays, params: t.policy.params.slice() };
  if (arrays.obsRms) arrays.obsRms = arrays.obsRms.slice();
  const scalarNames: string[] = [];
  const scalarValues: number[] = [];
  for (const [k, v] of Object.entries(saveState(t.optState))) {
    if (typeof v === 'number') {
      scalarNames.push(k);
      scalarValues.push(v);
    } else arrays[OPT + k] = v;
  }
  // Optimizer scalars go in an array, not JSON, so every double (NaN included) survives exactly.
  arrays[`${P}optimizerScalars`] = Float64Array.from(scalarValues);
  const env = t.env.snapshot();
  arrays[`${P}env.config`] = env.config;
  arrays[`${P}env.state`] = env.state;
  arrays[`${P}env.tasks`] = env.tasks;
  arrays[`${P}env.elapsed`] = env.elapsed;
  arrays[`${P}env.rng`] = env.rng;
  arrays[`${P}env.obs`] = env.obs;
  const col = t.collector.saveState();
  arrays[`${P}collector.obs`] = col.obs;
  arrays[`${P}episodes.ret`] = col.episodes.ret;
  arrays[`${P}episodes.len`] = col.episodes.len;
  arrays[`${P}episodes.recentReturns`] = col.episodes.recentReturns;
  arrays[`${P}episodes.recentLengths`] = col.episodes.recentLengths;
  if (col.rewardScaler) arrays[`${P}rewardScaler`] = col.rewardScaler;
  return {
    kind: base.kind,
    meta: {
      ...structuredClone(base.meta),
      training: {
        version: TRAINING_STATE_VERSION,
        algo: t.algo,
        update: t.update,
        steps: t.steps,
        seconds: t.seconds,
        config: savedConfigOf(t.config),
        env: { id: env.id, numEnvs: env.numEnvs },
        optimizerScalars: scalarNames,
        episodes: col.episodes.episodes,
      },
    },
    arrays,
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** True when a checkpoint carries a training state (not only a policy). */
export function hasTrainingState(c: Checkpoint): boolean {
  return isObject(c.meta) && c.meta.training !== undefined;
}

/** Reads the training state out of checkpoint contents; throws OuterloopError when it is absent or malformed. */
export function parseTrainingState(c: Checkpoint, source = 'checkpoint'): TrainingState {
  if (!isObject(c) || typeof c.kind !== 'string' || !isObject(c.meta) || !isObject(c.arrays))
    throw new OuterloopError(`${source}: not a checkpoint (expected { kind, meta, arrays })`);
  if (c.kind !== POLICY_KIND)
    throw new OuterloopError(`${source}: is a '${c.kind}' checkpoint, not a policy training checkpoint`);
  const t = c.meta.training;
  if (t === undefined)
    throw new OuterloopError(
      `${source}: holds a policy only, without the training state (optimizer, environments, counters) ` +
        'needed to resume; resume from a checkpoint saved during training (onUpdate run.save, ' +
        "result.save, or a run folder's checkpoint.olck)",
    );
  const bad = (what: string): never => {
    throw new OuterloopError(`${source}: not a valid training checkpoint (${what})`);
  };
  if (!isObject(t)) return bad('meta.training is not an object');
  if (t.version !== TRAINING_STATE_VERSION)
    bad(`training state version ${String(t.version)}, this outerloop reads ${TRAINING_STATE_VERSION}`);
  if (typeof t.algo !== 'string') bad('algo');
  if (!isCount(t.update)) bad('update');
  if (!isCount(t.steps)) bad('steps');
  if (typeof t.seconds !== 'number' || !(t.seconds >= 0)) bad('seconds');
  if (!isObject(t.config)) bad('config');
  if (!isCount(t.episodes)) bad('episodes');
  const env = t.env;
  if (!isObject(env) || typeof env.id !== 'string' || !isCount(env.numEnvs)) return bad('env');
  const names = t.optimizerScalars;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) return bad('optimizerScalars');

  // Copies, so a checkpoint object passed in is never changed by the training that follows.
  function array<C extends CheckpointArray>(name: string, Ctor: abstract new (...args: never[]) => C): C {
    const a = c.arrays[P + name];
    if (!(a instanceof Ctor)) return bad(`missing or mistyped array '${P}${name}'`);
    return a.slice() as C;
  }
  const optimizer: SavedState = {};
  for (const [k, v] of Object.entries(c.arrays)) {
    if (!k.startsWith(OPT)) continue;
    if (!(v instanceof Float32Array || v instanceof Float64Array)) bad(`optimizer buffer '${k}'`);
    optimizer[k.slice(OPT.length)] = (v as Float32Array | Float64Array).slice();
  }
  const scalars = array('optimizerScalars', Float64Array);
  if (scalars.length !== names.length) bad('optimizerScalars length');
  names.forEach((n, i) => {
    optimizer[n as string] = scalars[i] as number;
  });

  const params = c.arrays.params;
  if (!(params instanceof Float32Array)) bad('missing params');
  // The policy's info object comes from meta and is updated as training goes: clone it.
  const policy = Policy.fromCheckpoint(
    { kind: c.kind, meta: structuredClone(c.meta), arrays: { ...c.arrays, params: (params as Float32Array).slice() } },
    source,
  );
  const scaler = c.arrays[`${P}rewardScaler`];
  if (scaler !== undefined && !(scaler instanceof Float64Array)) bad('rewardScaler');
  return {
    source,
    algo: t.algo as string,
    config: structuredClone(t.config) as SavedConfig,
    update: t.update as number,
    steps: t.steps as number,
    seconds: t.seconds as number,
    policy,
    optimizer,
    env: {
      id: env.id,
      numEnvs: env.numEnvs,
      config: array('env.config', Int32Array),
      state: array('env.state', Float32Array),
      tasks: array('env.tasks', Float32Array),
      elapsed: array('env.elapsed', Int32Array),
      rng: array('env.rng', Uint32Array),
      obs: array('env.obs', Float32Array),
    },
    collector: {
      obs: array('collector.obs', Float32Array),
      episodes: {
        ret: array('episodes.ret', Float64Array),
        len: array('episodes.len', Int32Array),
        recentReturns: array('episodes.recentReturns', Float64Array),
        recentLengths: array('episodes.recentLengths', Float64Array),
        episodes: t.episodes as number,
      },
      rewardScaler: scaler === undefined ? undefined : (scaler as Float64Array).slice(),
    },
  };
}

/** Loads the training state `resume` points at (a path or checkpoint contents). */
export async function loadTrainingState(resume: string | Checkpoint, fn: string): Promise<TrainingState> {
  if (typeof resume === 'string') return parseTrainingState(await loadCheckpoint(resume), resume);
  if (typeof resume !== 'object' || resume === null)
    throw new TypeError(`${fn}: resume: expected a checkpoint path or a loaded checkpoint`);
  return parseTrainingState(resume, `${fn}: resume`);
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * The configuration a resumed run continues with: the saved one, with the options given checked
 * against it. Everything must match except `totalSteps` (checked by checkResumedTotalSteps once
 * resolved) and the runtime keys.
 */
export function mergeResumedConfig<C extends CommonTrainConfig>(
  given: C,
  state: TrainingState,
  algo: string,
  fn: string,
): C {
  if (state.algo !== algo)
    throw new RangeError(`${fn}: resume: algorithm: ${state.source} is from an '${state.algo}' run, not '${algo}'`);
  const saved = state.config;
  const out: Record<string, unknown> = { ...saved };
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined) continue;
    // Unknown keys pass through to the resolver, which names them.
    if (RUNTIME_KEYS.has(k) || k === 'totalSteps' || !(k in saved)) {
      out[k] = v;
      continue;
    }
    if (show(v) !== show(saved[k]))
      throw new RangeError(
        `${fn}: resume: ${k} is ${show(saved[k])} in the run being resumed, got ${show(v)} ` +
          `(a resumed run keeps its configuration; leave ${k} out to use the saved value)`,
      );
  }
  return out as C;
}

/**
 * totalSteps may change on resume only when nothing was scheduled over it: with annealLr the
 * learning rate of every update already done depended on the total, and MDPO's KL coefficient too,
 * so changing it would continue a run that never existed.
 */
export function checkResumedTotalSteps(
  c: { totalSteps: number; numEnvs: number; numSteps: number; annealLr: boolean; objective?: string },
  state: TrainingState,
  fn: string,
): void {
  const batch = c.numEnvs * c.numSteps;
  const savedTotal = state.config.totalSteps as number;
  const was = Math.max(1, Math.floor(savedTotal / batch));
  const now = Math.max(1, Math.floor(c.totalSteps / batch));
  if (was === now) return;
  if (now < state.update)
    throw new RangeError(
      `${fn}: resume: totalSteps ${c.totalSteps} (${now} updates) is below the ${state.update} updates already done`,
    );
  const why = c.annealLr
    ? 'annealLr spreads the learning-rate decay over the total number of updates'
    : "MDPO's KL coefficient schedule is spread over the total number of updates";
  if (c.annealLr || c.objective === 'mdpo')
    throw new RangeError(
      `${fn}: resume: totalSteps cannot change from ${savedTotal} to ${c.totalSteps} (${was} → ${now} updates): ` +
        `${why}, so the updates already done would belong to another schedule. Resume with the saved ` +
        'totalSteps (extending is possible for runs trained with annealLr off)',
    );
}
