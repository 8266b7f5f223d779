// metaRl.maml: MAML for RL (Finn et al. 2017) with pytorch-maml-rl's 2D-navigation defaults.
// Each meta-iteration samples metaBatch tasks, adapts to each with innerSteps VPG steps on fresh
// episodes (one vector env of metaBatch × episodesPerTask rows, per-row tasks), samples validation
// episodes with the adapted policies and updates the initialization by MAML-TRPO (exact
// second-order meta-gradient, KL Fisher products through the adaptation, CG, line search) or by
// ProMP-style clipped PPO epochs. Everything is deterministic in the seed; training saves and
// resumes bit-identically.

import { adam } from '../../optim/index.js';
import type { OptState } from '../../optim/types.js';
import { fold, type Key, key as makeKey } from '../../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys } from '../../util/check.js';
import { loadMetaRlState, saveMetaRlState } from './checkpoint.js';
import { type MamlConfig, type ResolvedMaml, resolveMamlConfig } from './config.js';
import { adaptAll, type InnerLoop, type StepReturn, summarize } from './evaluate.js';
import { EnvPool, MetaBatch } from './meta_batch.js';
import { type OuterStats, ppoEpochs, trpoStep } from './outer.js';
import { makePolicy, type Policy } from './policy.js';

export type { MamlConfig, MamlHyperparameters } from './config.js';
export { MAML_DEFAULTS, MAML_OPTIONS } from './config.js';
export type { MetaEnvOptions } from './env.js';
export type { StepReturn } from './evaluate.js';

/** One meta-iteration's figures (onProgress, history, metrics.jsonl). */
export interface MetaRlProgress extends OuterStats {
  iteration: number;
  iterations: number;
  /** Mean episode return before adaptation (the first inner batch). */
  preReturn: number;
  /** Mean episode return after the inner steps (the validation batch). */
  postReturn: number;
  /** Env steps this iteration. */
  envSteps: number;
  /** Seconds since train() started (not part of the determinism). */
  seconds: number;
}

/** Options of {@link MetaRlLearner.train}. */
export interface MetaRlTrainOptions {
  /** Meta-iterations to reach (counted from 0, including any resumed ones). */
  iterations: number;
  /** Seed of the initialization, tasks and sampling (default 0). */
  seed?: number;
  /** Starting parameters (default: the policy's Xavier init from the seed). */
  init?: Float32Array;
  /** Called after every meta-iteration with its figures. */
  onProgress?: (p: MetaRlProgress) => void;
  /** Stops after the current iteration (the result says aborted). */
  signal?: AbortSignal;
  /** Save the training state to this file every `checkpointEvery` iterations and at the end. */
  checkpoint?: string;
  /** Iterations between checkpoints (default 10). */
  checkpointEvery?: number;
  /** Continue from a saved state (the seed and config are the checkpoint's). */
  resume?: string;
}

/** What {@link MetaRlLearner.train} resolves to. */
export interface MetaRlTrainResult {
  /** The meta-learned initialization. */
  params: Float32Array;
  /** The iteration reached. */
  iteration: number;
  /** One entry per meta-iteration run in this call. */
  history: MetaRlProgress[];
  /** True when `signal` stopped training early. */
  aborted: boolean;
}

/** Options of {@link MetaRlLearner.adapt}. */
export interface AdaptOptions {
  /** Inner steps (default: the config's innerSteps, at least 1). */
  steps?: number;
  /** Episodes per step (default episodesPerTask). */
  episodes?: number;
  /** Seed of the episodes (default 0). */
  seed?: number;
}

/** Options of {@link MetaRlLearner.evaluate}. */
export interface MetaRlEvaluateOptions {
  /** Held-out tasks: a count (sampled from the seed; default 40) or rows [n × taskDim]. */
  tasks?: number | Float32Array;
  /** Adaptation steps to report (default [0, 1, 2, 3]). */
  steps?: number[];
  /** Episodes per task and step (default episodesPerTask). */
  episodes?: number;
  /** Seed of the tasks and episodes (default 0). */
  seed?: number;
  /**
   * The baselines adapted the same way: a random initialization (default true) and a policy
   * pre-trained on the task mixture without adaptation (multi-task TRPO, innerSteps 0):
   * its parameters, { iterations } to train it here (default 100), or false.
   */
  baselines?: {
    random?: boolean;
    pretrained?: Float32Array | { iterations: number } | false;
    /**
     * The oracle (default false): a multi-task policy that observes the task (appended to the
     * observation), trained here for `iterations` meta-iterations of multi-task TRPO and adapted
     * the same way — the reference the adaptation is chasing.
     */
    oracle?: { iterations: number } | false;
  };
}

