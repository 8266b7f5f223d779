// The fused learned-optimizer step (learnedMlpStep, native/core/learned and its js twin) against a
// float64 reference built from the small_fc_lopt feature reference (src/learned/features.ts,
// checked in test/learned.test.ts against ../shared/reference/meta-rl-and-learned-optimizers.md
// §11.2) and the float64 MLP `lo.forward`; native vs js; thread-count independence; a θ that
// encodes (normalized) SGD; μLO's per-tensor scaling (§11.5); bad shapes.
import { describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import type { Backend } from '../src/backend/types.js';
import { backend, learned, optim, random } from '../src/index.js';
import { accumulate, features, initAccumulators, NUM_INPUTS } from '../src/learned/features.js';
import { mlpLayout } from '../src/nn/layout.js';
import { backends, jsBackend, nativeBackend, useBackendForSuite } from './helpers/backends.js';

function randn(seed: number, n: number, scale = 1): Float32Array {
  const z = random.normal(random.key(seed), n);
  for (let i = 0; i < n; i++) z[i] = (z[i] as number) * scale;
  return z;
}

/** One float64 reference step of segment [off, off+len) with its own reference state. */
function refSegmentStep(
  lo: learned.MlpOptimizer,
  theta: Float32Array,
  p: Float32Array,
  g: Float32Array,
  state: ReturnType<typeof initAccumulators>,
  mult: number,
): Float64Array {
  const n = p.length;
  accumulate(state, g);
  const x = new Float32Array(n * NUM_INPUTS);
  features(p, g, state, x);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [d, m] = lo.forward(theta, x.subarray(i * NUM_INPUTS, (i + 1) * NUM_INPUTS));
    out[i] = (p[i] as number) - mult * lo.stepMult * d * Math.exp(lo.expMult * m);
  }
  state.count += 1;
  return out;
}

const SEGS = [
  [0, 100],
  [120, 180],
] as const;
const MULTS = [1, 0.25];

describe.each(backends)('learnedMlpStep (%s)', (_name, b: Backend) => {
  const lo = learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.1, expMult: 0.5 });
  const widths = Int32Array.from([39, 32, 32, 2]);

  it('matches the float64 reference step by step: two segments, multipliers, untouched gap', () => {
    const theta = lo.init(3);
    const n = 300;
    const p = randn(1, n);
    const acc = new Float32Array(7 * n);
    const states = SEGS.map(([, len]) => initAccumulators(len));
    const segments = Uint32Array.from(SEGS.flat());
    const multipliers = Float32Array.from(MULTS);
    let worst = 0;
    let worstWrong = 0;
    for (let step = 0; step < 4; step++) {
      const g = randn(10 + step, n, 0.3);
      const before = p.slice();
      const refs = SEGS.map(([off, len], s) => {
        const ps = p.slice(off, off + len);
        return refSegmentStep(lo, theta, ps, g.slice(off, off + len), states[s]!, MULTS[s]!);
      });
      b.learnedMlpStep(p, g, acc, theta, widths, segments, multipliers, { count: step, stepMult: 0.1, expMult: 0.5 });
      SEGS.forEach(([off, len], s) => {
        const ref = refs[s]!;
        let span = 0;
        for (let i = 0; i < len; i++) span = Math.max(span, Math.abs(ref[i]! - before[off + i]!));
        for (let i = 0; i < len; i++) {
          worst = Math.max(worst, Math.abs(p[off + i]! - ref[i]!) / span);
          // a plausible wrong variant: the segment's multiplier ignored
          const wrong = before[off + i]! + (ref[i]! - before[off + i]!) / MULTS[s]!;
          worstWrong = Math.max(worstWrong, Math.abs(p[off + i]! - wrong) / span);
        }
        // accumulators agree with the reference's (rows of 7 × n vs the segment's own state)
        const racc = states[s]!.buffers.acc as Float32Array;
        for (let r = 0; r < 7; r++)
          for (let i = 0; i < len; i += 17) expect(acc[r * n + off + i]).toBeCloseTo(racc[r * len + i]!, 6);
      });
      for (let i = 100; i < 120; i++) expect(p[i]).toBe(before[i]);
    }
    expect(acc.subarray(100, 120).every((v) => v === 0)).toBe(true);
    // float32 kernel vs float64 reference: relative to the largest step of the segment
    expect(worst).toBeLessThan(2e-5);
    expect(worstWrong).toBeGreaterThan(0.1);
  });

  it('bad shapes give errors that name the argument', () => {
    const theta = lo.init(0);
    const n = 8;
    const p = new Float32Array(n);
    const g = new Float32Array(n);
    const acc = new Float32Array(7 * n);
    const seg = Uint32Array.from([0, n]);
    const one = Float32Array.from([1]);
    const sc = { count: 0, stepMult: 1e-3, expMult: 1e-3 };
    const call = (o: Partial<Record<string, unknown>>) => () =>
      b.learnedMlpStep(
        (o.p ?? p) as Float32Array,
        (o.g ?? g) as Float32Array,
        (o.acc ?? acc) as Float32Array,
        (o.theta ?? theta) as Float32Array,
        (o.widths ?? widths) as Int32Array,
        (o.seg ?? seg) as Uint32Array,
        (o.mult ?? one) as Float32Array,
        (o.sc ?? sc) as typeof sc,
      );
    expect(call({ g: new Float32Array(7) })).toThrow(/grads/);
    expect(call({ acc: new Float32Array(6 * n) })).toThrow(/acc/);
    expect(call({ theta: theta.subarray(1) })).toThrow(/theta/);
    expect(call({ widths: Int32Array.from([38, 32, 32, 2]) })).toThrow(/widths/);
    expect(call({ widths: Int32Array.from([39, 32, 32, 3]) })).toThrow(/widths/);
    expect(call({ seg: Uint32Array.from([0, n + 1]) })).toThrow(/segments/);
    expect(call({ seg: Uint32Array.from([0, 4, 2, 4]), mult: Float32Array.from([1, 1]) })).toThrow(/segments/);
    expect(call({ seg: Uint32Array.from([0, 4, 4, 4]) })).toThrow(/multipliers/);
    expect(call({ sc: { count: -1, stepMult: 1, expMult: 1 } })).toThrow(/count/);
    expect(call({ widths: Float32Array.from([39, 2]) })).toThrow(TypeError);
  });
});

