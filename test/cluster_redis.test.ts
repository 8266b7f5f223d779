// The BullMQ transport against a real redis-server on 127.0.0.1 (a private one on a free port, or
// CI's via OUTERLOOP_TEST_REDIS_URL) with `outerloop worker` child processes: distributed ≡ local
// bit for bit with 2 workers, a foreign or malformed job rejected and logged while the worker keeps
// going, and a worker killed with SIGKILL mid-generation whose job another worker takes over.
// Without redis-server or the ioredis driver these tests skip and say why.
import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, evo } from '../src/index.js';
import {
  type RedisServer,
  redisSkipReason,
  startWorkerProcess,
  testRedis,
  type WorkerProcess,
  writeFitnessModule,
} from './cluster_support.js';

const skip = await redisSkipReason();
if (skip) console.warn(`cluster_redis tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('cluster over BullMQ + Redis', () => {
  const fit = writeFitnessModule();
  const queue = `outerloop-test-${randomUUID()}`;
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  const base = { strategy: 'openaiEs' as const, x0: new Float32Array(6).fill(1), generations: 6, seed: 11 };

  beforeAll(async () => {
    redis = await testRedis();
    workers = await Promise.all([startWorkerProcess(redis.url, queue), startWorkerProcess(redis.url, queue)]);
  }, 60_000);
  afterAll(() => {
    for (const w of workers) w.proc.kill('SIGKILL');
    redis?.stop();
    fit.cleanup();
  });

  it('a run on 2 worker processes equals the local run bit for bit', async () => {
    const f = { module: fit.file, export: 'sphere' };
    const local = await evo.optimize(f, base);
    const dist = await evo.optimize(f, { ...base, cluster: { redis: redis.url, queue, membersPerJob: 2 } });
    expect(dist.history).toEqual(local.history);
    expect(Array.from(dist.best)).toEqual(Array.from(local.best));
  }, 30_000);

  it('rejects and logs foreign and malformed jobs, and keeps serving', async () => {
    const a = cluster.parseRedisUrl(redis.url);
    const q = new Queue(queue, { connection: { host: a.host, port: a.port } as ConnectionOptions });
    const foreign = await q.add('someone-elses-job', { hello: 'world' });
    const malformed = await q.add(cluster.JOB_KIND, { kind: cluster.JOB_KIND, v: 1, run: 'x', count: 'three' });
    const until = Date.now() + 20_000;
    let states: string[] = [];
    while (Date.now() < until) {
      states = await Promise.all([foreign.getState(), malformed.getState()]);
      if (states.every((s) => s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(states).toEqual(['failed', 'failed']);
    const failed = await q.getJob(malformed.id as string);
    expect(failed?.attemptsMade).toBeLessThanOrEqual(1);
    await q.close();
    const logs = workers.map((w) => w.stderr()).join('\n');
    expect(logs).toMatch(/rejected job .*not an outerloop job/);
    expect(logs).toMatch(/rejected job .*: cluster: job: /);
    const f = { module: fit.file, export: 'sphere' };
    const again = await evo.optimize(f, { ...base, generations: 2, cluster: { redis: redis.url, queue } });
    expect(again.history.length).toBe(2);
  }, 40_000);

  it('finishes with the same result when a worker is killed (SIGKILL) mid-generation', async () => {
    const f = { module: fit.file, export: 'slow' };
    const o = { ...base, generations: 4 };
    const local = await evo.optimize(f, o);
    const victim = workers[0] as WorkerProcess;
    const exited = new Promise<NodeJS.Signals | null>((r) => victim.proc.once('exit', (_c, s) => r(s)));
    const dist = await evo.optimize(f, {
      ...o,
      cluster: { redis: redis.url, queue, membersPerJob: 3 },
      // Generation 1's jobs each take ~120 ms: the kill lands while both workers hold one.
      onGeneration: (s) => {
        if (s.generation === 0) setTimeout(() => victim.proc.kill('SIGKILL'), 60);
      },
    });
    expect(await exited).toBe('SIGKILL');
    expect(dist.history).toEqual(local.history);
    expect(Array.from(dist.best)).toEqual(Array.from(local.best));
  }, 60_000);
});
