// metaRl.rl2 (Duan et al. 2016, structure as in garage's RL2Env / rl2.py, reference §5.1): the
// trial wiring (inputs [obs, one-hot a_{t−1}, r_{t−1}, d_{t−1}], hidden kept across the episodes
// of a trial and reset between trials, GAE across episode boundaries), the PPO loss and network
// gradients against float64 central differences, the zero-recurrence reduction to a feed-forward
// policy, a short seeded training run against the random policy, determinism and errors.
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { trialEnvFamily } from '../src/metarl/rl2/env_setup.js';
import { trialGae } from '../src/metarl/rl2/gae.js';
import { inputSize } from '../src/metarl/rl2/inputs.js';
import { rl2Model } from '../src/metarl/rl2/model.js';
import { ppoLoss } from '../src/metarl/rl2/ppo_loss.js';
import { collectTrials } from '../src/metarl/rl2/rollout.js';
import { Rng } from '../src/metarl/rng.js';
import { key, normal } from '../src/random/index.js';

const f64 = (seed: number, n: number, scale = 1): Float64Array =>
  Float64Array.from(normal(key(seed), n), (v) => v * scale);

function fdCheck(
  f: (x: Float64Array) => number,
  x: Float64Array,
  grad: ArrayLike<number>,
  idx: number[],
  eps = 1e-6,
  tol = 1e-7,
): void {
  for (const i of idx) {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = (xp[i] as number) + eps;
    xm[i] = (xm[i] as number) - eps;
    const fd = (f(xp) - f(xm)) / (2 * eps);
    expect(Math.abs(fd - (grad[i] as number))).toBeLessThan(tol * Math.max(1, Math.abs(fd)));
  }
}

describe('ppoLoss', () => {
  const n = 12;
  const A = 3;
  const actions = Int32Array.from({ length: n }, (_, i) => i % A);
  const base = {
    values: f64(2, n),
    actions,
    // old log-probs far from the current ones so that some steps are clipped
    oldLogp: Float64Array.from(f64(3, n, 0.6), (v) => v - 1.1),
    adv: f64(4, n),
    returns: f64(5, n),
    numActions: A,
    clip: 0.2,
    vfCoef: 0.5,
    entCoef: 0.03,
  };
  const logits = f64(1, n * A);
  const L = ppoLoss({ ...base, logits });

  it('matches central differences w.r.t. logits and values, with clipped steps present', () => {
    expect(L.clipFraction).toBeGreaterThan(0);
    expect(L.clipFraction).toBeLessThan(1);
    fdCheck((z) => ppoLoss({ ...base, logits: z }).loss, logits, L.dLogits, [...Array(n * A).keys()]);
    fdCheck((v) => ppoLoss({ ...base, logits, values: v }).loss, base.values, L.dValues, [...Array(n).keys()]);
  });

  it('a variant without the entropy gradient fails the same check', () => {
    const noEnt = ppoLoss({ ...base, logits, entCoef: 0 });
    const fd = (() => {
      const i = 0;
      const zp = logits.slice();
      const zm = logits.slice();
      zp[i] = (zp[i] as number) + 1e-6;
      zm[i] = (zm[i] as number) - 1e-6;
      return (ppoLoss({ ...base, logits: zp }).loss - ppoLoss({ ...base, logits: zm }).loss) / 2e-6;
    })();
    expect(Math.abs(fd - (noEnt.dLogits[0] as number))).toBeGreaterThan(1e-5);
  });
});

describe('rl2 network', () => {
  it('backward matches central differences through the heads and the GRU', () => {
    const m = rl2Model(4, 3, 2);
    const T = 4;
    const B = 2;
    const p = f64(7, m.size, 0.5);
    const xs = f64(8, T * B * 4);
    const wl = f64(9, T * B * 2);
    const wv = f64(10, T * B);
    const loss = (q: Float64Array): number => {
      const f = m.forward(q, xs, T, B);
      let s = 0;
      for (let i = 0; i < wl.length; i++) s += (wl[i] as number) * (f.logits[i] as number);
      for (let i = 0; i < wv.length; i++) s += (wv[i] as number) * (f.values[i] as number);
      return s;
    };
    const d = m.backward(p, m.forward(p, xs, T, B), wl, wv);
    // nn.gru computes in float32 (its kernels), so the differences use a wide step: the O(ε²)
    // truncation (~1e-4) and float32 rounding (~1e-5) stay far below the errors of a wrong gradient.
    fdCheck(loss, p, d, [...Array(m.size).keys()], 1e-2, 2e-3);
  });
});

