// evo.pbt against the rules of Jaderberg et al. 2017 written out by hand (truncation selection:
// the bottom fraction copies a uniformly drawn top member's state; explore: resample with
// probability p, else ×0.8/×1.2, clipped), on a stub trainer whose state is a number, and the
// 'ppo' trainer's resume path on a tiny CartPole run.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSavedConfig } from '../src/evo/pbt_ppo.js';
import { evo, io, random, rl } from '../src/index.js';

type Hyper = Readonly<Record<string, number>>;

/** State = a number; training adds lr·steps·(1 − |mom − 0.5|); score = the state. */
const stub: evo.PbtTrainer<number> = {
  train: ({ from, hyper, steps }) => {
    const x = (from ?? 0) + (hyper.lr as number) * steps * (1 - Math.abs((hyper.mom as number) - 0.5));
    return { state: x, score: x };
  },
};
const ranges = { lr: [1e-3, 1e-1], mom: [0, 1] } as const;

describe('evo.pbt', () => {
  it('initial hyperparameters: log-uniform for lo > 0, uniform otherwise, from fold(fold(key, 1), member)', () => {
    const k = random.key(7);
    const u = random.uniform(random.fold(random.fold(k, 1), 2), 2);
    const h = evo.pbtInitialHyper(k, 2, ranges);
    expect(h.lr).toBeCloseTo(1e-3 * 100 ** (u[0] as number), 15);
    expect(h.mom).toBeCloseTo(u[1] as number, 7);
  });

  it('ranks best first, non-finite last, ties by index; replaces floor(truncation·n)', () => {
    expect(evo.pbtRank([1, Number.NaN, 3, 1, 2], 0.4)).toEqual({ order: [2, 4, 0, 3, 1], replaced: 2 });
  });

  it('exploit/explore steps equal the hand-written rule (both factors, resample, clipping)', () => {
    const k = random.key(3);
    const top = [4, 1];
    const donorHyper = (d: number): Hyper => ({ lr: 0.01 * (d + 1), mom: 0.9 - 0.1 * d });
    const seen = new Set<string>();
    for (const p of [0, 0.5, 1])
      for (let member = 0; member < 16; member++) {
        const { donor, hyper } = evo.pbtExploitExplore(k, 5, member, top, donorHyper, ranges, p);
        const u = Array.from(random.uniform(random.fold(random.fold(random.fold(k, 3), 5), member), 5));
        const [u0, u1, u2, u3, u4] = u as [number, number, number, number, number];
        const d = top[Math.floor(u0 * 2)] as number;
        expect(donor).toBe(d);
        const from = donorHyper(d);
        const f2 = u2 < 0.5 ? 0.8 : 1.2;
        const f4 = u4 < 0.5 ? 0.8 : 1.2;
        const lr = u1 < p ? 1e-3 * 100 ** u2 : (from.lr as number) * f2;
        const mom = u3 < p ? u4 : Math.min(1, (from.mom as number) * f4);
        expect(hyper.lr).toBe(lr);
        expect(hyper.mom).toBe(mom);
        seen.add(u1 < p ? 'resample' : String(f2)).add(u3 < p ? 'resample' : String(f4));
      }
    expect([...seen].sort()).toEqual(['0.8', '1.2', 'resample']);
  });

  it('a run equals the hand-written PBT loop on the stub trainer', async () => {
    const n = 5;
    const G = 4;
    const opts = {
      trainer: stub,
      population: n,
      hyper: ranges,
      interval: 10,
      generations: G,
      seed: 11,
      truncation: 0.4,
    };
    const res = await evo.pbt(opts);
    // Reference loop, written from the rules (not from pbt()).
    const k = random.key(11);
    let hyper = Array.from({ length: n }, (_, i) => evo.pbtInitialHyper(k, i, ranges));
    let from: (number | undefined)[] = new Array(n).fill(undefined);
    for (let g = 0; g < G; g++) {
      const x = hyper.map(
        (h, i) =>
          (stub.train({ from: from[i], hyper: h, seed: 0, steps: 10, member: i, generation: g }) as { state: number })
            .state,
      );
      for (let i = 0; i < n; i++) {
        expect(res.members[i]?.hyper[g]).toEqual(hyper[i]);
        expect(res.members[i]?.score[g]).toBe(x[i]);
        expect(res.members[i]?.seed[g]).toBe(evo.pbtMemberSeed(k, i, g));
      }
      if (g === G - 1) break;
      const order = x.map((_, i) => i).sort((a, b) => (x[b] as number) - (x[a] as number) || a - b);
      const next = [...hyper];
      from = [...x];
      for (const i of order.slice(3)) {
        const u = random.uniform(random.fold(random.fold(random.fold(k, 3), g), i), 5);
        const d = order[Math.floor((u[0] as number) * 2)] as number;
        next[i] = evo.pbtExploitExplore(k, g, i, order.slice(0, 2), (j) => hyper[j] as Hyper, ranges, 0.25).hyper;
        from[i] = x[d];
        expect(res.members[i]?.parent[g + 1]).toBe(d);
      }
      hyper = next;
    }
    const finals = res.members.map((m) => m.score[G - 1] as number);
    expect(res.best.score).toBe(Math.max(...finals));
    expect(res.states[res.best.member]).toBe(res.best.score);
  });

  it('truncation 0 is independent runs (random search): no copies, hyperparameters kept', async () => {
    const res = await evo.pbt({
      trainer: stub,
      population: 3,
      hyper: ranges,
      interval: 1,
      generations: 3,
      truncation: 0,
    });
    for (const m of res.members) {
      expect(m.parent).toEqual([-1, m.parent[1], m.parent[2]]);
      expect(m.hyper[2]).toEqual(m.hyper[0]);
    }
    expect(res.members.map((m) => m.parent[1])).toEqual([0, 1, 2]);
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const o = { trainer: stub, population: 4, hyper: ranges, interval: 5, generations: 5 };
    const a = await evo.pbt({ ...o, seed: 1 });
    const b = await evo.pbt({ ...o, seed: 1 });
    const c = await evo.pbt({ ...o, seed: 2 });
    expect(b.members).toEqual(a.members);
    expect(c.members).not.toEqual(a.members);
  });

  it('rejects bad options with errors naming them', async () => {
    const o = { trainer: stub, population: 4, hyper: ranges, interval: 5, generations: 2 };
    await expect(evo.pbt({ ...o, population: 1 })).rejects.toThrow(/population/);
    await expect(evo.pbt({ ...o, truncation: 0.6 })).rejects.toThrow(RangeError);
    await expect(evo.pbt({ ...o, population: 3, truncation: 0.25 })).rejects.toThrow(/truncation.*replaces none/);
    await expect(evo.pbt({ ...o, hyper: { lr: [1, 1] } })).rejects.toThrow(/hyper\.lr.*lo < hi/);
    await expect(evo.pbt({ ...o, hyper: { lr: [1] as unknown as [number, number] } })).rejects.toThrow(TypeError);
    await expect(evo.pbt({ ...o, hyper: {} })).rejects.toThrow(/hyper/);
    await expect(evo.pbt({ ...o, trainer: 'sgd' as 'ppo' })).rejects.toThrow(/trainer/);
    await expect(evo.pbt({ ...o, trainer: 'ppo' })).rejects.toThrow(/env/);
    await expect(evo.pbt({ ...o, env: 'CartPole-v1' })).rejects.toThrow(/env, ppo and dir/);
    await expect(evo.pbt({ ...o, interval: 0 })).rejects.toThrow(/interval/);
    await expect(evo.pbt({ ...o, bogus: 1 } as typeof o)).rejects.toThrow(/bogus/);
    const bad = { train: () => 3 } as unknown as evo.PbtTrainer<number>;
    await expect(evo.pbt({ ...o, trainer: bad })).rejects.toThrow(/state, score/);
  });
});

