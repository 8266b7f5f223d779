// The training state that rides along in a policy checkpoint so a stopped PPO/A2C run can go on
// bit-identically: the update index, elapsed steps and seconds, the resolved configuration, the
// optimizer state, the vector env's snapshot (its observations included) and what the collector
// carries between rollouts (episodes in progress, the recent-episode window, the reward
// normalizer). The observation statistics are already part of the policy. One table (CODECS)
// lists every piece with how it is written and read; saving and loading both loop over it.
//
// The file is an ordinary 'rl.policy' checkpoint (src/io/checkpoint.ts, CRC-checked), so
// Policy.load and `outerloop eval` read it unchanged; the extra state is meta.training plus
// arrays named 'training.*', which a policy loader ignores. Random keys need no saving: every
// stream is derived from the seed and the update index (collect: fold(collectKey, update);
// shuffle: fold(shuffleKey, update·1009 + epoch)).
import type { EnvSnapshot, MujocoEnvSnapshot, MujocoVectorEnv, VectorEnv } from '../envs/index.js';
import { OuterloopError } from '../errors.js';
import { type Checkpoint, type CheckpointArray, type JsonValue, loadCheckpoint } from '../io/checkpoint.js';
import type { OptState, SavedState } from '../optim/index.js';
import { saveState } from '../optim/index.js';
import type { Collector, CollectorState } from './collector.js';
import type { CommonTrainConfig } from './config.js';
import { POLICY_KIND, Policy } from './policy.js';
import { RecurrentPolicy } from './recurrent/policy.js';

/**
 * Version of the training-state section (meta.training.version). 2: the episode sums in progress
 * are the rollout kernel's float32 ones, and the observations the next rollout starts from are the
 * env snapshot's alone. Version 1 files still load (their float64 sums are rounded; their
 * duplicate 'training.collector.obs' is ignored).
 */
export const TRAINING_STATE_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, TRAINING_STATE_VERSION];

const P = 'training.';

/** Config keys that are not hyperparameters: never saved, never compared. */
const RUNTIME_KEYS = new Set(['onUpdate', 'signal', 'resume']);

/** A resolved training configuration as saved (JSON values only). */
export type SavedConfig = { [key: string]: JsonValue };

/** Everything a training checkpoint holds besides the policy (fresh copies). */
export interface TrainingSnapshot {
  algo: string;
  config: SavedConfig;
  /** Updates done. */
  update: number;
  /** Env steps and seconds at the end of the last update done. */
  steps: number;
  seconds: number;
  optimizer: SavedState;
  /** A kernel env's snapshot, or a MuJoCo env's (its physics in the extra float64 `physics`). */
  env: EnvSnapshot | MujocoEnvSnapshot;
  collector: CollectorState;
}

/** A training state read back from a checkpoint, ready to continue from. */
export interface TrainingState extends TrainingSnapshot {
  /** Where it came from (a path or 'checkpoint'), for error messages. */
  source: string;
  /** The policy (its params are a fresh copy: training changes them in place). */
  policy: Policy | RecurrentPolicy;
}

