// metaRl.rl2 with an LSTM cell (issue 15): the network's gradient through the heads and nn.lstm
// against central differences, the carried state [h | c] across steps of a rollout (recomputing a
// whole trial from a zero state reproduces the rollout's log-probabilities; carrying h alone
// would not), and a short seeded training run that beats the random policy.
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { trialEnvFamily } from '../src/metarl/rl2/env_setup.js';
import { inputSize } from '../src/metarl/rl2/inputs.js';
import { rl2Model } from '../src/metarl/rl2/model.js';
import { collectTrials } from '../src/metarl/rl2/rollout.js';
import { Rng } from '../src/metarl/rng.js';
import { key, normal } from '../src/random/index.js';

const f64 = (seed: number, n: number, scale = 1): Float64Array =>
  Float64Array.from(normal(key(seed), n), (v) => v * scale);

describe('rl2 network, LSTM cell', () => {
  it('backward matches central differences through the heads and the LSTM', () => {
    const m = rl2Model(4, 3, 2, 'lstm');
    expect(m.stateSize).toBe(6);
    const T = 4;
    const B = 2;
    const p = f64(7, m.size, 0.5);
    const xs = f64(8, T * B * 4);
    const wl = f64(9, T * B * 2);
    const wv = f64(10, T * B);
    const s0 = f64(12, B * m.stateSize, 0.5);
    const loss = (q: Float64Array): number => {
      const f = m.forward(q, xs, T, B, s0);
      let s = 0;
      for (let i = 0; i < wl.length; i++) s += (wl[i] as number) * (f.logits[i] as number);
      for (let i = 0; i < wv.length; i++) s += (wv[i] as number) * (f.values[i] as number);
      return s;
    };
    const d = m.backward(p, m.forward(p, xs, T, B, s0), wl, wv);
    // nn.lstm computes in float32, hence the wide step (as for the GRU network's check).
    for (let i = 0; i < m.size; i++) {
      const xp = p.slice();
      const xm = p.slice();
      xp[i] = (xp[i] as number) + 1e-2;
      xm[i] = (xm[i] as number) - 1e-2;
      const fd = (loss(xp) - loss(xm)) / 2e-2;
      expect(Math.abs(fd - (d[i] as number))).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
  });

  it('carries h and c: a whole-trial forward from zeros reproduces the step-by-step rollout', () => {
    const family = trialEnvFamily('Bandit-v0', { arms: 3, pulls: 2 }, 'envOptions');
    const I = inputSize(family.obsDim, family.actions);
    const m = rl2Model(I, 5, 3, 'lstm');
    const p = f64(11, m.size, 0.7);
    const env = family.create(4, 3);
    env.setTasks(family.sampleTasks(env, key(5), 4));
    const T = 6;
    const B = 4;
    const batch = collectTrials(m, p, env, T, new Rng(key(6)));
    env.close();
    const logp = (logits: Float64Array, i: number, a: number): number => {
      const z = [0, 1, 2].map((j) => Math.exp(logits[i * 3 + j] as number));
      return Math.log((z[a] as number) / ((z[0] as number) + (z[1] as number) + (z[2] as number)));
    };
    const f = m.forward(p, batch.xs, T, B);
    for (let i = 0; i < T * B; i++)
      expect(logp(f.logits, i, batch.actions[i] as number)).toBeCloseTo(batch.logp[i] as number, 10);
    // The final state is [h_T | c_T]: stepping once more from it equals a T+1-step forward.
    const x1 = batch.xs.subarray(0, B * I);
    const longer = new Float64Array((T + 1) * B * I);
    longer.set(batch.xs);
    longer.set(x1, T * B * I);
    const whole = m.forward(p, longer, T + 1, B);
    const step = m.forward(p, x1, 1, B, f.state);
    for (let j = 0; j < B * 3; j++) expect(step.logits[j]).toBeCloseTo(whole.logits[T * B * 3 + j] as number, 10);
    // Dropping c (carrying h only) changes the next step: the cell state matters.
    const hOnly = f.state.slice();
    hOnly.fill(0, B * 5);
    const wrong = m.forward(p, x1, 1, B, hOnly);
    let diff = 0;
    for (let j = 0; j < B * 3; j++) diff += Math.abs((wrong.logits[j] as number) - (step.logits[j] as number));
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('trains: a short seeded LSTM run beats the random policy on 2-armed bandits', async () => {
    const envOptions = { arms: 2, pulls: 10, prior: { alpha: 1, beta: 1 } };
    const learner = metaRl.rl2({
      env: 'Bandit-v0',
      envOptions,
      cell: 'lstm',
      // A larger step than the GRU test's: the LSTM's forget gate starts half-open and learns slower.
      hidden: 16,
      trialsPerUpdate: 64,
      lr: 1e-2,
      lrFinal: 1e-2,
      maxGradNorm: 5,
      gamma: 1,
      lambda: 0.5,
    });
    expect(learner.options.cell).toBe('lstm');
    const { policy, history } = await learner.train({ totalSteps: 64 * 10 * 60, seed: 0 });
    expect(history).toHaveLength(60);
    expect(policy.model.cell).toBe('lstm');
    const ev = { env: 'Bandit-v0', envOptions, trials: 4000, seed: 99 };
    const rl = await metaRl.evaluateTrials(policy.greedy(), ev);
    const rnd = await metaRl.evaluateTrials(metaRl.baselines.random(), ev);
    expect(rl.meanReturn - rl.ci95 - (rnd.meanReturn + rnd.ci95)).toBeGreaterThan(0);
    expect(() => metaRl.rl2({ env: 'Bandit-v0', cell: 'rnn' as 'gru' })).toThrow(/options\.cell/);
  }, 60_000);
});
