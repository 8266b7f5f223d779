// The population strategies of `outerloop evo` that are not ask/tell searches of one point:
// `map-elites` and `serene` (quality diversity of MLP policies on an env, behaviour descriptors
// from the rollout kernel; the run folder gets archive.jsonl — what `outerloop report` draws — and
// archive.svg, a heatmap of the archive) and `pbt` (population-based training of PPO; --redis or
// --cluster-threads trains each generation's members as cluster jobs; traces.svg shows every
// member's hyperparameters by generation).
import * as path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { backend } from '../../backend/index.js';
import type { ClusterOptions } from '../../cluster/evaluator.js';
import { spec as envSpec } from '../../envs/specs.js';
import { gridArchiveRows, sereneArchiveRows, writeArchiveJsonl } from '../../evo/archive_file.js';
import { type BehaviourDescriptor, policyBehaviour } from '../../evo/behaviour.js';
import { gridArchive } from '../../evo/grid_archive.js';
import { type PbtResult, pbt } from '../../evo/pbt.js';
import { serene } from '../../evo/serene.js';
import { mapElites } from '../../evo/strategies/map_elites.js';
import { type Checkpoint, saveCheckpoint } from '../../io/checkpoint.js';
import { fold, key as makeKey, split } from '../../random/index.js';
import { VERSION } from '../../version.js';
import { writeArchiveHeatmap, writeLineChart, writePbtTraces } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES, readMetrics } from '../run_dir.js';

/** The population strategies, by their `evo.<name>` factory name. */
export const POPULATION_STRATEGIES = {
  mapElites: 'MAP-Elites with CMA-ME emitters (Fontaine et al. 2020) over MLP policies on --env; archive heatmap',
  serene: 'SERENE (Paolo et al. 2021): novelty search + reward emitters over MLP policies on --env; archive heatmap',
  pbt: 'population-based training of PPO on --env (Jaderberg et al. 2017); hyperparameter traces',
} as const;

/** A population strategy name. */
export type PopulationStrategy = keyof typeof POPULATION_STRATEGIES;

/** The flags these strategies read (commander's camel-cased values). */
export interface PopulationCliOptions {
  env?: string;
  hidden: number[];
  envsPerMember?: number;
  maxSteps?: number;
  generations: number;
  seed: number;
  out?: string;
  json?: boolean;
  redis?: string;
  queue?: string;
  jobTimeout?: number;
  clusterThreads?: number;
  descriptor: BehaviourDescriptor;
  components?: number[];
  cells: number[];
  lower?: number[];
  upper?: number[];
  emitters?: number;
  batchSize?: number;
  sigma?: number;
  popSize?: number;
  budget?: number;
  population: number;
  interval: number;
  hyper: string;
  truncation?: number;
  [other: string]: unknown;
}

/** The files a population run adds to the run folder. */
export const POPULATION_FILES = { archive: 'archive.jsonl', heatmap: 'archive.svg', traces: 'traces.svg' } as const;

function needEnv(o: PopulationCliOptions, name: string): string {
  if (o.env === undefined) throw new InvalidArgumentError(`${name} needs --env`);
  return o.env;
}

function policySizes(env: string, hidden: readonly number[]): { sizes: number[]; dim: number } {
  const s = envSpec(env);
  const act = s.actionSpace.type === 'discrete' ? s.actionSpace.n : (s.actionSpace.shape[0] as number);
  const sizes = [s.observationSpace.shape[0] as number, ...hidden, act];
  let dim = 0;
  for (let l = 1; l < sizes.length; l++) dim += ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
  return { sizes, dim };
}

// The descriptor grid: --cells per dimension (one value repeats), --lower/--upper, or [0, 1] for
// action histograms and the observation space's bounds for final observations where finite.
function grid(o: PopulationCliOptions, env: string, sizes: number[]) {
  const b = policyBehaviour({
    env,
    sizes,
    seed: o.seed,
    descriptor: o.descriptor,
    ...(o.components ? { components: o.components } : {}),
    ...(o.envsPerMember !== undefined ? { envsPerMember: o.envsPerMember } : {}),
    ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
  });
  const k = b.descriptorDim;
  if (k > 2)
    throw new InvalidArgumentError(
      `the archive grid takes 1 or 2 descriptor components; pick them with --components (${k} now)`,
    );
  const spec = envSpec(env);
  const obs = spec.observationSpace;
  const obsDim = obs.shape[0] as number;
  const full = o.components ?? Array.from({ length: k }, (_, i) => i);
  const natural = (j: number, side: 'low' | 'high'): number => {
    const c = full[j] as number;
    const fromObs = o.descriptor !== 'actionStats' && c < obsDim;
    if (!fromObs) return side === 'low' ? (spec.actionSpace.type === 'discrete' ? 0 : -1) : 1;
    const v = obs[side][c] as number;
    if (!Number.isFinite(v) || Math.abs(v) > 1e3)
      throw new InvalidArgumentError(`observation component ${c} is unbounded; give --lower and --upper`);
    return v;
  };
  const lower = o.lower ?? full.map((_, j) => natural(j, 'low'));
  const upper = o.upper ?? full.map((_, j) => natural(j, 'high'));
  const dims = full.map((_, j) => (o.cells[j] ?? o.cells[0]) as number);
  if (lower.length !== k || upper.length !== k)
    throw new InvalidArgumentError(`--lower and --upper need ${k} value(s), one per descriptor component`);
  return { behaviour: b, dims, lower, upper };
}