describe('trialGae', () => {
  it('runs across episode boundaries inside the trial: hand-computed 3-step trial', () => {
    // one trial of 3 steps (an episode ends after step 1 inside it), γ = 0.9, λ = 0.5
    const r = [1, 0, 2];
    const v = [0.5, 1, -1];
    const adv = new Float64Array(3);
    const ret = new Float64Array(3);
    trialGae(r, v, 3, 1, 0.9, 0.5, adv, ret);
    const d2 = 2 - -1; // last step of the trial: bootstrap 0
    const d1 = 0 + 0.9 * -1 - 1;
    const d0 = 1 + 0.9 * 1 - 0.5;
    const a2 = d2;
    const a1 = d1 + 0.45 * a2;
    const a0 = d0 + 0.45 * a1; // a cut at the episode end would give a0 = 1 − 0.5
    expect(Array.from(adv)).toEqual([a0, a1, a2].map((x) => expect.closeTo(x, 12)));
    expect(ret[0]).toBeCloseTo(a0 + 0.5, 12);
    expect(Math.abs((adv[0] as number) - 0.5)).toBeGreaterThan(0.1);
  });
});

describe('trial wiring', () => {
  const family = trialEnvFamily('Bandit-v0', { arms: 3, pulls: 2 }, 'envOptions');
  const I = inputSize(family.obsDim, family.actions);
  const m = rl2Model(I, 5, 3);
  const p = f64(11, m.size, 0.7);
  const env = family.create(4, 3);
  env.setTasks(family.sampleTasks(env, key(5), 4));
  const T = 6; // three episodes of two pulls in one trial
  const batch = collectTrials(m, p, env, T, new Rng(key(6)));
  const B = 4;

  it('feeds obs, one-hot previous action, previous reward and the done flag; zeros at the start', () => {
    for (let b = 0; b < B; b++) {
      const x0 = batch.xs.subarray(b * I, b * I + I);
      expect(Array.from(x0)).toEqual(new Array(I).fill(0));
      for (let t = 1; t < T; t++) {
        const x = batch.xs.subarray((t * B + b) * I, (t * B + b) * I + I);
        const a = batch.actions[(t - 1) * B + b] as number;
        const r = batch.rewards[(t - 1) * B + b] as number;
        const ended = t % 2 === 0;
        const onehot = [0, 1, 2].map((j) => (j === a ? 1 : 0));
        const obs = ended ? [0, 0, 0, 0] : [...onehot, r]; // Bandit-v0's obs resets at an episode end
        expect(Array.from(x)).toEqual([...obs, ...onehot, r, ended ? 1 : 0]);
        expect(batch.dones[(t - 1) * B + b]).toBe(ended ? 1 : 0);
      }
    }
  });

  it('keeps the hidden state across episodes of a trial and resets it between trials', () => {
    // Recomputing the whole trial from h = 0 reproduces the rollout's log-probabilities…
    const f = m.forward(p, batch.xs, T, B);
    const logp = (logits: Float64Array, i: number, a: number): number => {
      const z = [0, 1, 2].map((j) => Math.exp(logits[i * 3 + j] as number));
      return Math.log((z[a] as number) / (z[0]! + z[1]! + z[2]!));
    };
    for (let i = 0; i < T * B; i++) expect(logp(f.logits, i, batch.actions[i]!)).toBeCloseTo(batch.logp[i]!, 10);
    // …while resetting h at the episode boundary (t = 2) would not.
    const g = m.core.forward(p.subarray(0, m.core.size), {
      xs: batch.xs,
      steps: T,
      batch: B,
      resets: Uint8Array.from({ length: T * B }, (_, i) => (Math.floor(i / B) === 2 ? 1 : 0)),
    });
    const same = (t: number) => g.hs.subarray(t * B * 5, (t + 1) * B * 5).every((v, j) => v === f.hs[t * B * 5 + j]);
    expect(same(1)).toBe(true);
    expect(same(2)).toBe(false);
    // A second trial on the same env starts from h = 0 again: its first step equals a fresh forward.
    const next = collectTrials(m, p, env, T, new Rng(key(7)));
    const f0 = m.forward(p, next.xs.subarray(0, B * I), 1, B);
    for (let b = 0; b < B; b++) expect(logp(f0.logits, b, next.actions[b]!)).toBeCloseTo(next.logp[b]!, 12);
  });

  it('with zero recurrent weights and a closed update gate it is a feed-forward policy of its inputs', () => {
    const q = p.slice();
    const H = 5;
    const G = 3 * H;
    const oWh = I * G;
    q.fill(0, oWh, oWh + H * G); // W_h = 0
    for (let j = 0; j < H; j++) q[oWh + H * G + H + j] = -1e3; // b_iz: z = 0 exactly, so h' = n(x)
    const f = m.forward(q, batch.xs, T, B);
    for (let i = 0; i < T * B; i++) {
      const one = m.forward(q, batch.xs.subarray(i * I, i * I + I), 1, 1);
      for (let a = 0; a < 3; a++) expect(f.logits[i * 3 + a]).toBeCloseTo(one.logits[a]!, 14);
    }
    // with the original recurrence the same check fails
    const g = m.forward(p, batch.xs, T, B);
    const one = m.forward(p, batch.xs.subarray(B * I, B * I + I), 1, 1);
    expect(Math.abs(g.logits[B * 3]! - one.logits[0]!)).toBeGreaterThan(1e-6);
  });
});

