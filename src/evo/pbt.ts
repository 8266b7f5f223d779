// Population-based training (Jaderberg et al. 2017, "Population Based Training of Neural
// Networks"): a population of training runs goes on in rounds of `interval` steps; after each
// round the bottom `truncation` fraction (by score) copies the state of a member drawn uniformly
// from the top fraction (exploit) and perturbs the copied hyperparameters (explore: each one
// resampled from its range with probability `resampleProb`, else multiplied by 0.8 or 1.2 and
// clipped to its range). Truncation selection and the ×0.8/×1.2 perturbation are the paper's
// choices for its RL experiments.
//
// Every random draw comes from the run seed through fixed folds, so a run is a function of its
// seed: initial hyperparameters fold(fold(key, INIT), member); member seeds
// fold(fold(fold(key, SEED), member), generation); exploit/explore draws
// fold(fold(fold(key, EXPLORE), generation), member). Members train one after another in index
// order, so nothing depends on timing.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { type ClusterOptions, checkCluster, openTransport } from '../cluster/evaluator.js';
import { JOB_VERSION, PBT_JOB_KIND, type PbtJobData } from '../cluster/payload.js';
import { type Checkpoint, loadCheckpoint } from '../io/checkpoint.js';
import { bits, fold, type Key, key as makeKey, uniform } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { type PbtPpoTrainerOptions, pbtCheckpointPath, pbtPpoTrainer } from './pbt_ppo.js';

/** Hyperparameter values by name. */
export type PbtHyper = Readonly<Record<string, number>>;

/** What a trainer is asked to do for one member in one generation. */
export interface PbtTrainStep<S> {
  /** The state to continue from (the member's own, or the one it copied); undefined in generation 0. */
  readonly from: S | undefined;
  /** The hyperparameters to train with in this generation. */
  readonly hyper: PbtHyper;
  /** The member's seed for this generation, derived from (run seed, member, generation). */
  readonly seed: number;
  /** Steps to train for in this generation (the run's `interval`). */
  readonly steps: number;
  /** Member index. */
  readonly member: number;
  /** Generation index, from 0. */
  readonly generation: number;
}

/** A trainer's answer for one step: the state reached and its score (higher is better). */
export interface PbtTrainResult<S> {
  /** The state to continue from; never modified afterwards (an exploiting member may share it). */
  readonly state: S;
  /** Higher is better; a non-finite score ranks below every finite one. */
  readonly score: number;
}

/**
 * A pluggable trainer: continues a run from a state with given hyperparameters for some steps.
 * It must not modify `from` (several members may continue from the same state).
 */
export interface PbtTrainer<S> {
  /** Trains one member for one generation: continues `step.from` with `step.hyper` and `step.seed` for `step.steps` steps. */
  train(step: PbtTrainStep<S>): PbtTrainResult<S> | Promise<PbtTrainResult<S>>;
}

/** One member's history. */
export interface PbtMemberTrace {
  /** Hyperparameters used in each generation. */
  readonly hyper: PbtHyper[];
  /** Score at the end of each generation. */
  readonly score: number[];
  /** Seed used in each generation. */
  readonly seed: number[];
  /** Whose state each generation started from (the member itself, or the member it copied); -1 in generation 0. */
  readonly parent: number[];
}

/** Statistics of one generation, passed to `onGeneration`. */
export interface PbtGeneration {
  readonly generation: number;
  /** Scores of all members at the end of this generation. */
  readonly scores: readonly number[];
  /** Hyperparameters each member trained with in this generation. */
  readonly hyper: readonly PbtHyper[];
  /** The best member this generation. */
  readonly best: number;
}

/** Options of `evo.pbt`. */
export interface PbtOptions<S> {
  /** 'ppo' (rl.ppo.train with resume from checkpoints; needs `env`) or a trainer of your own. */
  trainer: 'ppo' | PbtTrainer<S>;
  /** Environment id for the 'ppo' trainer. */
  env?: string;
  /** Fixed PPO options for the 'ppo' trainer (not the searched ones, `env`, `seed` or `totalSteps`). */
  ppo?: PbtPpoTrainerOptions['config'];
  /** For the 'ppo' trainer: also write every member's checkpoint after every generation (atomically) under this folder. */
  dir?: string;
  /** Members, ≥ 2. */
  population: number;
  /**
   * Searched hyperparameters: name → [lo, hi]. Initial values and resamples are log-uniform when
   * lo > 0, uniform otherwise; perturbed values are clipped to [lo, hi].
   */
  hyper: Readonly<Record<string, readonly [number, number]>>;
  /** Steps each member trains between exploit/explore rounds. */
  interval: number;
  /** Rounds of `interval` steps. */
  generations: number;
  /** Run seed, default 0. */
  seed?: number;
  /**
   * Fraction of the population replaced each round (bottom copies top), in [0, 0.5], default 0.25.
   * 0 turns exploit/explore off: independent runs with sampled hyperparameters (random search).
   */
  truncation?: number;
  /** Probability that explore resamples a hyperparameter instead of perturbing it, default 0.25. */
  resampleProb?: number;
  /** Called after every generation. */
  onGeneration?: (g: PbtGeneration) => void;
  /**
   * For the 'ppo' trainer: train each generation's members as cluster jobs, at once, on worker
   * threads (`{ threads }`) or `outerloop worker`s on Redis (`{ redis }`). Checkpoints are exchanged
   * through `dir`, which must be a folder every worker reads and writes (the atomic checkpoint
   * format: never half-written). Same result as the in-process run, bit for bit.
   */
  cluster?: ClusterOptions;
}

