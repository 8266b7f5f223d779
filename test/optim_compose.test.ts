// Composition (chain, multiSteps, skipNonFinite, lookahead, masked/partition, xgrad, swats'
// switch), exact state save/restore, schedules and bad-input errors, on each backend.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import { OuterloopError } from '../src/errors.js';
import { optim } from '../src/index.js';
import type { Optimizer, OptState } from '../src/optim/index.js';
import { backends, firstDifference, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

const N = 9;
const grad = (t: number) => Float32Array.from({ length: N }, (_, i) => Math.sin(0.9 * t + i) * (1 + i));
const start = () => Float32Array.from({ length: N }, (_, i) => 0.3 * i - 1);

// A gradient whose direction settles (a constant part plus a decaying oscillation), so SWATS's
// projected step size γ_k settles too and the switch test passes at a step well after the first.
const swatsGrad = (t: number) =>
  Float32Array.from({ length: N }, (_, i) => (1 + i) * (0.3 + Math.sin(0.9 * t + i) / t));

interface SwatsRef {
  gamma: number;
  /** λ_k, the EMA of γ. */
  lambda: number;
  /** λ_k/(1 − β2^k), the switch test's estimate and Λ. */
  lambdaHat: number;
}

/**
 * SWATS's Adam phase in float64 from the paper (Algorithm 1, as in ../shared/reference §4.11):
 * p_k = −η·√(1−β2^k)/(1−β1^k)·m_k/(√a_k + ε), γ_k = p_kᵀp_k / (−p_kᵀg_k), λ_k = β2 λ + (1 − β2) γ_k.
 */
function swatsReference(lr: number, b1: number, b2: number, eps: number, steps: number): SwatsRef[] {
  const m = new Float64Array(N);
  const a = new Float64Array(N);
  let lambda = 0;
  const out: SwatsRef[] = [];
  for (let k = 1; k <= steps; k++) {
    const g = swatsGrad(k);
    let pp = 0;
    let pg = 0;
    for (let i = 0; i < N; i++) {
      m[i] = b1 * (m[i] as number) + (1 - b1) * (g[i] as number);
      a[i] = b2 * (a[i] as number) + (1 - b2) * (g[i] as number) ** 2;
      const p =
        ((-lr * Math.sqrt(1 - b2 ** k)) / (1 - b1 ** k)) * ((m[i] as number) / (Math.sqrt(a[i] as number) + eps));
      pp += p * p;
      pg += p * (g[i] as number);
    }
    const gamma = pp / -pg;
    lambda = b2 * lambda + (1 - b2) * gamma;
    out.push({ gamma, lambda, lambdaHat: lambda / (1 - b2 ** k) });
  }
  return out;
}

function run(opt: Optimizer, steps: number, p = start(), st: OptState = opt.init(p), from = 1) {
  for (let t = from; t < from + steps; t++) opt.step(p, grad(t), st);
  return { p, st };
}

describe.each(backends)('optim composition (%s)', (_name, b) => {
  const useB = () => use(b.name);

  it('chain(clipByGlobalNorm, adam) equals clipping then Adam, and leaves grads alone', () => {
    useB();
    const a = start();
    const chained = optim.chain(optim.clipByGlobalNorm(1.5), optim.adam({ lr: 0.01 }));
    const sa = chained.init(a);
    const manual = start();
    const adam = optim.adam({ lr: 0.01 });
    const sm = adam.init(manual);
    for (let t = 1; t <= 4; t++) {
      const g = grad(t);
      const before = g.slice();
      chained.step(a, g, sa);
      expect(firstDifference(g, before)).toBe(-1);
      const c = g.slice();
      const norm = Math.sqrt(b.sumSquares(c));
      expect(norm).toBeGreaterThan(1.5); // the clip is active
      b.scale(1.5 / norm, c);
      adam.step(manual, c, sm);
      expect(firstDifference(a, manual)).toBe(-1);
    }
  });

  it('chain of transformations composes in order', () => {
    useB();
    const t = optim.chain(optim.scale(2), optim.clipByValue(1), optim.addDecayedWeights(0.5));
    const p = start();
    const g = grad(1);
    const want = Float32Array.from(g, (x, i) =>
      Math.fround(Math.min(1, Math.max(-1, Math.fround(2 * x))) + Math.fround(0.5 * (p[i] as number))),
    );
    t.update(g, t.init(p), p);
    expect(maxRelDiff(g, want)).toBeLessThan(1e-7);
  });

  it('multiSteps(k) equals one step on the averaged gradient', () => {
    useB();
    const k = 3;
    const acc = optim.multiSteps(optim.adam({ lr: 0.05 }), k);
    const p = start();
    const st = acc.init(p);
    const mean = new Float32Array(N);
    for (let t = 1; t <= k; t++) {
      const applied = acc.step(p, grad(t), st);
      expect(applied).toBe(t === k);
      if (t < k) expect(firstDifference(p, start())).toBe(-1);
      b.axpy(1, grad(t), mean);
    }
    b.scale(1 / k, mean);
    const q = start();
    const adam = optim.adam({ lr: 0.05 });
    adam.step(q, mean, adam.init(q));
    expect(firstDifference(p, q)).toBe(-1);
  });

  it('skipNonFinite leaves params and state untouched and reports it', () => {
    useB();
    const opt = optim.skipNonFinite(optim.chain(optim.clipByGlobalNorm(1), optim.adam({ lr: 0.1 })));
    const { p, st } = run(opt, 2);
    const savedP = p.slice();
    const saved = optim.saveState(st);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const g = grad(3);
      g[4] = bad;
      expect(opt.step(p, g, st)).toBe(false);
    }
    expect(opt.step(p, grad(3), st, { loss: Number.NaN })).toBe(false);
    expect(firstDifference(p, savedP)).toBe(-1);
    const after = optim.saveState(st);
    for (const [k, v] of Object.entries(saved)) {
      if (k === 'count' || k.startsWith('scalars.')) continue;
      if (typeof v === 'number') expect(after[k]).toBe(v);
      else expect(firstDifference(after[k] as Float32Array, v)).toBe(-1);
    }
    expect(st.scalars.skipped).toBe(3);
    expect(opt.step(p, grad(3), st)).toBe(true);
    expect(st.scalars.consecutive).toBe(0);
    expect(firstDifference(p, savedP)).not.toBe(-1);
  });

  it('lookahead synchronises fast and slow weights every syncPeriod steps', () => {
    useB();
    const opt = optim.lookahead(optim.sgd({ lr: 0.1 }), { syncPeriod: 3, alpha: 0.5 });
    const p = start();
    const st = opt.init(p);
    const fast = start();
    for (let t = 1; t <= 3; t++) b.optimSgd(fast, grad(t), 0.1, 0);
    run(opt, 3, p, st);
    const want = Float32Array.from(start(), (s, i) => s + 0.5 * ((fast[i] as number) - s));
    expect(maxRelDiff(p, want)).toBeLessThan(1e-6);
    expect(firstDifference(p, st.buffers.slow as Float32Array)).toBe(-1);
  });

  it('masked freezes unselected segments; partition routes segments to optimizers', () => {
    useB();
    const layout = [
      { name: 'w', offset: 0, shape: [2, 3] },
      { name: 'b', offset: 6, size: 3 },
    ];
    const m = optim.masked(optim.adam({ lr: 0.1 }), layout, ['w']);
    const { p } = run(m, 3);
    expect(firstDifference(p.subarray(6), start().subarray(6))).toBe(-1);
    const whole = run(optim.adam({ lr: 0.1 }), 3).p;
    expect(firstDifference(p.subarray(0, 6), whole.subarray(0, 6))).toBe(-1);

    const part = optim.partition({ fast: optim.sgd({ lr: 0.1 }), slow: optim.sgd({ lr: 0.01 }) }, layout, (s) =>
      s.name === 'w' ? 'fast' : 'slow',
    );
    const q = run(part, 1).p;
    const g = grad(1);
    const s0 = start();
    for (let i = 0; i < N; i++)
      expect(q[i]).toBeCloseTo((s0[i] as number) - (i < 6 ? 0.1 : 0.01) * (g[i] as number), 6);
  });

  it('xgrad predicts Adam weights ahead: m, v and the weights recomputed here in float64 (Guan et al.)', () => {
    useB();
    const [lr, b1, b2, eps, s] = [0.1, 0.8, 0.9, 1e-8, 2];
    const x = optim.xgrad(optim.adam({ lr, b1, b2 }), { steps: s });
    const p = start();
    const st = x.init(p);
    expect(firstDifference(x.predict(p, st), p)).toBe(-1);
    run(x, 2, p, st);
    // Adam (Kingma & Ba) over grad(1), grad(2) from start(), in float64.
    const w = Float64Array.from(start());
    const m = new Float64Array(N);
    const v = new Float64Array(N);
    for (let t = 1; t <= 2; t++) {
      const g = grad(t);
      for (let i = 0; i < N; i++) {
        m[i] = b1 * (m[i] as number) + (1 - b1) * (g[i] as number);
        v[i] = b2 * (v[i] as number) + (1 - b2) * (g[i] as number) ** 2;
        const mHat = (m[i] as number) / (1 - b1 ** t);
        const vHat = (v[i] as number) / (1 - b2 ** t);
        w[i] = (w[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    }
    expect(maxRelDiff(p, w)).toBeLessThan(1e-6);
    // ŵ = w − s·(η/bc1_t)·m_t / (√v_t/√bc2_t + ε), the state at step t = 2 not advanced.
    const pred = x.predict(p, st);
    const want = w.map(
      (wi, i) =>
        wi -
        ((s * lr) / (1 - b1 ** 2)) * ((m[i] as number) / (Math.sqrt(v[i] as number) / Math.sqrt(1 - b2 ** 2) + eps)),
    );
    expect(maxRelDiff(pred, want)).toBeLessThan(1e-6);
    // One step ahead, or the next step's bias corrections, are far off.
    const oneAhead = w.map(
      (wi, i) =>
        wi - (lr / (1 - b1 ** 2)) * ((m[i] as number) / (Math.sqrt(v[i] as number) / Math.sqrt(1 - b2 ** 2) + eps)),
    );
    expect(maxRelDiff(pred, oneAhead)).toBeGreaterThan(1e-2);
    const nextBc = w.map(
      (wi, i) =>
        wi -
        ((s * lr) / (1 - b1 ** 3)) * ((m[i] as number) / (Math.sqrt(v[i] as number) / Math.sqrt(1 - b2 ** 3) + eps)),
    );
    expect(maxRelDiff(pred, nextBc)).toBeGreaterThan(1e-2);
    expect(() => optim.xgrad(optim.lion())).toThrow(TypeError);
  });

  it('swats switches at the step and with the Λ the rule gives (Keskar & Socher, recomputed in float64)', () => {
    useB();
    const ref = swatsReference(0.01, 0.9, 0.999, 1e-8, 30);
    // A switchEps between the test values of steps 2–5 and step 6 puts the switch at step 6.
    const d = ref.map((r) => Math.abs(r.lambdaHat - r.gamma));
    const before = Math.min(...d.slice(1, 5));
    expect(d[5]).toBeLessThan(before / 4);
    const switchEps = Math.sqrt((d[5] as number) * before);
    const Lambda = (ref[5] as SwatsRef).lambdaHat;
    const opt = optim.swats({ lr: 0.01, switchEps });
    const p = start();
    const st = opt.init(p);
    for (let t = 1; t <= 6; t++) {
      expect(st.scalars.phase).toBe(0);
      opt.step(p, swatsGrad(t), st);
    }
    expect(st.scalars.phase).toBe(1);
    expect(Math.abs((st.scalars.sgdLr as number) / Lambda - 1)).toBeLessThan(1e-6);
    // The rule's nearest variants give another step or Λ: Λ without the bias correction 1/(1 − β2^k),
    // and the test allowed at k = 1 (where λ_1/(1 − β2) = γ_1 always).
    expect(Math.abs((ref[5] as SwatsRef).lambda / Lambda - 1)).toBeGreaterThan(0.5);
    expect(d[0]).toBeLessThan(switchEps);
    // SGD phase: v ← β1 v + g;  θ ← θ − (1 − β1)·Λ·v, from v = 0.
    const v = new Float64Array(N);
    for (let t = 7; t <= 8; t++) {
      const prev = Float64Array.from(p);
      const g = swatsGrad(t);
      opt.step(p, g, st);
      for (let i = 0; i < N; i++) v[i] = 0.9 * (v[i] as number) + (g[i] as number);
      const want = prev.map((x, i) => x - 0.1 * Lambda * (v[i] as number));
      expect(maxRelDiff(p, want)).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['adam', () => optim.adam({ lr: 0.01 })],
    ['nadam', () => optim.nadam()],
    [
      'novograd',
      () =>
        optim.novograd({
          layout: [
            { name: 'a', offset: 0, size: 4 },
            { name: 'b', offset: 4, size: 5 },
          ],
        }),
    ],
    ['madgrad', () => optim.madgrad()],
    ['swats', () => optim.swats({ switchEps: 1e-3 })],
    ['adagradNorm', () => optim.adagradNorm()],
    ['gravity', () => optim.gravity({ seed: 5 })],
    [
      'chain(clip, grokfast, lookahead(adamw))',
      () =>
        optim.chain(optim.clipByGlobalNorm(1), optim.grokfastEma(), optim.lookahead(optim.adamw(), { syncPeriod: 2 })),
    ],
    ['multiSteps(skipNonFinite(lion))', () => optim.multiSteps(optim.skipNonFinite(optim.lion()), 2)],
  ] as [string, () => Optimizer][])('%s: save -> restore -> continue is bit-identical', (_n, make) => {
    useB();
    const opt = make();
    const { p, st } = run(opt, 3);
    const saved = optim.saveState(st);
    const p2 = p.slice();
    run(opt, 4, p, st, 4);
    const fresh = make();
    const restored = optim.restoreState(fresh, p2, saved);
    run(fresh, 4, p2, restored, 4);
    expect(firstDifference(p2, p)).toBe(-1);
    expect(firstDifference(p2, start())).not.toBe(-1);
    for (const v of Object.values(saved)) expect(typeof v === 'number' || ArrayBuffer.isView(v)).toBe(true);
  });

  it('restoreState rejects a state of another optimizer or other params', () => {
    useB();
    const saved = optim.saveState(run(optim.adam(), 1).st);
    expect(() => optim.restoreState(optim.sgd({ momentum: 0.9 }), start(), saved)).toThrow(OuterloopError);
    expect(() => optim.restoreState(optim.adam(), new Float32Array(3), saved)).toThrow(OuterloopError);
    expect(() => optim.restoreState(optim.adam(), start(), { ...saved, count: -1 })).toThrow(OuterloopError);
  });

  it('learning-rate schedules drive the rule', () => {
    useB();
    const sched = optim.schedules.linear({ init: 0.1, end: 0.0, steps: 4 });
    const p = start();
    run(optim.sgd({ lr: sched }), 3, p);
    const q = start();
    for (let t = 1; t <= 3; t++) b.optimSgd(q, grad(t), sched(t - 1), 0);
    expect(firstDifference(p, q)).toBe(-1);
  });
});

describe('schedules', () => {
  const s = optim.schedules;
  it('match optax values', () => {
    expect(s.constant(0.3)(100)).toBe(0.3);
    const lin = s.linear({ init: 1, end: 0.2, steps: 4, begin: 2 });
    expect([0, 2, 4, 6, 9].map(lin)).toEqual([1, 1, 0.6, 0.2, 0.2].map((x) => expect.closeTo(x, 12)));
    const cos = s.cosine({ init: 2, steps: 10, alpha: 0.1 });
    expect(cos(0)).toBeCloseTo(2, 12);
    expect(cos(5)).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 12);
    expect(cos(20)).toBeCloseTo(0.2, 12);
    const wc = s.warmupCosine({ init: 0, peak: 1, warmupSteps: 10, decaySteps: 110, end: 0.1 });
    expect(wc(5)).toBeCloseTo(0.5, 12);
    expect(wc(10)).toBeCloseTo(1, 12);
    expect(wc(60)).toBeCloseTo(0.55, 12);
    expect(wc(500)).toBeCloseTo(0.1, 12);
    const ex = s.exponential({ init: 1, steps: 10, rate: 0.5 });
    expect(ex(10)).toBeCloseTo(0.5, 12);
    expect(ex(5)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s.exponential({ init: 1, steps: 10, rate: 0.5, staircase: true })(15)).toBeCloseTo(0.5, 12);
    expect(s.exponential({ init: 1, steps: 1, rate: 0.5, end: 0.1 })(50)).toBe(0.1);
    const pw = s.piecewise({ init: 1, boundaries: { 10: 0.5, 20: 0.1 } });
    expect([0, 9, 10, 19, 20, 30].map(pw)).toEqual([1, 1, 0.5, 0.5, 0.05, 0.05].map((x) => expect.closeTo(x, 12)));
  });
  it('reject bad options', () => {
    expect(() => s.linear({ init: 1, end: 0, steps: 0 })).toThrow(RangeError);
    expect(() => s.cosine({ init: 1, steps: 10, decay: 3 } as never)).toThrow(TypeError);
    expect(() => s.warmupCosine({ peak: 1, warmupSteps: 10, decaySteps: 5 })).toThrow(RangeError);
  });
});

describe('bad input', () => {
  it('raises clear errors', () => {
    const p = start();
    const opt = optim.adam();
    const st = opt.init(p);
    expect(() => opt.step(p, new Float32Array(N - 1), st)).toThrow(/grads: expected length 9, got 8/);
    expect(() => opt.step(p, Array.from(grad(1)) as unknown as Float32Array, st)).toThrow(TypeError);
    expect(() => opt.step(new Float32Array(4), new Float32Array(4), st)).toThrow(/state\.buffers\.m.*length/);
    expect(() => optim.adam({ lr: -1 })).toThrow(RangeError);
    expect(() => optim.sgd({ lr: Number.NaN })).toThrow(RangeError);
    expect(() => optim.adam({ learningRate: 0.1 } as never)).toThrow(/unknown option 'learningRate'/);
    expect(() => optim.adam({ b1: '0.9' } as never)).toThrow(TypeError);
    expect(() => optim.adam({ b2: 1 })).toThrow(RangeError);
    expect(() => optim.sgd({ nesterov: true })).toThrow(RangeError);
    expect(() => optim.clipByGlobalNorm(0)).toThrow(RangeError);
    expect(() => optim.chain(...([optim.adam(), optim.clipByGlobalNorm(1)] as never[]))).toThrow(/must come last/);
    expect(() => optim.multiSteps(optim.adam(), 0)).toThrow(RangeError);
    expect(() => optim.novograd({ layout: [{ name: 'a', offset: 1, size: 8 }] }).init(p)).toThrow(RangeError);
    expect(() => optim.masked(optim.adam(), [{ name: 'w', offset: 0, size: 9 }], ['x'])).toThrow(/unknown segment 'x'/);
    const neg = optim.sgd({ lr: () => -0.1 });
    expect(() => neg.step(p, grad(1), neg.init(p))).toThrow(/schedule returned -0.1/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('native optim kernels check their arguments'), () => {
  it('throws on mismatched lengths and wrong types', () => {
    const nb = nativeBackend as NonNullable<typeof nativeBackend>;
    const p = new Float32Array(8);
    const s = { b1: 0.9, b2: 0.99, eps: 1e-8, stepSize: 1, invBc2Sqrt: 1, weightDecay: 0, decay: 1 };
    expect(() => nb.optimAdam(p, new Float32Array(7), p.slice(), p.slice(), new Float32Array(0), s)).toThrow(
      /grads: expected length 8/,
    );
    expect(() => nb.optimAdam(p, p.slice(), p.slice(), p.slice(), new Float32Array(3), s)).toThrow(RangeError);
    expect(() =>
      nb.optimAdam(p, p.slice(), p.slice(), p.slice(), new Float32Array(0), { ...s, b1: 'x' as unknown as number }),
    ).toThrow(/scalars\.b1: expected a number/);
    expect(() =>
      nb.optimAdam(p, p.slice(), p.slice(), p.slice(), new Float32Array(0), { ...s, eps: Number.NaN }),
    ).toThrow(/scalars\.eps: expected a finite number/);
    expect(() => nb.optimSgd(p, new Float64Array(8) as unknown as Float32Array, 0.1, 0)).toThrow(TypeError);
    expect(() => nb.optimSgd(p, p.slice(), Number.NaN, 0)).toThrow(RangeError);
    expect(() =>
      nb.optimNovograd(p, p.slice(), p.slice(), new Float64Array(1), new Uint32Array([4, 5]), {
        lr: 0.1,
        b1: 0.9,
        b2: 0.25,
        eps: 1e-6,
        weightDecay: 0,
        first: true,
      }),
    ).toThrow(/past the buffer length/);
  });
});
