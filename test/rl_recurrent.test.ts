// Recurrent PPO (issue 15): rollouts carrying GRU states, segment minibatches, BPTT in the update.
// - Reduction: a GRU with zero recurrent weights, b_hn = 0 and its update gate shut (z ≈ 0) is the
//   feed-forward net tanh(W_in x + b_in) → linear heads, i.e. rl's 'shared' ActorCritic with one
//   hidden layer; on the same env, seed and key the recurrent rollout equals the feed-forward one
//   and the segment loss's gradient equals the feed-forward PPO gradient (mapped back).
// - The segment gradient (objective kernels → heads → GRU BPTT with a reset mid-segment and a
//   nonzero starting state) against float64 central differences of a reference loss written from
//   Schulman et al. 2017 (clipped surrogate, entropy bonus, squared value error) over the js GRU
//   twin run in double; the same gradient without BPTT (truncate 1) fails the check.
// - Determinism, save/load, rl.evaluate, errors.
import { describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { gruForwardAny } from '../src/backend/js/nn/gru.js';
import { RlPolicyStats } from '../src/backend/kernels/rl.js';
import * as envs from '../src/envs/index.js';
import type { Checkpoint } from '../src/io/checkpoint.js';
import * as random from '../src/random/index.js';
import type { CollectorOptions } from '../src/rl/collector.js';
import * as rl from '../src/rl/index.js';
import { ActorCritic, ActorCriticWorkspace } from '../src/rl/model.js';
import { RecurrentCollector } from '../src/rl/recurrent/collector.js';
import { RecurrentActorCritic } from '../src/rl/recurrent/model.js';
import { SegmentBatch, SegmentLoss } from '../src/rl/recurrent/segments.js';
import { StepCollector } from '../src/rl/step_collector.js';
import { backends, maxRelDiff, useBackendForSuite } from './helpers/backends.js';
import { centralGradient } from './helpers/finite_differences.js';
import { ppoHeadRowLoss } from './helpers/ppo_reference.js';

const opts = (numSteps: number): CollectorOptions => ({
  numSteps,
  gamma: 0.97,
  gaeLambda: 0.9,
  obsRms: undefined,
  clipObs: 10,
  rewardScaler: undefined,
});

/** Offsets of the GRU blocks in the recurrent net's flat vector (no encoder). */
function blocks(m: RecurrentActorCritic) {
  const at = (name: string) => m.net.layout.find((s) => s.name === name)?.offset as number;
  return {
    wi: at('gru.wi'),
    wh: at('gru.wh'),
    bi: at('gru.bi'),
    bh: at('gru.bh'),
    hw: at('head.dense0.w'),
    hb: at('head.dense0.b'),
  };
}

describe.each(backends)('recurrent PPO reduces to feed-forward PPO (%s)', (name) => {
  useBackendForSuite(name);
  for (const env of ['CartPole-v1', 'Pendulum-v1'] as const) {
    it(`${env}: zero recurrent weights and a shut update gate give the feed-forward rollout and gradient`, () => {
      const H = 6;
      const probe = envs.make(env);
      const I = probe.obsDim;
      const space = probe.actionSpace;
      const action =
        space.type === 'discrete'
          ? ({ type: 'discrete', n: space.n } as const)
          : ({ type: 'box', dim: probe.actionDim } as const);
      const K = space.type === 'discrete' ? space.n : probe.actionDim;
      const rec = new RecurrentActorCritic({ obsDim: I, action, recurrent: { cell: 'gru', hidden: H, encoder: [] } });
      const ff = new ActorCritic({ obsDim: I, action, hidden: [H], activation: 'tanh', network: 'shared' });
      const pr = rec.init(random.key(4));
      const o = blocks(rec);
      const G = 3 * H;
      pr.fill(0, o.wh, o.wh + H * G); // no recurrence
      pr.fill(0, o.bh + 2 * H, o.bh + 3 * H); // b_hn = 0: n = tanh(W_in x + b_in)
      for (let j = 0; j < H; j++) pr[o.bi + H + j] = -40; // z = σ(−40) ≈ 4e-18: h' = n
      if (rec.logStdOffset >= 0) pr.fill(0.2, rec.logStdOffset);
      // The same function as the feed-forward shared net: dense0 = (W_in, b_in), dense1 = head.
      const pf = new Float32Array(ff.size);
      const lay = (n: string) => ff.actor.mlp.layout.find((s) => s.name === n)?.offset as number;
      for (let i = 0; i < I; i++)
        for (let j = 0; j < H; j++) pf[lay('dense0.w') + i * H + j] = pr[o.wi + i * G + 2 * H + j] as number;
      for (let j = 0; j < H; j++) pf[lay('dense0.b') + j] = pr[o.bi + 2 * H + j] as number;
      pf.set(pr.subarray(o.hw, o.hw + H * (K + 1)), lay('dense1.w'));
      pf.set(pr.subarray(o.hb, o.hb + K + 1), lay('dense1.b'));
      if (ff.logStdOffset >= 0) pf.fill(0.2, ff.logStdOffset);

      const T = 24;
      const N = 3;
      const make = () => envs.make(env, { numEnvs: N, seed: 9, maxEpisodeSteps: 10 });
      const cr = new RecurrentCollector(make(), rec, opts(T), 2);
      const cf = new StepCollector(make(), ff, opts(T), 2);
      for (let u = 0; u < 2; u++) {
        cr.collect(pr, random.key(u + 1));
        cf.collect(pf, random.key(u + 1));
        for (const f of ['actions', 'logp', 'values', 'advantages', 'returns', 'heads'] as const)
          expect(maxRelDiff(cr[f], cf[f]), `${f}, rollout ${u}`).toBeLessThan(1e-5);
      }
      expect(
        cr.resets.some((r) => r === 1),
        'episodes must end for the resets to matter',
      ).toBe(true);
      expect(
        cr.hiddens.some((h) => h !== 0),
        'the carried states are nonzero',
      ).toBe(true);

      // One minibatch: every env's whole rollout as one segment (BPTT over 24 steps) vs the flat batch.
      const objective = { objective: 'clip' as const, clipEps: 0.2, entCoef: 0.01, normalizeAdv: true };
      const mb = new SegmentBatch(rec, T, N);
      mb.gather(
        cr,
        Int32Array.from({ length: N }, (_, i) => i),
        0,
      );
      const loss = new SegmentLoss(rec, T, N);
      const gr = new Float32Array(rec.size);
      const sr = loss.lossAndGrad(pr, mb, objective, { clip: 0.2, vfCoef: 0.5 }, gr);
      // Feed-forward PPO on the same rows in the same (time-major) order.
      const b = getBackend();
      const ws = new ActorCriticWorkspace(ff, T * N, true);
      ws.forwardTape(pf, mb.xs);
      const gf = new Float32Array(ff.size);
      const st = new RlPolicyStats();
      if (action.type === 'discrete')
        b.rlCategoricalObjective(
          ws.head,
          mb.actions as Int32Array,
          mb.logp,
          mb.adv,
          new Float32Array(0),
          ws.dHead,
          st,
          objective,
        );
      else
        b.rlGaussianObjective(
          ws.head,
          ff.logStd(pf),
          mb.actions as Float32Array,
          mb.logp,
          mb.adv,
          new Float32Array(0),
          new Float32Array(0),
          ws.dHead,
          gf.subarray(ff.logStdOffset),
          st,
          objective,
        );
      const vl = b.rlValueLoss(T * N, ws.values, mb.values, mb.returns, 0.2, 0.5, ws.dValues);
      ws.backward(pf, mb.xs, gf);
      expect(sr.policy.policyLoss).toBeCloseTo(st.policyLoss, 5);
      expect(sr.valueLoss).toBeCloseTo(vl, 4);
      const pick = (g: Float32Array, f: (i: number, j: number) => number, rows: number, cols: number) =>
        Float32Array.from({ length: rows * cols }, (_, k) => g[f(Math.floor(k / cols), k % cols)] as number);
      const w0r = pick(gr, (i, j) => o.wi + i * G + 2 * H + j, I, H);
      const w0f = pick(gf, (i, j) => lay('dense0.w') + i * H + j, I, H);
      expect(maxRelDiff(w0r, w0f)).toBeLessThan(2e-4);
      expect(
        maxRelDiff(gr.subarray(o.bi + 2 * H, o.bi + 3 * H), gf.subarray(lay('dense0.b'), lay('dense0.b') + H)),
      ).toBeLessThan(2e-4);
      expect(
        maxRelDiff(gr.subarray(o.hw, o.hb + K + 1), gf.subarray(lay('dense1.w'), lay('dense1.b') + K + 1)),
      ).toBeLessThan(2e-4);
      if (rec.logStdOffset >= 0)
        expect(maxRelDiff(gr.subarray(rec.logStdOffset), gf.subarray(ff.logStdOffset))).toBeLessThan(2e-4);
    });
  }
});

// ---- float64 reference of one segment minibatch's loss (Schulman et al. 2017) -------------------

interface RefBatch {
  L: number;
  S: number;
  I: number;
  H: number;
  A: number;
  xs: Float64Array;
  h0: Float64Array;
  resets: Uint8Array;
  actions: Int32Array;
  oldLogp: Float64Array;
  adv: Float64Array;
  returns: Float64Array;
}

/**
 * L = mean[−min(ρA, clip(ρ, 1±ε)A)] − c_ent·mean[H(π)] + c_v·½·mean[(V − R)²], with π and V linear
 * heads on the GRU states h_t (PyTorch's GRU, state zeroed where a step starts an episode).
 */
function refLoss(p: Float64Array, gruSize: number, r: RefBatch, eps: number, entCoef: number, vfCoef: number): number {
  const { L, S, I, H, A } = r;
  const hs = new Float64Array(L * S * H);
  gruForwardAny(p.subarray(0, gruSize), r.xs, r.h0, r.resets, hs, null, {
    inputSize: I,
    hiddenSize: H,
    steps: L,
    batch: S,
  });
  let total = 0;
  const n = L * S;
  const k = { eps, entCoef, vfCoef };
  for (let row = 0; row < n; row++) {
    const facts = {
      action: r.actions[row] as number,
      oldLogp: r.oldLogp[row] as number,
      adv: r.adv[row] as number,
      ret: r.returns[row] as number,
    };
    total += ppoHeadRowLoss(p, gruSize, hs, row * H, H, A, facts, k);
  }
  return total / n;
}

describe.each(backends)('segment loss gradient vs float64 finite differences through BPTT (%s)', (name) => {
  useBackendForSuite(name);
  it('matches central differences over every parameter; dropping BPTT (truncate 1) does not', () => {
    const I = 3;
    const H = 4;
    const A = 3;
    const L = 6;
    const S = 2;
    const m = new RecurrentActorCritic({
      obsDim: I,
      action: { type: 'discrete', n: A },
      recurrent: { cell: 'gru', hidden: H, encoder: [] },
    });
    const gruSize = m.net.inner.gru.size;
    const p32 = Float32Array.from(random.normal(random.key(1), m.size), (v) => 0.5 * v);
    const mb = new SegmentBatch(m, L, S);
    const n = L * S;
    mb.xs.set(random.normal(random.key(2), n * I));
    mb.h0.set(Float32Array.from(random.normal(random.key(3), S * H), (v) => 0.5 * v));
    mb.resets[3 * S + 1] = 1; // segment 1 starts a new episode at step 3
    const u = random.uniform(random.key(4), n);
    (mb.actions as Int32Array).set(Int32Array.from(u, (v) => Math.floor(v * A)));
    mb.adv.set(random.normal(random.key(5), n));
    mb.returns.set(random.normal(random.key(6), n));
    mb.values.set(mb.returns); // unclipped value loss needs no old values
    // Old log-probs near the current ones (ratios inside the clip range, away from its kinks).
    const loss = new SegmentLoss(m, L, S);
    const objective = { objective: 'clip' as const, clipEps: 0.2, entCoef: 0.05, normalizeAdv: false };
    const value = { clip: 0, vfCoef: 0.7 };
    const g = new Float32Array(m.size);
    loss.lossAndGrad(p32, mb, objective, value, g);
    for (let row = 0; row < n; row++) {
      const y = loss.head.subarray(row * A, row * A + A);
      const mx = Math.max(...y);
      const lse = mx + Math.log(y.reduce((s, v) => s + Math.exp(v - mx), 0));
      mb.logp[row] = (y[(mb.actions as Int32Array)[row] as number] as number) - lse + (row % 3 === 0 ? 0.05 : -0.04);
    }
    const stats = loss.lossAndGrad(p32, mb, objective, value, g);
    const ref: RefBatch = {
      L,
      S,
      I,
      H,
      A,
      xs: Float64Array.from(mb.xs),
      h0: Float64Array.from(mb.h0),
      resets: mb.resets.slice(),
      actions: (mb.actions as Int32Array).slice(),
      oldLogp: Float64Array.from(mb.logp),
      adv: Float64Array.from(mb.adv),
      returns: Float64Array.from(mb.returns),
    };
    const p64 = Float64Array.from(p32);
    const f = (q: Float64Array) => refLoss(q, gruSize, ref, 0.2, 0.05, 0.7);
    expect(stats.policy.policyLoss + 0.7 * stats.valueLoss).toBeCloseTo(f(p64), 5);
    const fd = centralGradient(f, p64, 1e-6);
    const scale = Math.max(...fd.map(Math.abs));
    const err = (a: ArrayLike<number>) => Math.max(...Array.from(fd, (v, i) => Math.abs(v - (a[i] as number)))) / scale;
    expect(err(g)).toBeLessThan(1e-4);
    // The wrong variant: no gradient through time (each step's state treated as a constant).
    const np = m.netParams(p32);
    const noBptt = m.net.backwardInto(np, mb.xs, loss.ws, loss.dy, { resets: mb.resets, truncate: 1 }).slice();
    expect(err(noBptt)).toBeGreaterThan(1e-2);
  });
});

describe('recurrent PPO runs', () => {
  const cfg = {
    env: 'CartPole-v1',
    recurrent: { cell: 'gru', hidden: 8, seqLen: 8, encoder: [8] },
    totalSteps: 512,
    numEnvs: 4,
    numSteps: 32,
    numMinibatches: 4,
    updateEpochs: 2,
    seed: 3,
  } as const;

  it('is deterministic per seed, and the seed matters', async () => {
    const a = await rl.ppo.train({ ...cfg, recurrent: { ...cfg.recurrent, encoder: [8] } });
    const b = await rl.ppo.train({ ...cfg, recurrent: { ...cfg.recurrent, encoder: [8] } });
    const c = await rl.ppo.train({ ...cfg, recurrent: { ...cfg.recurrent, encoder: [8] }, seed: 4 });
    expect(a.history).toHaveLength(4);
    expect(Array.from(a.policy.params)).toEqual(Array.from(b.policy.params));
    expect(a.history.map((s) => s.policyLoss)).toEqual(b.history.map((s) => s.policyLoss));
    expect(Array.from(c.policy.params)).not.toEqual(Array.from(a.policy.params));
    expect(a.policy).toBeInstanceOf(rl.RecurrentPolicy);
  });

  it('saves, loads and evaluates the recurrent policy; rl.Policy.load says what is missing', async () => {
    const r = await rl.ppo.train({ ...cfg, recurrent: { ...cfg.recurrent, encoder: [8] } });
    const loaded = rl.RecurrentPolicy.fromCheckpoint(r.checkpoint);
    expect(Array.from(loaded.params)).toEqual(Array.from(r.policy.params));
    expect(loaded.model.spec).toEqual(r.policy.model.spec);
    const e1 = await rl.evaluate(r.policy, { episodes: 6, numEnvs: 3, seed: 5 });
    const e2 = await rl.evaluate(loaded, { episodes: 6, numEnvs: 3, seed: 5 });
    expect(e2.returns).toEqual(e1.returns);
    expect(() => rl.Policy.fromCheckpoint(r.checkpoint)).toThrow(
      /recurrent policy: load it with rl.RecurrentPolicy.load/,
    );
    // State: a reset zeroes the rows whose episode ended.
    loaded.act(new Float32Array(8).fill(0.1));
    expect(loaded.state.some((v) => v !== 0)).toBe(true);
    loaded.resetState(Uint8Array.from([1, 0]));
    expect(loaded.state.subarray(0, 8).every((v) => v === 0)).toBe(true);
    expect(loaded.state.subarray(8).some((v) => v !== 0)).toBe(true);
  });

  it('k updates + resume = the uninterrupted run, bit for bit (GRU states and pending resets carried)', async () => {
    const run = { ...cfg, recurrent: { ...cfg.recurrent, encoder: [8] }, envOptions: { maxEpisodeSteps: 12 } };
    const full = await rl.ppo.train(run);
    let saved: Checkpoint | undefined;
    const ac = new AbortController();
    await rl.ppo.train({
      ...run,
      signal: ac.signal,
      onUpdate: (s, _p, r) => {
        if (s.update === 2) {
          saved = r.checkpoint();
          ac.abort();
        }
      },
    });
    expect(saved?.arrays['training.collector.gruState']).toBeInstanceOf(Float32Array);
    const resumed = await rl.ppo.train({ ...run, resume: saved as Checkpoint });
    expect(resumed.history.map((s) => s.update)).toEqual([3, 4]);
    expect(Array.from(resumed.policy.params)).toEqual(Array.from(full.policy.params));
    expect(resumed.history.map((s) => s.policyLoss)).toEqual(full.history.slice(2).map((s) => s.policyLoss));
    // Without the carried GRU state the continuation differs (the test can fail).
    const broken = structuredClone(saved) as Checkpoint;
    (broken.arrays['training.collector.gruState'] as Float32Array).fill(0);
    const off = await rl.ppo.train({ ...run, resume: broken });
    expect(Array.from(off.policy.params)).not.toEqual(Array.from(full.policy.params));
  });

  it('rejects bad recurrent options naming the argument', async () => {
    const bad = (recurrent: unknown, extra: object = {}) =>
      rl.ppo.train({ ...cfg, ...extra, recurrent } as unknown as Parameters<typeof rl.ppo.train>[0]);
    await expect(bad({ cell: 'rnn', hidden: 8 })).rejects.toThrow(/recurrent\.cell: expected 'gru' or 'lstm'/);
    await expect(bad({ cell: 'gru', hidden: 0 })).rejects.toThrow(/recurrent\.hidden/);
    await expect(bad({ cell: 'gru', hidden: 8, seqLen: 5 })).rejects.toThrow(/seqLen: 5 does not divide numSteps 32/);
    await expect(bad({ cell: 'gru', hidden: 8, seqLen: 32 }, { numMinibatches: 8 })).rejects.toThrow(
      /exceeds the 4 segments/,
    );
    await expect(bad({ cell: 'gru', hidden: 8, bogus: 1 })).rejects.toThrow(/bogus/);
    await expect(bad(7)).rejects.toThrow(TypeError);
  });
});
