// Redis faults: unreachable at the start (a clear error after a bounded retry, for the master and
// for `outerloop worker`) and lost in the middle of a run (an error after downMs, not a hang).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evo } from '../src/index.js';
import { freePort, redisSkipReason, startRedis, startWorkerProcess, writeFitnessModule } from './cluster_support.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const base = { strategy: 'openaiEs' as const, x0: new Float32Array(4).fill(1), generations: 5, seed: 2 };

describe('Redis unreachable at the start', () => {
  it('evo.optimize fails with a clear error after its bounded retries', async () => {
    const port = await freePort();
    const fit = writeFitnessModule();
    try {
      await expect(
        evo.optimize(
          { module: fit.file, export: 'sphere' },
          { ...base, cluster: { redis: `redis://127.0.0.1:${port}`, connectAttempts: 3 } },
        ),
      ).rejects.toThrow(new RegExp(`Redis at 127.0.0.1:${port} is unreachable after 3 attempts \\(ECONNREFUSED\\)`));
    } finally {
      fit.cleanup();
    }
  }, 30_000);

  it('outerloop worker exits with status 1 and says why', async () => {
    const port = await freePort();
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run.ts', 'worker', '--redis', `redis://127.0.0.1:${port}`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => p.kill('SIGKILL'), 40_000);
      p.once('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(err).toMatch(/unreachable after 10 attempts/);
  }, 45_000);
});

const skip = await redisSkipReason();
if (skip) console.warn(`cluster_faults Redis-lost test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('Redis lost mid-run', () => {
  it('the run fails after downMs instead of waiting forever', async () => {
    const redis = await startRedis();
    const fit = writeFitnessModule();
    const queue = 'outerloop-test-lost';
    const w = await startWorkerProcess(redis.url, queue);
    try {
      const t0 = Date.now();
      await expect(
        evo.optimize(
          { module: fit.file, export: 'slow' },
          {
            ...base,
            generations: 50,
            cluster: { redis: redis.url, queue, downMs: 1500 },
            onGeneration: (s) => {
              if (s.generation === 0) redis.stop();
            },
          },
        ),
      ).rejects.toThrow(/lost Redis at .* for over 1500 ms/);
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      w.proc.kill('SIGKILL');
      redis.stop();
      fit.cleanup();
    }
  }, 45_000);
});

describe.skipIf(skip !== undefined)('no worker connected', () => {
  it('the run fails after timeoutMs naming the queue and how to start a worker, and withdraws its jobs', async () => {
    const redis = await startRedis();
    const fit = writeFitnessModule();
    const queue = 'outerloop-test-noworker';
    try {
      const t0 = Date.now();
      await expect(
        evo.optimize(
          { module: fit.file, export: 'sphere' },
          { ...base, cluster: { redis: redis.url, queue, timeoutMs: 800 } },
        ),
      ).rejects.toThrow(
        new RegExp(
          `no worker took a job from queue '${queue}' at redis://127.0.0.1:\\d+ for 800 ms \\(0 workers connected\\); ` +
            `start one with \`outerloop worker --redis redis://127.0.0.1:\\d+ --queue ${queue}\``,
        ),
      );
      expect(Date.now() - t0).toBeLessThan(20_000);
      const { Queue } = await import('bullmq');
      const { parseRedisUrl } = await import('../src/cluster/redis_conn.js');
      const a = parseRedisUrl(redis.url);
      const q = new Queue(queue, { connection: { host: a.host, port: a.port } });
      expect(await q.getWaitingCount()).toBe(0);
      await q.close();
    } finally {
      redis.stop();
      fit.cleanup();
    }
  }, 30_000);

  it('a slow job on a connected worker is not a timeout', async () => {
    const redis = await startRedis();
    const fit = writeFitnessModule();
    const queue = 'outerloop-test-slowjob';
    const w = await startWorkerProcess(redis.url, queue);
    try {
      const r = await evo.optimize(
        { module: fit.file, export: 'slow' },
        // One job per generation holding all members: ~40 ms × 8 members > timeoutMs with no event.
        { ...base, generations: 2, popSize: 8, cluster: { redis: redis.url, queue, timeoutMs: 200, membersPerJob: 8 } },
      );
      expect(r.history.length).toBe(2);
    } finally {
      w.proc.kill('SIGKILL');
      redis.stop();
      fit.cleanup();
    }
  }, 45_000);
});
