// The MuJoCo env registry: ids, task families and their named variants. Facts from
// ../shared/reference/environments-and-rollouts.md (Gymnasium HalfCheetah-v5 / Ant-v5;
// pytorch-maml-rl's HalfCheetahVel/Dir and AntDir; PEARL's cheetah-vel and ant-goal) — the
// sources are named next to each entry.
import { checkInteger, checkKnownKeys } from '../../util/check.js';

/** The MuJoCo environment ids. */
export const MUJOCO_ENV_IDS = [
  'HalfCheetah-v5',
  'HalfCheetahVel-v0',
  'HalfCheetahDir-v0',
  'Ant-v5',
  'AntDir-v0',
  'AntGoal-v0',
] as const;
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

/** What one row's step gives the reward map. */
export interface MujocoStepFacts {
  /** Forward velocity Δx/dt of the root (cheetah) or torso (ant) over the env step. */
  vx: number;
  /** Torso x and y after the step (the cheetah's y is 0). */
  x: number;
  /** Torso y after the step. */
  y: number;
  /** ‖a‖² of the actions as given (before the engine's clamp). */
  actionSq: number;
  /** ‖clip(cfrc_ext, −1, 1)‖² over every body (0 for specs without contact forces). */
  contactSq: number;
  /** Whether the row is healthy after the step (always true without a healthy range). */
  healthy: boolean;
}

/** Everything fixed about a MuJoCo env once its options are chosen. */
export interface MujocoEnvSpec {
  /** The environment id. */
  readonly id: MujocoEnvId;
  /** The MJCF file under native/core/mujoco/models (or an absolute path to another model). */
  readonly model: string;
  /** Physics steps per env step (Gymnasium's frame_skip). */
  readonly frameSkip: number;
  /** Steps before truncation. */
  readonly maxEpisodeSteps: number;
  /** Reset noise: qpos += U[-s, s], qvel = s·N(0, 1) (Gymnasium's reset_noise_scale). */
  readonly resetNoise: number;
  /** Weight of ‖a‖² in the reward. */
  readonly ctrlCost: number;
  /** Whether the root is a free joint (qpos[0..2] = torso x, y, z), as the ant's; else planar x, z (the cheetah's). */
  readonly freeRoot: boolean;
  /** Leading qpos entries left out of the observation (1: x; 2: x, y; 0: all observed). */
  readonly obsSkip: number;
  /** Whether clip(cfrc_ext, −1, 1) of every body but the world is appended to the observation. */
  readonly contactObs: boolean;
  /** Whether the reward needs the contact forces (computed after every step when true). */
  readonly contactForces: boolean;
  /** Terminate when the torso height qpos[2] leaves [lo, hi] or the state is not finite; null: never. */
  readonly healthyZ: readonly [number, number] | null;
  /** Floats per task row (0: no task). */
  readonly taskDim: number;
  /** What a task row holds and how it is drawn. */
  readonly taskLayout: string;
  /** Draws a task row from taskDim (at least 1) uniforms in [0, 1). */
  readonly taskFromUniform: (u: ArrayLike<number>) => number[];
  /** Throws a RangeError naming the element when a task row is invalid (`name` names the row's first element's array). */
  readonly checkTask: (task: ArrayLike<number>, name: string, offset: number) => void;
  /** The reward of one row from its step facts and its task row. */
  readonly reward: (s: MujocoStepFacts, task: Float32Array) => number;
  /** Gymnasium's autoreset mode: a finished row restarts within the same step. */
  readonly autoresetMode: 'same-step';
}

const COMMON = ['numEnvs', 'seed', 'maxEpisodeSteps'] as const;