describe.skipIf(!nativeBackend)('learnedMlpStep native vs js', () => {
  it('agree over 5 steps on 10,003 parameters (3 reduction blocks, a partial tile)', () => {
    const lo = learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.01, expMult: 0.5 });
    const theta = lo.init(7);
    const n = 10_003;
    const widths = Int32Array.from([39, 32, 32, 2]);
    const seg = Uint32Array.from([0, 5000, 5000, 5003]);
    const mult = Float32Array.from([1, 0.5]);
    const pn = randn(2, n);
    const pj = pn.slice();
    const an = new Float32Array(7 * n);
    const aj = new Float32Array(7 * n);
    const start = pn.slice();
    for (let s = 0; s < 5; s++) {
      const g = randn(20 + s, n, 0.1);
      const sc = { count: s, stepMult: 0.01, expMult: 0.5 };
      nativeBackend!.learnedMlpStep(pn, g, an, theta, widths, seg, mult, sc);
      jsBackend.learnedMlpStep(pj, g, aj, theta, widths, seg, mult, sc);
    }
    let span = 0;
    let diff = 0;
    for (let i = 0; i < n; i++) {
      span = Math.max(span, Math.abs(pj[i]! - start[i]!));
      diff = Math.max(diff, Math.abs(pn[i]! - pj[i]!));
    }
    expect(diff / span).toBeLessThan(1e-5);
    for (let i = 0; i < 7 * n; i += 13) expect(an[i]).toBeCloseTo(aj[i]!, 6);
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    const lo = learned.mlpOptimizer();
    const theta = lo.init(1);
    const n = 20_000;
    const run = (threads: number) => {
      const before = backend.threads();
      backend.threads(threads);
      const p = randn(3, n);
      const acc = new Float32Array(7 * n);
      for (let s = 0; s < 3; s++)
        nativeBackend!.learnedMlpStep(
          p,
          randn(30 + s, n),
          acc,
          theta,
          Int32Array.from([39, 32, 32, 2]),
          Uint32Array.from([0, n]),
          Float32Array.from([1]),
          { count: s, stepMult: 1e-3, expMult: 1e-3 },
        );
      backend.threads(before);
      return p;
    };
    expect(run(1)).toEqual(run(2));
  });
});

