// The fused objectives against plain TypeScript references written from the papers' formulas,
// and their gradients against central finite differences of those references.
import { describe, expect, it } from 'vitest';
import { type RlKernels, type RlObjective, type RlObjectiveOptions, RlPolicyStats } from '../src/backend/kernels/rl.js';
import { mdpoKlCoef } from '../src/rl/ppo.js';
import { backends, jsBackend, nativeBackend, nativeSkipReason, paritySuite } from './helpers/backends.js';

// A small deterministic generator for test inputs (not the library's).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Obj = RlObjective;
const OBJECTIVES: Obj[] = ['clip', 'dpo', 'mdpo', 'pg'];
const CLIP = 0.2;
const ENT = 0.01;
const KL = 1.7;
const ALPHA = 2;
const BETA = 0.6;

// Each objective with only the coefficients it uses.
function options(obj: Obj, normalize: boolean): RlObjectiveOptions {
  const common = { clipEps: CLIP, entCoef: ENT, normalizeAdv: normalize };
  if (obj === 'dpo') return { objective: 'dpo', ...common, dpoAlpha: ALPHA, dpoBeta: BETA };
  if (obj === 'mdpo') return { objective: 'mdpo', ...common, klCoef: KL };
  return { objective: obj, ...common };
}

function normalized(adv: number[], on: boolean): number[] {
  if (!on) return adv;
  const m = adv.reduce((s, x) => s + x, 0) / adv.length;
  const sd = Math.sqrt(adv.reduce((s, x) => s + (x - m) ** 2, 0) / (adv.length - 1));
  return adv.map((x) => (x - m) / (sd + 1e-8));
}

// Per-sample objective term (to maximize) from the formulas in the PPO, DPO and MDPO papers.
function termRef(obj: Obj, logp: number, oldLogp: number, a: number): number {
  const r = Math.exp(logp - oldLogp);
  if (obj === 'clip') return Math.min(r * a, Math.min(Math.max(r, 1 - CLIP), 1 + CLIP) * a);
  if (obj === 'dpo') {
    const drift =
      a >= 0
        ? Math.max(0, (r - 1) * a - ALPHA * Math.tanh(((r - 1) * a) / ALPHA))
        : Math.max(0, Math.log(r) * a - BETA * Math.tanh((Math.log(r) * a) / BETA));
    return r * a - drift;
  }
  if (obj === 'mdpo') return r * a;
  return logp * a;
}

function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lz = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lz);
}

interface CatCase {
  B: number;
  n: number;
  logits: Float32Array;
  oldLogits: Float32Array;
  actions: Int32Array;
  oldLogp: Float32Array;
  adv: Float32Array;
}

function catCase(seed: number): CatCase {
  const rand = lcg(seed);
  const B = 7;
  const n = 3;
  const logits = Float32Array.from({ length: B * n }, () => rand() * 2 - 1);
  // Old logits nearby, with some rows far off so the clip and the drift both engage.
  const oldLogits = logits.map((z, k) => z + (rand() - 0.5) * (k % 5 === 0 ? 2 : 0.3));
  const actions = Int32Array.from({ length: B }, () => Math.floor(rand() * n));
  const oldLogp = Float32Array.from({ length: B }, (_, i) => {
    const lp = logSoftmax(Array.from(oldLogits.subarray(i * n, i * n + n)));
    return lp[actions[i] as number] as number;
  });
  const adv = Float32Array.from({ length: B }, () => rand() * 4 - 2);
  return { B, n, logits, oldLogits, actions, oldLogp, adv };
}

/** The categorical objective on case `c`, with its old logits or without; its outputs. */
function categorical(k: RlKernels, c: CatCase, o: RlObjectiveOptions, withOldLogits: boolean) {
  const dLogits = new Float32Array(c.B * c.n);
  const stats = new RlPolicyStats();
  const oldLogits = withOldLogits ? c.oldLogits : new Float32Array(0);
  k.rlCategoricalObjective(c.logits, c.actions, c.oldLogp, c.adv, oldLogits, dLogits, stats, o);
  return { dLogits, stats };
}

