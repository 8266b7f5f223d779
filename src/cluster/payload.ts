// The evaluation job on the wire: what a master puts in the queue and a worker checks before it
// runs anything. Members travel as the bytes of their float32 rows and fitness values as the
// bytes of float64s (base64), so a distributed run sees exactly the numbers a local one does
// (NaN and ±Inf included, which JSON numbers cannot carry).
import { z } from 'zod';

/** The `kind` every outerloop evaluation job carries; a job without it is foreign. */
export const JOB_KIND = 'outerloop/evaluate';
/** Version of the payload layout. */
export const JOB_VERSION = 1;

const rolloutOptions = z
  .object({
    env: z.string().min(1),
    envOptions: z.record(z.string(), z.unknown()).optional(),
    sizes: z.array(z.number().int().min(1)).min(2),
    activation: z.string().optional(),
    outputActivation: z.string().optional(),
    envsPerMember: z.number().int().min(1).optional(),
    maxSteps: z.number().int().min(1).optional(),
    commonEnvSeeds: z.boolean().optional(),
  })
  .strict();

/** A fitness a worker can run: a built-in by name, or an export of an ES module on the worker's machine. */
export const fitnessRefSchema = z.union([
  z.object({ builtin: z.literal('rollout'), options: rolloutOptions }).strict(),
  z.object({ module: z.string().min(1), export: z.string().min(1).optional() }).strict(),
]);

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

/** One job: members start … start+count−1 of one generation, their rows in `x`. */
export const jobSchema = z
  .object({
    kind: z.literal(JOB_KIND),
    v: z.literal(JOB_VERSION),
    run: z.string().min(1).max(200),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    generation: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    start: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    count: z
      .number()
      .int()
      .min(1)
      .max(1 << 20),
    dim: z
      .number()
      .int()
      .min(1)
      .max(1 << 28),
    x: base64,
    fitness: fitnessRefSchema,
  })
  .strict()
  .refine((j) => base64Bytes(j.x) === j.count * j.dim * 4, {
    message: 'x: expected count·dim float32 values',
    path: ['x'],
  });

/** A job's data, as validated. */
export type JobData = z.infer<typeof jobSchema>;

/** The `kind` of a PBT job: train one PPO member for one interval from a checkpoint file. */
export const PBT_JOB_KIND = 'outerloop/pbt-ppo';

const u32 = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

/**
 * One PBT job: member `member` of generation `generation` trains PPO on `env` with `config` and
 * `hyper` for `steps` steps from the checkpoint file `from` (null: a fresh start) and writes its
 * checkpoint atomically to `<dir>/m<member>-g<generation>.olck` (a folder every worker shares).
 */
export const pbtJobSchema = z
  .object({
    kind: z.literal(PBT_JOB_KIND),
    v: z.literal(JOB_VERSION),
    run: z.string().min(1).max(200),
    env: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    hyper: z.record(z.string(), z.number()),
    seed: u32,
    steps: z
      .number()
      .int()
      .min(1)
      .max(2 ** 40),
    member: u32,
    generation: u32,
    from: z.string().min(1).nullable(),
    dir: z.string().min(1),
  })
  .strict();

/** A PBT job's data, as validated. */
export type PbtJobData = z.infer<typeof pbtJobSchema>;

/** Any job a worker runs: a fitness evaluation or a PBT training interval. */
export type AnyJob = JobData | PbtJobData;

/** The queue id of a job: unique within a run, the same on every retry. */
export function jobId(job: AnyJob): string {
  return job.kind === PBT_JOB_KIND
    ? `${job.run}:${job.generation}:m${job.member}`
    : `${job.run}:${job.generation}:${job.start}`;
}
/** A fitness reference, as validated. */
export type FitnessRefData = z.infer<typeof fitnessRefSchema>;

/** What a worker returns for a job: the float64 fitness values of its members, base64. */
export const resultSchema = z.object({ values: base64 }).strict();

function base64Bytes(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

/** The bytes of a typed array as base64. */
export function encodeArray(a: Float32Array | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** float32 rows from base64 (a fresh, aligned copy). */
export function decodeFloat32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** float64 values from base64 (a fresh, aligned copy). */
export function decodeFloat64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % 8 !== 0) throw new RangeError('cluster: result: expected whole float64 values');
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** A job of either kind checked against its schema (by its `kind`); the error names the first bad field. */
export function parseAnyJob(data: unknown): AnyJob {
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === PBT_JOB_KIND) {
    const r = pbtJobSchema.safeParse(data);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'payload';
    throw new TypeError(`cluster: job: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parseJob(data);
}

/** A job's data checked against the schema; the error names the first bad field. */
export function parseJob(data: unknown): JobData {
  const r = jobSchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'payload';
  throw new TypeError(`cluster: job: ${where}: ${issue?.message ?? 'invalid'}`);
}
