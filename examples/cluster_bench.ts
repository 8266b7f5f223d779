// Scale of the cluster backend on this machine (Redis on loopback, worker processes of the CLI):
//  1. ES (OpenAI-ES, MLP 4-16-2) on CartPole-v1 through the built-in rollout fitness: in process,
//     on 1 and on 2 `outerloop worker` processes — generations/s, the histories' equality, and
//     the queue overhead per generation and per job (distributed time − in-process time).
//  2. Tiny jobs (a module fitness returning x[0]): throughput of 100 000 one-member jobs over 2
//     workers (concurrency 16 each), submitted 2000 per round — the per-job cost of the queue.
//   nice -n 10 npx tsx examples/cluster_bench.ts [--jobs 100000] [--generations 10]
// Starts its own redis-server on a free 127.0.0.1 port (or uses OUTERLOOP_TEST_REDIS_URL).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cluster, evo } from '../src/index.js';
import { startWorkerProcess, testRedis, type WorkerProcess, writeFitnessModule } from '../test/cluster_support.js';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const JOBS = arg('jobs', 100_000);
const GENERATIONS = arg('generations', 20);
const REPS = arg('reps', 3);
const KILL_EVERY_MS = arg('kill-every', 2000);
const FAULT_GENERATIONS = arg('fault-generations', 150);
const only = (part: string) => !process.argv.includes('--only') || process.argv.includes(part);
const POP = 48;
const MEMBERS_PER_JOB = 4;

const redis = await testRedis();
const fit = writeFitnessModule();
const tiny = path.join(path.dirname(fit.file), 'tiny.mjs');
writeFileSync(tiny, 'export const first = (x) => x[0];\n');
const workers: WorkerProcess[] = [];
const stopWorkers = () => {
  for (const w of workers.splice(0)) w.proc.kill('SIGTERM');
};

