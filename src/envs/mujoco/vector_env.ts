// A batch of MuJoCo-backed envs with the vector-env API of envs.VectorEnv (same-step autoreset,
// per-row tasks, per-row random streams). It is a class of its own rather than a kind of the
// native env kernels: the physics state lives in MuJoCo's mjData (one per row, on the native
// side), not in the float32 state slab those kernels step, and the reward/observation maps are a
// few lines here over the qpos/qvel the engine returns.
import { isAbsolute, join } from 'node:path';
import { getBackend } from '../../backend/index.js';
import type { MujocoFacts, MujocoSim } from '../../backend/kernels/mujoco.js';
import { mujocoStatus } from '../../backend/mujoco.js';
import { packageRoot } from '../../backend/native/addon.js';
import { OuterloopError } from '../../errors.js';
import { fold, type Key, key as makeKey, normal, split, uniform } from '../../random/index.js';
import { checkFloat32, checkInteger, checkUint32 } from '../../util/check.js';
import { type BoxSpace, boxFill, FLOAT32_MAX } from '../spaces.js';
import type { EnvSnapshot, StepResult } from '../vector_env.js';
import {
  checkMujocoSnapshot,
  type MujocoEnvSnapshot,
  RNG_WORDS,
  type SnapshotShape,
  snapshotConfig,
} from './snapshot.js';
import type { MujocoEnvSpec } from './specs.js';

const INSTALL =
  'MuJoCo envs need the native addon built with the MuJoCo headers (`apt-get install libmujoco-dev`, then ' +
  '`npm run build:native`) and libmujoco 2.2.2 at run time (`apt-get install libmujoco2.2.2`, or set ' +
  'OUTERLOOP_MUJOCO_LIB to its path)';

/** The path of a model file shipped under native/core/mujoco/models (an absolute path is kept). */
export function modelPath(file: string): string {
  return isAbsolute(file) ? file : join(packageRoot(), 'native', 'core', 'mujoco', 'models', file);
}

// Blocks of the row stream used by one reset (uniform qpos noise, then normal qvel noise).
const RESET_BLOCKS = 16;

/** numEnvs MuJoCo envs of one kind, stepped across the native thread pool (one mjData per row). */
export class MujocoVectorEnv {
  /** The environment id, e.g. 'HalfCheetahVel-v0'. */
  readonly id: string;
  readonly numEnvs: number;
  /** The id's settings: frame skip, step limit, reset noise, reward and task family. */
  readonly spec: MujocoEnvSpec;
  /**
   * One env's observation space (unbounded): qpos without its first spec.obsSkip entries (the
   * cheetah's x; the ant's x, y; AntGoal observes all), qvel, then for the ant clip(cfrc_ext, −1, 1)
   * of every body but the world (6 per body).
   */
  readonly observationSpace: BoxSpace;
  /** One env's action space: torques in [-1, 1]. */
  readonly actionSpace: BoxSpace;
  /** Floats per observation row (17 for the half-cheetah; 105 for Ant-v5/AntDir, 107 for AntGoal). */
  readonly obsDim: number;
  /** Floats per action row (6 for the half-cheetah, 8 for the ant). */
  readonly actionDim: number;
  /** Floats per task row (0: no tasks). */
  readonly taskDim: number;
  /** The engine the env steps with, e.g. 'mujoco 2.2.2'. */
  readonly engine: string;
  /** The loaded model's facts (masses, joint ranges, gears, timestep). */
  readonly facts: MujocoFacts;
  /** The buffers `step` returns (views, overwritten by the next step). */
  readonly result: StepResult;

  private readonly sim: MujocoSim;
  private readonly qpos: Float64Array;
  private readonly qvel: Float64Array;
  private readonly ctrl: Float64Array;
  // Each row's x before the step (the reward's Δx).
  private readonly xBefore: Float64Array;
  // cfrc_ext [numEnvs × nbody × 6] after the last step (zero after a reset, as after mj_resetData).
  private readonly cfrc: Float64Array;
  private readonly nbody: number;
  private readonly tasks: Float32Array;
  private readonly elapsed: Int32Array;
  private readonly episodes: Int32Array;
  private rowKeys: Key[] = [];
  private closed = false;
  // Set by a MuJoCo fatal error until the next reset(): the rows' states no longer match.
  private failed: string | null = null;

