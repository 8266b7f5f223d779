// The fused 'lpo' objective (LPO / TA-LPO: loss = −mean(r·A − D_θ(r, A[, progress])) − c·H) on
// both backends against a float64 reference written from the LPO paper's loss (Lu et al. 2022,
// eq. for L_LPO; PureJaxRL/learned_optimization's `drift` function), with the drift itself from
// learned.driftFunction (the reference network); gradients against float64 central differences.
import { describe, expect, it } from 'vitest';
import { type RlKernels, type RlLpoObjective, RlPolicyStats } from '../src/backend/kernels/rl.js';
import { learned } from '../src/index.js';
import { backends, jsBackend, nativeBackend, nativeSkipReason, paritySuite } from './helpers/backends.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ENT = 0.01;
const B = 12;
const N = 3;

function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lz = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lz);
}
function normalized(adv: ArrayLike<number>): number[] {
  const a = Array.from(adv, Number);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
  return a.map((x) => (x - m) / (sd + 1e-8));
}

function lpoOptions(drift: learned.DriftFunction, theta: Float32Array, progress = 0): RlLpoObjective {
  return {
    objective: 'lpo',
    clipEps: 0.2,
    entCoef: ENT,
    normalizeAdv: true,
    driftTheta: theta,
    driftHidden: Int32Array.from(drift.hidden),
    driftTemporal: drift.temporal,
    driftProgress: progress,
  };
}

// A minibatch with ratios spread over ~[0.3, 3] so the drift (and its feature clipping) engages.
function batch(seed: number) {
  const rand = lcg(seed);
  const logits = Float32Array.from({ length: B * N }, () => rand() * 2 - 1);
  const actions = Int32Array.from({ length: B }, () => Math.floor(rand() * N));
  const oldLogp = Float32Array.from({ length: B }, (_, i) => {
    const lp = logSoftmax(Array.from(logits.subarray(i * N, i * N + N)));
    return (lp[actions[i] as number] as number) + (rand() - 0.5) * 2;
  });
  const adv = Float32Array.from({ length: B }, () => rand() * 4 - 2);
  return { logits, actions, oldLogp, adv };
}

type Variant = 'right' | 'noChainRule' | 'wrongSign';

/** The reference loss in float64 (drift.at), and the variants' per-sample d term/d logp. */
function lossRef(
  drift: learned.DriftFunction,
  theta: Float32Array,
  c: ReturnType<typeof batch>,
  logits: ArrayLike<number>,
  progress?: number,
): number {
  const adv = normalized(c.adv);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    const lp = logSoftmax(Array.from({ length: N }, (_, j) => logits[i * N + j] as number));
    const h = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
    const r = Math.exp((lp[c.actions[i] as number] as number) - (c.oldLogp[i] as number));
    const a = adv[i] as number;
    loss += -(r * a - drift.at(theta, r, a, progress).value) - ENT * h;
  }
  return loss / B;
}

/** d loss/d logits with the drift's chain rule done right or as a plausible wrong variant. */
function gradVariant(
  drift: learned.DriftFunction,
  theta: Float32Array,
  c: ReturnType<typeof batch>,
  variant: Variant,
  progress?: number,
): Float64Array {
  const adv = normalized(c.adv);
  const g = new Float64Array(B * N);
  for (let i = 0; i < B; i++) {
    const lp = logSoftmax(Array.from(c.logits.subarray(i * N, i * N + N), Number));
    const h = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
    const act = c.actions[i] as number;
    const r = Math.exp((lp[act] as number) - (c.oldLogp[i] as number));
    const a = adv[i] as number;
    const dr = drift.at(theta, r, a, progress).dRatio;
    const dTerm = variant === 'right' ? r * a - r * dr : variant === 'noChainRule' ? r * a - dr : r * a + r * dr;
    for (let j = 0; j < N; j++) {
      const p = Math.exp(lp[j] as number);
      g[i * N + j] = (-dTerm * ((j === act ? 1 : 0) - p) + ENT * p * ((lp[j] as number) + h)) / B;
    }
  }
  return g;
}