try {
  const rollout = { builtin: 'rollout', options: { env: 'CartPole-v1', sizes: [4, 16, 2] } } as const;
  const es = {
    strategy: 'openaiEs' as const,
    x0: new Float32Array(5 * 16 + 17 * 2),
    popSize: POP,
    minimize: false,
    seed: 1,
  };
  // Median wall time of REPS runs (the first run of each setting warms imports and is not counted).
  const time = async (cl?: evo.OptimizeOptions['cluster']) => {
    const one = async () => {
      const t0 = performance.now();
      const r = await evo.optimize(rollout, { ...es, generations: GENERATIONS, ...(cl ? { cluster: cl } : {}) });
      return { r, s: (performance.now() - t0) / 1000 };
    };
    await one();
    const all: { r: evo.OptimizeResult; s: number }[] = [];
    for (let i = 0; i < REPS; i++) all.push(await one());
    all.sort((a, b) => a.s - b.s);
    return all[Math.floor(REPS / 2)] as { r: evo.OptimizeResult; s: number };
  };
  const local = only('speed') ? await time() : { r: undefined as unknown as evo.OptimizeResult, s: 0 };
  const rows: string[] = [];
  const jobsPerGen = Math.ceil(POP / MEMBERS_PER_JOB);
  const row = (name: string, t: { r: evo.OptimizeResult; s: number }) => {
    const same = JSON.stringify(t.r.history) === JSON.stringify(local.r.history);
    const overGen = ((t.s - local.s) / GENERATIONS) * 1000;
    rows.push(
      `| ${name} | ${(GENERATIONS / t.s).toFixed(2)} | ${t.r.bestFitness.toFixed(1)} | ${same ? 'yes' : 'NO'} | ${name === 'in process' ? '—' : `${overGen.toFixed(1)} ms / ${(overGen / jobsPerGen).toFixed(2)} ms`} |`,
    );
  };
  if (only('speed')) row('in process', local);
  for (const n of only('speed') ? [1, 2] : []) {
    const queue = `bench-${randomUUID()}`;
    for (let i = 0; i < n; i++) workers.push(await startWorkerProcess(redis.url, queue));
    row(`${n} worker${n > 1 ? 's' : ''}`, await time({ redis: redis.url, queue, membersPerJob: MEMBERS_PER_JOB }));
    stopWorkers();
  }
  if (only('speed'))
    console.log(
      `ES on CartPole-v1: OpenAI-ES, MLP 4-16-2, ${POP} members, ${GENERATIONS} generations, ${jobsPerGen} jobs of ${MEMBERS_PER_JOB} members per generation`,
    );
  if (only('speed')) {
    console.log(
      '| run | generations/s | best return | history = in-process | queue overhead per generation / per job |',
    );
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  }

  // Fault run: 2 workers, one killed with SIGKILL every KILL_EVERY_MS and replaced.
  if (only('fault')) {
    const queue = `fault-${randomUUID()}`;
    for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess(redis.url, queue));
    let kills = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
        if (stop) break;
        const victim = workers.shift();
        victim?.proc.kill('SIGKILL');
        kills++;
        workers.push(await startWorkerProcess(redis.url, queue));
      }
    })();
    const t0 = performance.now();
    const r = await evo.optimize(rollout, {
      ...es,
      generations: FAULT_GENERATIONS,
      cluster: { redis: redis.url, queue, membersPerJob: MEMBERS_PER_JOB },
    });
    const s = (performance.now() - t0) / 1000;
    stop = true;
    await killer;
    stopWorkers();
    const ref = await evo.optimize(rollout, { ...es, generations: FAULT_GENERATIONS });
    const same = JSON.stringify(r.history) === JSON.stringify(ref.history);
    console.log(
      `\nFault run: ${FAULT_GENERATIONS} generations on 2 workers, one SIGKILLed every ${KILL_EVERY_MS / 1000} s (${kills} kills): ${s.toFixed(1)} s; history and best = in-process run: ${same && Array.from(r.best).join() === Array.from(ref.best).join()}`,
    );
  }

  // Tiny jobs.
  if (only('tiny')) {
    const queue = `tiny-${randomUUID()}`;
    for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess(redis.url, queue, ['--concurrency', '16']));
    const t = await cluster.redisTransport({ url: redis.url, queue });
    const ROUND = 2000;
    const pop = { x: Float32Array.from({ length: ROUND }, (_, i) => i), popSize: ROUND, dim: 1 };
    const f = { module: tiny, export: 'first' };
    let done = 0;
    let checked = true;
    // Redis's own CPU seconds, from INFO (the single-threaded server is what stops scaling first).
    const redisCpu = () => {
      const a = cluster.parseRedisUrl(redis.url);
      const out = spawnSync('redis-cli', ['-h', a.host, '-p', String(a.port), 'info', 'cpu'], {
        encoding: 'utf8',
      }).stdout;
      const num = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(out ?? '')?.[1] ?? Number.NaN);
      return num('used_cpu_sys') + num('used_cpu_user');
    };
    const cpu0 = redisCpu();
    const t0 = performance.now();
    for (let g = 0; done < JOBS; g++) {
      const jobs = cluster.makeJobs(pop, { run: 'tiny', seed: 0, generation: g, fitness: f, membersPerJob: 1 });
      const v = cluster.gatherValues(jobs, await t.evaluate(jobs), ROUND);
      checked &&= v.every((y, i) => y === i);
      done += ROUND;
    }
    const s = (performance.now() - t0) / 1000;
    const cpuPerJob = ((redisCpu() - cpu0) / done) * 1000;
    await t.close();
    console.log(
      `\n${done} one-member jobs on 2 workers (concurrency 16): ${s.toFixed(1)} s, ${(done / s).toFixed(0)} jobs/s, ${((s / done) * 1000).toFixed(3)} ms per job; values correct: ${checked}; Redis CPU ${cpuPerJob.toFixed(3)} ms per job (one Redis core saturates near ${(1000 / cpuPerJob).toFixed(0)} jobs/s)`,
    );
  }
} finally {
  stopWorkers();
  redis.stop();
  fit.cleanup();
}