/** Held-out return per number of adaptation steps, for the initialization and the baselines. */
export interface MetaRlEvaluation {
  /** Held-out tasks evaluated. */
  tasks: number;
  /** Episodes per task and step. */
  episodes: number;
  /** The requested adaptation steps. */
  steps: number[];
  /** Mean return of the given (meta-learned) initialization per entry of `steps`. */
  returns: number[];
  /** Their 95% half-widths. */
  ci95: number[];
  /** The same, per step, as rows. */
  meta: StepReturn[];
  /** The random-initialization baseline, adapted the same way. */
  random?: StepReturn[];
  /** The multi-task pre-trained baseline, adapted the same way. */
  pretrained?: StepReturn[];
  /** The task-observing oracle, adapted the same way (when asked for). */
  oracle?: StepReturn[];
}

/** The object metaRl.maml and metaRl.reptile return. */
export interface MetaRlLearner {
  /** The resolved configuration (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Length of the packed parameter vector ([MLP weights | log-std]; categorical: the MLP weights). */
  readonly size: number;
  /** Fresh parameters from a seed. */
  init(seed: number): Float32Array;
  /** Meta-trains (or resumes) up to `options.iterations` meta-iterations; deterministic per seed. */
  train(options: MetaRlTrainOptions): Promise<MetaRlTrainResult>;
  /** θ after `steps` inner steps on `task` [taskDim] (VPG; metaRl.reptile with inner 'ppo': PPO updates), each on fresh episodes. */
  adapt(params: Float32Array, task: Float32Array, options?: AdaptOptions): Promise<Float32Array>;
  /** Held-out return (mean ± 95% CI) after each number of adaptation steps, beside the baselines. */
  evaluate(params: Float32Array, options?: MetaRlEvaluateOptions): Promise<MetaRlEvaluation>;
  /**
   * One episode on `task` with the policy's mean action (categorical: the most likely one; no sampling): the observations visited
   * [(steps + 1) × obsDim] (for Navigation2D-v0, the positions) and the return.
   */
  meanEpisode(params: Float32Array, task: Float32Array): { obs: Float32Array; return: number };
}

/** The first index of the largest entry. */
function argmax(y: Float32Array): number {
  let a = 0;
  for (let j = 1; j < y.length; j++) if ((y[j] as number) > (y[a] as number)) a = j;
  return a;
}

/** One outer update of the meta-parameters in place (MAML-TRPO, PPO, Reptile). */
export type OuterUpdate = (
  c: ResolvedMaml,
  policy: Policy,
  pool: EnvPool,
  theta: Float32Array,
  tasks: Float32Array,
  key: Key,
  opt: OptState | undefined,
) => { stats: OuterStats; preReturn: number; postReturn: number; envSteps: number };

const mamlUpdate: OuterUpdate = (c, policy, pool, theta, tasks, key, opt) => {
  const mb = MetaBatch.sample(policy, c, pool, theta, tasks, key);
  const stats = c.outer === 'ppo' ? ppoEpochs(mb, theta, adam({ lr: c.ppoLr }), opt as OptState) : trpoStep(mb, theta);
  return { stats, preReturn: mb.preReturn(), postReturn: mb.postReturn(), envSteps: mb.envSteps() };
};

