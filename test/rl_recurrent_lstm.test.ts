// Recurrent PPO with an LSTM cell (issue 15): rl.ppo.train({ recurrent: { cell: 'lstm' } }).
// - The segment loss's gradient (objective kernels → linear heads → LSTM BPTT, a reset mid-segment,
//   nonzero starting h and c) against float64 central differences of a reference loss written from
//   PyTorch's LSTM equations (i, f, g, o gates; c' = f·c + i·g, h' = o·tanh c') and Schulman et al.
//   2017's clipped surrogate; the same gradient without BPTT (truncate 1) fails the check.
// - Whole-sequence forward ≡ the step-by-step rollout carrying [h | c] in place; a caller carrying
//   h without c is caught (RangeError), and the rollout's stored (h, c) replay its own values.
// - Resume is exact (h and c carried in the checkpoint; zeroing c breaks it); a short seeded run on
//   the memory task (2-armed Bernoulli bandits, observation = last action and reward) beats chance;
//   native ≡ js on the segment gradient.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import * as envs from '../src/envs/index.js';
import type { Checkpoint } from '../src/io/checkpoint.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import * as rl from '../src/rl/index.js';
import { RecurrentCollector } from '../src/rl/recurrent/collector.js';
import { RecurrentActorCritic } from '../src/rl/recurrent/model.js';
import { SegmentBatch, SegmentLoss } from '../src/rl/recurrent/segments.js';
import { backends, maxRelDiff, nativeBackend, useBackendForSuite } from './helpers/backends.js';
import { centralGradient } from './helpers/finite_differences.js';
import { ppoHeadRowLoss } from './helpers/ppo_reference.js';

const I = 3;
const H = 4;
const A = 3;
const L = 6;
const S = 2;

function lstmModel(): RecurrentActorCritic {
  return new RecurrentActorCritic({
    obsDim: I,
    action: { type: 'discrete', n: A },
    recurrent: { cell: 'lstm', hidden: H, encoder: [] },
  });
}

/** A segment batch with a reset mid-segment, nonzero h0 and c0, and old log-probs near the current ones. */
function batch(m: RecurrentActorCritic, p32: Float32Array): { mb: SegmentBatch; loss: SegmentLoss } {
  const mb = new SegmentBatch(m, L, S);
  const n = L * S;
  mb.xs.set(random.normal(random.key(2), n * I));
  mb.h0.set(Float32Array.from(random.normal(random.key(3), S * H), (v) => 0.5 * v));
  mb.c0?.set(Float32Array.from(random.normal(random.key(7), S * H), (v) => 0.8 * v));
  mb.resets[3 * S + 1] = 1; // segment 1 starts a new episode at step 3
  const u = random.uniform(random.key(4), n);
  (mb.actions as Int32Array).set(Int32Array.from(u, (v) => Math.floor(v * A)));
  mb.adv.set(random.normal(random.key(5), n));
  mb.returns.set(random.normal(random.key(6), n));
  mb.values.set(mb.returns);
  const loss = new SegmentLoss(m, L, S);
  loss.lossAndGrad(p32, mb, OBJ, VALUE, new Float32Array(m.size));
  for (let row = 0; row < n; row++) {
    const y = loss.head.subarray(row * A, row * A + A);
    const mx = Math.max(...y);
    const lse = mx + Math.log(y.reduce((s, v) => s + Math.exp(v - mx), 0));
    mb.logp[row] = (y[(mb.actions as Int32Array)[row] as number] as number) - lse + (row % 3 === 0 ? 0.05 : -0.04);
  }
  return { mb, loss };
}

const OBJ = { objective: 'clip' as const, clipEps: 0.2, entCoef: 0.05, normalizeAdv: false };
const VALUE = { clip: 0, vfCoef: 0.7 };

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** Float64 reference loss: PyTorch's LSTM, linear heads, PPO-clip + entropy + ½ squared value error. */
function refLoss(p: Float64Array, mb: SegmentBatch, c0: Float64Array): number {
  const G = 4 * H;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const cellSize = oBh + G;
  let h = Float64Array.from(mb.h0);
  let c = Float64Array.from(c0);
  let total = 0;
  for (let t = 0; t < L; t++) {
    const hn = new Float64Array(S * H);
    const cn = new Float64Array(S * H);
    for (let b = 0; b < S; b++) {
      const row = t * S + b;
      const reset = mb.resets[row] === 1;
      const a = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        let v = (p[oBi + g] as number) + (p[oBh + g] as number);
        for (let i = 0; i < I; i++) v += (mb.xs[row * I + i] as number) * (p[i * G + g] as number);
        if (!reset) for (let k = 0; k < H; k++) v += (h[b * H + k] as number) * (p[oWh + k * G + g] as number);
        a[g] = v;
      }
      for (let j = 0; j < H; j++) {
        const cp = reset ? 0 : (c[b * H + j] as number);
        const cj = sig(a[H + j] as number) * cp + sig(a[j] as number) * Math.tanh(a[2 * H + j] as number);
        cn[b * H + j] = cj;
        hn[b * H + j] = sig(a[3 * H + j] as number) * Math.tanh(cj);
      }
      const facts = {
        action: (mb.actions as Int32Array)[row] as number,
        oldLogp: mb.logp[row] as number,
        adv: mb.adv[row] as number,
        ret: mb.returns[row] as number,
      };
      total += ppoHeadRowLoss(p, cellSize, hn, b * H, H, A, facts, { eps: 0.2, entCoef: 0.05, vfCoef: 0.7 });
    }
    h = hn;
    c = cn;
  }
  return total / (L * S);
}

