// SERENE (Paolo, Coninx, Doncieux & Sigaud, GECCO 2021, "Sparse Reward Exploration via Novelty
// Search and Emitters"), after the authors' code (GPaolo/SERENE core/searcher.py,
// core/evolvers/{serene,emitter_evolver}.py; reference §6.3): the evaluation budget is spent in
// alternating chunks, novelty search (NS) exploring the behaviour space, then reward-seeking
// emitters around the rewarding solutions NS found.
//  - NS: `popSize` parents, 2 Gaussian offspring each from uniformly drawn parents (σ 0.05, genome
//    clipped to bounds); novelty = mean distance to the k = 15 nearest descriptors among
//    population, offspring, NS archive and reward archive (the existing evo.noveltyArchive); the
//    `popSize` most novel of parents + offspring survive; 5 random offspring join the archive.
//  - Every NS offspring with reward > 0 is a candidate emitter. Candidates (most novel w.r.t. the
//    reward archive first) are bootstrapped: 6 members around the parent (σ = a third of the
//    parent's distance to its nearest other genome, else 0.05), 5 generations of an elitist
//    (μ + λ) GA (2 children each, best 6 by reward kept); improvement = max(mean reward of the
//    last 3 generations − of the first 3, 0); promoted when > 0. Bootstrapping stops when a third
//    of the chunk or less remains.
//  - Active emitters: one generation at a time, drawn uniformly from the first Pareto front of
//    (novelty of the emitter's parent w.r.t. the reward archive, improvement). An emitter stores
//    in the reward archive each child better than its best so far; it stops when the median of
//    the first 20 of its last 20·dim/6 + 120 generation maxima is ≥ that of the last 20, and hands
//    its most novel member back to the NS archive.
// Simplifications (said so): emitters are the default elitist GA only (no CMA-ES emitters); one
// emitter generation per pick; random draws come from the run seed, so a run is deterministic.
import { fold, type Key, key as makeKey, normal, uniform } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { noveltyArchive } from './novelty.js';

/** What `evaluate` returns for a batch of genomes. */
export interface SereneEvaluation {
  /** Reward per genome (sparse: > 0 only where the task is solved, more or less well). */
  rewards: ArrayLike<number>;
  /** Behaviour descriptors [n × descriptorDim]. */
  descriptors: Float32Array;
}

/** Options of `evo.serene`. */
export interface SereneOptions {
  /** Genome length. */
  dim: number;
  /** Behaviour descriptor length. */
  descriptorDim: number;
  /** Evaluates genomes [n × dim] (rows); called with batches, deterministic per genome is expected. */
  evaluate: (genomes: Float32Array) => SereneEvaluation;
  /** Evaluations in total (never exceeded). */
  budget: number;
  /** Run seed, default 0. */
  seed?: number;
  /** NS population, default 100. */
  popSize?: number;
  /** NS mutation σ, default 0.05. */
  sigma?: number;
  /** Genome bounds [lo, hi], default [−5, 5]; the initial population is uniform in them. */
  bounds?: readonly [number, number];
  /** Novelty neighbours, default 15. */
  k?: number;
  /** Evaluations per chunk, default 1000. */
  chunkSize?: number;
  /** Emitters on (SERENE, default) or off (plain novelty search). */
  emitters?: boolean;
  /** Called after every NS generation and every emitter generation. */
  onProgress?: (p: SereneProgress) => void;
}

/** Progress of a run. */
export interface SereneProgress {
  readonly evaluations: number;
  readonly phase: 'novelty' | 'emitter';
  /** Best reward found so far (0 before any). */
  readonly bestReward: number;
  readonly archiveSize: number;
  readonly rewardArchiveSize: number;
  readonly activeEmitters: number;
}