  constructor(spec: MujocoEnvSpec, numEnvs: number, seed: number) {
    const b = getBackend();
    const status = mujocoStatus(b);
    if (status.version === null)
      throw new OuterloopError(`${spec.id}: no MuJoCo engine (${status.error ?? 'unknown reason'}). ${INSTALL}`);
    this.engine = `mujoco ${status.version}`;
    this.id = spec.id;
    this.spec = spec;
    this.numEnvs = numEnvs;
    this.sim = b.mujocoOpen(modelPath(spec.model), numEnvs);
    const f = b.mujocoFacts(this.sim);
    this.facts = f;
    // Observation: qpos without the position entries the task does not need (so the policy cannot
    // see where it is), qvel, and the contact forces where the spec observes them.
    this.nbody = f.bodyNames.length;
    this.obsDim = f.nq - spec.obsSkip + f.nv + (spec.contactObs ? 6 * (this.nbody - 1) : 0);
    this.actionDim = f.nu;
    this.taskDim = spec.taskDim;
    this.observationSpace = boxFill(this.obsDim, -FLOAT32_MAX, FLOAT32_MAX);
    this.actionSpace = boxFill(this.actionDim, -1, 1);
    this.qpos = new Float64Array(numEnvs * f.nq);
    this.qvel = new Float64Array(numEnvs * f.nv);
    this.ctrl = new Float64Array(numEnvs * f.nu);
    this.xBefore = new Float64Array(numEnvs);
    this.cfrc = new Float64Array(spec.contactForces ? numEnvs * this.nbody * 6 : 0);
    this.tasks = new Float32Array(numEnvs * spec.taskDim);
    this.elapsed = new Int32Array(numEnvs);
    this.episodes = new Int32Array(numEnvs);
    this.result = {
      obs: new Float32Array(numEnvs * this.obsDim),
      reward: new Float32Array(numEnvs),
      terminated: new Uint8Array(numEnvs),
      truncated: new Uint8Array(numEnvs),
      finalObs: new Float32Array(numEnvs * this.obsDim),
    };
    const [rowKey, taskKey] = split(makeKey(seed), 2) as [Key, Key];
    if (spec.taskDim > 0) this.tasks.set(this.sampleTasks(taskKey, numEnvs));
    this.seedRows(rowKey);
    this.resetAll();
  }

  private seedRows(rowKey: Key): void {
    this.rowKeys = Array.from({ length: this.numEnvs }, (_, i) => fold(rowKey, i));
    this.episodes.fill(0);
  }

  private live(): void {
    if (this.closed) throw new OuterloopError(`${this.id}: the env was closed`);
  }

  // Runs an engine call; a MuJoCo fatal error (the kernels' "mujoco: row r: MuJoCo: …", the
  // row already reset by the engine) becomes an OuterloopError, and the env refuses to step
  // until reset() restarts every row.
  private guard(call: () => void): void {
    try {
      call();
    } catch (e) {
      if (
        !(e instanceof Error) ||
        e instanceof TypeError ||
        e instanceof RangeError ||
        !e.message.startsWith('mujoco: ')
      )
        throw e;
      this.failed = e.message;
      throw new OuterloopError(`${this.id}: ${e.message} (the env needs reset() before the next step)`);
    }
  }

  // Starts row i's next episode from its stream: qpos0 + U[-s, s], qvel = s·N(0, 1).
  private resetRow(i: number): void {
    const { nq, nv, qpos0 } = this.facts;
    const s = this.spec.resetNoise;
    const k = this.rowKeys[i] as Key;
    const counter = this.episodes[i]! * RESET_BLOCKS;
    const u = uniform(k, nq, counter);
    const z = normal(k, nv, counter + RESET_BLOCKS / 2);
    const qpos = this.qpos.subarray(i * nq, (i + 1) * nq);
    const qvel = this.qvel.subarray(i * nv, (i + 1) * nv);
    for (let j = 0; j < nq; j++) qpos[j] = qpos0[j]! + s * (2 * u[j]! - 1);
    for (let j = 0; j < nv; j++) qvel[j] = s * z[j]!;
    this.guard(() => getBackend().mujocoSetState(this.sim, i, qpos, qvel));
    this.episodes[i]! += 1;
    this.elapsed[i] = 0;
    this.cfrc.fill(0, i * this.nbody * 6, (i + 1) * this.nbody * 6);
    this.writeObs(i, this.result.obs);
  }

  private writeObs(i: number, out: Float32Array): void {
    const { nq, nv } = this.facts;
    const skip = this.spec.obsSkip;
    let o = i * this.obsDim;
    for (let j = skip; j < nq; j++) out[o++] = this.qpos[i * nq + j]!;
    for (let j = 0; j < nv; j++) out[o++] = this.qvel[i * nv + j]!;
    if (!this.spec.contactObs) return;
    // Body 0 is the world (its cfrc_ext is zero), left out as Gymnasium Ant-v5 does.
    const per = this.nbody * 6;
    for (let j = 6; j < per; j++) out[o++] = Math.min(1, Math.max(-1, this.cfrc[i * per + j]!));
  }

  // ‖clip(cfrc_ext, −1, 1)‖² of row i over every body.
  private contactSq(i: number): number {
    const per = this.nbody * 6;
    let s = 0;
    for (let j = i * per; j < (i + 1) * per; j++) s += Math.min(1, Math.max(-1, this.cfrc[j]!)) ** 2;
    return s;
  }

