// The MuJoCo env registry: ids, task families and their named variants. Facts from
// ../shared/reference/environments-and-rollouts.md (Gymnasium HalfCheetah-v5; pytorch-maml-rl's
// HalfCheetahVel/Dir; PEARL's cheetah-vel) — the sources are named next to each entry.
import { checkInteger, checkKnownKeys } from '../../util/check.js';

/** The MuJoCo environment ids. */
export const MUJOCO_ENV_IDS = ['HalfCheetah-v5', 'HalfCheetahVel-v0', 'HalfCheetahDir-v0'] as const;
/** A MuJoCo environment id. */
export type MujocoEnvId = (typeof MUJOCO_ENV_IDS)[number];

/** Options of `envs.makeMujoco`. */
export interface MujocoMakeOptions {
  /** Number of envs stepped together (default 1). */
  numEnvs?: number;
  /** Seed of every row's reset noise and of the initial tasks (default 0). */
  seed?: number;
  /** Override of the episode step limit (truncation). */
  maxEpisodeSteps?: number;
  /**
   * HalfCheetahVel-v0: 'maml' (goal velocity ~ U[0, 2], horizon 100, MAML/pytorch-maml-rl) or
   * 'pearl' (U[0, 3], horizon 200, PEARL's cheetah-vel). Default 'maml'.
   */
  variant?: 'maml' | 'pearl';
}

/** Everything fixed about a MuJoCo env once its options are chosen. */
export interface MujocoEnvSpec {
  readonly id: MujocoEnvId;
  /** The MJCF file under native/core/mujoco/models. */
  readonly model: string;
  /** Physics steps per env step (Gymnasium's frame_skip). */
  readonly frameSkip: number;
  readonly maxEpisodeSteps: number;
  /** Reset noise: qpos += U[-s, s], qvel = s·N(0, 1) (Gymnasium's reset_noise_scale). */
  readonly resetNoise: number;
  /** Weight of ‖a‖² in the reward. */
  readonly ctrlCost: number;
  /** 0: no task; 1: one float per row. */
  readonly taskDim: number;
  readonly taskLayout: string;
  /** Draws a task from u ~ U[0, 1). */
  readonly taskFromUniform: (u: number) => number;
  /** Throws a RangeError naming the element when a task is invalid. */
  readonly checkTask: (v: number, name: string) => void;
  /** The reward of one row from its forward velocity, ‖a‖² and task. */
  readonly reward: (vx: number, actionSq: number, task: number) => number;
  readonly autoresetMode: 'same-step';
}

const COMMON = ['numEnvs', 'seed', 'maxEpisodeSteps'] as const;

function finite(v: number, name: string): void {
  if (!Number.isFinite(v)) throw new RangeError(`${name}: expected a finite number, got ${v}`);
}

/** The spec of a MuJoCo env id with its options (unknown options and ids are rejected). */
export function mujocoSpec(id: string, o: MujocoMakeOptions = {}): MujocoEnvSpec {
  if (typeof id !== 'string' || !(MUJOCO_ENV_IDS as readonly string[]).includes(id))
    throw new RangeError(`id: expected one of ${MUJOCO_ENV_IDS.join(', ')}, got '${String(id)}'`);
  if (typeof o !== 'object' || o === null) throw new TypeError('options: expected an object');
  const steps = (dflt: number): number => {
    if (o.maxEpisodeSteps === undefined) return dflt;
    checkInteger(o.maxEpisodeSteps, 'options.maxEpisodeSteps', 1, 2 ** 31 - 1);
    return o.maxEpisodeSteps;
  };
  const base = { model: 'half_cheetah.xml', frameSkip: 5, resetNoise: 0.1, autoresetMode: 'same-step' as const };
  if (id === 'HalfCheetah-v5') {
    checkKnownKeys(o, COMMON, 'options');
    // Gymnasium HalfCheetah-v5: forward_reward_weight 1, ctrl_cost_weight 0.1, 1000 steps.
    return {
      ...base,
      id,
      maxEpisodeSteps: steps(1000),
      ctrlCost: 0.1,
      taskDim: 0,
      taskLayout: 'none',
      taskFromUniform: () => 0,
      checkTask: () => undefined,
      reward: (vx, a2) => vx - 0.1 * a2,
    };
  }
  checkKnownKeys(o, [...COMMON, ...(id === 'HalfCheetahVel-v0' ? ['variant'] : [])], 'options');
  if (id === 'HalfCheetahVel-v0') {
    const variant = o.variant ?? 'maml';
    if (variant !== 'maml' && variant !== 'pearl')
      throw new RangeError(`options.variant: expected 'maml' or 'pearl', got '${String(variant)}'`);
    const high = variant === 'maml' ? 2 : 3;
    // pytorch-maml-rl HalfCheetahVel: −|v − v_goal| − 0.05‖a‖²; PEARL uses the same form.
    return {
      ...base,
      id,
      maxEpisodeSteps: steps(variant === 'maml' ? 100 : 200),
      ctrlCost: 0.05,
      taskDim: 1,
      taskLayout: `goal velocity [v], sampled from U[0, ${high}] (${variant})`,
      taskFromUniform: (u) => high * u,
      checkTask: finite,
      reward: (vx, a2, goal) => -Math.abs(vx - goal) - 0.05 * a2,
    };
  }
  // pytorch-maml-rl HalfCheetahDir: d ∈ {−1, +1} with p = 0.5; reward d·v − 0.05‖a‖².
  return {
    ...base,
    id: 'HalfCheetahDir-v0',
    maxEpisodeSteps: steps(100),
    ctrlCost: 0.05,
    taskDim: 1,
    taskLayout: 'direction [d], -1 or +1 with probability 1/2 each',
    taskFromUniform: (u) => (u < 0.5 ? -1 : 1),
    checkTask: (v, name) => {
      if (v !== -1 && v !== 1) throw new RangeError(`${name}: expected -1 or +1, got ${v}`);
    },
    reward: (vx, a2, d) => d * vx - 0.05 * a2,
  };
}
