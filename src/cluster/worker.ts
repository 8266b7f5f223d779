// The BullMQ transport, worker side: takes evaluation jobs, checks each payload, runs it and
// returns the values. A payload that is not an outerloop job, or names a module outside the
// worker's allow-list, is rejected (failed without retries) and logged; the worker keeps going.
// Locks are short (lockMs, renewed every lockMs/2) and the stalled check frequent, so a job held
// by a worker that died is back in the queue within about lockMs + stalledMs.
import * as path from 'node:path';
import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from 'bullmq';
import { checkInteger } from '../util/check.js';
import { moduleUrl } from './fitness.js';
import { runAnyJob } from './jobs.js';
import { encodeArray, JOB_KIND, PBT_JOB_KIND, parseAnyJob } from './payload.js';
import { parseRedisUrl, probeRedis, redisClient } from './redis_conn.js';
import { DEFAULT_QUEUE } from './redis_transport.js';

/** How `startWorker` (the `outerloop worker` command) connects and serves the evaluation queue. */
export interface WorkerOptions {
  /** Redis URL, e.g. 'redis://127.0.0.1:6379'. */
  redis: string;
  /** Queue name, default 'outerloop-evaluate'. */
  queue?: string;
  /** Jobs run at once, default 1. */
  concurrency?: number;
  /** When given, the only fitness modules a job may name (paths resolved against the cwd). */
  modules?: readonly string[];
  /** Lock duration in ms, default 4000. */
  lockMs?: number;
  /** Interval of the stalled-job check in ms, default 1000. */
  stalledMs?: number;
  /** Connection attempts before a clear error, default 10. */
  connectAttempts?: number;
  /** Where log lines go, default stderr. */
  log?: (line: string) => void;
}

/** A running worker. */
export interface ClusterWorker {
  /** Jobs completed and rejected so far. */
  readonly stats: { completed: number; rejected: number; failed: number };
  /** Stops taking jobs, finishes the running ones and disconnects. */
  close(): Promise<void>;
}

/** Starts a worker on the queue; resolves once it is connected. */
export async function startWorker(o: WorkerOptions): Promise<ClusterWorker> {
  if (typeof o !== 'object' || o === null) throw new TypeError('startWorker: expected an options object');
  const address = parseRedisUrl(o.redis, 'worker: redis');
  const concurrency = o.concurrency ?? 1;
  checkInteger(concurrency, 'worker: concurrency', 1, 1024);
  const lockMs = o.lockMs ?? 4000;
  checkInteger(lockMs, 'worker: lockMs', 100, 3_600_000);
  const stalledMs = o.stalledMs ?? 1000;
  checkInteger(stalledMs, 'worker: stalledMs', 100, 3_600_000);
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const allowed = o.modules ? new Set(o.modules.map((m) => moduleUrl(path.resolve(m)))) : undefined;
  await probeRedis(address, o.connectAttempts ?? 10);
  const stats = { completed: 0, rejected: 0, failed: 0 };

  const reject = (job: Job, why: string): never => {
    stats.rejected++;
    log(`worker: rejected job ${job.id} (${job.name}): ${why}`);
    throw new UnrecoverableError(`rejected: ${why}`);
  };
  const processor = async (job: Job) => {
    if (job.name !== JOB_KIND && job.name !== PBT_JOB_KIND) reject(job, `not an outerloop job (name '${job.name}')`);
    let data: ReturnType<typeof parseAnyJob>;
    try {
      data = parseAnyJob(job.data);
      if (data.kind !== job.name) throw new TypeError(`cluster: job: kind '${data.kind}' under the name '${job.name}'`);
    } catch (e) {
      return reject(job, e instanceof Error ? e.message : String(e));
    }
    if (data.kind === JOB_KIND && 'module' in data.fitness) {
      let url: string;
      try {
        url = moduleUrl(data.fitness.module);
      } catch (e) {
        return reject(job, e instanceof Error ? e.message : String(e));
      }
      if (allowed && !allowed.has(url))
        reject(job, `module '${data.fitness.module}' is not in this worker's --module list`);
    }
    try {
      const values = await runAnyJob(data);
      stats.completed++;
      return { values: encodeArray(values) };
    } catch (e) {
      stats.failed++;
      const msg = e instanceof Error ? e.message : String(e);
      log(`worker: job ${job.id} failed: ${msg}`);
      throw new UnrecoverableError(msg);
    }
  };

  const connection = (await redisClient(address)) as unknown as ConnectionOptions;
  const worker = new Worker(o.queue ?? DEFAULT_QUEUE, processor, {
    connection,
    concurrency,
    lockDuration: lockMs,
    stalledInterval: stalledMs,
    // A job whose worker died goes back to the queue; only a job that stalls this often fails.
    maxStalledCount: 20,
  });
  worker.on('error', (e) => log(`worker: ${e.message}`));
  await worker.waitUntilReady();
  return {
    stats,
    async close() {
      await worker.close();
      (connection as unknown as { disconnect(): void }).disconnect();
    },
  };
}