describe("evo.pbt's 'ppo' trainer", () => {
  const cfg = { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 1, hidden: [8] };

  it('resuming a checkpoint with its saved config unchanged equals an uninterrupted run', async () => {
    const whole = await rl.ppo.train({ env: 'CartPole-v1', ...cfg, annealLr: false, totalSteps: 256, seed: 5 });
    const half = await rl.ppo.train({ env: 'CartPole-v1', ...cfg, annealLr: false, totalSteps: 128, seed: 5 });
    const same = withSavedConfig(half.checkpoint, { seed: 5 });
    const rest = await rl.ppo.train({ env: 'CartPole-v1', resume: same, totalSteps: 256 });
    expect(rest.policy.params).toEqual(whole.policy.params);
    // A changed learning rate changes the continuation, and the saved checkpoint is untouched.
    const other = await rl.ppo.train({
      env: 'CartPole-v1',
      resume: withSavedConfig(half.checkpoint, { lr: 1e-2 }),
      totalSteps: 256,
    });
    expect(other.policy.params).not.toEqual(whole.policy.params);
    expect((half.checkpoint.meta.training as { config: { lr: number } }).config.lr).toBe(2.5e-4);
  });

  it('runs PPO members deterministically; a copied member continues its donor with new hyperparameters', async () => {
    const o = {
      trainer: 'ppo' as const,
      env: 'CartPole-v1',
      ppo: cfg,
      population: 2,
      hyper: { lr: [1e-4, 1e-2], entCoef: [0.001, 0.1] } as const,
      interval: 64,
      generations: 2,
      truncation: 0.5,
      seed: 3,
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'pbt-'));
    const a = await evo.pbt({ ...o, dir });
    const b = await evo.pbt(o);
    expect(b.members).toEqual(a.members);
    const loser = a.members.findIndex((m, i) => m.parent[1] !== i);
    expect(loser).toBeGreaterThanOrEqual(0);
    const state = a.states[loser]?.meta.training as { config: Record<string, number>; steps: number };
    expect(state.steps).toBe(128);
    expect(state.config.lr).toBe(a.members[loser]?.hyper[1]?.lr);
    expect(state.config.seed).toBe(a.members[loser]?.seed[1]);
    // dir: every member's checkpoint after every generation, written whole (the atomic format).
    expect(readdirSync(dir).sort()).toEqual(['m0-g0.olck', 'm0-g1.olck', 'm1-g0.olck', 'm1-g1.olck']);
    const saved = await io.loadCheckpoint(path.join(dir, `m${loser}-g1.olck`));
    expect(saved.arrays.params).toEqual(a.states[loser]?.arrays.params);
    rmSync(dir, { recursive: true });
  });
});
