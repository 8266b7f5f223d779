// The registry of environments: ids, spaces, limits, thresholds, options and task layouts. One
// entry per id of ENV_KINDS (whose order gives each env its kernel kind number).
import { ENV_KINDS, type EnvId } from '../backend/kernels/envs.js';
import { checkInteger, checkKnownKeys } from '../util/check.js';
import { type BoxSpace, box, boxFill, discrete, FLOAT32_MAX, type Space } from './spaces.js';

/** Everything fixed about an environment once its options are chosen. */
export interface EnvSpec {
  /** e.g. 'CartPole-v1'. */
  readonly id: string;
  /** One env's observation space. */
  readonly observationSpace: Space & { type: 'box' };
  /** One env's action space. */
  readonly actionSpace: Space;
  /** Episode step limit: Gymnasium's TimeLimit (reported as `truncated`), or the task horizon
   * for Bandit-v0 and TabularMDP-v0 (reported as `terminated`: the horizon is part of the task). */
  readonly maxEpisodeSteps: number;
  /** Mean return over 100 episodes that counts as solved (Gymnasium's registry), if any. */
  readonly rewardThreshold: number | undefined;
  /** Floats of task parameters per env (0: the env has no task distribution). */
  readonly taskDim: number;
  /** What a task row holds. */
  readonly taskLayout: string;
  /** Always 'same-step': an ended row is reset in the step that ended it; see `finalObs`. */
  readonly autoresetMode: 'same-step';
  /** The kernel config [kind, maxEpisodeSteps, p0, p1]. @internal */
  readonly config: Int32Array;
  /** Throws a RangeError naming the bad element when a task row is invalid. @internal */
  readonly checkTask: (tasks: Float32Array, row: number, name: string) => void;
}

/** Options every env accepts, plus the family-specific ones. */
export interface MakeOptions {
  /** Number of envs stepped together (default 1). */
  numEnvs?: number;
  /** Seed of every row's stream and of the initial tasks (default 0). */
  seed?: number;
  /** Override of the episode step limit. */
  maxEpisodeSteps?: number;
  /** Bandit-v0: number of arms k (default 5). */
  arms?: number;
  /** Bandit-v0: pulls per trial, the episode length (default 10). */
  pulls?: number;
  /** Bandit-v0: 'bernoulli' arms, p ~ U[0, 1] (default, RL²'s setting), or 'gaussian' arms,
   * μ ~ N(0, 1) and rewards ~ N(μ, 1). */
  rewards?: 'bernoulli' | 'gaussian';
  /** TabularMDP-v0: number of states (default 10). */
  states?: number;
  /** TabularMDP-v0: number of actions (default 5). */
  actions?: number;
  /** TabularMDP-v0: steps per episode (default 10). */
  horizon?: number;
  /** PointRobot-v0: dense reward −‖s − g‖ instead of the sparse goal-radius reward (default false). */
  dense?: boolean;
  /** TwoColorGrid-v0: steps between swaps of the two object rewards (default 100000). */
  swapEvery?: number;
}

interface Entry {
  options: readonly string[];
  build(
    o: MakeOptions,
    maxSteps: (dflt: number) => number,
  ): Omit<EnvSpec, 'id' | 'config' | 'autoresetMode'> & {
    p0?: number;
    p1?: number;
  };
}

const COMMON = ['numEnvs', 'seed', 'maxEpisodeSteps'] as const;

/** Bandit-v0 with Gaussian arms: task μ[0..k-1], rewards N(μ_a, 1), last reward unbounded. */
function gaussianBandit(k: number, pulls: number): ReturnType<Entry['build']> {
  const low = new Array<number>(k + 1).fill(0);
  const high = new Array<number>(k + 1).fill(1);
  low[k] = -FLOAT32_MAX;
  high[k] = FLOAT32_MAX;
  return {
    observationSpace: box(low, high),
    actionSpace: discrete(k),
    maxEpisodeSteps: pulls,
    rewardThreshold: undefined,
    taskDim: k,
    taskLayout: `arm means mu[0..${k - 1}] (rewards ~ N(mu_a, 1))`,
    checkTask: checkFiniteTask(k),
    p0: k,
    p1: 1,
  };
}
const NO_TASK = { taskDim: 0, taskLayout: 'none', checkTask: (): void => undefined };

function checkFiniteTask(dim: number) {
  return (t: Float32Array, row: number, name: string): void => {
    for (let j = 0; j < dim; j++) {
      const v = t[row * dim + j] as number;
      if (!Number.isFinite(v)) throw new RangeError(`${name}[${row * dim + j}]: expected a finite number, got ${v}`);
    }
  };
}

// Both MountainCar variants share the track, so their observation box.
const MOUNTAIN_CAR_OBS = (): BoxSpace => box([-1.2, -0.07], [0.6, 0.07]);