describe.each(backends)('LSTM recurrent PPO: segment gradient and state carrying (%s)', (name) => {
  useBackendForSuite(name);

  it('the segment gradient matches float64 central differences; without BPTT it does not', () => {
    const m = lstmModel();
    const p32 = Float32Array.from(random.normal(random.key(1), m.size), (v) => 0.5 * v);
    const { mb, loss } = batch(m, p32);
    const g = new Float32Array(m.size);
    const stats = loss.lossAndGrad(p32, mb, OBJ, VALUE, g);
    const p64 = Float64Array.from(p32);
    const c0 = Float64Array.from(mb.c0 as Float32Array);
    const f = (q: Float64Array) => refLoss(q, mb, c0);
    expect(stats.policy.policyLoss + 0.7 * stats.valueLoss).toBeCloseTo(f(p64), 5);
    // Dropping the carried c changes the loss: the reference sees c0.
    expect(Math.abs(refLoss(p64, mb, new Float64Array(S * H)) - f(p64))).toBeGreaterThan(1e-3);
    const fd = centralGradient(f, p64, 1e-6);
    const scale = Math.max(...fd.map(Math.abs));
    const err = (a: ArrayLike<number>) => Math.max(...Array.from(fd, (v, i) => Math.abs(v - (a[i] as number)))) / scale;
    expect(err(g)).toBeLessThan(1e-4);
    const noBptt = m.net
      .backwardInto(m.netParams(p32), mb.xs, loss.ws, loss.dy, { resets: mb.resets, truncate: 1 })
      .slice();
    expect(err(noBptt)).toBeGreaterThan(1e-2);
  });

  it('whole-sequence forward ≡ step-by-step rollout carrying h and c in place; h without c is caught', () => {
    const m = lstmModel();
    const p = m.netParams(Float32Array.from(random.normal(random.key(8), m.size), (v) => 0.5 * v));
    const xs = Float32Array.from(random.normal(random.key(9), L * S * I));
    const resets = new Uint8Array(L * S);
    resets[2 * S] = 1;
    resets[4 * S + 1] = 1;
    const h0 = Float32Array.from(random.normal(random.key(10), S * H), (v) => 0.5 * v);
    const c0 = Float32Array.from(random.normal(random.key(11), S * H), (v) => 0.5 * v);
    const ws = m.net.workspace(L, S);
    const whole = m.net.forwardInto(p, xs, ws, { h0, c0, resets }).slice();
    const one = m.net.workspace(1, S);
    (one.gru.hs as Float32Array).set(h0);
    (one.cs as Float32Array).set(c0);
    const W = A + 1;
    for (let t = 0; t < L; t++) {
      const y = m.net.forwardInto(p, xs.subarray(t * S * I, (t + 1) * S * I), one, {
        h0: one.gru.hs,
        c0: one.cs,
        resets: resets.subarray(t * S, (t + 1) * S),
        record: false,
      });
      expect(maxRelDiff(y, whole.subarray(t * S * W, (t + 1) * S * W))).toBeLessThan(1e-6);
    }
    expect(() => m.net.forwardInto(p, xs, ws, { h0, resets })).toThrow(RangeError);
    expect(() => m.net.forwardInto(p, xs, ws, { h0, resets })).toThrow(/c0/);
    const gruPi = nn.recurrentPolicy({ inputSize: I, hiddenSize: H, outputSize: 2 });
    expect(() => gruPi.forwardInto(gruPi.init(0), xs, gruPi.workspace(L, S), { h0, c0 })).toThrow(/c0.*GRU/);
    expect(() => nn.recurrentPolicy({ inputSize: I, hiddenSize: H, outputSize: 2, cell: 'rnn' as 'gru' })).toThrow(
      /options\.cell/,
    );
  });

  it("the rollout's stored h and c replay its own values", () => {
    const env = envs.make('CartPole-v1', { numEnvs: 3, seed: 2, maxEpisodeSteps: 5 });
    const m = new RecurrentActorCritic({
      obsDim: env.obsDim,
      action: { type: 'discrete', n: 2 },
      recurrent: { cell: 'lstm', hidden: 5, encoder: [4] },
    });
    const params = m.init(random.key(3));
    const T = 8;
    const opts = { numSteps: T, gamma: 0.97, gaeLambda: 0.9, obsRms: undefined, clipObs: 10, rewardScaler: undefined };
    const col = new RecurrentCollector(env, m, opts, 4);
    col.collect(params, random.key(5));
    const mb = new SegmentBatch(m, T, 3);
    mb.gather(col, Int32Array.from([0, 1, 2]), 0);
    expect(mb.resets.some((r) => r === 1)).toBe(true);
    const y = m.net.forwardInto(m.netParams(params), mb.xs, m.net.workspace(T, 3), {
      h0: mb.h0,
      c0: mb.c0,
      resets: mb.resets,
    });
    const v = Float32Array.from({ length: T * 3 }, (_, r) => y[r * 3 + 2] as number);
    expect(maxRelDiff(v, mb.values)).toBeLessThan(1e-5);
    expect(col.state.length).toBe(2 * 3 * 5);
  });
});