  // Gymnasium's is_healthy: a finite state and the torso height within the spec's range.
  private healthy(i: number): boolean {
    const range = this.spec.healthyZ;
    if (range === null) return true;
    const { nq, nv } = this.facts;
    for (let j = i * nq; j < (i + 1) * nq; j++) if (!Number.isFinite(this.qpos[j])) return false;
    for (let j = i * nv; j < (i + 1) * nv; j++) if (!Number.isFinite(this.qvel[j])) return false;
    const z = this.qpos[i * nq + 2]!;
    return z >= range[0] && z <= range[1];
  }

  private resetAll(): void {
    for (let i = 0; i < this.numEnvs; i++) this.resetRow(i);
    this.result.finalObs.set(this.result.obs);
    this.result.reward.fill(0);
    this.result.terminated.fill(0);
    this.result.truncated.fill(0);
  }

  /**
   * Starts a new episode in every env and returns the observations (a view). With a seed, every
   * row's stream restarts from it; without one, rows continue their streams. Tasks are kept.
   */
  reset(seed?: number): Float32Array {
    this.live();
    if (seed !== undefined) {
      checkInteger(seed, 'seed');
      this.seedRows(split(makeKey(seed), 2)[0] as Key);
    }
    this.failed = null;
    this.resetAll();
    return this.result.obs;
  }

  /**
   * Steps every env once with actions [numEnvs × actionDim] (torques in [-1, 1]; the engine
   * clamps them, the control cost is charged on the actions as given, as Gymnasium does). NaN is
   * rejected before any env moves. Rows that reach the step limit are truncated, rows that leave
   * the healthy range (ant) are terminated; both reset in the same step (finalObs keeps their last
   * observation). The arrays are views overwritten next step.
   */
  step(actions: Float32Array): StepResult {
    this.live();
    if (this.failed !== null)
      throw new OuterloopError(`${this.id}: a MuJoCo error (${this.failed}) stopped the env; call reset() first`);
    checkFloat32(actions, 'actions', this.numEnvs * this.actionDim);
    for (let j = 0; j < actions.length; j++)
      if (Number.isNaN(actions[j])) throw new RangeError(`actions[${j}]: expected a number, got NaN`);
    const { nq } = this.facts;
    const n = this.numEnvs;
    const nu = this.actionDim;
    const xBefore = this.xBefore;
    for (let i = 0; i < n; i++) xBefore[i] = this.qpos[i * nq]!;
    for (let j = 0; j < actions.length; j++) this.ctrl[j] = Math.min(1, Math.max(-1, actions[j]!));
    const b = getBackend();
    this.guard(() => {
      b.mujocoStep(this.sim, this.ctrl, this.spec.frameSkip, this.qpos, this.qvel);
      if (this.spec.contactForces) b.mujocoContactForces(this.sim, this.cfrc);
    });
    const dt = this.facts.timestep * this.spec.frameSkip;
    const r = this.result;
    const taskDim = this.taskDim;
    const noTask = new Float32Array(0);
    const free = this.spec.freeRoot;
    for (let i = 0; i < n; i++) {
      let a2 = 0;
      for (let j = 0; j < nu; j++) a2 += actions[i * nu + j]! ** 2;
      const x = this.qpos[i * nq]!;
      const healthy = this.healthy(i);
      const facts = {
        vx: (x - xBefore[i]!) / dt,
        x,
        y: free ? this.qpos[i * nq + 1]! : 0,
        actionSq: a2,
        contactSq: this.spec.contactForces ? this.contactSq(i) : 0,
        healthy,
      };
      r.reward[i] = this.spec.reward(facts, taskDim > 0 ? this.tasks.subarray(i * taskDim, (i + 1) * taskDim) : noTask);
      this.writeObs(i, r.obs);
      this.elapsed[i]! += 1;
      r.terminated[i] = healthy ? 0 : 1;
      r.truncated[i] = this.elapsed[i]! >= this.spec.maxEpisodeSteps ? 1 : 0;
    }
    r.finalObs.set(r.obs);
    for (let i = 0; i < n; i++) if (r.truncated[i] || r.terminated[i]) this.resetRow(i);
    return r;
  }

  /** `step`, returning fresh copies the env will not overwrite. */
  stepCopy(actions: Float32Array): StepResult {
    const r = this.step(actions);
    return {
      obs: r.obs.slice(),
      reward: r.reward.slice(),
      terminated: r.terminated.slice(),
      truncated: r.truncated.slice(),
      finalObs: r.finalObs.slice(),
    };
  }

  /** The current observations (a view, overwritten by the next step). */
  get obs(): Float32Array {
    return this.result.obs;
  }