/** The outcome of `evo.pbt`. */
export interface PbtResult<S> {
  /** Every member's hyperparameter, score, seed and parent traces. */
  readonly members: PbtMemberTrace[];
  /** The member with the highest final score (lowest index on ties). */
  readonly best: { readonly member: number; readonly score: number; readonly hyper: PbtHyper; readonly state: S };
  /** Every member's final state. */
  readonly states: S[];
}

const INIT = 1;
const SEED = 2;
const EXPLORE = 3;
const KNOWN = [
  'trainer',
  'env',
  'ppo',
  'dir',
  'population',
  'hyper',
  'interval',
  'generations',
  'seed',
  'truncation',
  'resampleProb',
  'onGeneration',
  'cluster',
];
const FN = 'evo.pbt';

/** A value at uniform position u ∈ [0, 1) of [lo, hi]: log-uniform when lo > 0, uniform otherwise. */
export function pbtSample(range: readonly [number, number], u: number): number {
  const [lo, hi] = range;
  return lo > 0 ? lo * (hi / lo) ** u : lo + (hi - lo) * u;
}

/** Initial hyperparameters of `member` (names in the order given). */
export function pbtInitialHyper(runKey: Key, member: number, ranges: PbtOptions<unknown>['hyper']): PbtHyper {
  const names = Object.keys(ranges);
  const u = uniform(fold(fold(runKey, INIT), member), names.length);
  const out: Record<string, number> = {};
  names.forEach((n, j) => {
    out[n] = pbtSample(ranges[n] as [number, number], u[j] as number);
  });
  return out;
}

/** The seed of `member` in `generation`: 31 random bits from (run key, member, generation). */
export function pbtMemberSeed(runKey: Key, member: number, generation: number): number {
  return (bits(fold(fold(fold(runKey, SEED), member), generation), 1)[0] as number) >>> 1;
}

/**
 * Truncation selection: member indices ranked best first (score descending, non-finite last, ties
 * by index), and how many are replaced, floor(truncation · population).
 */
export function pbtRank(scores: readonly number[], truncation: number): { order: number[]; replaced: number } {
  const key = (s: number) => (Number.isFinite(s) ? s : Number.NEGATIVE_INFINITY);
  const order = scores.map((_, i) => i).sort((a, b) => key(scores[b] as number) - key(scores[a] as number) || a - b);
  return { order, replaced: Math.floor(truncation * scores.length) };
}

/**
 * Exploit and explore for one replaced member after `generation`: the donor is top[floor(u0 · n)]
 * of the n best; hyperparameter j is resampled from its range at u(2+2j) when u(1+2j) <
 * resampleProb, else multiplied by 0.8 when u(2+2j) < 0.5 and by 1.2 otherwise, then clipped.
 * u = uniform(fold(fold(fold(runKey, EXPLORE), generation), member), 1 + 2·names).
 */
export function pbtExploitExplore(
  runKey: Key,
  generation: number,
  member: number,
  top: readonly number[],
  donorHyper: (donor: number) => PbtHyper,
  ranges: PbtOptions<unknown>['hyper'],
  resampleProb: number,
): { donor: number; hyper: PbtHyper } {
  const names = Object.keys(ranges);
  const u = uniform(fold(fold(fold(runKey, EXPLORE), generation), member), 1 + 2 * names.length);
  const donor = top[Math.min(top.length - 1, Math.floor((u[0] as number) * top.length))] as number;
  const from = donorHyper(donor);
  const out: Record<string, number> = {};
  names.forEach((n, j) => {
    const range = ranges[n] as [number, number];
    const a = u[1 + 2 * j] as number;
    const b = u[2 + 2 * j] as number;
    const v = a < resampleProb ? pbtSample(range, b) : (from[n] as number) * (b < 0.5 ? 0.8 : 1.2);
    out[n] = Math.min(range[1], Math.max(range[0], v));
  });
  return { donor, hyper: out };
}