/** What a live run hands over to be saved. */
export interface TrainingParts {
  algo: string;
  config: object;
  update: number;
  steps: number;
  seconds: number;
  /** The policy (feed-forward or recurrent): its params and checkpoint. */
  policy: Pick<Policy, 'params' | 'toCheckpoint'>;
  optState: OptState;
  env: VectorEnv | MujocoVectorEnv;
  collector: Collector;
  /** Set when the run cannot be resumed: the checkpoint holds the policy alone, with this reason. */
  noTrainingState?: string;
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

// ---- The codec table ----------------------------------------------------------------------------
// Each entry writes its part of a TrainingSnapshot into the checkpoint's training section
// (meta.training and the arrays named 'training.*', kept here without the prefix) and reads it
// back; saving and loading both run the one loop over CODECS.

interface Section {
  meta: { [key: string]: JsonValue };
  arrays: Record<string, CheckpointArray>;
}
type Bad = (what: string) => never;

interface Codec {
  encode(s: TrainingSnapshot, out: Section): void;
  /** Fills its part of `s` from `c` (copies), or calls bad(). */
  decode(c: Section, s: TrainingSnapshot, bad: Bad): void;
}

type ArrayType = abstract new (...args: never[]) => CheckpointArray;

/** The array `name`, stored as `types[0]`; older files may hold it as a later type, converted on load. */
function array<O, K extends keyof O & string>(
  name: string,
  types: readonly ArrayType[],
  owner: (s: TrainingSnapshot) => O,
  key: K,
  optional = false,
): Codec {
  const [Stored] = types as [ArrayType];
  return {
    encode: (s, out) => {
      const v = owner(s)[key] as CheckpointArray | undefined;
      if (v !== undefined) out.arrays[name] = v;
    },
    decode: (c, s, bad) => {
      const a = c.arrays[name];
      if (a === undefined && optional) return;
      const type = types.find((T) => a instanceof T);
      if (a === undefined || type === undefined) return bad(`missing or mistyped array '${P}${name}'`);
      const copy = type === Stored ? a.slice() : (Stored as unknown as { from(x: ArrayLike<number>): unknown }).from(a);
      owner(s)[key] = copy as O[K];
    },
  };
}

/** The meta.training field `name`, checked on load. */
function meta<O, K extends keyof O & string>(
  name: string,
  valid: (v: JsonValue | undefined) => boolean,
  owner: (s: TrainingSnapshot) => O,
  key: K,
): Codec {
  return {
    encode: (s, out) => {
      out.meta[name] = owner(s)[key] as JsonValue;
    },
    decode: (c, s, bad) => {
      const v = c.meta[name];
      if (!valid(v)) bad(name);
      owner(s)[key] = structuredClone(v) as O[K];
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isString = (x: unknown): boolean => typeof x === 'string';
const isSeconds = (x: unknown): boolean => typeof x === 'number' && x >= 0;
const isEnvMeta = (x: unknown): boolean => isObject(x) && typeof x.id === 'string' && isCount(x.numEnvs);

const OPT = 'optimizer.';

/**
 * The optimizer state: its buffers as arrays 'optimizer.<path>', its scalars in one Float64Array
 * (not JSON, so every double, NaN included, survives exactly) named by meta.optimizerScalars.
 */
const optimizerCodec: Codec = {
  encode: (s, out) => {
    const names: string[] = [];
    const values: number[] = [];
    for (const [k, v] of Object.entries(s.optimizer)) {
      if (typeof v === 'number') {
        names.push(k);
        values.push(v);
      } else out.arrays[OPT + k] = v;
    }
    out.arrays.optimizerScalars = Float64Array.from(values);
    out.meta.optimizerScalars = names;
  },
  decode: (c, s, bad) => {
    const names = c.meta.optimizerScalars;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) return bad('optimizerScalars');
    const optimizer: SavedState = {};
    for (const [k, v] of Object.entries(c.arrays)) {
      if (!k.startsWith(OPT)) continue;
      if (!(v instanceof Float32Array || v instanceof Float64Array)) bad(`optimizer buffer '${P}${k}'`);
      optimizer[k.slice(OPT.length)] = (v as Float32Array | Float64Array).slice();
    }
    const scalars = c.arrays.optimizerScalars;
    if (!(scalars instanceof Float64Array)) return bad(`missing or mistyped array '${P}optimizerScalars'`);
    if (scalars.length !== names.length) bad('optimizerScalars length');
    names.forEach((n, i) => {
      optimizer[n as string] = scalars[i] as number;
    });
    s.optimizer = optimizer;
  },
};

const run = (s: TrainingSnapshot) => s;
const envOf = (s: TrainingSnapshot) => s.env;
const physicsOf = (s: TrainingSnapshot) => s.env as Partial<MujocoEnvSnapshot>;
const episodesOf = (s: TrainingSnapshot) => s.collector.episodes;
const collectorOf = (s: TrainingSnapshot) => s.collector;
const F32 = [Float32Array];

const CODECS: readonly Codec[] = [
  meta('algo', isString, run, 'algo'),
  meta('update', isCount, run, 'update'),
  meta('steps', isCount, run, 'steps'),
  meta('seconds', isSeconds, run, 'seconds'),
  meta('config', isObject, run, 'config'),
  optimizerCodec,
  {
    encode: (s, out) => {
      out.meta.env = { id: s.env.id, numEnvs: s.env.numEnvs };
    },
    decode: (c, s, bad) => {
      const e = c.meta.env as { id: string; numEnvs: number };
      if (!isEnvMeta(e)) bad('env');
      s.env.id = e.id;
      s.env.numEnvs = e.numEnvs;
    },
  },
  array('env.config', [Int32Array], envOf, 'config'),
  array('env.state', F32, envOf, 'state'),
  array('env.tasks', F32, envOf, 'tasks'),
  array('env.elapsed', [Int32Array], envOf, 'elapsed'),
  array('env.rng', [Uint32Array], envOf, 'rng'),
  array('env.obs', F32, envOf, 'obs'),
  // MuJoCo envs: every row's float64 engine state (absent for kernel envs).
  array('env.physics', [Float64Array], physicsOf, 'physics', true),
  meta('episodes', isCount, episodesOf, 'episodes'),
  array('episodes.ret', [Float32Array, Float64Array], episodesOf, 'ret'),
  array('episodes.len', [Int32Array], episodesOf, 'len'),
  array('episodes.recentReturns', [Float64Array], episodesOf, 'recentReturns'),
  array('episodes.recentLengths', [Float64Array], episodesOf, 'recentLengths'),
  array('rewardScaler', [Float64Array], collectorOf, 'rewardScaler', true),
  array('collector.gruState', F32, collectorOf, 'gruState', true),
  array('collector.pendingResets', [Int32Array], collectorOf, 'pendingResets', true),
];

/** A snapshot for the codecs to fill in. */
function blankSnapshot(): TrainingSnapshot {
  const f32 = new Float32Array(0);
  return {
    algo: '',
    config: {},
    update: 0,
    steps: 0,
    seconds: 0,
    optimizer: {},
    env: {
      id: '',
      numEnvs: 0,
      config: new Int32Array(0),
      state: f32,
      tasks: f32,
      elapsed: new Int32Array(0),
      rng: new Uint32Array(0),
      obs: f32,
    },
    collector: {
      episodes: {
        ret: f32,
        len: new Int32Array(0),
        recentReturns: new Float64Array(0),
        recentLengths: new Float64Array(0),
        episodes: 0,
      },
      rewardScaler: undefined,
    },
  };
}

/**
 * The policy checkpoint plus the training state, all fresh copies. A run marked noTrainingState
 * gets the policy alone, with meta.noTrainingState saying why.
 */
export function trainingCheckpoint(t: TrainingParts): Checkpoint {
  const reason = t.noTrainingState;
  if (reason !== undefined) {
    const base = t.policy.toCheckpoint();
    const arrays: Record<string, CheckpointArray> = { ...base.arrays, params: t.policy.params.slice() };
    if (arrays.obsRms) arrays.obsRms = arrays.obsRms.slice();
    return {
      kind: base.kind,
      meta: { ...structuredClone(base.meta), noTrainingState: reason },
      arrays,
    };
  }
  const snapshot: TrainingSnapshot = {
    algo: t.algo,
    config: savedConfigOf(t.config),
    update: t.update,
    steps: t.steps,
    seconds: t.seconds,
    optimizer: saveState(t.optState),
    env: t.env.snapshot(),
    collector: t.collector.saveState(),
  };
  const section: Section = { meta: { version: TRAINING_STATE_VERSION }, arrays: {} };
  for (const codec of CODECS) codec.encode(snapshot, section);
  const base = t.policy.toCheckpoint();
  const arrays: Record<string, CheckpointArray> = { ...base.arrays, params: t.policy.params.slice() };
  if (arrays.obsRms) arrays.obsRms = arrays.obsRms.slice();
  for (const [k, v] of Object.entries(section.arrays)) arrays[P + k] = v;
  return { kind: base.kind, meta: { ...structuredClone(base.meta), training: section.meta }, arrays };
}

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
  if (t === undefined && typeof c.meta.noTrainingState === 'string')
    throw new OuterloopError(`${source}: holds a policy only: ${c.meta.noTrainingState}`);
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
  if (!READABLE_VERSIONS.includes(t.version as number))
    bad(`training state version ${String(t.version)}, this outerloop reads ${READABLE_VERSIONS.join(' and ')}`);
  const section: Section = { meta: t as Section['meta'], arrays: {} };
  for (const [k, v] of Object.entries(c.arrays)) if (k.startsWith(P)) section.arrays[k.slice(P.length)] = v;
  const snapshot = blankSnapshot();
  for (const codec of CODECS) codec.decode(section, snapshot, bad);

  const params = c.arrays.params;
  if (!(params instanceof Float32Array)) bad('missing params');
  // The policy's info object comes from meta and is updated as training goes: clone it.
  const copy = {
    kind: c.kind,
    meta: structuredClone(c.meta),
    arrays: { ...c.arrays, params: (params as Float32Array).slice() },
  };
  const policy = RecurrentPolicy.isRecurrentCheckpoint(c)
    ? RecurrentPolicy.fromCheckpoint(copy, source)
    : Policy.fromCheckpoint(copy, source);
  return { source, policy, ...snapshot };
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
