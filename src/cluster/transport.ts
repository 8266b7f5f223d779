// The job interface every transport implements: evaluate a generation's jobs and return each
// job's values. The split of a generation into jobs is the master's and fixed by the options, and
// every member carries its own key, so transports differ only in where the work runs.
import type { Population } from '../evo/types.js';
import type { FitnessRef } from './fitness.js';
import { type AnyJob, encodeArray, JOB_KIND, JOB_VERSION, type JobData } from './payload.js';

/** Where jobs run. */
export interface Transport {
  /** Values of each job (its members' fitness values, or a PBT member's score), in job order. */
  evaluate(jobs: readonly AnyJob[]): Promise<Float64Array[]>;
  /** Releases threads, connections and queues. */
  close(): Promise<void>;
}

/** What one generation's jobs share. */
export interface GenerationJobs {
  readonly run: string;
  readonly seed: number;
  readonly generation: number;
  readonly fitness: FitnessRef;
  /** Members per job (the last job may hold fewer). */
  readonly membersPerJob: number;
}

/** A population split into jobs of `membersPerJob` consecutive members. */
export function makeJobs(pop: Population, g: GenerationJobs): JobData[] {
  const jobs: JobData[] = [];
  for (let start = 0; start < pop.popSize; start += g.membersPerJob) {
    const count = Math.min(g.membersPerJob, pop.popSize - start);
    jobs.push({
      kind: JOB_KIND,
      v: JOB_VERSION,
      run: g.run,
      seed: g.seed,
      generation: g.generation,
      start,
      count,
      dim: pop.dim,
      x: encodeArray(pop.x.subarray(start * pop.dim, (start + count) * pop.dim)),
      fitness: g.fitness as JobData['fitness'],
    });
  }
  return jobs;
}

/** Job values back in member order. */
export function gatherValues(jobs: readonly JobData[], values: readonly Float64Array[], popSize: number): Float64Array {
  const out = new Float64Array(popSize);
  jobs.forEach((job, j) => {
    const v = values[j];
    if (!v || v.length !== job.count)
      throw new RangeError(
        `cluster: job ${job.generation}/${job.start}: expected ${job.count} values, got ${v?.length}`,
      );
    out.set(v, job.start);
  });
  return out;
}
