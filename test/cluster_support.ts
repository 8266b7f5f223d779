// Shared by the cluster tests: a private redis-server on 127.0.0.1 (or the one CI started, via
// OUTERLOOP_TEST_REDIS_URL), worker processes of the CLI, and a fitness module in a temp dir.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { redisDriverAvailable } from '../src/cluster/redis_conn.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Why the Redis tests cannot run here, or undefined when they can. */
export async function redisSkipReason(): Promise<string | undefined> {
  if (!(await redisDriverAvailable())) return "the 'ioredis' package is not installed";
  if (process.env.OUTERLOOP_TEST_REDIS_URL) return undefined;
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'redis-server is not on PATH (apt-get install redis-server)';
  return undefined;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: '127.0.0.1', port }, () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisServer {
  url: string;
  stop(): void;
}

/** A redis-server of this test on a free loopback port, no persistence, in a temp dir. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'outerloop-redis-'));
  const p = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      p.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CI's server when OUTERLOOP_TEST_REDIS_URL is set, else a private one. */
export async function testRedis(): Promise<RedisServer> {
  const url = process.env.OUTERLOOP_TEST_REDIS_URL;
  if (url) return { url, stop() {} };
  return startRedis();
}

export interface WorkerProcess {
  proc: ChildProcess;
  stderr: () => string;
}

/** `outerloop worker` in a child process; resolves once it printed its ready line. */
export function startWorkerProcess(url: string, queue: string, extra: string[] = []): Promise<WorkerProcess> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/run.ts', 'worker', '--redis', url, '--queue', queue, '--lock-ms', '1000', ...extra],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  proc.stderr?.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker not ready in 30 s: ${err}`)), 30_000);
    proc.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(t);
        resolve({ proc, stderr: () => err });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`worker exited (${code}) before ready: ${err}`));
    });
  });
}

/** A fitness module in a temp dir: `sphere` (keyed noise from ctx), `slow` (sleeps ms per member). */
export function writeFitnessModule(): { file: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'outerloop-fit-'));
  const file = path.join(dir, 'fitness.mjs');
  writeFileSync(
    file,
    `export function sphere(x, member, ctx) {
  let s = 0;
  for (const v of x) s += v * v;
  return s + (ctx.key[0] % 1000) * 1e-6;
}
export async function slow(x, member, ctx) {
  if (ctx.generation > 0) await new Promise((r) => setTimeout(r, 40));
  return sphere(x, member, ctx);
}
`,
  );
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Registers suite hooks that start a test Redis and `count` `outerloop worker` processes on `queue`
 * before the suite and stop them after; `url` reads the server's address once started.
 */
export function useRedisWorkers(queue: string, count = 2): { readonly url: string } {
  let redis: RedisServer | undefined;
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    const server = await testRedis();
    redis = server;
    workers = await Promise.all(Array.from({ length: count }, () => startWorkerProcess(server.url, queue)));
  }, 60_000);
  afterAll(() => {
    for (const w of workers) w.proc.kill('SIGKILL');
    redis?.stop();
  });
  return {
    get url(): string {
      if (!redis) throw new Error('useRedisWorkers: the server has not started');
      return redis.url;
    },
  };
}
