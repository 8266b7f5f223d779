// Running a job of any kind: fitness evaluations here, a PBT training interval through the evo
// module (loaded only when such a job comes, so an evaluation worker never loads the RL stack).
import { runJob } from './fitness.js';
import { type AnyJob, PBT_JOB_KIND } from './payload.js';

/** The float64 values a validated job returns: member fitness values, or a PBT member's score. */
export async function runAnyJob(job: AnyJob): Promise<Float64Array> {
  if (job.kind === PBT_JOB_KIND) {
    const { runPbtJob } = await import('../evo/pbt_job.js');
    return runPbtJob(job);
  }
  return runJob(job);
}
