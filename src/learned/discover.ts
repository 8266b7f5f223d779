// learned.discoverPolicyObjective: LPO / TA-LPO discovery (Lu et al. 2022; Jackson et al. 2024) by
// OpenAI-ES over the drift's θ, each member's fitness the final return of a short PPO run that
// optimizes r·Â − D_θ(r, Â[, progress]). The ES is evo.openaiEs (antithetic pairs, centered ranks,
// Adam on the mean) at the LPO reproduction's settings (AlexGoldie/learn-rl-algorithms lpo_bb.py:
// σ 0.03, lr 0.03, both decayed ×0.99 per generation); population and generations are the caller's.
//
// Several meta-training envs have returns on different scales (CartPole 0…500, Acrobot −500…0), so a
// member's fitness is its centered rank among the generation on each env, averaged over the envs:
// scale-free, and equal to the plain ranking with one env. Every member of a generation trains
// with the same PPO seeds (common random numbers), so ranks compare drifts rather than luck.
import { openaiEs } from '../evo/strategies/openai_es.js';
import { adam } from '../optim/rules/adam.js';
import { exponential } from '../optim/schedules.js';
import { fold, key } from '../random/index.js';
import type { PpoConfig } from '../rl/config.js';
import { train as ppoTrain } from '../rl/ppo.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { runParallel } from './discover_pool.js';
import { type DriftFunction, driftFunction } from './drift.js';

/** PPO settings of the inner runs (everything but env, totalSteps, seed and objective). */
export type InnerPpoConfig = Omit<
  PpoConfig,
  'env' | 'totalSteps' | 'seed' | 'objective' | 'resume' | 'onUpdate' | 'signal'
>;

/** Options of `learned.discoverPolicyObjective`. */
export interface DiscoverPolicyObjectiveOptions {
  /** Meta-training env ids (discrete or continuous actions), e.g. ['CartPole-v1', 'Acrobot-v1']. */
  envs: readonly string[];
  /** TA-LPO (training progress as a drift input); default false (LPO). */
  temporal?: boolean;
  /** The drift's hidden widths; default [32] (the paper's 128 costs 4× per sample). */
  hidden?: readonly number[];
  /** ES members per generation (even: antithetic pairs); default 16. */
  population?: number;
  /** ES generations; default 10. */
  generations?: number;
  /** Environment steps of each inner PPO run (per env); default 20 000. */
  stepsPerRun?: number;
  /** Seed of θ₀, the ES noise and the inner runs' seeds; default 0. */
  seed?: number;
  /** Initial ES σ; default 0.03. */
  sigma?: number;
  /** Initial Adam rate on the ES mean; default 0.03. */
  lr?: number;
  /** Inner PPO settings (CleanRL defaults otherwise). */
  ppo?: InnerPpoConfig;
  /** Start point θ₀ (default `net.init(seed)`). */
  theta0?: Float32Array;
  /**
   * Worker threads evaluating members in parallel (default 0: in this thread, one after another).
   * The result does not depend on it: every run is keyed by (seed, generation, env), not by thread.
   */
  threads?: number;
  /** Called after each generation with its history entry and the ES mean θ after it (a copy, to checkpoint). */
  onProgress?: (entry: DiscoverHistoryEntry, theta: Float32Array) => void | Promise<void>;
}

/** One generation of discovery. */
export interface DiscoverHistoryEntry {
  /** 1-based generation. */
  generation: number;
  /** Per meta-training env: the members' mean final return. */
  meanReturn: number[];
  /** Per meta-training env: the best member's final return. */
  maxReturn: number[];
  /** σ used by this generation. */
  sigma: number;
  /** Seconds since discovery started. */
  seconds: number;
}

/** What discovery returns. */
export interface DiscoverPolicyObjectiveResult {
  /** The ES mean after the last generation: the discovered drift's θ. */
  theta: Float32Array;
  /** The drift network θ belongs to (pass both as PPO's `objective: { drift: theta, net }`). */
  net: DriftFunction;
  history: DiscoverHistoryEntry[];
}

/** One inner run as the pool sees it: plain data, so it can go to a worker thread. */
export interface InnerRun {
  env: string;
  totalSteps: number;
  seed: number;
  ppo: InnerPpoConfig;
  hidden: number[];
  temporal: boolean;
  theta: Float32Array;
}

/** The final return of one inner PPO run with a learned drift (mean over the last 100 episodes). */
export async function innerRunReturn(run: InnerRun): Promise<number> {
  const net = driftFunction({ hidden: run.hidden, temporal: run.temporal });
  const r = await ppoTrain({
    ...run.ppo,
    env: run.env,
    totalSteps: run.totalSteps,
    seed: run.seed,
    objective: { drift: run.theta, net },
  });
  const last = r.history[r.history.length - 1];
  return last ? last.meanReturn : Number.NaN;
}

/** Centered ranks in [−0.5, 0.5] (NaN ranks lowest; ties by index, deterministic). */
function centeredRanks(v: readonly number[]): number[] {
  const n = v.length;
  const score = (x: number) => (Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x);
  const order = v.map((_, i) => i).sort((a, b) => score(v[a] as number) - score(v[b] as number) || a - b);
  const out = new Array<number>(n).fill(0);
  order.forEach((m, rank) => {
    out[m] = n > 1 ? rank / (n - 1) - 0.5 : 0;
  });
  return out;
}