  /** n tasks from the env's task distribution, [n × taskDim] (task j from uniforms j·taskDim …); empty without tasks. */
  sampleTasks(key: Key, n: number = this.numEnvs): Float32Array {
    checkUint32(key, 'key', 2);
    checkInteger(n, 'n', 1, 2 ** 30);
    const d = this.taskDim;
    if (d === 0) return new Float32Array(0);
    // Task j reads uniforms j·d … j·d + d − 1 of the key's stream (for d = 1, uniform(key)[j]).
    const u = uniform(key, n * d);
    const out = new Float32Array(n * d);
    for (let j = 0; j < n; j++) out.set(this.spec.taskFromUniform(u.subarray(j * d, (j + 1) * d)), j * d);
    return out;
  }

  /** Sets every env's task, [numEnvs × taskDim]; it takes effect from the next step, without a reset. */
  setTasks(tasks: Float32Array): void {
    this.live();
    checkFloat32(tasks, 'tasks', this.numEnvs * this.taskDim);
    const d = this.taskDim;
    for (let i = 0; i < this.numEnvs; i++) this.spec.checkTask(tasks.subarray(i * d, (i + 1) * d), 'tasks', i * d);
    this.tasks.set(tasks);
  }

  /** A copy of every env's task, [numEnvs × taskDim]. */
  getTasks(): Float32Array {
    return this.tasks.slice();
  }

  // What a snapshot must match.
  private shape(): SnapshotShape {
    const { nq, nv, nu, stateSize } = this.facts;
    return {
      id: this.id,
      numEnvs: this.numEnvs,
      spec: this.spec,
      nq,
      nv,
      nu,
      stateSize,
      obsDim: this.obsDim,
      taskDim: this.taskDim,
    };
  }

  /**
   * A copy of everything that determines the env's future (restore with `restore`): every row's
   * full MuJoCo state, tasks, step counters, reset-noise streams and current observations. A
   * training checkpoint stores it, so MuJoCo runs resume bit-identically.
   */
  snapshot(): MujocoEnvSnapshot {
    this.live();
    if (this.failed !== null)
      throw new OuterloopError(
        `${this.id}: a MuJoCo error (${this.failed}) stopped the env; call reset() before snapshot()`,
      );
    const physics = new Float64Array(this.numEnvs * this.facts.stateSize);
    getBackend().mujocoGetState(this.sim, physics);
    const rng = new Uint32Array(this.numEnvs * RNG_WORDS);
    for (let i = 0; i < this.numEnvs; i++) {
      rng.set(this.rowKeys[i] as Key, i * RNG_WORDS);
      rng[i * RNG_WORDS + 2] = this.episodes[i] as number;
    }
    return {
      id: this.id,
      numEnvs: this.numEnvs,
      config: snapshotConfig(this.shape()),
      state: new Float32Array(0),
      physics,
      tasks: this.tasks.slice(),
      elapsed: this.elapsed.slice(),
      rng,
      obs: this.result.obs.slice(),
    };
  }

  /**
   * Restores a snapshot of an env with the same id, options and numEnvs (it may be another env
   * object, in another process): the next steps are the ones the snapshotted env would have
   * taken, bit for bit. A snapshot of another env, a kernel env's, or one with impossible values
   * throws a TypeError/RangeError naming the field and leaves this env unchanged.
   */
  restore(s: EnvSnapshot): void {
    this.live();
    checkMujocoSnapshot(s, this.shape());
    this.guard(() => getBackend().mujocoSetFullState(this.sim, s.physics));
    const { nq, nv, stateSize } = this.facts;
    // The layout starts with time, qpos, qvel (mujocoGetState).
    for (let i = 0; i < this.numEnvs; i++) {
      const row = s.physics.subarray(i * stateSize, (i + 1) * stateSize);
      this.qpos.set(row.subarray(1, 1 + nq), i * nq);
      this.qvel.set(row.subarray(1 + nq, 1 + nq + nv), i * nv);
      this.rowKeys[i] = Uint32Array.from(s.rng.subarray(i * RNG_WORDS, i * RNG_WORDS + 2)) as Key;
      this.episodes[i] = s.rng[i * RNG_WORDS + 2] as number;
    }
    this.tasks.set(s.tasks);
    this.elapsed.set(s.elapsed);
    // cfrc_ext is recomputed by every step before it is read; the observations keep the last one.
    this.cfrc.fill(0);
    this.failed = null;
    const r = this.result;
    r.obs.set(s.obs);
    r.finalObs.set(s.obs);
    r.reward.fill(0);
    r.terminated.fill(0);
    r.truncated.fill(0);
  }

  /** Releases the env; any later call throws (the engine's memory goes with the garbage collector). */
  close(): void {
    this.closed = true;
  }

  /** True after close(). */
  get isClosed(): boolean {
    return this.closed;
  }
}