function checkRanges(hyper: unknown): asserts hyper is PbtOptions<unknown>['hyper'] {
  if (typeof hyper !== 'object' || hyper === null || Array.isArray(hyper))
    throw new TypeError(`${FN}: hyper: expected an object { name: [lo, hi] }`);
  const entries = Object.entries(hyper);
  if (entries.length === 0) throw new RangeError(`${FN}: hyper: name at least one hyperparameter to search`);
  for (const [n, r] of entries) {
    if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new TypeError(`${FN}: hyper.${n}: expected [lo, hi], two finite numbers`);
    if (!(r[0] < r[1])) throw new RangeError(`${FN}: hyper.${n}: expected lo < hi, got [${r[0]}, ${r[1]}]`);
  }
}

/**
 * Population-based training (Jaderberg et al. 2017). Runs `population` members for `generations`
 * rounds of `interval` steps; after each round but the last, the bottom `truncation` fraction
 * copies a top member's state (exploit) and perturbs its hyperparameters (explore). With the
 * 'ppo' trainer a member's state is a PPO training checkpoint, continued with `resume`.
 * Deterministic per seed.
 */
export async function pbt<S = Checkpoint>(options: PbtOptions<S>): Promise<PbtResult<S>> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: expected an options object`);
  checkKnownKeys(options, KNOWN, FN);
  const { population, interval, generations } = options;
  checkInteger(population, `${FN}: population`, 2, 1 << 16);
  checkInteger(interval, `${FN}: interval`, 1);
  checkInteger(generations, `${FN}: generations`, 1, 1 << 20);
  const seed = options.seed ?? 0;
  checkInteger(seed, `${FN}: seed`, 0, 2 ** 32 - 1);
  const truncation = options.truncation ?? 0.25;
  checkRange(truncation, `${FN}: truncation`, 0, 0.5);
  const resampleProb = options.resampleProb ?? 0.25;
  checkRange(resampleProb, `${FN}: resampleProb`, 0, 1);
  checkRanges(options.hyper);
  if (truncation > 0 && Math.floor(truncation * population) === 0)
    throw new RangeError(
      `${FN}: truncation: ${truncation} of ${population} members replaces none (floor(truncation·population) = 0); ` +
        'raise truncation or population, or pass 0 for independent runs',
    );
  const runKey = makeKey(seed);
  if (options.cluster === undefined) {
    const trainer = resolveTrainer(options);
    const batch: PbtBatch<S> = {
      async train(steps) {
        // One after another in member order: nothing depends on timing.
        const out: PbtTrainResult<S>[] = [];
        for (const step of steps) out.push(await trainer.train(step));
        return out;
      },
    };
    return loop(options, batch, runKey, truncation, resampleProb);
  }
  const { batch, close } = await clusterBatch(options as PbtOptions<unknown>);
  try {
    const r = await loop(options as unknown as PbtOptions<string>, batch, runKey, truncation, resampleProb);
    // The states are checkpoint files in the shared folder; the result holds them as the
    // in-process run does.
    const states = await Promise.all(r.states.map((file) => loadCheckpoint(file)));
    const best = states[r.best.member] as Checkpoint;
    return { members: r.members, best: { ...r.best, state: best }, states } as unknown as PbtResult<S>;
  } finally {
    await close();
  }
}

/** Trains a generation's members; results in step order. */
interface PbtBatch<S> {
  train(steps: readonly PbtTrainStep<S>[]): Promise<PbtTrainResult<S>[]>;
}

async function loop<S>(
  options: PbtOptions<S>,
  batch: PbtBatch<S>,
  runKey: Key,
  truncation: number,
  resampleProb: number,
): Promise<PbtResult<S>> {
  const { population, interval, generations } = options;
  const ranges = options.hyper;

  const members: PbtMemberTrace[] = [];
  let hyper: PbtHyper[] = [];
  let from: (S | undefined)[] = [];
  for (let i = 0; i < population; i++) {
    members.push({ hyper: [], score: [], seed: [], parent: [] });
    hyper.push(pbtInitialHyper(runKey, i, ranges));
    from.push(undefined);
  }
  let parents: number[] = new Array(population).fill(-1);
  let states: S[] = [];
  let scores: number[] = [];
  for (let g = 0; g < generations; g++) {
    states = [];
    scores = [];
    const steps: PbtTrainStep<S>[] = [];
    for (let i = 0; i < population; i++)
      steps.push({
        from: from[i],
        hyper: hyper[i] as PbtHyper,
        seed: pbtMemberSeed(runKey, i, g),
        steps: interval,
        member: i,
        generation: g,
      });
    const results = await batch.train(steps);
    for (let i = 0; i < population; i++) {
      const r = results[i];
      const step = steps[i] as PbtTrainStep<S>;
      if (typeof r !== 'object' || r === null || typeof r.score !== 'number')
        throw new TypeError(`${FN}: trainer: expected { state, score } from train(), got ${String(r)}`);
      const m = members[i] as PbtMemberTrace;
      m.hyper.push(step.hyper);
      m.score.push(r.score);
      m.seed.push(step.seed);
      m.parent.push(parents[i] as number);
      states.push(r.state);
      scores.push(r.score);
    }
    const { order, replaced } = pbtRank(scores, truncation);
    options.onGeneration?.({ generation: g, scores: [...scores], hyper: [...hyper], best: order[0] as number });
    if (g === generations - 1) break;
    const nextHyper = [...hyper];
    const nextFrom: (S | undefined)[] = [...states];
    const nextParents = order.map((_, i) => i);
    const top = order.slice(0, replaced);
    for (const i of order.slice(population - replaced)) {
      const { donor, hyper: h } = pbtExploitExplore(
        runKey,
        g,
        i,
        top,
        (d) => hyper[d] as PbtHyper,
        ranges,
        resampleProb,
      );
      nextHyper[i] = h;
      nextFrom[i] = states[donor];
      nextParents[i] = donor;
    }
    hyper = nextHyper;
    from = nextFrom;
    parents = nextParents;
  }
  const best = pbtRank(scores, 0).order[0] as number;
  return {
    members,
    best: { member: best, score: scores[best] as number, hyper: hyper[best] as PbtHyper, state: states[best] as S },
    states,
  };
}

// The cluster form of the 'ppo' trainer: a member's state is its checkpoint file in the shared
// folder; each generation's members go out as jobs at once, and each job writes
// pbtCheckpointPath(dir, member, generation) and returns the score.
async function clusterBatch(
  options: PbtOptions<unknown>,
): Promise<{ batch: PbtBatch<string>; close: () => Promise<void> }> {
  if (options.trainer !== 'ppo')
    throw new TypeError(`${FN}: cluster: needs the 'ppo' trainer (a trainer object cannot travel to workers)`);
  if (typeof options.env !== 'string') throw new TypeError(`${FN}: env: the 'ppo' trainer needs an env id`);
  if (typeof options.dir !== 'string')
    throw new TypeError(
      `${FN}: dir: a cluster run exchanges checkpoints through a folder every worker shares; give it`,
    );
  checkCluster(options.cluster as ClusterOptions, `${FN}: cluster`);
  // Workers on other machines resolve the folder themselves: it must not depend on their cwd.
  const dir = path.resolve(options.dir);
  const config = (options.ppo ?? {}) as Record<string, unknown>;
  // The trainer's own checks (fixed keys, searched keys) run here, before any job is queued.
  pbtPpoTrainer({ env: options.env, config: options.ppo, dir });
  const { transport } = await openTransport(options.cluster as ClusterOptions);
  const run = randomUUID();
  const env = options.env;
  return {
    batch: {
      async train(steps) {
        const jobs: PbtJobData[] = steps.map((s) => ({
          kind: PBT_JOB_KIND,
          v: JOB_VERSION,
          run,
          env,
          config,
          hyper: { ...s.hyper },
          seed: s.seed,
          steps: s.steps,
          member: s.member,
          generation: s.generation,
          from: (s.from as string | undefined) ?? null,
          dir,
        }));
        const values = await transport.evaluate(jobs);
        return steps.map((s, i) => {
          const v = values[i];
          if (v?.length !== 1)
            throw new RangeError(`${FN}: cluster: member ${s.member}: expected 1 score, got ${v?.length}`);
          return { state: pbtCheckpointPath(dir, s.member, s.generation), score: v[0] as number };
        });
      },
    },
    close: () => transport.close(),
  };
}

function resolveTrainer<S>(options: PbtOptions<S>): PbtTrainer<S> {
  const t = options.trainer;
  if (t === 'ppo') {
    if (typeof options.env !== 'string') throw new TypeError(`${FN}: env: the 'ppo' trainer needs an env id`);
    return pbtPpoTrainer({ env: options.env, config: options.ppo, dir: options.dir }) as unknown as PbtTrainer<S>;
  }
  if (typeof t === 'object' && t !== null && typeof t.train === 'function') {
    if (options.env !== undefined || options.ppo !== undefined || options.dir !== undefined)
      throw new TypeError(`${FN}: env, ppo and dir are options of the 'ppo' trainer, not of a trainer of your own`);
    return t;
  }
  throw new TypeError(`${FN}: trainer: expected 'ppo' or an object with a train(step) method`);
}