describe('LSTM recurrent PPO: native ≡ js', () => {
  it.skipIf(nativeBackend === undefined)('the segment loss gradient agrees between the backends', () => {
    const m = lstmModel();
    const p32 = Float32Array.from(random.normal(random.key(1), m.size), (v) => 0.5 * v);
    const grads: Float32Array[] = [];
    for (const b of ['js', 'native'] as const) {
      use(b);
      const { mb, loss } = batch(m, p32);
      const g = new Float32Array(m.size);
      loss.lossAndGrad(p32, mb, OBJ, VALUE, g);
      grads.push(g);
    }
    use(backends[0]?.[0] as 'native' | 'js');
    expect(maxRelDiff(grads[0] as Float32Array, grads[1] as Float32Array)).toBeLessThan(1e-4);
  });
});

describe('LSTM recurrent PPO runs', () => {
  const cfg = {
    env: 'CartPole-v1',
    recurrent: { cell: 'lstm' as const, hidden: 8, seqLen: 8, encoder: [8] },
    totalSteps: 512,
    numEnvs: 4,
    numSteps: 32,
    numMinibatches: 4,
    updateEpochs: 2,
    seed: 3,
    envOptions: { maxEpisodeSteps: 12 },
  };

  it('is deterministic, and k updates + resume = the uninterrupted run (h and c carried)', async () => {
    const full = await rl.ppo.train(cfg);
    const again = await rl.ppo.train(cfg);
    expect(Array.from(again.policy.params)).toEqual(Array.from(full.policy.params));
    let saved: Checkpoint | undefined;
    const ac = new AbortController();
    await rl.ppo.train({
      ...cfg,
      signal: ac.signal,
      onUpdate: (s, _p, r) => {
        if (s.update === 2) {
          saved = r.checkpoint();
          ac.abort();
        }
      },
    });
    const state = saved?.arrays['training.collector.gruState'] as Float32Array;
    expect(state.length).toBe(2 * 4 * 8); // h then c
    const resumed = await rl.ppo.train({ ...cfg, resume: saved as Checkpoint });
    expect(Array.from(resumed.policy.params)).toEqual(Array.from(full.policy.params));
    // Zeroing only c breaks the continuation (the test can fail).
    const broken = structuredClone(saved) as Checkpoint;
    (broken.arrays['training.collector.gruState'] as Float32Array).fill(0, 4 * 8);
    const off = await rl.ppo.train({ ...cfg, resume: broken });
    expect(Array.from(off.policy.params)).not.toEqual(Array.from(full.policy.params));
    // Save/load, and a reset zeroes h and c of the rows whose episode ended.
    const loaded = rl.RecurrentPolicy.fromCheckpoint(full.checkpoint);
    const e1 = await rl.evaluate(full.policy, { episodes: 4, numEnvs: 2, seed: 5 });
    const e2 = await rl.evaluate(loaded, { episodes: 4, numEnvs: 2, seed: 5 });
    expect(e2.returns).toEqual(e1.returns);
  });

  it('learns the memory task (2-armed bandits, 20 pulls) better than chance', async () => {
    const { policy } = await rl.ppo.train({
      env: 'Bandit-v0',
      envOptions: { arms: 2, pulls: 20 },
      recurrent: { cell: 'lstm', hidden: 16, seqLen: 20 },
      totalSteps: 40960,
      numEnvs: 64,
      numSteps: 40,
      numMinibatches: 4,
      updateEpochs: 4,
      entCoef: 0.01,
      lr: 3e-3,
      seed: 1,
    });
    const r = await rl.evaluate(policy, { episodes: 256, numEnvs: 32, seed: 9, deterministic: true });
    const mean = r.meanReturn;
    // Random play earns 10 per episode in expectation (p ~ U[0, 1]); the sd of a 256-episode mean is ≈ 0.25.
    expect(mean).toBeGreaterThan(11);
  });
});