// Navigation2D-v0 and PointRobot-v0 share the point, so its spaces, limit and task shape.
function pointNavigation(steps: (dflt: number) => number, taskLayout: string) {
  return {
    observationSpace: boxFill(2, -FLOAT32_MAX, FLOAT32_MAX),
    actionSpace: box([-0.1, -0.1], [0.1, 0.1]),
    maxEpisodeSteps: steps(100),
    rewardThreshold: undefined,
    taskDim: 2,
    taskLayout,
    checkTask: checkFiniteTask(2),
  };
}

const ENTRIES: Record<EnvId, Entry> = {
  'CartPole-v1': {
    options: COMMON,
    build: (_o, steps) => ({
      observationSpace: box(
        [-4.8, -FLOAT32_MAX, -0.41887902047863906, -FLOAT32_MAX],
        [4.8, FLOAT32_MAX, 0.41887902047863906, FLOAT32_MAX],
      ),
      actionSpace: discrete(2),
      maxEpisodeSteps: steps(500),
      rewardThreshold: 475,
      ...NO_TASK,
    }),
  },
  'Acrobot-v1': {
    options: COMMON,
    build: (_o, steps) => ({
      observationSpace: box([-1, -1, -1, -1, -4 * Math.PI, -9 * Math.PI], [1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI]),
      actionSpace: discrete(3),
      maxEpisodeSteps: steps(500),
      rewardThreshold: -100,
      ...NO_TASK,
    }),
  },
  'MountainCar-v0': {
    options: COMMON,
    build: (_o, steps) => ({
      observationSpace: MOUNTAIN_CAR_OBS(),
      actionSpace: discrete(3),
      maxEpisodeSteps: steps(200),
      rewardThreshold: -110,
      ...NO_TASK,
    }),
  },
  'MountainCarContinuous-v0': {
    options: COMMON,
    build: (_o, steps) => ({
      observationSpace: MOUNTAIN_CAR_OBS(),
      actionSpace: box([-1], [1]),
      maxEpisodeSteps: steps(999),
      rewardThreshold: 90,
      ...NO_TASK,
    }),
  },
  'Pendulum-v1': {
    options: COMMON,
    build: (_o, steps) => ({
      observationSpace: box([-1, -1, -8], [1, 1, 8]),
      actionSpace: box([-2], [2]),
      maxEpisodeSteps: steps(200),
      rewardThreshold: undefined,
      ...NO_TASK,
    }),
  },
  'Bandit-v0': {
    options: [...COMMON, 'arms', 'pulls', 'rewards'],
    build: (o, steps) => {
      const k = o.arms ?? 5;
      checkInteger(k, 'options.arms', 2, 1024);
      const rewards = o.rewards ?? 'bernoulli';
      if (rewards !== 'bernoulli' && rewards !== 'gaussian')
        throw new RangeError(`options.rewards: expected 'bernoulli' or 'gaussian', got ${String(rewards)}`);
      if (o.pulls !== undefined) checkInteger(o.pulls, 'options.pulls', 1, 2 ** 31 - 1);
      if (o.pulls !== undefined && o.maxEpisodeSteps !== undefined && o.pulls !== o.maxEpisodeSteps)
        throw new RangeError('options.pulls: differs from options.maxEpisodeSteps (they are the same limit)');
      if (rewards === 'gaussian') return gaussianBandit(k, steps(o.pulls ?? 10));
      return {
        observationSpace: boxFill(k + 1, 0, 1),
        actionSpace: discrete(k),
        maxEpisodeSteps: steps(o.pulls ?? 10),
        rewardThreshold: undefined,
        taskDim: k,
        taskLayout: `arm success probabilities p[0..${k - 1}] in [0, 1]`,
        checkTask: (t, row, name) => {
          for (let j = 0; j < k; j++) {
            const v = t[row * k + j] as number;
            if (!(v >= 0 && v <= 1))
              throw new RangeError(`${name}[${row * k + j}]: expected a probability in [0, 1], got ${v}`);
          }
        },
        p0: k,
      };
    },
  },
  'TabularMDP-v0': {
    options: [...COMMON, 'states', 'actions', 'horizon'],
    build: (o, steps) => {
      const S = o.states ?? 10;
      const A = o.actions ?? 5;
      checkInteger(S, 'options.states', 1, 64);
      checkInteger(A, 'options.actions', 1, 64);
      if (o.horizon !== undefined) checkInteger(o.horizon, 'options.horizon', 1, 2 ** 31 - 1);
      if (o.horizon !== undefined && o.maxEpisodeSteps !== undefined && o.horizon !== o.maxEpisodeSteps)
        throw new RangeError('options.horizon: differs from options.maxEpisodeSteps (they are the same limit)');
      const dim = S * A * S + S * A;
      return {
        observationSpace: boxFill(S, 0, 1),
        actionSpace: discrete(A),
        maxEpisodeSteps: steps(o.horizon ?? 10),
        rewardThreshold: undefined,
        taskDim: dim,
        taskLayout: `transition probabilities P[s][a][s'] (${S}x${A}x${S}, rows sum to 1), then mean rewards R[s][a] (${S}x${A})`,
        checkTask: (t, row, name) => {
          const base = row * dim;
          for (let sa = 0; sa < S * A; sa++) {
            let total = 0;
            for (let j = 0; j < S; j++) {
              const v = t[base + sa * S + j] as number;
              if (!(v >= 0 && v <= 1))
                throw new RangeError(`${name}[${base + sa * S + j}]: expected a probability in [0, 1], got ${v}`);
              total += v;
            }
            if (Math.abs(total - 1) > 1e-3)
              throw new RangeError(`${name}: transition row ${sa} of task ${row} sums to ${total}, expected 1`);
          }
          for (let j = S * A * S; j < dim; j++) {
            const v = t[base + j] as number;
            if (!Number.isFinite(v)) throw new RangeError(`${name}[${base + j}]: expected a finite number, got ${v}`);
          }
        },
        p0: S,
        p1: A,
      };
    },
  },
  'Navigation2D-v0': {
    options: COMMON,
    build: (_o, steps) => pointNavigation(steps, 'goal [gx, gy], sampled from U[-0.5, 0.5]^2'),
  },
  'PointRobot-v0': {
    options: [...COMMON, 'dense'],
    build: (o, steps) => {
      if (o.dense !== undefined && typeof o.dense !== 'boolean')
        throw new TypeError(`options.dense: expected a boolean, got ${typeof o.dense}`);
      return {
        ...pointNavigation(steps, 'goal [gx, gy] on the upper unit half circle (angle ~ U[0, pi])'),
        p0: o.dense ? 1 : 0,
      };
    },
  },
  'Catch-v0': {
    options: COMMON,
    // bsuite Catch: episodes always terminate after 9 steps; gymnax's step limit of 1000 never binds.
    build: (_o, steps) => ({
      observationSpace: boxFill(50, 0, 1),
      actionSpace: discrete(3),
      maxEpisodeSteps: steps(1000),
      rewardThreshold: undefined,
      ...NO_TASK,
    }),
  },
  'TwoColorGrid-v0': {
    options: [...COMMON, 'swapEvery'],
    // Non-episodic: the default limit (2^31 − 1 steps) never binds in practice.
    build: (o, steps) => {
      const swapEvery = o.swapEvery ?? 100000;
      checkInteger(swapEvery, 'options.swapEvery', 1, 2 ** 31 - 1);
      return {
        observationSpace: boxFill(30, 0, 1),
        actionSpace: discrete(4),
        maxEpisodeSteps: steps(2 ** 31 - 1),
        rewardThreshold: undefined,
        ...NO_TASK,
        p0: swapEvery,
      };
    },
  },
  'Snake-v0': {
    options: COMMON,
    // Jumanji's Snake on its small 6 x 6 board; 1000 steps: Jumanji's 4000 on 12 x 12, per cell.
    build: (_o, steps) => ({
      observationSpace: boxFill(180, 0, 1),
      actionSpace: discrete(4),
      maxEpisodeSteps: steps(1000),
      rewardThreshold: undefined,
      ...NO_TASK,
    }),
  },
};

/** Every registered environment id. */
export function list(): string[] {
  return [...ENV_KINDS];
}

/** The spec of `id` under `options`; throws on an unknown id or option. */
export function spec(id: string, options: MakeOptions = {}): EnvSpec {
  if (typeof id !== 'string') throw new TypeError(`id: expected a string, got ${typeof id}`);
  const entry = Object.hasOwn(ENTRIES, id) ? ENTRIES[id as EnvId] : undefined;
  if (!entry) throw new RangeError(`id: unknown environment '${id}' (known: ${list().join(', ')})`);
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object');
  checkKnownKeys(options, entry.options, `envs.make('${id}')`);
  if (options.maxEpisodeSteps !== undefined)
    checkInteger(options.maxEpisodeSteps, 'options.maxEpisodeSteps', 1, 2 ** 31 - 1);
  const steps = (dflt: number): number => options.maxEpisodeSteps ?? dflt;
  const { p0 = 0, p1 = 0, ...rest } = entry.build(options, steps);
  return {
    id,
    ...rest,
    autoresetMode: 'same-step',
    config: new Int32Array([ENV_KINDS.indexOf(id as EnvId), rest.maxEpisodeSteps, p0, p1]),
  };
}