/** The outcome of `evo.serene`. */
export interface SereneResult {
  readonly evaluations: number;
  /** Best reward of any evaluated genome (0 when none was rewarded). */
  readonly bestReward: number;
  /** The genome with `bestReward` (undefined when none was rewarded). */
  readonly best: Float32Array | undefined;
  /** Evaluations done when the first reward > 0 was seen (−1 if never). */
  readonly firstRewardAt: number;
  /** The NS archive's descriptors [size × descriptorDim]. */
  readonly archive: Float32Array;
  /** The reward archive: genomes [n × dim], descriptors [n × descriptorDim] and rewards. */
  readonly rewardArchive: { genomes: Float32Array; descriptors: Float32Array; rewards: number[] };
  /** Emitters promoted over the run. */
  readonly emittersPromoted: number;
}

interface Emitter {
  pop: Float32Array;
  rewards: Float64Array;
  descriptors: Float32Array;
  sigma: number;
  novelty: number;
  means: number[];
  maxima: number[];
  best: number;
  improvement: number;
}

const FN = 'evo.serene';
const KNOWN = [
  'dim',
  'descriptorDim',
  'evaluate',
  'budget',
  'seed',
  'popSize',
  'sigma',
  'bounds',
  'k',
  'chunkSize',
  'emitters',
  'onProgress',
];
const EMITTER_POP = 6;
const BOOTSTRAP_GENERATIONS = 5;
const ARCHIVE_ADDS = 5;

/** The first Pareto front (maximizing both) of points (a[i], b[i]), in index order. */
export function paretoFront(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    let dominated = false;
    for (let j = 0; j < a.length && !dominated; j++)
      dominated =
        (a[j] as number) >= (a[i] as number) &&
        (b[j] as number) >= (b[i] as number) &&
        ((a[j] as number) > (a[i] as number) || (b[j] as number) > (b[i] as number));
    if (!dominated) out.push(i);
  }
  return out;
}

const mean = (xs: ArrayLike<number>, from = 0, to = xs.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i] as number;
  return s / (to - from);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * SERENE: alternating novelty search and reward-seeking emitters for sparse rewards (Paolo et al.
 * 2021); with `emitters: false`, plain novelty search (Lehman & Stanley 2011). Maximizes reward.
 */