function catLossRef(obj: Obj, c: CatCase, logits: ArrayLike<number>, normalize: boolean): number {
  const adv = normalized(Array.from(c.adv), normalize);
  let loss = 0;
  for (let i = 0; i < c.B; i++) {
    const lp = logSoftmax(Array.from({ length: c.n }, (_, j) => logits[i * c.n + j] as number));
    const olp = logSoftmax(Array.from(c.oldLogits.subarray(i * c.n, i * c.n + c.n)));
    const h = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
    const kl = lp.reduce((s, x, j) => s + Math.exp(x) * (x - (olp[j] as number)), 0);
    const a = c.actions[i] as number;
    loss += -termRef(obj, lp[a] as number, c.oldLogp[i] as number, adv[i] as number) - ENT * h;
    if (obj === 'mdpo') loss += KL * kl;
  }
  return loss / c.B;
}

describe.each(backends)('rl objectives (%s)', (_name, k) => {
  for (const obj of OBJECTIVES) {
    for (const normalize of [true, false]) {
      it(`categorical ${obj} (normalize ${normalize}): loss and d loss / d logits`, () => {
        const c = catCase(11 + OBJECTIVES.indexOf(obj));
        const { dLogits, stats } = categorical(k, c, options(obj, normalize), obj === 'mdpo');
        const x = Array.from(c.logits, Number);
        expect(stats.policyLoss).toBeCloseTo(catLossRef(obj, c, x, normalize), 5);
        const h = 1e-5;
        for (let j = 0; j < x.length; j++) {
          const up = x.slice();
          const down = x.slice();
          up[j] = (up[j] as number) + h;
          down[j] = (down[j] as number) - h;
          const fd = (catLossRef(obj, c, up, normalize) - catLossRef(obj, c, down, normalize)) / (2 * h);
          expect(dLogits[j], `logit ${j}`).toBeCloseTo(fd, 4);
        }
      });
    }
  }

  it('reports entropy, approximate KL and clip fraction', () => {
    const c = catCase(5);
    const { stats } = categorical(k, c, options('clip', true), false);
    let h = 0;
    let akl = 0;
    let clipped = 0;
    for (let i = 0; i < c.B; i++) {
      const lp = logSoftmax(Array.from(c.logits.subarray(i * c.n, i * c.n + c.n)));
      h -= lp.reduce((s, x) => s + Math.exp(x) * x, 0);
      const lr = (lp[c.actions[i] as number] as number) - (c.oldLogp[i] as number);
      akl += Math.exp(lr) - 1 - lr;
      if (Math.abs(Math.exp(lr) - 1) > CLIP) clipped++;
    }
    expect(stats.entropy).toBeCloseTo(h / c.B, 6);
    expect(stats.approxKl).toBeCloseTo(akl / c.B, 6);
    expect(stats.clipFraction).toBeCloseTo(clipped / c.B, 9);
    expect(clipped).toBeGreaterThan(0); // the case does exercise the clip
    // 'clip' has no KL term: the policy loss is the surrogate minus the entropy bonus.
    expect(stats.klToOld).toBe(0);
    expect(stats.policyLoss).toBeCloseTo(stats.surrogateLoss - ENT * stats.entropy, 12);
    expect(stats.surrogateLoss).toBeCloseTo(
      catLossRef('clip', c, Array.from(c.logits, Number), true) + ENT * (h / c.B),
      6,
    );
  });

  for (const obj of OBJECTIVES) {
    it(`gaussian ${obj}: loss and gradients w.r.t. mean and log-std`, () => {
      const rand = lcg(99 + OBJECTIVES.indexOf(obj));
      const B = 5;
      const D = 2;
      const mean = Float32Array.from({ length: B * D }, () => rand() * 2 - 1);
      const logStd = Float32Array.from({ length: D }, () => rand() - 0.5);
      const oldMean = mean.map((m, i) => m + (rand() - 0.5) * (i % 3 === 0 ? 1.5 : 0.2));
      const oldLogStd = logStd.map((s) => s + (rand() - 0.5) * 0.2);
      const actions = Float32Array.from({ length: B * D }, (_, i) => (oldMean[i] as number) + (rand() - 0.5) * 2);
      const gaussLogp = (m: ArrayLike<number>, ls: ArrayLike<number>, i: number) => {
        let lp = 0;
        for (let d = 0; d < D; d++) {
          const z = ((actions[i * D + d] as number) - (m[i * D + d] as number)) / Math.exp(ls[d] as number);
          lp += -0.5 * z * z - (ls[d] as number) - 0.5 * Math.log(2 * Math.PI);
        }
        return lp;
      };
      const oldLogp = Float32Array.from({ length: B }, (_, i) => gaussLogp(oldMean, oldLogStd, i));
      const advRaw = Float32Array.from({ length: B }, () => rand() * 4 - 2);
      const loss = (m: number[], ls: number[]) => {
        const adv = normalized(Array.from(advRaw), true);
        let total = 0;
        for (let i = 0; i < B; i++) {
          total -= termRef(obj, gaussLogp(m, ls, i), oldLogp[i] as number, adv[i] as number);
          if (obj === 'mdpo') {
            for (let d = 0; d < D; d++) {
              const s = Math.exp(ls[d] as number);
              const so = Math.exp(oldLogStd[d] as number);
              const dm = (m[i * D + d] as number) - (oldMean[i * D + d] as number);
              total += KL * (Math.log(so / s) + (s * s + dm * dm) / (2 * so * so) - 0.5);
            }
          }
        }
        const h = ls.reduce((s, x) => s + x + 0.5 * Math.log(2 * Math.PI * Math.E), 0);
        return total / B - ENT * h;
      };
      const dMean = new Float32Array(B * D);
      const dLogStd = new Float32Array(D);
      const stats = new RlPolicyStats();
      const isMdpo = obj === 'mdpo';
      k.rlGaussianObjective(
        mean,
        logStd,
        actions,
        oldLogp,
        advRaw,
        isMdpo ? oldMean : new Float32Array(0),
        isMdpo ? oldLogStd : new Float32Array(0),
        dMean,
        dLogStd,
        stats,
        options(obj, true),
      );
      const m0 = Array.from(mean, Number);
      const s0 = Array.from(logStd, Number);
      expect(stats.policyLoss).toBeCloseTo(loss(m0, s0), 5);
      const h = 1e-5;
      const fd = (f: (v: number[]) => number, v: number[], j: number) => {
        const up = v.slice();
        const down = v.slice();
        up[j] = (up[j] as number) + h;
        down[j] = (down[j] as number) - h;
        return (f(up) - f(down)) / (2 * h);
      };
      for (let j = 0; j < m0.length; j++)
        expect(dMean[j], `mean ${j}`).toBeCloseTo(
          fd((m) => loss(m, s0), m0, j),
          4,
        );
      for (let d = 0; d < D; d++)
        expect(dLogStd[d], `logStd ${d}`).toBeCloseTo(
          fd((s) => loss(m0, s), s0, d),
          4,
        );
    });
  }

  for (const clipEps of [0, 0.2]) {
    it(`value loss (clipEps ${clipEps}) and its gradient`, () => {
      const rand = lcg(3);
      const B = 9;
      const values = Float32Array.from({ length: B }, () => rand() * 2);
      const oldValues = values.map((v, i) => v + (i % 2 ? 0.5 : -0.05));
      const returns = Float32Array.from({ length: B }, () => rand() * 2);
      const ref = (v: number[]) => {
        let s = 0;
        for (let i = 0; i < B; i++) {
          const r = returns[i] as number;
          const o = oldValues[i] as number;
          const u = ((v[i] as number) - r) ** 2;
          const vc = o + Math.min(Math.max((v[i] as number) - o, -clipEps), clipEps);
          s += clipEps > 0 ? Math.max(u, (vc - r) ** 2) : u;
        }
        return (0.5 * s) / B;
      };
      const dValues = new Float32Array(B);
      const loss = k.rlValueLoss(B, values, oldValues, returns, clipEps, 0.5, dValues);
      const v0 = Array.from(values, Number);
      expect(loss).toBeCloseTo(ref(v0), 6);
      for (let i = 0; i < B; i++) {
        const up = v0.slice();
        const down = v0.slice();
        up[i] = (up[i] as number) + 1e-6;
        down[i] = (down[i] as number) - 1e-6;
        expect(dValues[i]).toBeCloseTo((0.5 * (ref(up) - ref(down))) / 2e-6, 4);
      }
    });
  }

  it('samples categorical actions by inverse CDF, argmax when deterministic', () => {
    const logits = new Float32Array([0, Math.log(3), 5, 0]);
    const probs = [0.25, 0.75];
    const B = 2;
    const acts = new Int32Array(B);
    const logp = new Float32Array(B);
    k.rlCategoricalSample(B, 2, logits, new Float32Array([0.2, 0.999]), acts, logp);
    expect(Array.from(acts)).toEqual([0, 1]);
    expect(logp[0]).toBeCloseTo(Math.log(probs[0] as number), 6);
    k.rlCategoricalSample(B, 2, logits, new Float32Array(0), acts, logp);
    expect(Array.from(acts)).toEqual([1, 0]);
  });

  it('samples Gaussian actions with their log-probabilities', () => {
    const mean = new Float32Array([1, -1]);
    const logStd = new Float32Array([Math.log(2)]);
    const acts = new Float32Array(2);
    const logp = new Float32Array(2);
    k.rlGaussianSample(2, 1, mean, logStd, new Float32Array([0.5, -1]), acts, logp);
    expect(Array.from(acts)).toEqual([2, -3]);
    expect(logp[1]).toBeCloseTo(-0.5 - Math.log(2) - 0.5 * Math.log(2 * Math.PI), 6);
  });
});

