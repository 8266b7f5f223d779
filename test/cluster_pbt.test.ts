// evo.pbt's 'ppo' trainer as cluster jobs: each generation's members train at once as jobs (worker
// threads, or `outerloop worker` processes on a real redis-server on loopback), exchanging
// checkpoints through a shared folder; the traces, scores and final checkpoints equal the
// in-process run bit for bit. Without redis-server the Redis test skips and says why.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, evo } from '../src/index.js';
import type { Checkpoint } from '../src/io/checkpoint.js';
import { redisSkipReason, useRedisWorkers } from './cluster_support.js';

const base = {
  trainer: 'ppo' as const,
  env: 'CartPole-v1',
  ppo: { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 1, hidden: [8] },
  population: 4,
  hyper: { lr: [1e-4, 1e-2], entCoef: [0.001, 0.1] } as const,
  interval: 64,
  generations: 3,
  truncation: 0.25,
  seed: 7,
};

const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'outerloop-pbt-cluster-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Result = evo.PbtResult<Checkpoint>;
// A checkpoint's meta without the wall-clock seconds of its training (the one thing timing sets).
function timeless(meta: Record<string, unknown> | undefined): unknown {
  const training = meta?.training as Record<string, unknown>;
  const { seconds: _s, ...rest } = training;
  return { ...meta, training: rest };
}
function expectSame(a: Result, b: Result): void {
  expect(a.members).toEqual(b.members);
  expect(a.best.member).toBe(b.best.member);
  expect(Object.is(a.best.score, b.best.score)).toBe(true);
  for (let i = 0; i < a.states.length; i++) {
    expect(timeless(a.states[i]?.meta)).toEqual(timeless(b.states[i]?.meta));
    for (const [k, v] of Object.entries(b.states[i]?.arrays ?? {})) expect(a.states[i]?.arrays[k]).toEqual(v);
  }
}

let local: Result;
beforeAll(async () => {
  local = await evo.pbt(base);
  // Some member copied a donor, so checkpoints really crossed between members.
  expect(local.members.some((m, i) => m.parent.some((p, g) => g > 0 && p !== i))).toBe(true);
}, 60_000);

describe('evo.pbt({ cluster })', () => {
  it('on 2 worker threads equals the in-process run bit for bit; every checkpoint lies whole in dir', async () => {
    const dir = scratch();
    const r = await evo.pbt({ ...base, dir, cluster: { threads: 2 } });
    expectSame(r, local);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      Array.from({ length: 4 }, (_, m) => [0, 1, 2].map((g) => `m${m}-g${g}.olck`))
        .flat()
        .sort(),
    );
  }, 60_000);

  it('refuses a trainer object, a missing dir and bad cluster options', async () => {
    const stub = { train: () => ({ state: 0, score: 0 }) };
    await expect(
      evo.pbt({ ...base, trainer: stub, env: undefined, ppo: undefined, cluster: { threads: 1 } } as never),
    ).rejects.toThrow(/cluster: needs the 'ppo' trainer/);
    await expect(evo.pbt({ ...base, cluster: { threads: 1 } })).rejects.toThrow(/dir: a cluster run exchanges/);
    await expect(evo.pbt({ ...base, dir: scratch(), cluster: { threads: 0 } })).rejects.toThrow(
      /evo.pbt: cluster.threads/,
    );
  });
});

const skip = await redisSkipReason();
if (skip) console.warn(`cluster_pbt Redis test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('evo.pbt({ cluster: { redis } })', () => {
  const queue = 'outerloop-test-pbt';
  const redis = useRedisWorkers(queue);

  it('on 2 `outerloop worker` processes equals the in-process run bit for bit', async () => {
    const r = await evo.pbt({ ...base, dir: scratch(), cluster: { redis: redis.url, queue } });
    expectSame(r, local);
    expect(cluster.PBT_JOB_KIND).toBe('outerloop/pbt-ppo');
  }, 60_000);
});