describe('metaRl.rl2', () => {
  const envOptions = { arms: 2, pulls: 10, prior: { alpha: 1, beta: 1 } };
  const opts = {
    env: 'Bandit-v0' as const,
    envOptions,
    hidden: 8,
    trialsPerUpdate: 64,
    lr: 3e-3,
    lrFinal: 3e-3,
    maxGradNorm: 5,
    gamma: 1,
    lambda: 0.5,
  };

  it('is deterministic per seed', async () => {
    const a = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 3 });
    const b = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 3 });
    const c = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 4 });
    expect(a.policy.params).toEqual(b.policy.params);
    expect(a.history).toEqual(b.history);
    expect(a.policy.params).not.toEqual(c.policy.params);
  });

  it('initParams: starting from the fresh init equals the fresh run; bad parameters throw', async () => {
    // lr 0 leaves the parameters at the seed's init, which then seeds a second learner.
    const init = (await metaRl.rl2({ ...opts, lr: 0, lrFinal: 0 }).train({ totalSteps: 640, seed: 3 })).policy.params;
    const fresh = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 3 });
    const warm = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 3, initParams: init });
    expect(warm.policy.params).toEqual(fresh.policy.params);
    // A different start gives a different result (the option is not ignored).
    const other = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 2, seed: 3, initParams: fresh.policy.params });
    expect(other.policy.params).not.toEqual(fresh.policy.params);
    const learner = metaRl.rl2(opts);
    await expect(learner.train({ totalSteps: 640, initParams: init.subarray(1) })).rejects.toThrow(/initParams/);
    const bad = init.slice();
    bad[0] = Number.NaN;
    await expect(learner.train({ totalSteps: 640, initParams: bad })).rejects.toThrow(/initParams/);
  });

  it('a short training run beats the random policy on 2-armed bandits (seeded)', async () => {
    const { policy, history } = await metaRl.rl2(opts).train({ totalSteps: 64 * 10 * 60, seed: 0 });
    expect(history).toHaveLength(60);
    const ev = { env: 'Bandit-v0', envOptions, trials: 4000, seed: 99 };
    const rl = await metaRl.evaluateTrials(policy.greedy(), ev);
    const rnd = await metaRl.evaluateTrials(metaRl.baselines.random(), ev);
    // random: 5.0 per trial; Bayes-optimal: 6.02 (reference §5.3)
    expect(rl.meanReturn - rl.ci95 - (rnd.meanReturn + rnd.ci95)).toBeGreaterThan(0);
  }, 60_000);

  it('throws clear errors', async () => {
    expect(() => metaRl.rl2({ ...opts, env: 'CartPole-v1' as 'Bandit-v0' })).toThrow(/options\.env/);
    expect(() => metaRl.rl2({ ...opts, hidden: 0 })).toThrow(RangeError);
    expect(() => metaRl.rl2({ ...opts, cell: 'rnn' as 'gru' })).toThrow(/options\.cell/);
    expect(() => metaRl.rl2({ ...opts, envOptions: { arms: 2, states: 3 } })).toThrow(/states/);
    expect(() => metaRl.rl2({ ...opts, bogus: 1 } as never)).toThrow(/bogus/);
    const learner = metaRl.rl2(opts);
    await expect(learner.train({ totalSteps: 0 })).rejects.toThrow(/totalSteps/);
    const { policy } = await learner.train({ totalSteps: 640, seed: 0 });
    await expect(
      metaRl.evaluateTrials(policy, { env: 'Bandit-v0', envOptions: { arms: 3, pulls: 10 } }),
    ).rejects.toThrow(/arms/);
  });
});