const KEYS = [
  'envs',
  'temporal',
  'hidden',
  'population',
  'generations',
  'stepsPerRun',
  'seed',
  'sigma',
  'lr',
  'ppo',
  'theta0',
  'threads',
  'onProgress',
];

/**
 * Meta-trains an LPO (or TA-LPO) drift with OpenAI-ES: each generation runs `population` PPO
 * trainings of `stepsPerRun` steps on every env in `envs`, one per perturbed θ, and moves the ES
 * mean towards the drifts whose runs ended with the higher returns. Deterministic per seed.
 */
export function discoverPolicyObjective(
  options: DiscoverPolicyObjectiveOptions,
): Promise<DiscoverPolicyObjectiveResult> {
  return discoverWith(options, runParallel);
}

/**
 * Discovery with the inner runs' evaluation given (`runParallel` in `discoverPolicyObjective`; a toy
 * fitness of θ in the tests, to check the ES moves the mean the right way). Not public.
 */
export async function discoverWith(
  options: DiscoverPolicyObjectiveOptions,
  evaluate: (runs: readonly InnerRun[], threads: number) => Promise<number[]>,
): Promise<DiscoverPolicyObjectiveResult> {
  const fn = 'learned.discoverPolicyObjective';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: expected an options object`);
  checkKnownKeys(options, KEYS, fn);
  const envs = options.envs;
  if (!Array.isArray(envs) || envs.length === 0 || envs.some((e) => typeof e !== 'string'))
    throw new TypeError(`${fn}: envs: expected a non-empty array of env ids`);
  const population = options.population ?? 16;
  checkInteger(population, `${fn}: population`, 2, 100_000);
  if (population % 2 !== 0) throw new RangeError(`${fn}: population: expected an even number (antithetic pairs)`);
  const generations = options.generations ?? 10;
  checkInteger(generations, `${fn}: generations`, 1, 1_000_000);
  const stepsPerRun = options.stepsPerRun ?? 20_000;
  checkInteger(stepsPerRun, `${fn}: stepsPerRun`, 1, 1e12);
  const seed = options.seed ?? 0;
  checkInteger(seed, `${fn}: seed`, 0, 2 ** 31 - 1);
  const sigma = options.sigma ?? 0.03;
  checkRange(sigma, `${fn}: sigma`, 1e-9, 100);
  const lr = options.lr ?? 0.03;
  checkRange(lr, `${fn}: lr`, 0, 100);
  const threads = options.threads ?? 0;
  checkInteger(threads, `${fn}: threads`, 0, 256);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    throw new TypeError(`${fn}: onProgress: expected a function`);
  const ppo: InnerPpoConfig = options.ppo ?? {};
  if (typeof ppo !== 'object' || ppo === null) throw new TypeError(`${fn}: ppo: expected an object of PPO options`);
  const net = driftFunction({ hidden: options.hidden ?? [32], temporal: options.temporal ?? false });
  const theta0 = options.theta0 ?? net.init(seed);
  if (!(theta0 instanceof Float32Array) || theta0.length !== net.size)
    throw new RangeError(`${fn}: theta0: expected a Float32Array of ${net.size} values (the drift's size)`);

  const es = openaiEs({
    popSize: population,
    minimize: false,
    antithetic: true,
    noise: 'normal',
    sigma,
    sigmaDecay: 0.99,
    sigmaLimit: 0,
    optimizer: adam({ lr: exponential({ init: lr, steps: 1, rate: 0.99 }) }),
  });
  const root = key(seed);
  let state = es.init(fold(root, 1), Float32Array.from(theta0));
  const history: DiscoverHistoryEntry[] = [];
  const start = Date.now();
  for (let g = 1; g <= generations; g++) {
    const pop = es.ask(state, fold(fold(root, 2), g));
    const runs: InnerRun[] = [];
    for (let e = 0; e < envs.length; e++) {
      // one PPO seed per (generation, env), shared by the members (common random numbers)
      const runSeed = (((seed * 1_000_003) >>> 0) + g * 7919 + e * 104_729) % 2 ** 31;
      for (let m = 0; m < population; m++)
        runs.push({
          env: envs[e] as string,
          totalSteps: stepsPerRun,
          seed: runSeed,
          ppo,
          hidden: [...net.hidden],
          temporal: net.temporal,
          theta: pop.x.slice(m * net.size, (m + 1) * net.size),
        });
    }
    const returns = await evaluate(runs, threads);
    const fitness = new Float64Array(population);
    const meanReturn: number[] = [];
    const maxReturn: number[] = [];
    for (let e = 0; e < envs.length; e++) {
      const r = returns.slice(e * population, (e + 1) * population);
      const ranks = centeredRanks(r);
      for (let m = 0; m < population; m++) fitness[m] = (fitness[m] as number) + (ranks[m] as number) / envs.length;
      meanReturn.push(r.reduce((s, x) => s + x, 0) / population);
      maxReturn.push(Math.max(...r.filter((x) => !Number.isNaN(x)))); // NaN: no episode ended
    }
    const entry: DiscoverHistoryEntry = {
      generation: g,
      meanReturn,
      maxReturn,
      sigma: state.sigma,
      seconds: (Date.now() - start) / 1000,
    };
    state = es.tell(state, pop, fitness);
    history.push(entry);
    await options.onProgress?.(entry, Float32Array.from(es.center(state)));
  }
  return { theta: es.center(state), net, history };
}
