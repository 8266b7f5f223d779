// A PBT member's training interval as a cluster job: the worker reads the checkpoint it continues
// from a shared folder, trains with the 'ppo' trainer of evo.pbt (the same code the in-process run
// uses) and writes the new checkpoint atomically (temp file + rename), so a reader — the next
// generation, or a retry of a job whose worker died — never sees half a file. The score travels
// back as a float64 (NaN included).
import type { PbtJobData } from '../cluster/payload.js';
import { loadCheckpoint } from '../io/checkpoint.js';
import { type PbtPpoTrainerOptions, pbtPpoTrainer } from './pbt_ppo.js';

/** Trains one member for one interval; the checkpoint goes to `pbtCheckpointPath(job.dir, …)`. */
export async function runPbtJob(job: PbtJobData): Promise<Float64Array> {
  const from = job.from === null ? undefined : await loadCheckpoint(job.from);
  const trainer = pbtPpoTrainer({
    env: job.env,
    config: job.config as PbtPpoTrainerOptions['config'],
    dir: job.dir,
  });
  const r = await trainer.train({
    from,
    hyper: job.hyper,
    seed: job.seed,
    steps: job.steps,
    member: job.member,
    generation: job.generation,
  });
  return Float64Array.of(r.score);
}
