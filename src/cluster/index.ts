/**
 * The public `cluster` namespace: fitness evaluation as jobs — in process, on worker threads, or on
 * a BullMQ queue over Redis served by `outerloop worker` processes — with results that do not
 * depend on where a job ran. `evo.optimize(f, { cluster })` is the usual entry point.
 *
 * @module
 */
export type { ClusterOptions, GenerationEvaluator } from './evaluator.js';
export { checkCluster, generationEvaluator, openTransport } from './evaluator.js';
export {
  type EvalContext,
  type FitnessRef,
  isFitnessRef,
  type ModuleFitness,
  type RolloutFitnessOptions,
  resolveFitness,
  runJob,
} from './fitness.js';
export { runAnyJob } from './jobs.js';
export { localTransport } from './local.js';
export {
  type AnyJob,
  JOB_KIND,
  JOB_VERSION,
  type JobData,
  jobId,
  jobSchema,
  PBT_JOB_KIND,
  type PbtJobData,
  parseAnyJob,
  parseJob,
  pbtJobSchema,
} from './payload.js';
export { parseRedisUrl, probeRedis, type RedisAddress, redisDriverAvailable } from './redis_conn.js';
export { memberKey } from './seed.js';
export { threadTransport } from './threads.js';
export { type GenerationJobs, gatherValues, makeJobs, type Transport } from './transport.js';

/** The master side of the BullMQ queue (loads bullmq and ioredis on first use). */
export async function redisTransport(
  options: import('./redis_transport.js').RedisTransportOptions,
): Promise<import('./transport.js').Transport> {
  return (await import('./redis_transport.js')).redisTransport(options);
}

/** Starts an evaluation worker on the BullMQ queue (what `outerloop worker` runs). */
export async function startWorker(
  options: import('./worker.js').WorkerOptions,
): Promise<import('./worker.js').ClusterWorker> {
  return (await import('./worker.js')).startWorker(options);
}
export type { RedisTransportOptions } from './redis_transport.js';
export type { ClusterWorker, WorkerOptions } from './worker.js';
