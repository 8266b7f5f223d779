// A trained policy: the actor-critic parameters, the architecture, and the observation
// statistics it was trained with. It acts on raw observations, saves to and loads from the
// checkpoint format (src/io), and is what `rl.ppo.train` and `rl.a2c.train` return.
import { getBackend } from '../backend/index.js';
import { OuterloopError } from '../errors.js';
import { type Checkpoint, type JsonValue, loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import * as random from '../random/index.js';
import { checkFloat32, checkInteger } from '../util/check.js';
import { type ActionSpec, ActorCritic, type ActorCriticSpec, ActorCriticWorkspace } from './model.js';
import { RunningMeanStd } from './normalize.js';

/** The checkpoint kind of a saved policy. */
export const POLICY_KIND = 'rl.policy';

/** Options of `Policy.act`: greedy or sampled actions, and the key for sampling. */
export interface ActOptions {
  /** Greedy action (argmax or Gaussian mean) instead of a sample (default false). */
  deterministic?: boolean;
  /** Key for the sample; without one the policy draws from its own stream. */
  key?: random.Key;
}

/** What a policy remembers about how it was made (saved in its checkpoint). */
export interface PolicyInfo {
  /** Environment id it was trained on. */
  env: string;
  /** 'ppo' or 'a2c'. */
  algo: string;
  /** Env steps it was trained for. */
  steps: number;
  /** Anything else worth keeping (objective, seed, ...). */
  extra?: { [key: string]: JsonValue };
}

// The network description a policy is built from, checked before any network is made.
function checkSpec(spec: unknown): asserts spec is ActorCriticSpec {
  if (typeof spec !== 'object' || spec === null)
    throw new TypeError('Policy: spec: expected { obsDim, action, hidden, activation, network }');
  const s = spec as ActorCriticSpec;
  checkInteger(s.obsDim, 'Policy: spec.obsDim', 1, 1 << 20);
  const a = s.action as ActionSpec | undefined;
  if (typeof a !== 'object' || a === null || (a.type !== 'discrete' && a.type !== 'box'))
    throw new TypeError("Policy: spec.action: expected { type: 'discrete', n } or { type: 'box', dim }");
  if (a.type === 'discrete') checkInteger(a.n, 'Policy: spec.action.n', 1, 1 << 20);
  else checkInteger(a.dim, 'Policy: spec.action.dim', 1, 1 << 20);
  if (!Array.isArray(s.hidden)) throw new TypeError('Policy: spec.hidden: expected an array of layer widths');
  for (let i = 0; i < s.hidden.length; i++) checkInteger(s.hidden[i], `Policy: spec.hidden[${i}]`, 1, 1 << 16);
  if (s.activation !== 'tanh' && s.activation !== 'relu')
    throw new RangeError(`Policy: spec.activation: expected 'tanh' or 'relu', got '${String(s.activation)}'`);
  if (s.network !== 'separate' && s.network !== 'shared')
    throw new RangeError(`Policy: spec.network: expected 'separate' or 'shared', got '${String(s.network)}'`);
}

/** A trained actor-critic policy: acts on observations (normalizing them as in training), saves and loads as a checkpoint. */
export class Policy {
  readonly model: ActorCritic;
  /** The flat parameter vector [actor | critic | logStd]. Training updates it in place. */
  readonly params: Float32Array;
  /** Running observation statistics (undefined when observations were not normalized). */
  readonly obsRms: RunningMeanStd | undefined;
  readonly clipObs: number;
  info: PolicyInfo;
  private workspace: ActorCriticWorkspace | undefined;
  private streamKey = random.key(0);
  private streamCounter = 0;

  constructor(spec: ActorCriticSpec, params: Float32Array, info: PolicyInfo, obsRms?: RunningMeanStd, clipObs = 10) {
    checkSpec(spec);
    this.model = new ActorCritic(spec);
    checkFloat32(params, 'Policy: params', this.model.size);
    this.params = params;
    this.info = info;
    this.obsRms = obsRms;
    this.clipObs = clipObs;
  }

  /** Length of one observation. */
  get observationDim(): number {
    return this.model.spec.obsDim;
  }

  /** The action space the policy acts in. */
  get action(): ActionSpec {
    return this.model.spec.action;
  }

  private ws(rows: number): ActorCriticWorkspace {
    if (!this.workspace || this.workspace.batch < rows)
      this.workspace = new ActorCriticWorkspace(this.model, rows, false);
    return this.workspace;
  }

  private inputs(obs: Float32Array, rows: number): Float32Array {
    if (!this.obsRms) return obs;
    const x = new Float32Array(rows * this.observationDim);
    this.obsRms.normalize(obs, rows, x, this.clipObs);
    return x;
  }

  private rowsOf(obs: Float32Array, name: string): number {
    return observationRows(obs, this.observationDim, name);
  }

  /**
   * Actions for raw observations [rows × obsDim]: an Int32Array [rows] for discrete actions or a
   * Float32Array [rows × dim] for box actions (not clipped to the action bounds; the env clips).
   */
  act(obs: Float32Array, options: ActOptions = {}): Int32Array | Float32Array {
    const rows = this.rowsOf(obs, 'policy.act: obs');
    const ws = this.ws(rows);
    ws.forward(this.params, this.inputs(obs, rows), rows, false);
    const head = ws.head.subarray(0, rows * this.model.policyDim);
    const key = options.key ?? random.fold(this.streamKey, this.streamCounter++ % 2 ** 32);
    return sampleActions(this.action, head, this.model.logStd(this.params), rows, key, options.deterministic === true);
  }

  /** State values V(s) for raw observations [rows × obsDim]. */
  value(obs: Float32Array): Float32Array {
    const rows = this.rowsOf(obs, 'policy.value: obs');
    return this.ws(rows).valuesOnly(this.params, this.inputs(obs, rows), rows).slice(0, rows);
  }

  /** The checkpoint contents (kind 'rl.policy'). */
  toCheckpoint(): Checkpoint {
    const s = this.model.spec;
    const arrays: Checkpoint['arrays'] = { params: this.params };
    if (this.obsRms) arrays.obsRms = this.obsRms.toArray();
    return {
      kind: POLICY_KIND,
      meta: {
        spec: {
          obsDim: s.obsDim,
          action: { ...s.action },
          hidden: [...s.hidden],
          activation: s.activation,
          network: s.network,
        },
        clipObs: this.clipObs,
        info: infoMeta(this.info),
      },
      arrays,
    };
  }

  /** Writes the policy to `path` atomically (temp file + rename). */
  async save(path: string): Promise<void> {
    await saveCheckpoint(path, this.toCheckpoint());
  }

  /** Rebuilds a policy from checkpoint contents; throws OuterloopError when they do not fit. */
  static fromCheckpoint(c: Checkpoint, source = 'checkpoint'): Policy {
    const bad = (what: string): never => {
      throw new OuterloopError(`${source}: not a valid policy checkpoint (${what})`);
    };
    if (c.kind !== POLICY_KIND) bad(`kind '${c.kind}'`);
    const meta = c.meta as { spec?: ActorCriticSpec & { recurrent?: unknown }; clipObs?: number; info?: PolicyInfo };
    if (meta.spec?.recurrent !== undefined)
      throw new OuterloopError(`${source}: holds a recurrent policy: load it with rl.RecurrentPolicy.load`);
    const spec = meta.spec;
    if (!spec || typeof spec.obsDim !== 'number' || !spec.action || !Array.isArray(spec.hidden)) bad('missing spec');
    const params = c.arrays.params;
    if (!(params instanceof Float32Array)) bad('missing params');
    const obsRms = checkpointObsRms(c, (spec as ActorCriticSpec).obsDim, bad);
    let policy: Policy;
    try {
      policy = new Policy(
        spec as ActorCriticSpec,
        params as Float32Array,
        meta.info ?? { env: '?', algo: '?', steps: 0 },
        obsRms,
        meta.clipObs ?? 10,
      );
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
    return policy;
  }

  /** Loads a policy saved with `save`; a truncated, corrupted or foreign file throws OuterloopError. */
  static async load(path: string): Promise<Policy> {
    return Policy.fromCheckpoint(await loadCheckpoint(path, { kind: POLICY_KIND }), path);
  }
}

/** Rows of a raw observation batch [rows × obsDim]; a RangeError naming `name` otherwise. @internal */
export function observationRows(obs: Float32Array, obsDim: number, name: string): number {
  checkFloat32(obs, name);
  if (obs.length === 0 || obs.length % obsDim !== 0)
    throw new RangeError(
      `${name}: expected a non-empty multiple of ${obsDim} floats (rows × obsDim), got ${obs.length}`,
    );
  return obs.length / obsDim;
}

/**
 * Actions from policy-head outputs [rows × headDim]: sampled with `key`, or the mode when
 * `deterministic`. Int32Array [rows] (discrete) or Float32Array [rows × dim] (box, not clipped).
 * @internal
 */
export function sampleActions(
  action: ActionSpec,
  head: Float32Array,
  logStd: Float32Array,
  rows: number,
  key: random.Key,
  deterministic: boolean,
): Int32Array | Float32Array {
  const logp = new Float32Array(rows);
  const b = getBackend();
  if (action.type === 'discrete') {
    const discrete = new Int32Array(rows);
    const u = deterministic ? new Float32Array(0) : random.uniform(key, rows);
    b.rlCategoricalSample(rows, action.n, head, u, discrete, logp);
    return discrete;
  }
  const box = new Float32Array(rows * action.dim);
  const z = deterministic ? new Float32Array(0) : random.normal(key, rows * action.dim);
  b.rlGaussianSample(rows, action.dim, head, logStd, z, box, logp);
  return box;
}

/** The checkpoint's observation statistics (undefined if none); `bad` on a malformed array. @internal */
export function checkpointObsRms(
  c: Checkpoint,
  obsDim: number,
  bad: (what: string) => never,
): RunningMeanStd | undefined {
  const rms = c.arrays.obsRms;
  if (rms === undefined) return undefined;
  if (!(rms instanceof Float64Array) || rms.length !== 1 + 2 * obsDim) bad('obsRms');
  return RunningMeanStd.fromArray(rms as Float64Array);
}

/** A policy's info as checkpoint metadata. @internal */
export function infoMeta(info: PolicyInfo): { [key: string]: JsonValue } {
  return { env: info.env, algo: info.algo, steps: info.steps, extra: info.extra ?? {} };
}
