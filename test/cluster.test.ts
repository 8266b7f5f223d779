// The cluster job interface without Redis: payload checks, member keys, and the worker_threads
// transport equal to the in-process run bit for bit (module fitness and the built-in rollout).
import { afterAll, describe, expect, it } from 'vitest';
import { cluster, evo, random } from '../src/index.js';
import { writeFitnessModule } from './cluster_support.js';

const fit = writeFitnessModule();
afterAll(() => fit.cleanup());

function job(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: cluster.JOB_KIND,
    v: cluster.JOB_VERSION,
    run: 'r',
    seed: 1,
    generation: 0,
    start: 0,
    count: 2,
    dim: 3,
    x: Buffer.from(new Float32Array(6).buffer).toString('base64'),
    fitness: { module: fit.file, export: 'sphere' },
    ...over,
  };
}

describe('cluster payload', () => {
  it('accepts a well-formed job and rejects malformed ones naming the field', () => {
    expect(cluster.parseJob(job()).count).toBe(2);
    expect(() => cluster.parseJob(job({ count: 3 }))).toThrow(/x: expected count·dim/);
    expect(() => cluster.parseJob(job({ kind: 'other' }))).toThrow(/kind/);
    expect(() => cluster.parseJob(job({ generation: -1 }))).toThrow(/generation/);
    expect(() => cluster.parseJob(job({ extra: 1 }))).toThrow(TypeError);
    expect(() => cluster.parseJob(job({ fitness: { module: '' } }))).toThrow(/fitness/);
    expect(() => cluster.parseJob('garbage')).toThrow(TypeError);
  });

  it('member keys depend only on (seed, generation, member)', () => {
    const k = cluster.memberKey(5, 2, 7);
    expect(Array.from(k)).toEqual(Array.from(random.fold(random.fold(random.fold(random.key(5), 0x65766131), 2), 7)));
    expect(Array.from(cluster.memberKey(5, 2, 8))).not.toEqual(Array.from(k));
    expect(Array.from(cluster.memberKey(5, 3, 7))).not.toEqual(Array.from(k));
    expect(() => cluster.memberKey(-1, 0, 0)).toThrow(RangeError);
  });

  it('job values do not depend on how members are grouped into jobs', async () => {
    const pop = { x: Float32Array.from({ length: 15 }, (_, i) => i / 7), popSize: 5, dim: 3 };
    const base = { run: 'r', seed: 9, generation: 4, fitness: { module: fit.file, export: 'sphere' } } as const;
    const t = cluster.localTransport();
    const one = cluster.makeJobs(pop, { ...base, membersPerJob: 5 });
    const many = cluster.makeJobs(pop, { ...base, membersPerJob: 2 });
    expect(many.length).toBe(3);
    const a = cluster.gatherValues(one, await t.evaluate(one), 5);
    const b = cluster.gatherValues(many, await t.evaluate(many), 5);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('evo.optimize with a cluster of threads', () => {
  const base = { strategy: 'openaiEs' as const, x0: new Float32Array(6).fill(1), generations: 8, seed: 3 };

  it('equals the in-process run bit for bit (module fitness)', async () => {
    const f = { module: fit.file, export: 'sphere' };
    const local = await evo.optimize(f, base);
    const threads = await evo.optimize(f, { ...base, cluster: { threads: 2, membersPerJob: 3 } });
    expect(Array.from(threads.best)).toEqual(Array.from(local.best));
    expect(threads.history).toEqual(local.history);
    // A plain function gives a different run: the reference's keyed noise is really applied.
    const plain = await evo.optimize((x) => x.reduce((s, v) => s + v * v, 0), base);
    expect(plain.bestFitness).not.toBe(local.bestFitness);
  }, 30_000);

  it('equals the in-process run bit for bit (built-in CartPole rollouts)', async () => {
    const f = { builtin: 'rollout', options: { env: 'CartPole-v1', sizes: [4, 8, 2] } } as const;
    const o = { strategy: 'openaiEs' as const, x0: new Float32Array(5 * 8 + 9 * 2), generations: 4, seed: 1 };
    const local = await evo.optimize(f, { ...o, minimize: false });
    const threads = await evo.optimize(f, { ...o, minimize: false, cluster: { threads: 2 } });
    expect(threads.history).toEqual(local.history);
    expect(Array.from(threads.best)).toEqual(Array.from(local.best));
  }, 30_000);

  it('rejects what cannot travel or is malformed', async () => {
    await expect(evo.optimize((x) => x[0] as number, { ...base, cluster: { threads: 2 } })).rejects.toThrow(
      /function cannot travel/,
    );
    await expect(evo.optimize({ module: 'relative.mjs' }, base)).rejects.toThrow(/absolute path/);
    await expect(evo.optimize({ module: fit.file, export: 'missing' }, base)).rejects.toThrow(/no function export/);
    await expect(evo.optimize({ module: fit.file }, { ...base, cluster: { threads: 0 } })).rejects.toThrow(RangeError);
    await expect(
      evo.optimize({ module: fit.file }, { ...base, cluster: { redis: 'http://x' } as never }),
    ).rejects.toThrow(/redis: scheme/);
  }, 30_000);
});

describe('threads transport faults', () => {
  it('a thread that dies fails its job, and the run, instead of hanging', async () => {
    const dir = writeFitnessModule();
    const crash = dir.file.replace(/fitness\.mjs$/, 'crash.mjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(crash, 'export const die = () => process.exit(3);\n');
    try {
      await expect(
        evo.optimize(
          { module: crash, export: 'die' },
          { strategy: 'openaiEs', x0: [1, 1], generations: 2, cluster: { threads: 2 } },
        ),
      ).rejects.toThrow(/thread stopped|every worker thread stopped/);
    } finally {
      dir.cleanup();
    }
  }, 30_000);
});