export function serene(options: SereneOptions): SereneResult {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: expected an options object`);
  checkKnownKeys(options, KNOWN, FN);
  const { dim, descriptorDim: dd, budget } = options;
  checkInteger(dim, `${FN}: dim`, 1, 1 << 24);
  checkInteger(dd, `${FN}: descriptorDim`, 1, 1 << 16);
  checkInteger(budget, `${FN}: budget`, 1);
  if (typeof options.evaluate !== 'function') throw new TypeError(`${FN}: evaluate: expected a function`);
  const seed = options.seed ?? 0;
  checkInteger(seed, `${FN}: seed`, 0, 2 ** 32 - 1);
  const P = options.popSize ?? 100;
  checkInteger(P, `${FN}: popSize`, 2, 1 << 20);
  const sigma = options.sigma ?? 0.05;
  checkRange(sigma, `${FN}: sigma`, 0, Number.MAX_VALUE);
  const [lo, hi] = options.bounds ?? [-5, 5];
  if (!(typeof lo === 'number' && typeof hi === 'number' && lo < hi))
    throw new RangeError(`${FN}: bounds: expected [lo, hi] with lo < hi`);
  const k = options.k ?? 15;
  checkInteger(k, `${FN}: k`, 1, 1 << 20);
  const chunk = options.chunkSize ?? 1000;
  checkInteger(chunk, `${FN}: chunkSize`, 1);
  const useEmitters = options.emitters ?? true;
  if (typeof useEmitters !== 'boolean') throw new TypeError(`${FN}: emitters: expected a boolean`);
  if (budget < P) throw new RangeError(`${FN}: budget: ${budget} is below one population (${P})`);

  const runKey = makeKey(seed);
  let draw = 0;
  const next = (): Key => fold(runKey, draw++);
  const clip = (v: number) => Math.min(hi, Math.max(lo, v));
  const archive = noveltyArchive({ dim: dd, k });
  const reward = { genomes: [] as Float32Array[], descriptors: [] as Float32Array[], rewards: [] as number[] };
  const rewardDescriptors = () => {
    const out = new Float32Array(reward.rewards.length * dd);
    reward.descriptors.forEach((d, i) => {
      out.set(d, i * dd);
    });
    return out;
  };
  let evaluations = 0;
  let bestReward = 0;
  let best: Float32Array | undefined;
  let firstRewardAt = -1;
  let promoted = 0;

  const evaluate = (genomes: Float32Array): { rewards: Float64Array; descriptors: Float32Array } => {
    const n = genomes.length / dim;
    const r = options.evaluate(genomes);
    if (r?.descriptors?.length !== n * dd || r.rewards?.length !== n)
      throw new RangeError(`${FN}: evaluate: expected ${n} rewards and ${n}×${dd} descriptors`);
    const rewards = Float64Array.from(r.rewards);
    for (let i = 0; i < n; i++) {
      const v = rewards[i] as number;
      if (v > 0 && firstRewardAt < 0) firstRewardAt = evaluations + i + 1;
      if (v > bestReward) {
        bestReward = v;
        best = genomes.slice(i * dim, (i + 1) * dim);
      }
    }
    evaluations += n;
    return { rewards, descriptors: r.descriptors };
  };
  const mutate = (parents: Float32Array, rows: readonly number[], s: number): Float32Array => {
    const out = new Float32Array(rows.length * dim);
    const eps = normal(next(), out.length);
    rows.forEach((p, i) => {
      for (let d = 0; d < dim; d++)
        out[i * dim + d] = clip((parents[p * dim + d] as number) + s * (eps[i * dim + d] as number));
    });
    return out;
  };
  /** Novelty of `batch` rows w.r.t. the other rows, the NS archive and the reward archive. */
  const noveltyOf = (batch: Float32Array): Float64Array => {
    const rd = rewardDescriptors();
    const all = new Float32Array(batch.length + rd.length);
    all.set(batch);
    all.set(rd, batch.length);
    return archive.novelty(all).subarray(0, batch.length / dd);
  };
  /** Novelty of descriptors w.r.t. the reward archive only (mean distance to its k nearest). */
  const rewardNovelty = (desc: Float32Array): number => {
    if (reward.rewards.length === 0) return Number.POSITIVE_INFINITY;
    const dist = reward.descriptors.map((d) => Math.hypot(...Array.from(d, (v, j) => v - (desc[j] as number))));
    dist.sort((p, q) => p - q);
    return mean(dist, 0, Math.min(k, dist.length));
  };
  const progress = (phase: SereneProgress['phase'], active: number) =>
    options.onProgress?.({
      evaluations,
      phase,
      bestReward,
      archiveSize: archive.size,
      rewardArchiveSize: reward.rewards.length,
      activeEmitters: active,
    });

  // ---- novelty search -----------------------------------------------------------------------
  let pop = Float32Array.from(uniform(next(), P * dim), (u) => lo + (hi - lo) * u);
  let popEval = evaluate(pop);
  const candidates: { genome: Float32Array; descriptor: Float32Array; sigma: number }[] = [];
  const nsGeneration = () => {
    const u = uniform(next(), 2 * P + ARCHIVE_ADDS);
    const rows = Array.from({ length: 2 * P }, (_, i) => Math.min(P - 1, Math.floor((u[i] as number) * P)));
    const off = mutate(pop, rows, sigma);
    const offEval = evaluate(off);
    const genomes = new Float32Array(3 * P * dim);
    genomes.set(pop);
    genomes.set(off, P * dim);
    const desc = new Float32Array(3 * P * dd);
    desc.set(popEval.descriptors);
    desc.set(offEval.descriptors, P * dd);
    const rewards = new Float64Array(3 * P);
    rewards.set(popEval.rewards);
    rewards.set(offEval.rewards, P);
    const nov = noveltyOf(desc);
    const order = Array.from({ length: 3 * P }, (_, i) => i).sort(
      (p, q) => (nov[q] as number) - (nov[p] as number) || p - q,
    );
    // Candidate emitters: rewarded offspring; σ from the distance to the nearest other genome.
    for (let i = 0; i < 2 * P; i++) {
      if (!((offEval.rewards[i] as number) > 0) || !useEmitters) continue;
      const g = off.subarray(i * dim, (i + 1) * dim);
      let nearest = Number.POSITIVE_INFINITY;
      for (let j = 0; j < 3 * P; j++) {
        if (j === P + i) continue;
        let s = 0;
        for (let d = 0; d < dim; d++) s += ((genomes[j * dim + d] as number) - (g[d] as number)) ** 2;
        nearest = Math.min(nearest, Math.sqrt(s));
      }
      candidates.push({
        genome: g.slice(),
        descriptor: offEval.descriptors.slice(i * dd, (i + 1) * dd),
        sigma: Number.isFinite(nearest) && nearest > 0 ? nearest / 3 : 0.05,
      });
    }
    const keep = order.slice(0, P);
    pop = new Float32Array(P * dim);
    const pd = new Float32Array(P * dd);
    const pr = new Float64Array(P);
    keep.forEach((j, i) => {
      pop.set(genomes.subarray(j * dim, (j + 1) * dim), i * dim);
      pd.set(desc.subarray(j * dd, (j + 1) * dd), i * dd);
      pr[i] = rewards[j] as number;
    });
    popEval = { rewards: pr, descriptors: pd };
    const adds = new Set<number>();
    for (let a = 0; a < ARCHIVE_ADDS; a++) adds.add(Math.min(2 * P - 1, Math.floor((u[2 * P + a] as number) * 2 * P)));
    archive.add(
      offEval.descriptors,
      [...adds].sort((p, q) => p - q),
    );
  };

  // ---- emitters ------------------------------------------------------------------------------
  const window = Math.floor((20 * dim) / 6 + 120);
  const emitters: Emitter[] = [];
  const storeIfBetter = (
    e: Emitter,
    genomes: Float32Array,
    ev: { rewards: Float64Array; descriptors: Float32Array },
  ) => {
    for (let i = 0; i < ev.rewards.length; i++) {
      const r = ev.rewards[i] as number;
      if (r > e.best && r > 0) {
        e.best = r;
        reward.genomes.push(genomes.slice(i * dim, (i + 1) * dim));
        reward.descriptors.push(ev.descriptors.slice(i * dd, (i + 1) * dd));
        reward.rewards.push(r);
      }
    }
  };
  const emitterGeneration = (e: Emitter) => {
    const rows = Array.from({ length: 2 * EMITTER_POP }, (_, i) => i >> 1);
    const kids = mutate(e.pop, rows, e.sigma);
    const ev = evaluate(kids);
    storeIfBetter(e, kids, ev);
    const n = 3 * EMITTER_POP;
    const all = new Float32Array(n * dim);
    all.set(e.pop);
    all.set(kids, EMITTER_POP * dim);
    const r = new Float64Array(n);
    r.set(e.rewards);
    r.set(ev.rewards, EMITTER_POP);
    const d = new Float32Array(n * dd);
    d.set(e.descriptors);
    d.set(ev.descriptors, EMITTER_POP * dd);
    const keep = Array.from({ length: n }, (_, i) => i)
      .sort((p, q) => (r[q] as number) - (r[p] as number) || p - q)
      .slice(0, EMITTER_POP);
    e.pop = new Float32Array(EMITTER_POP * dim);
    e.rewards = new Float64Array(EMITTER_POP);
    e.descriptors = new Float32Array(EMITTER_POP * dd);
    keep.forEach((j, i) => {
      e.pop.set(all.subarray(j * dim, (j + 1) * dim), i * dim);
      e.rewards[i] = r[j] as number;
      e.descriptors.set(d.subarray(j * dd, (j + 1) * dd), i * dd);
    });
    e.means.push(mean(ev.rewards));
    e.maxima.push(Math.max(...ev.rewards));
    const m = e.means.length;
    e.improvement = m >= 2 ? Math.max(mean(e.means, m - Math.min(3, m)) - mean(e.means, 0, Math.min(3, m)), 0) : 0;
  };
  const stagnated = (e: Emitter) => {
    if (e.maxima.length < window) return false;
    const w = e.maxima.slice(-window);
    return median(w.slice(0, 20)) >= median(w.slice(-20));
  };
  const retire = (e: Emitter) => {
    const nov = archive.novelty(e.descriptors);
    let j = 0;
    for (let i = 1; i < EMITTER_POP; i++) if ((nov[i] as number) > (nov[j] as number)) j = i;
    archive.add(e.descriptors, [j]);
  };
  const emitterChunk = (end: number) => {
    // Bootstrap candidates, most novel w.r.t. the reward archive first.
    const bootstrapCost = EMITTER_POP + BOOTSTRAP_GENERATIONS * 2 * EMITTER_POP;
    const scored = candidates.splice(0).map((c) => ({ c, nov: rewardNovelty(c.descriptor) }));
    scored.sort((p, q) => q.nov - p.nov);
    for (const { c, nov } of scored) {
      if (end - evaluations <= chunk / 3 || evaluations + bootstrapCost > budget) break;
      const rows = new Array(EMITTER_POP).fill(0);
      const start = mutate(c.genome, rows, c.sigma);
      start.set(c.genome); // the parent itself is the first member
      const ev = evaluate(start);
      const e: Emitter = {
        pop: start,
        rewards: ev.rewards,
        descriptors: ev.descriptors,
        sigma: c.sigma,
        novelty: nov,
        means: [mean(ev.rewards)],
        maxima: [Math.max(...ev.rewards)],
        best: 0,
        improvement: 0,
      };
      storeIfBetter(e, start, ev);
      for (let g = 0; g < BOOTSTRAP_GENERATIONS; g++) emitterGeneration(e);
      if (e.improvement > 0) {
        emitters.push(e);
        promoted++;
      }
      progress('emitter', emitters.length);
    }
    while (emitters.length > 0 && evaluations < end && evaluations + 2 * EMITTER_POP <= budget) {
      const front = paretoFront(
        emitters.map((e) => e.novelty),
        emitters.map((e) => e.improvement),
      );
      const pick = front[
        Math.min(front.length - 1, Math.floor((uniform(next(), 1)[0] as number) * front.length))
      ] as number;
      const e = emitters[pick] as Emitter;
      emitterGeneration(e);
      if (stagnated(e)) {
        retire(e);
        emitters.splice(pick, 1);
      }
      progress('emitter', emitters.length);
    }
  };

  // ---- the alternating schedule ------------------------------------------------------------------
  while (evaluations + 2 * P <= budget) {
    const end = Math.min(budget, evaluations + chunk);
    do {
      nsGeneration();
      progress('novelty', emitters.length);
    } while (evaluations < end && evaluations + 2 * P <= budget);
    if (useEmitters && (candidates.length > 0 || emitters.length > 0))
      emitterChunk(Math.min(budget, evaluations + chunk));
  }

  const n = reward.rewards.length;
  const genomes = new Float32Array(n * dim);
  reward.genomes.forEach((g, i) => {
    genomes.set(g, i * dim);
  });
  return {
    evaluations,
    bestReward,
    best,
    firstRewardAt,
    archive: archive.descriptors(),
    rewardArchive: { genomes, descriptors: rewardDescriptors(), rewards: reward.rewards },
    emittersPromoted: promoted,
  };
}