function run(k: RlKernels, c: ReturnType<typeof batch>, o: RlLpoObjective) {
  const dLogits = new Float32Array(B * N);
  const stats = new RlPolicyStats();
  k.rlCategoricalObjective(c.logits, c.actions, c.oldLogp, c.adv, new Float32Array(0), dLogits, stats, o);
  return { dLogits, stats };
}

function fdGrad(f: (x: number[]) => number, x0: ArrayLike<number>): Float64Array {
  const x = Array.from(x0, Number);
  const h = 1e-6;
  return Float64Array.from(x, (_, j) => {
    const up = x.slice();
    const down = x.slice();
    up[j] = (up[j] as number) + h;
    down[j] = (down[j] as number) - h;
    return (f(up) - f(down)) / (2 * h);
  });
}
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a, (x, i) => Math.abs(x - (b[i] as number))).reduce((m, d) => Math.max(m, d), 0);

const cases: [string, boolean, number | undefined][] = [
  ['LPO', false, undefined],
  ['TA-LPO', true, 0.37],
];

describe.each(backends)('lpo objective (%s)', (_name, k) => {
  for (const [label, temporal, progress] of cases) {
    it(`${label}: loss against the float64 reference and d loss/d logits against central differences`, () => {
      const drift = learned.driftFunction({ hidden: [16, 8], temporal });
      // Weights scaled up so the drift is active (D > 0) on a good share of the samples.
      const theta = drift.init(3).map((w) => w * 3);
      const c = batch(7);
      const { dLogits, stats } = run(k, c, lpoOptions(drift, theta, progress ?? 0));
      const ref = lossRef(drift, theta, c, c.logits, progress);
      expect(Math.abs(stats.policyLoss - ref)).toBeLessThan(1e-6);
      // the drift does engage: the loss differs from the plain ratio surrogate's
      const adv = normalized(c.adv);
      let active = 0;
      for (let i = 0; i < B; i++) {
        const lp = logSoftmax(Array.from(c.logits.subarray(i * N, i * N + N), Number));
        const r = Math.exp((lp[c.actions[i] as number] as number) - (c.oldLogp[i] as number));
        if (drift.at(theta, r, adv[i] as number, progress).value > 1e-3) active++;
      }
      expect(active).toBeGreaterThanOrEqual(3);

      const fd = fdGrad((x) => lossRef(drift, theta, c, x, progress), c.logits);
      expect(maxAbs(dLogits, fd)).toBeLessThan(2e-6);
      expect(maxAbs(gradVariant(drift, theta, c, 'right', progress), fd)).toBeLessThan(2e-6);
      // plausible wrong variants are caught by the same check
      expect(maxAbs(gradVariant(drift, theta, c, 'noChainRule', progress), fd)).toBeGreaterThan(1e-3);
      expect(maxAbs(gradVariant(drift, theta, c, 'wrongSign', progress), fd)).toBeGreaterThan(1e-3);
    });
  }

  it('a zero drift reduces LPO to the plain ratio surrogate r·A (mdpo with klCoef 0)', () => {
    const drift = learned.driftFunction({ hidden: [8] });
    const c = batch(21);
    const lpo = run(k, c, lpoOptions(drift, new Float32Array(drift.size)));
    const dLogits = new Float32Array(B * N);
    const stats = new RlPolicyStats();
    k.rlCategoricalObjective(c.logits, c.actions, c.oldLogp, c.adv, new Float32Array(0), dLogits, stats, {
      objective: 'mdpo',
      clipEps: 0.2,
      entCoef: ENT,
      normalizeAdv: true,
      klCoef: 0,
    });
    expect(lpo.stats.policyLoss).toBe(stats.policyLoss);
    expect(Array.from(lpo.dLogits)).toEqual(Array.from(dLogits));
  });

  it('Gaussian policies: d loss/d mean and d loss/d logStd against central differences', () => {
    const drift = learned.driftFunction({ hidden: [16] });
    const theta = drift.init(5).map((w) => w * 3);
    const rand = lcg(4);
    const D = 2;
    const mean = Float32Array.from({ length: B * D }, () => rand() * 2 - 1);
    const logStd = Float32Array.from({ length: D }, () => rand() - 0.5);
    const actions = Float32Array.from({ length: B * D }, () => rand() * 2 - 1);
    const logp = (m: ArrayLike<number>, ls: ArrayLike<number>, i: number) => {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const z = ((actions[i * D + d] as number) - (m[i * D + d] as number)) / Math.exp(ls[d] as number);
        s += -0.5 * z * z - (ls[d] as number) - 0.5 * Math.log(2 * Math.PI);
      }
      return s;
    };
    const oldLogp = Float32Array.from({ length: B }, (_, i) => logp(mean, logStd, i) + (rand() - 0.5) * 1.5);
    const advRaw = Float32Array.from({ length: B }, () => rand() * 4 - 2);
    const adv = normalized(advRaw);
    const loss = (m: ArrayLike<number>, ls: ArrayLike<number>) => {
      let t = 0;
      for (let i = 0; i < B; i++) {
        const r = Math.exp(logp(m, ls, i) - (oldLogp[i] as number));
        const a = adv[i] as number;
        t -= r * a - drift.at(theta, r, a).value;
      }
      const h = Array.from(ls, Number).reduce((s, x) => s + x + 0.5 * Math.log(2 * Math.PI * Math.E), 0);
      return t / B - ENT * h;
    };
    const dMean = new Float32Array(B * D);
    const dLogStd = new Float32Array(D);
    const stats = new RlPolicyStats();
    const e = new Float32Array(0);
    k.rlGaussianObjective(
      mean,
      logStd,
      actions,
      oldLogp,
      advRaw,
      e,
      e,
      dMean,
      dLogStd,
      stats,
      lpoOptions(drift, theta),
    );
    expect(Math.abs(stats.policyLoss - loss(mean, logStd))).toBeLessThan(1e-6);
    expect(
      maxAbs(
        dMean,
        fdGrad((m) => loss(m, logStd), mean),
      ),
    ).toBeLessThan(2e-6);
    expect(
      maxAbs(
        dLogStd,
        fdGrad((ls) => loss(mean, ls), logStd),
      ),
    ).toBeLessThan(2e-6);
  });

  it('bad drift fields give errors naming them', () => {
    const drift = learned.driftFunction({ hidden: [8] });
    const c = batch(1);
    const o = lpoOptions(drift, drift.init(1));
    expect(() => run(k, c, { ...o, driftTheta: new Float32Array(3) })).toThrow(/driftTheta: expected 72 weights/);
    expect(() => run(k, c, { ...o, driftHidden: new Int32Array([0]) })).toThrow(RangeError);
    expect(() => run(k, c, { ...o, driftProgress: 2 })).toThrow(/driftProgress/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('lpo objective'), () => {
  it(`native and js agree to float32 rounding (${nativeBackend ? 'run' : nativeSkipReason})`, () => {
    const n = nativeBackend as RlKernels;
    for (const temporal of [false, true]) {
      const drift = learned.driftFunction({ hidden: [32, 16], temporal });
      const theta = drift.init(9).map((w) => w * 2);
      const c = batch(33);
      const o = lpoOptions(drift, theta, 0.6);
      const a = run(n, c, o);
      const b = run(jsBackend, c, o);
      expect(Math.abs(a.stats.policyLoss - b.stats.policyLoss)).toBeLessThan(1e-12);
      expect(maxAbs(a.dLogits, b.dLogits)).toBeLessThan(1e-7);
    }
  });
});