describe.skipIf(!nativeBackend)(paritySuite(`rl objectives (${nativeSkipReason})`), () => {
  it('agree to float32 rounding', () => {
    for (const obj of OBJECTIVES) {
      const c = catCase(77);
      const outs = [nativeBackend as RlKernels, jsBackend].map((k) => categorical(k, c, options(obj, true), true));
      for (let j = 0; j < c.B * c.n; j++) expect(outs[0]?.dLogits[j]).toBeCloseTo(outs[1]?.dLogits[j] as number, 6);
      for (let j = 0; j < 6; j++) expect(outs[0]?.stats[j]).toBeCloseTo(outs[1]?.stats[j] as number, 6);
    }
  });

  it('read only the coefficients an objective uses, and reject bad options by name', () => {
    const k = nativeBackend as RlKernels;
    const c = catCase(3);
    const call = (o: unknown) => categorical(k, c, o as RlObjectiveOptions, false);
    // 'pg' and 'clip' need no DPO or MDPO coefficient.
    expect(() => call({ objective: 'pg', clipEps: 0.2, entCoef: 0, normalizeAdv: false })).not.toThrow();
    expect(() => call({ objective: 'dpo', clipEps: 0.2, entCoef: 0, normalizeAdv: false })).toThrow(
      /options\.dpoAlpha: expected a number/,
    );
    expect(() =>
      call({ objective: 'dpo', clipEps: 0.2, entCoef: 0, normalizeAdv: false, dpoAlpha: 0, dpoBeta: 1 }),
    ).toThrow(/dpoAlpha and dpoBeta must be > 0/);
    expect(() => call({ objective: 'mdpo', clipEps: 0.2, entCoef: 0, normalizeAdv: false })).toThrow(/options\.klCoef/);
    expect(() => call({ objective: 'ppo', clipEps: 0.2, entCoef: 0, normalizeAdv: false })).toThrow(
      /options\.objective: expected one of 'clip', 'dpo', 'mdpo', 'pg', 'lpo', got 'ppo'/,
    );
    expect(() => call({ objective: 'clip', clipEps: -1, entCoef: 0, normalizeAdv: false })).toThrow(/options\.clipEps/);
    expect(() => call({ objective: 'clip', clipEps: 0.2, entCoef: 0, normalizeAdv: 1 })).toThrow(
      /options\.normalizeAdv/,
    );
  });
});

describe("MDPO's step-size schedule", () => {
  it('t_k = 1 − (k − 1)/K over the updates (k = updates done), as the authors anneal it', () => {
    const K = 10;
    expect(1 / mdpoKlCoef(1, K)).toBeCloseTo(1.1, 12);
    expect(1 / mdpoKlCoef(2, K)).toBeCloseTo(1.0, 12);
    expect(1 / mdpoKlCoef(K, K)).toBeCloseTo(0.2, 12);
    for (let u = 2; u <= K; u++) expect(mdpoKlCoef(u, K)).toBeGreaterThan(mdpoKlCoef(u - 1, K));
  });
});