/** The shared train/adapt/evaluate around an outer update. @internal */
export function metaRlLearner(
  c: ResolvedMaml,
  kind: string,
  fn: string,
  update: OuterUpdate,
  optimizerInit: ((theta: Float32Array) => OptState) | undefined,
  pretrain: (iterations: number, seed: number) => Promise<Float32Array>,
  oracle: () => MetaRlLearner,
  observeTask = false,
  /** The adaptation's inner loop (default: c.innerLr VPG steps), used by adapt and evaluate. */
  innerLoop?: InnerLoop,
): MetaRlLearner {
  const pool = new EnvPool(c, fn, observeTask);
  const policy = makePolicy(pool.any(), c.hidden, c.activation);
  const taskDim = pool.any().taskDim;
  const config = Object.freeze({ ...c });

  const checkParams = (p: unknown, name: string): Float32Array => {
    checkFloat32(p, `${fn}: ${name}`, policy.size);
    return p;
  };

  return {
    config,
    size: policy.size,
    init: (seed) => {
      checkInteger(seed, `${fn}: seed`);
      return policy.init(fold(makeKey(seed), 0));
    },

    async train(o) {
      if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}.train: expected { iterations, seed, ... }`);
      checkKnownKeys(
        o,
        ['iterations', 'seed', 'init', 'onProgress', 'signal', 'checkpoint', 'checkpointEvery', 'resume'],
        `${fn}.train`,
      );
      checkInteger(o.iterations, `${fn}.train: iterations`, 0, 1e9);
      const every = o.checkpointEvery ?? 10;
      checkInteger(every, `${fn}.train: checkpointEvery`, 1);
      let seed = o.seed ?? 0;
      checkInteger(seed, `${fn}.train: seed`);
      let theta: Float32Array;
      let start = 0;
      let opt: OptState | undefined;
      const history: MetaRlProgress[] = [];
      if (o.resume !== undefined) {
        const s = await loadMetaRlState(o.resume, kind, `${fn}.train`);
        if (JSON.stringify(s.config) !== JSON.stringify(config))
          throw new RangeError(`${fn}.train: resume: the checkpoint was saved with another config`);
        theta = checkParams(s.params, 'resume params').slice();
        start = s.iteration;
        seed = s.seed;
        opt = s.opt;
        history.push(...(s.history as unknown as MetaRlProgress[]));
      } else
        theta = o.init !== undefined ? checkParams(o.init, 'train: init').slice() : policy.init(fold(makeKey(seed), 0));
      opt ??= optimizerInit?.(theta);
      const root = makeKey(seed);
      const t0 = performance.now();
      const save = async (iteration: number) => {
        if (o.checkpoint)
          await saveMetaRlState(o.checkpoint, {
            kind,
            config,
            iteration,
            seed,
            params: theta,
            ...(opt ? { opt } : {}),
            history: history as unknown as Record<string, number>[],
          });
      };
      let aborted = false;
      let it = start;
      for (; it < o.iterations; it++) {
        if (o.signal?.aborted) {
          aborted = true;
          break;
        }
        const key = fold(root, it + 1);
        const tasks = pool.any().sampleTasks(fold(key, 0x5eed), c.metaBatch);
        const r = update(c, policy, pool, theta, tasks, fold(key, 1), opt);
        const p: MetaRlProgress = {
          iteration: it + 1,
          iterations: o.iterations,
          preReturn: r.preReturn,
          postReturn: r.postReturn,
          envSteps: r.envSteps,
          ...r.stats,
          seconds: (performance.now() - t0) / 1000,
        };
        history.push(p);
        o.onProgress?.(p);
        if ((it + 1) % every === 0) await save(it + 1);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await save(it);
      return { params: theta, iteration: it, history, aborted };
    },

    async adapt(params, task, o = {}) {
      checkParams(params, 'adapt: params');
      checkFloat32(task, `${fn}.adapt: task`, taskDim);
      checkKnownKeys(o, ['steps', 'episodes', 'seed'], `${fn}.adapt`);
      const steps = o.steps ?? Math.max(1, c.innerSteps);
      const episodes = o.episodes ?? c.episodesPerTask;
      checkInteger(steps, `${fn}.adapt: steps`, 0, 1000);
      checkInteger(episodes, `${fn}.adapt: episodes`, 1, 1 << 16);
      const seed = o.seed ?? 0;
      checkInteger(seed, `${fn}.adapt: seed`);
      const r = adaptAll(pool, policy, c, params, task, steps, episodes, c.innerLr, makeKey(seed), innerLoop);
      return r.adapted[0] as Float32Array;
    },

    meanEpisode(params, task) {
      checkParams(params, 'meanEpisode: params');
      checkFloat32(task, `${fn}.meanEpisode: task`, taskDim);
      const env = pool.get(1);
      env.setTasks(task);
      let obs = env.reset(0);
      const W = params.subarray(0, policy.mlpSize);
      const seen: number[] = [...obs];
      let ret = 0;
      for (let t = 0; t < env.spec.maxEpisodeSteps; t++) {
        const y = policy.mlp.forward(W, obs, 1);
        const r = env.step(policy.kind === 'categorical' ? Int32Array.of(argmax(y)) : y);
        ret += r.reward[0] as number;
        const ended = (r.terminated[0] as number) === 1 || (r.truncated[0] as number) === 1;
        seen.push(...(ended ? r.finalObs : r.obs));
        if (ended) break;
        obs = r.obs;
      }
      return { obs: Float32Array.from(seen), return: ret };
    },

    async evaluate(params, o = {}) {
      checkParams(params, 'evaluate: params');
      checkKnownKeys(o, ['tasks', 'steps', 'episodes', 'seed', 'baselines'], `${fn}.evaluate`);
      const seed = o.seed ?? 0;
      checkInteger(seed, `${fn}.evaluate: seed`);
      const root = makeKey(seed);
      let tasks: Float32Array;
      if (o.tasks instanceof Float32Array) {
        if (o.tasks.length === 0 || o.tasks.length % taskDim !== 0)
          throw new RangeError(`${fn}.evaluate: tasks: expected [n × ${taskDim}] task rows`);
        tasks = o.tasks;
      } else {
        const n = o.tasks ?? 40;
        checkInteger(n, `${fn}.evaluate: tasks`, 1, 1 << 16);
        tasks = pool.any().sampleTasks(fold(root, 1), n);
      }
      const steps = o.steps ?? [0, 1, 2, 3];
      if (!Array.isArray(steps) || steps.length === 0)
        throw new TypeError(`${fn}.evaluate: steps: expected a non-empty array`);
      for (const s of steps) checkInteger(s, `${fn}.evaluate: steps`, 0, 1000);
      const episodes = o.episodes ?? c.episodesPerTask;
      checkInteger(episodes, `${fn}.evaluate: episodes`, 1, 1 << 16);
      const b = o.baselines ?? {};
      checkKnownKeys(b, ['random', 'pretrained', 'oracle'], `${fn}.evaluate: baselines`);
      const maxSteps = Math.max(...steps);
      const key = fold(root, 2);
      const run = (theta: Float32Array): StepReturn[] => {
        const r = adaptAll(pool, policy, c, theta, tasks, maxSteps, episodes, c.innerLr, key, innerLoop);
        return steps.map((s) => summarize(s, r.returns[s] as Float64Array));
      };
      const meta = run(params);
      const out: MetaRlEvaluation = {
        tasks: tasks.length / taskDim,
        episodes,
        steps: [...steps],
        returns: meta.map((s) => s.mean),
        ci95: meta.map((s) => s.ci95),
        meta,
      };
      if (b.random !== false) out.random = run(policy.init(fold(root, 3)));
      const pre = b.pretrained ?? { iterations: 100 };
      if (pre instanceof Float32Array) out.pretrained = run(checkParams(pre, 'evaluate: baselines.pretrained'));
      else if (pre !== false) {
        checkInteger(pre.iterations, `${fn}.evaluate: baselines.pretrained.iterations`, 0, 1e9);
        out.pretrained = run(await pretrain(pre.iterations, seed));
      }
      if (b.oracle) {
        checkInteger(b.oracle.iterations, `${fn}.evaluate: baselines.oracle.iterations`, 0, 1e9);
        const o = oracle();
        const trained = await o.train({ iterations: b.oracle.iterations, seed: seed + 2 });
        const ev = await o.evaluate(trained.params, {
          tasks,
          steps,
          episodes,
          seed,
          baselines: { random: false, pretrained: false },
        });
        out.oracle = ev.meta;
      }
      return out;
    },
  };
}

/**
 * MAML for reinforcement learning: `train` meta-learns a policy initialization, `adapt` runs the
 * inner VPG steps on one task, `evaluate` reports held-out return per adaptation step next to a
 * random initialization and a multi-task-pretrained policy adapted the same way.
 *
 * ```ts
 * const maml = metaRl.maml({ env: 'Navigation2D-v0' }); // pytorch-maml-rl's 2D-navigation setting
 * const { params } = await maml.train({ iterations: 500, seed: 0 });
 * const ev = await maml.evaluate(params, { tasks: 40, steps: [0, 1, 2, 3] });
 * ```
 */
export function maml(config: MamlConfig): MetaRlLearner {
  return mamlLearner(config, false);
}

/** metaRl.maml, or (observeTask) the same learner on envs whose observations carry the task. @internal */
export function mamlLearner(config: MamlConfig, observeTask: boolean): MetaRlLearner {
  const fn = 'metaRl.maml';
  const c = resolveMamlConfig(config, fn);
  return metaRlLearner(
    c,
    'metaRl.maml',
    fn,
    mamlUpdate,
    c.outer === 'ppo' ? (th) => adam({ lr: c.ppoLr }).init(th) : undefined,
    async (iterations, seed) => {
      const multiTask = maml({ ...config, innerSteps: 0, outer: 'trpo' });
      return (await multiTask.train({ iterations, seed: seed + 1 })).params;
    },
    () => mamlLearner({ ...config, innerSteps: 0, outer: 'trpo' }, true),
    observeTask,
  );
}
