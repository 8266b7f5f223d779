// How `evo.optimize` evaluates a generation: a plain function in process as before, or a fitness
// reference as jobs on a transport (in process, threads or the Redis queue). The same reference
// gives the same values on every transport.
import { randomUUID } from 'node:crypto';
import { evaluate, type FitnessFn } from '../evo/evaluate.js';
import type { Population } from '../evo/types.js';
import { checkInteger, checkKnownKeys } from '../util/check.js';
import { type FitnessRef, isFitnessRef } from './fitness.js';
import { localTransport } from './local.js';
import { fitnessRefSchema } from './payload.js';
import { threadTransport } from './threads.js';
import { gatherValues, makeJobs, type Transport } from './transport.js';

/** Where a run's evaluations go: a Redis queue served by `outerloop worker`s, or local threads. */
export type ClusterOptions =
  | {
      /** Redis URL, e.g. 'redis://127.0.0.1:6379'. */
      readonly redis: string;
      /** Queue name, default 'outerloop-evaluate'. */
      readonly queue?: string;
      /** Members per job, default ⌈popSize / 16⌉. */
      readonly membersPerJob?: number;
      /** Connection attempts before a clear error, default 10 (about 3 s). */
      readonly connectAttempts?: number;
      /** How long Redis may be lost during a run before it fails, default 10 000 ms. */
      readonly downMs?: number;
      /**
       * How long a generation may wait with no worker taking or finishing any of its jobs before
       * it fails with an error naming the queue and how to start a worker, default 60 000 ms.
       */
      readonly timeoutMs?: number;
    }
  | {
      /** Worker threads of this process. */
      readonly threads: number;
      /** Members per job, default ⌈popSize / (2·threads)⌉. */
      readonly membersPerJob?: number;
    };

/** Evaluates one generation; `close` releases what the evaluator holds. */
export interface GenerationEvaluator {
  /**
   * Fitness of every member of `pop`, in member order (length `pop.popSize`). For a fitness
   * reference, (seed, `generation`, member) key the evaluations, so the values are the same on every
   * transport. Rejects with a RangeError when a job returns the wrong number of values.
   */
  evaluate(pop: Population, generation: number): Promise<Float64Array>;
  /** Closes the transport (queue connections, worker threads); resolves once released. */
  close(): Promise<void>;
}

/** Checks cluster options; errors name `name` (e.g. 'optimize: cluster') and the bad field. */
export function checkCluster(c: ClusterOptions, name = 'optimize: cluster'): void {
  if (typeof c !== 'object' || c === null) throw new TypeError(`${name}: expected { redis } or { threads }`);
  if ('redis' in c) {
    checkKnownKeys(c, ['redis', 'queue', 'membersPerJob', 'connectAttempts', 'downMs', 'timeoutMs'], name);
    if (c.downMs !== undefined) checkInteger(c.downMs, `${name}.downMs`, 100, 86_400_000);
    if (c.timeoutMs !== undefined) checkInteger(c.timeoutMs, `${name}.timeoutMs`, 100, 86_400_000);
    if (typeof c.redis !== 'string') throw new TypeError(`${name}.redis: expected a redis:// URL`);
  } else if ('threads' in c) {
    checkKnownKeys(c, ['threads', 'membersPerJob'], name);
    checkInteger(c.threads, `${name}.threads`, 1, 1024);
  } else throw new TypeError(`${name}: expected { redis } or { threads }`);
  if (c.membersPerJob !== undefined) checkInteger(c.membersPerJob, `${name}.membersPerJob`, 1, 1 << 20);
}

/**
 * The transport of checked cluster options (in process without them), and how many jobs a
 * generation is split into by default.
 */
export async function openTransport(
  cluster: ClusterOptions | undefined,
): Promise<{ transport: Transport; spread: number }> {
  if (cluster === undefined) return { transport: localTransport(), spread: 1 };
  if ('threads' in cluster) return { transport: threadTransport(cluster.threads), spread: 2 * cluster.threads };
  const { redisTransport } = await import('./redis_transport.js');
  const transport = await redisTransport({
    url: cluster.redis,
    queue: cluster.queue,
    connectAttempts: cluster.connectAttempts,
    ...(cluster.downMs !== undefined ? { downMs: cluster.downMs } : {}),
    ...(cluster.timeoutMs !== undefined ? { timeoutMs: cluster.timeoutMs } : {}),
  });
  return { transport, spread: 16 };
}

/** The evaluator for `optimize(f, { cluster })`; `seed` is the run's seed. */
export async function generationEvaluator(
  f: FitnessFn | FitnessRef,
  cluster: ClusterOptions | undefined,
  seed: number,
): Promise<GenerationEvaluator> {
  if (typeof f === 'function') {
    if (cluster !== undefined)
      throw new TypeError(
        'optimize: cluster: a function cannot travel to workers; give the fitness as { module, export } or { builtin: "rollout", options }',
      );
    return { evaluate: (pop) => evaluate(f, pop), close: async () => {} };
  }
  if (!isFitnessRef(f))
    throw new TypeError('optimize: f: expected a function, { module, export } or { builtin: "rollout", options }');
  const parsed = fitnessRefSchema.safeParse(f);
  if (!parsed.success)
    throw new TypeError(`optimize: f: not a valid fitness reference: ${parsed.error.issues[0]?.message ?? ''}`);
  if (cluster !== undefined) checkCluster(cluster);
  const { transport, spread } = await openTransport(cluster);
  const run = randomUUID();
  return {
    async evaluate(pop, generation) {
      const membersPerJob = cluster?.membersPerJob ?? Math.ceil(pop.popSize / spread);
      const jobs = makeJobs(pop, { run, seed, generation, fitness: f, membersPerJob });
      return gatherValues(jobs, await transport.evaluate(jobs), pop.popSize);
    },
    close: () => transport.close(),
  };
}