function clusterOf(o: PopulationCliOptions): ClusterOptions | undefined {
  if (o.redis !== undefined && o.clusterThreads !== undefined)
    throw new InvalidArgumentError('give --redis or --cluster-threads, not both');
  if (o.redis !== undefined)
    return {
      redis: o.redis,
      ...(o.queue !== undefined ? { queue: o.queue } : {}),
      ...(o.jobTimeout !== undefined ? { timeoutMs: o.jobTimeout } : {}),
    };
  if (o.clusterThreads !== undefined) return { threads: o.clusterThreads };
  return undefined;
}

function parseHyper(s: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const part of s.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*([^:]+):(.+)$/.exec(part);
    const lo = Number(m?.[2]);
    const hi = Number(m?.[3]);
    if (!m || !Number.isFinite(lo) || !Number.isFinite(hi))
      throw new InvalidArgumentError(`--hyper: expected name=lo:hi[,name=lo:hi…], got '${part}'`);
    out[m[1] as string] = [lo, hi];
  }
  return out;
}

function print(o: PopulationCliOptions, summary: Record<string, unknown>, line: string): void {
  process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : `${line}\n`);
}

/** Runs `outerloop evo <map-elites|serene|pbt>`. */
export async function runPopulation(name: PopulationStrategy, o: PopulationCliOptions): Promise<void> {
  const env = needEnv(o, name);
  const { sizes, dim } = policySizes(env, o.hidden);
  const dir = o.out ?? path.join('runs', `${env}-${name}-s${o.seed}`);
  const cluster = clusterOf(o);
  if (cluster && name !== 'pbt')
    throw new InvalidArgumentError(
      `${name} evaluates in this process; --redis/--cluster-threads are for pbt and the ES`,
    );
  const base = {
    strategy: name,
    env,
    seed: o.seed,
    generations: o.generations,
    version: VERSION,
    backend: backend.current(),
  };
  const t0 = performance.now();
  if (name === 'pbt') {
    const hyper = parseHyper(o.hyper);
    const run = await createRunDir(dir, {
      ...base,
      population: o.population,
      interval: o.interval,
      hyper,
      redis: o.redis ?? null,
    });
    const bar = createProgress({
      total: o.generations,
      unit: 'gens',
      fields: [{ key: 'best', label: 'best' }],
      enabled: o.json ? false : undefined,
    });
    let r: PbtResult<Checkpoint>;
    try {
      r = await pbt<Checkpoint>({
        trainer: 'ppo',
        env,
        ppo: { hidden: o.hidden },
        dir: path.join(dir, 'members'),
        population: o.population,
        hyper,
        interval: o.interval,
        generations: o.generations,
        seed: o.seed,
        ...(o.truncation !== undefined ? { truncation: o.truncation } : {}),
        ...(cluster ? { cluster } : {}),
        onGeneration: (g) => {
          const finite = g.scores.filter(Number.isFinite);
          run.appendMetrics({
            generation: g.generation,
            steps: (g.generation + 1) * o.interval,
            bestScore: g.scores[g.best] as number,
            meanScore: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
            seconds: (performance.now() - t0) / 1000,
          });
          bar.update(g.generation + 1, { best: g.scores[g.best] as number });
        },
      });
    } finally {
      bar.stop();
    }
    await writePbtTraces(
      run.file(POPULATION_FILES.traces),
      r.members.map((m) => m.hyper),
      `PBT of PPO on ${env}, seed ${o.seed}`,
    );
    await saveCheckpoint(run.file(RUN_FILES.checkpoint), r.best.state);
    const summary = {
      run: dir,
      strategy: name,
      env,
      seed: o.seed,
      population: o.population,
      generations: o.generations,
      bestMember: r.best.member,
      bestScore: r.best.score,
      bestHyper: r.best.hyper,
      seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    };
    print(
      o,
      summary,
      `pbt on ${env}: best member ${r.best.member} scored ${r.best.score.toPrecision(6)} with ${JSON.stringify(r.best.hyper)}\nrun folder ${dir} (config.json, metrics.jsonl, ${POPULATION_FILES.traces}, ${RUN_FILES.checkpoint}, members/)`,
    );
    return;
  }
  const g = grid(o, env, sizes);
  const run = await createRunDir(dir, {
    ...base,
    sizes,
    descriptor: o.descriptor,
    components: o.components ?? null,
    cells: g.dims,
    lower: g.lower,
    upper: g.upper,
  });
  const archive = gridArchive({ dims: g.dims, lower: g.lower, upper: g.upper, solutionDim: dim });
  let best: Float32Array | undefined;
  let bestFitness = Number.NEGATIVE_INFINITY;
  const keep = (x: Float32Array, rewards: Float64Array, d: Float32Array) => {
    archive.add(x, rewards, d);
    rewards.forEach((f, i) => {
      if (f > bestFitness) {
        bestFitness = f;
        best = x.slice(i * dim, (i + 1) * dim);
      }
    });
  };
  let evaluations = 0;
  if (name === 'mapElites') {
    const s = mapElites({
      dims: g.dims,
      lower: g.lower,
      upper: g.upper,
      minimize: false,
      ...(o.emitters !== undefined ? { emitters: o.emitters } : {}),
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      ...(o.sigma !== undefined ? { sigma: o.sigma } : {}),
    });
    const [initKey, runKey] = split(makeKey(o.seed), 2) as [Uint32Array, Uint32Array];
    let st = s.init(initKey, new Float32Array(dim));
    const bar = createProgress({
      total: o.generations,
      unit: 'gens',
      fields: [{ key: 'coverage', label: 'coverage', digits: 3 }],
      enabled: o.json ? false : undefined,
    });
    try {
      for (let gen = 0; gen < o.generations; gen++) {
        const pop = s.ask(st, fold(runKey, gen));
        const e = g.behaviour.evaluate(pop.x);
        st = s.tell(st, pop, e.rewards, e.descriptors);
        keep(pop.x, e.rewards, e.descriptors);
        evaluations += pop.popSize;
        run.appendMetrics({
          generation: gen,
          evaluations,
          coverage: archive.coverage(),
          qdScore: archive.qdScore(),
          bestFitness,
          seconds: (performance.now() - t0) / 1000,
        });
        bar.update(gen + 1, { coverage: archive.coverage() });
      }
    } finally {
      bar.stop();
    }
  } else {
    // SERENE's own archives are unbounded; the grid here only bins what it found, for the heatmap.
    const budget = o.budget ?? 2000;
    const r = serene({
      dim,
      descriptorDim: g.behaviour.descriptorDim,
      budget,
      seed: o.seed,
      ...(o.popSize !== undefined ? { popSize: o.popSize } : {}),
      ...(o.sigma !== undefined ? { sigma: o.sigma } : {}),
      evaluate: (x) => {
        const e = g.behaviour.evaluate(x);
        keep(x, e.rewards, e.descriptors);
        evaluations += e.rewards.length;
        return e;
      },
      onProgress: (p) =>
        run.appendMetrics({
          evaluations: p.evaluations,
          phase: p.phase,
          coverage: archive.coverage(),
          bestFitness,
          archiveSize: p.archiveSize,
          seconds: (performance.now() - t0) / 1000,
        }),
    });
    await writeArchiveJsonl(run.file('serene_archives.jsonl'), sereneArchiveRows(r, g.behaviour.descriptorDim));
  }
  const rows = gridArchiveRows(archive);
  await writeArchiveJsonl(run.file(POPULATION_FILES.archive), rows);
  const names = (o.components ?? Array.from({ length: g.dims.length }, (_, i) => i)).map((c) => `${o.descriptor} ${c}`);
  await writeArchiveHeatmap(run.file(POPULATION_FILES.heatmap), rows, {
    dims: g.dims,
    lower: g.lower,
    upper: g.upper,
    axes: names,
    title: `${name} on ${env}, seed ${o.seed}: ${rows.length} of ${archive.cells} cells, best ${bestFitness.toPrecision(4)}`,
  });
  const metrics = await readMetrics(dir);
  await writeLineChart(run.file(RUN_FILES.curve), metrics, {
    x: 'evaluations',
    y: 'coverage',
    title: `${name} on ${env}: archive coverage`,
    yTitle: 'fraction of cells filled',
  });
  if (best)
    await saveCheckpoint(run.file(RUN_FILES.checkpoint), {
      kind: `evo.${name}`,
      meta: { strategy: name, env, sizes, bestFitness },
      arrays: { best, elites: archive.elites, objectives: Float32Array.from(archive.objectives) },
    });
  const summary = {
    run: dir,
    strategy: name,
    env,
    seed: o.seed,
    dim,
    evaluations,
    cells: archive.cells,
    filled: rows.length,
    coverage: archive.coverage(),
    qdScore: archive.qdScore(),
    bestFitness,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
  };
  print(
    o,
    summary,
    `${name} on ${env}: ${rows.length} of ${archive.cells} cells filled, best ${bestFitness.toPrecision(6)} after ${evaluations} evaluations\nrun folder ${dir} (config.json, metrics.jsonl, curve.svg, ${POPULATION_FILES.archive}, ${POPULATION_FILES.heatmap}${best ? `, ${RUN_FILES.checkpoint}` : ''})`,
  );
}