describe.each(backends)('learned.mlpOptimizer on the kernel (%s)', (name) => {
  useBackendForSuite(name);

  it('a θ that encodes normalized SGD reproduces optim.sgd on ĝ = g/√(1e-5 + mean g²)', () => {
    // small_fc_lopt normalizes its inputs, so the nearest θ to SGD moves by lr·ĝ: hidden [2, 2]
    // computes relu(ĝ), relu(−ĝ), passes them on and outputs d = relu(ĝ) − relu(−ĝ) = ĝ, m = 0.
    const lr = 0.01;
    const lo = learned.mlpOptimizer({ hidden: [2, 2], stepMult: lr, expMult: 1 });
    const theta = new Float32Array(lo.size);
    theta[0] = 1; // W₀[feature 0 = ĝ][unit 0]
    theta[1] = -1; // W₀[ĝ][unit 1]
    const o1 = 39 * 2 + 2;
    theta[o1] = 1; // W₁ = I
    theta[o1 + 3] = 1;
    const o2 = o1 + 4 + 2;
    theta[o2] = 1; // W₂[0][d] = 1
    theta[o2 + 2] = -1; // W₂[1][d] = −1
    const [task] = learned.tasks.quadratic({ dim: 20, noise: 0 }).sample(random.key(4), 1);
    const pl = task!.init();
    const ps = pl.slice();
    const opt = lo.optimizer(theta);
    const sgd = optim.sgd({ lr });
    const sl = opt.init(pl);
    const ss = sgd.init(ps);
    let plainDiff = 0;
    for (let t = 0; t < 20; t++) {
      const g = task!.lossAndGrad(pl).grad;
      opt.step(pl, g, sl);
      const gs = task!.lossAndGrad(ps).grad;
      let ms = 0;
      for (const v of gs) ms += v * v;
      const s = 1 / Math.sqrt(1e-5 + ms / gs.length);
      plainDiff = Math.max(plainDiff, Math.abs(1 - s));
      sgd.step(
        ps,
        gs.map((v) => v * s),
        ss,
      );
    }
    for (let i = 0; i < ps.length; i++) expect(pl[i]).toBeCloseTo(ps[i]!, 5);
    // the normalization matters here: plain SGD (s = 1) would be a different trajectory
    expect(plainDiff).toBeGreaterThan(0.1);
  });

  it('steps use the kernel: a nonzero θ moves parameters, zero state throws on a wrong size', () => {
    const lo = learned.mlpOptimizer();
    const opt = lo.optimizer(lo.init(2));
    const p = randn(5, 64);
    const before = p.slice();
    const st = opt.init(p);
    opt.step(p, randn(6, 64), st);
    expect(p).not.toEqual(before);
    expect(st.count).toBe(1);
    expect(() => opt.step(new Float32Array(3), new Float32Array(3), st)).toThrow(/state/);
    expect(getBackend().name).toBe(name);
  });
});

describe('μLO (mup: true)', () => {
  it('multipliers: 1/fan_in for hidden matrices, 1 for input/output matrices and biases', () => {
    const m = learned.mupMultipliers(mlpLayout([10, 64, 64, 64, 3]));
    expect(Array.from(m)).toEqual([1, 1, 1 / 64, 1, 1 / 64, 1, 1, 1].map(Math.fround));
    expect(() => learned.mlpOptimizer({ mup: true })).toThrow(/layout/);
  });

  it('features are normalized per tensor: mean square ≈ 1 within every tensor, at any width', () => {
    for (const w of [16, 128]) {
      const layout = mlpLayout([8, w, w, 2]);
      const n = layout.reduce((s, l) => s + l.size, 0);
      const g = randn(w, n, 1);
      // a hidden-matrix gradient 10× smaller than the others: normalizing per tensor removes it
      const h = layout[2]!;
      for (let i = h.offset; i < h.offset + h.size; i++) g[i] = g[i]! * 0.1;
      const x = new Float32Array(h.size * NUM_INPUTS);
      const st = initAccumulators(h.size);
      const gh = g.slice(h.offset, h.offset + h.size);
      accumulate(st, gh);
      features(randn(1, h.size), gh, st, x);
      let ms = 0;
      for (let i = 0; i < h.size; i++) ms += x[i * NUM_INPUTS]! ** 2 / h.size;
      expect(ms).toBeCloseTo(1, 2);
    }
  });

  it('the update of a hidden matrix scales as 1/width with mup, and not without', () => {
    // Same θ and i.i.d. gradients at widths 32 and 256 (8×): with μLO, width·mean|Δp| of the hidden
    // matrix is the same; without it, mean|Δp| is (so width·mean|Δp| grows 8×).
    const measure = (w: number, mup: boolean) => {
      const layout = mlpLayout([4, w, w, 2]);
      const n = layout.reduce((s, l) => s + l.size, 0);
      const lo = learned.mlpOptimizer({ layout, mup, stepMult: 0.01 });
      const opt = lo.optimizer(lo.init(9));
      const p = randn(w + 1, n, 1 / Math.sqrt(w));
      const st = opt.init(p);
      const before = p.slice();
      opt.step(p, randn(w + 2, n, 0.1), st);
      const h = layout[2]!;
      let s = 0;
      for (let i = h.offset; i < h.offset + h.size; i++) s += Math.abs(p[i]! - before[i]!);
      return (w * s) / h.size;
    };
    const ratioMup = measure(256, true) / measure(32, true);
    const ratioPlain = measure(256, false) / measure(32, false);
    expect(ratioMup).toBeGreaterThan(0.9);
    expect(ratioMup).toBeLessThan(1.1);
    expect(ratioPlain).toBeGreaterThan(7);
  });
});