function finite(task: ArrayLike<number>, name: string, offset: number): void {
  for (let j = 0; j < task.length; j++) {
    const v = task[j] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${name}[${offset + j}]: expected a finite number, got ${v}`);
  }
}
function direction(task: ArrayLike<number>, name: string, offset: number): void {
  const v = task[0] as number;
  if (v !== -1 && v !== 1) throw new RangeError(`${name}[${offset}]: expected -1 or +1, got ${v}`);
}
const noTask = { taskDim: 0, taskLayout: 'none', taskFromUniform: () => [], checkTask: () => undefined };
const dirTask = {
  taskDim: 1,
  taskLayout: 'direction [d], -1 or +1 with probability 1/2 each',
  taskFromUniform: (u: ArrayLike<number>) => [(u[0] as number) < 0.5 ? -1 : 1],
  checkTask: direction,
};

/** The spec of a MuJoCo env id with its options (unknown options and ids are rejected). */
export function mujocoSpec(id: string, o: MujocoMakeOptions = {}): MujocoEnvSpec {
  if (typeof id !== 'string' || !(MUJOCO_ENV_IDS as readonly string[]).includes(id))
    throw new RangeError(`id: expected one of ${MUJOCO_ENV_IDS.join(', ')}, got '${String(id)}'`);
  if (typeof o !== 'object' || o === null) throw new TypeError('options: expected an object');
  checkKnownKeys(o, [...COMMON, ...(id === 'HalfCheetahVel-v0' ? ['variant'] : [])], 'options');
  const steps = (dflt: number): number => {
    if (o.maxEpisodeSteps === undefined) return dflt;
    checkInteger(o.maxEpisodeSteps, 'options.maxEpisodeSteps', 1, 2 ** 31 - 1);
    return o.maxEpisodeSteps;
  };
  const cheetah = {
    model: 'half_cheetah.xml',
    frameSkip: 5,
    resetNoise: 0.1,
    freeRoot: false,
    obsSkip: 1,
    contactObs: false,
    contactForces: false,
    healthyZ: null,
    autoresetMode: 'same-step' as const,
  };
  // The ant of Gymnasium Ant-v5: frame_skip 5, reset noise 0.1, observation qpos[2:], qvel and
  // clip(cfrc_ext[1:], −1, 1) (include_cfrc_ext_in_observation, contact_force_range (−1, 1)).
  const ant = {
    model: 'ant.xml',
    frameSkip: 5,
    resetNoise: 0.1,
    freeRoot: true,
    obsSkip: 2,
    contactObs: true,
    contactForces: true,
    healthyZ: [0.2, 1] as const,
    autoresetMode: 'same-step' as const,
  };
  switch (id as MujocoEnvId) {
    case 'HalfCheetah-v5':
      // Gymnasium HalfCheetah-v5: forward_reward_weight 1, ctrl_cost_weight 0.1, 1000 steps.
      return {
        ...cheetah,
        ...noTask,
        id: 'HalfCheetah-v5',
        maxEpisodeSteps: steps(1000),
        ctrlCost: 0.1,
        reward: (s) => s.vx - 0.1 * s.actionSq,
      };
    case 'HalfCheetahVel-v0': {
      const variant = o.variant ?? 'maml';
      if (variant !== 'maml' && variant !== 'pearl')
        throw new RangeError(`options.variant: expected 'maml' or 'pearl', got '${String(variant)}'`);
      const high = variant === 'maml' ? 2 : 3;
      // pytorch-maml-rl HalfCheetahVel: −|v − v_goal| − 0.05‖a‖²; PEARL uses the same form.
      return {
        ...cheetah,
        id: 'HalfCheetahVel-v0',
        maxEpisodeSteps: steps(variant === 'maml' ? 100 : 200),
        ctrlCost: 0.05,
        taskDim: 1,
        taskLayout: `goal velocity [v], sampled from U[0, ${high}] (${variant})`,
        taskFromUniform: (u) => [high * (u[0] as number)],
        checkTask: finite,
        reward: (s, t) => -Math.abs(s.vx - (t[0] as number)) - 0.05 * s.actionSq,
      };
    }
    case 'HalfCheetahDir-v0':
      // pytorch-maml-rl HalfCheetahDir: d ∈ {−1, +1} with p = 0.5; reward d·v − 0.05‖a‖².
      return {
        ...cheetah,
        ...dirTask,
        id: 'HalfCheetahDir-v0',
        maxEpisodeSteps: steps(100),
        ctrlCost: 0.05,
        reward: (s, t) => (t[0] as number) * s.vx - 0.05 * s.actionSq,
      };
    case 'Ant-v5':
      // Gymnasium Ant-v5: v_x + healthy_reward 1 (only while healthy) − 0.5‖a‖²
      // − 5e-4‖clip(cfrc_ext, −1, 1)‖²; terminates when unhealthy; 1000 steps.
      return {
        ...ant,
        ...noTask,
        id: 'Ant-v5',
        maxEpisodeSteps: steps(1000),
        ctrlCost: 0.5,
        reward: (s) => s.vx + (s.healthy ? 1 : 0) - 0.5 * s.actionSq - 5e-4 * s.contactSq,
      };
    case 'AntDir-v0':
      // pytorch-maml-rl AntDir-v2: d·v − 0.005‖a‖² − 0.0005‖clip(cfrc_ext, −1, 1)‖² + 0.05
      // (survive bonus); terminates when the torso leaves [0.2, 1]; its configs use 100 steps.
      return {
        ...ant,
        ...dirTask,
        id: 'AntDir-v0',
        maxEpisodeSteps: steps(100),
        ctrlCost: 0.005,
        reward: (s, t) => (t[0] as number) * s.vx - 0.005 * s.actionSq - 5e-4 * s.contactSq + 0.05,
      };
    default:
      // PEARL ant-goal (rlkit/envs/ant_goal.py): goal uniform on the disk of radius 3
      // (angle U[0, 2π), radius 3·√U); reward −‖xy − goal‖₁ − 0.1‖a‖² − 5e-4‖clip(cfrc_ext, −1, 1)‖²;
      // never terminates; horizon 200. The torso's x, y are observed (the goal is relative to them).
      return {
        ...ant,
        id: 'AntGoal-v0',
        obsSkip: 0,
        healthyZ: null,
        maxEpisodeSteps: steps(200),
        ctrlCost: 0.1,
        taskDim: 2,
        taskLayout: 'goal [gx, gy], uniform on the disk of radius 3 (angle U[0, 2π), radius 3·√U)',
        taskFromUniform: (u) => {
          const a = 2 * Math.PI * (u[0] as number);
          const r = 3 * Math.sqrt(u[1] as number);
          return [r * Math.cos(a), r * Math.sin(a)];
        },
        checkTask: finite,
        reward: (s, t) =>
          -Math.abs(s.x - (t[0] as number)) - Math.abs(s.y - (t[1] as number)) - 0.1 * s.actionSq - 5e-4 * s.contactSq,
      };
  }
}
