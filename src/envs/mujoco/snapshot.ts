// The snapshot of a MuJoCo vector env and its checks. It has the kernel envs' EnvSnapshot shape
// (so a training checkpoint stores it the same way), with the physics in `physics` (float64: the
// engine's own precision, so a restored row steps bit-identically) and `state` left empty. Every
// field is checked against the env before anything changes: a corrupt or foreign snapshot is a
// TypeError/RangeError naming the field, never a half-restored env.
import { checkFloat32, checkInt32, checkUint32 } from '../../util/check.js';
import type { EnvSnapshot } from '../vector_env.js';
import type { MujocoEnvSpec } from './specs.js';

/**
 * A checkpoint of a MuJoCo vector env (`MujocoVectorEnv.snapshot()`): an EnvSnapshot whose
 * `state` is empty and whose physics rides in `physics`.
 * - config: the env's fingerprint (format, model sizes, obs/task widths, frame skip, step limit,
 *   model and task family), compared on restore;
 * - physics: [numEnvs × stateSize] every row's full MuJoCo state (time, qpos, qvel, act, the
 *   solver's warm start, ctrl, applied forces, mocap, userdata; see `mujocoGetState`);
 * - tasks, elapsed (steps into each row's episode), obs (the observations the next step starts from);
 * - rng: [numEnvs × 3] each row's reset-noise key (2 words) and the episodes it has started.
 */
export interface MujocoEnvSnapshot extends EnvSnapshot {
  /** [numEnvs × stateSize] float64 MuJoCo states. */
  physics: Float64Array;
}

/** Version of the snapshot layout (config[0]). */
export const MUJOCO_SNAPSHOT_FORMAT = 1;

/** Words of `rng` per row: the row key's two words, then its episode counter. */
export const RNG_WORDS = 3;

// FNV-1a of the strings that tell apart envs with equal sizes (the model file, the task family
// and variant), as an int32 for the config array.
function fingerprint(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** What a snapshot must match: the env's sizes and spec. */
export interface SnapshotShape {
  id: string;
  numEnvs: number;
  spec: MujocoEnvSpec;
  nq: number;
  nv: number;
  nu: number;
  stateSize: number;
  obsDim: number;
  taskDim: number;
}

/** The env's fingerprint, stored as snapshot.config. */
export function snapshotConfig(e: SnapshotShape): Int32Array {
  const s = e.spec;
  return Int32Array.from([
    MUJOCO_SNAPSHOT_FORMAT,
    e.nq,
    e.nv,
    e.nu,
    e.stateSize,
    e.obsDim,
    e.taskDim,
    s.frameSkip,
    s.maxEpisodeSteps,
    fingerprint(`${s.model}\n${s.taskLayout}`),
  ]);
}

const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/**
 * Checks `s` against the env: a TypeError for a non-snapshot or a mistyped field, a RangeError
 * naming the field for a foreign env (another id, size, option or a kernel env's snapshot) or a
 * value no run could have produced (non-finite physics or observations, a step counter outside
 * the episode, an invalid task).
 */
export function checkMujocoSnapshot(s: unknown, e: SnapshotShape): asserts s is MujocoEnvSnapshot {
  if (typeof s !== 'object' || s === null) throw new TypeError('snapshot: expected an object from env.snapshot()');
  const o = s as Partial<MujocoEnvSnapshot>;
  if (!has(o, 'physics') || !(o.physics instanceof Float64Array))
    throw new RangeError(
      `snapshot: not a MuJoCo env's snapshot (no Float64Array 'physics'; a kernel env's snapshot restores only into envs.make's envs)`,
    );
  if (o.id !== e.id || o.numEnvs !== e.numEnvs)
    throw new RangeError(
      `snapshot: taken from a different env (${String(o.id)} × ${String(o.numEnvs)}), this is ${e.id} × ${e.numEnvs}`,
    );
  const want = snapshotConfig(e);
  checkInt32(o.config, 'snapshot.config');
  if (o.config[0] !== MUJOCO_SNAPSHOT_FORMAT)
    throw new RangeError(
      `snapshot.config: snapshot format ${o.config[0]}, this outerloop reads ${MUJOCO_SNAPSHOT_FORMAT}`,
    );
  if (o.config.length !== want.length || o.config.some((v, i) => v !== want[i]))
    throw new RangeError(
      `snapshot.config: taken from a ${e.id} env with other sizes or options ([${Array.from(o.config).join(', ')}], ` +
        `this env is [${Array.from(want).join(', ')}]: format, nq, nv, nu, stateSize, obsDim, taskDim, frameSkip, ` +
        'maxEpisodeSteps, model/task family)',
    );
  const n = e.numEnvs;
  if (o.physics.length !== n * e.stateSize)
    throw new RangeError(`snapshot.physics: expected length ${n * e.stateSize}, got ${o.physics.length}`);
  for (let j = 0; j < o.physics.length; j++)
    if (!Number.isFinite(o.physics[j])) throw new RangeError(`snapshot.physics[${j}]: expected a finite number`);
  checkFloat32(o.state, 'snapshot.state', 0);
  checkFloat32(o.tasks, 'snapshot.tasks', n * e.taskDim);
  const d = e.taskDim;
  for (let i = 0; i < n && d > 0; i++) e.spec.checkTask(o.tasks.subarray(i * d, (i + 1) * d), 'snapshot.tasks', i * d);
  checkInt32(o.elapsed, 'snapshot.elapsed', n);
  for (let i = 0; i < n; i++) {
    const v = o.elapsed[i] as number;
    if (v < 0 || v >= e.spec.maxEpisodeSteps)
      throw new RangeError(`snapshot.elapsed[${i}]: expected 0 … ${e.spec.maxEpisodeSteps - 1}, got ${v}`);
  }
  checkUint32(o.rng, 'snapshot.rng', n * RNG_WORDS);
  for (let i = 0; i < n; i++) {
    const episodes = o.rng[i * RNG_WORDS + 2] as number;
    if (episodes < 1 || episodes > 2 ** 31 - 1)
      throw new RangeError(
        `snapshot.rng[${i * RNG_WORDS + 2}]: expected an episode count 1 … 2^31 − 1, got ${episodes}`,
      );
  }
  checkFloat32(o.obs, 'snapshot.obs', n * e.obsDim);
  for (let j = 0; j < o.obs.length; j++)
    if (!Number.isFinite(o.obs[j])) throw new RangeError(`snapshot.obs[${j}]: expected a finite number`);
}
