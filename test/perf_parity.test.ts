// Guards for the performance paths: the rational tanh both backends share (accuracy against
// Math.tanh, native == js formula), narrow-width gemm edges and oversplit row passes that must not
// change results with the thread count, and the meta kernel's reused per-thread scratch.
import { afterAll, describe, expect, it } from 'vitest';
import { tanh as jsTanh } from '../src/backend/js/nn/activation.js';
import type { Backend } from '../src/backend/types.js';
import * as random from '../src/random/index.js';
import { firstDifference, nativeBackend, paritySuite } from './helpers/backends.js';

const TANH = 1;
const IDENTITY = 0;
const RELU = 2;

/** A sweep over tanh's interesting range: tiny, linear, curved, saturated and beyond the clamp. */
function sweep(): Float32Array {
  const xs: number[] = [0, 1e-30, 1e-8, 3e-4, 4e-4, 5e-4, 0.01, 7.9, 7.91, 8, 20, 1e30, Infinity];
  for (let i = 0; i <= 4000; i++) xs.push(-10 + (20 * i) / 4000);
  for (let i = 0; i < 200; i++) xs.push(10 ** (-6 + i / 40));
  const all = xs.flatMap((x) => [x, -x]);
  return Float32Array.from(all);
}

/** Distance in float32 ulps of the exact value (at least the ulp just below 1). */
function ulps(got: number, exact: number): number {
  const e = Math.fround(exact);
  const next = new Float32Array(
    new Int32Array([new Int32Array(new Float32Array([Math.abs(e)]).buffer)[0]! + 1]).buffer,
  )[0]!;
  const ulp = Math.max(next - Math.abs(e), 2 ** -24, Number.MIN_VALUE);
  return Math.abs(got - exact) / ulp;
}

describe('rational tanh (js twin of the native kernel)', () => {
  it('is within a few float ulps of Math.tanh, odd, saturating, NaN-propagating', () => {
    let worst = 0;
    for (const x of sweep()) {
      const t = Math.fround(jsTanh(x));
      worst = Math.max(worst, ulps(t, Math.tanh(x)));
      expect(jsTanh(-x)).toBe(-jsTanh(x));
      expect(Math.abs(t)).toBeLessThanOrEqual(1);
    }
    expect(worst).toBeLessThan(8);
    expect(jsTanh(Number.NaN)).toBeNaN();
    expect(jsTanh(Infinity)).toBeCloseTo(1, 6);
    expect(jsTanh(1e-7)).toBe(1e-7);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('performance paths'), () => {
  const native = nativeBackend as Backend;
  const threads = native?.threads();
  afterAll(() => {
    if (threads !== undefined) native.threads(threads);
  });

  it('native tanh evaluates the same formula as the js twin (within 6 ulps: float32 vs float64 evaluation)', () => {
    const x = sweep();
    const y = new Float32Array(x.length);
    // One 1 -> 1 layer, weight 1, bias 0, tanh output: y = tanh(x) row by row.
    native.mlpForward(Int32Array.from([1, 1]), IDENTITY, TANH, Float32Array.from([1, 0]), x, x.length, y);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(y[i] as number, jsTanh(x[i] as number)));
    expect(worst).toBeLessThanOrEqual(6);
    const nan = new Float32Array(1);
    native.mlpForward(
      Int32Array.from([1, 1]),
      IDENTITY,
      TANH,
      Float32Array.from([1, 0]),
      Float32Array.of(Number.NaN),
      1,
      nan,
    );
    expect(nan[0]).toBeNaN();
  });

  it('give bit-identical results on 1 and 2 threads for narrow and uneven widths', () => {
    // Widths 1..15 and 40 end in the 8-lane and scalar edge tiles; batches split unevenly.
    const shapes = [
      { sizes: [3, 9, 5, 1], batch: 333 },
      { sizes: [1, 40, 40, 1], batch: 517 },
      { sizes: [6, 13, 7, 3], batch: 1030 },
      { sizes: [64, 24, 2], batch: 700 },
    ];
    for (const c of shapes) {
      const sz = Int32Array.from(c.sizes);
      const P = c.sizes.slice(1).reduce((s, o, l) => s + ((c.sizes[l] as number) + 1) * o, 0);
      const out = c.sizes[c.sizes.length - 1] as number;
      const p = random.normal(random.key(1), P).map((v) => 0.5 * v);
      const x = random.normal(random.key(2), c.batch * (c.sizes[0] as number));
      const dy = random.normal(random.key(3), c.batch * out);
      const run = (t: number) => {
        native.threads(t);
        const y = new Float32Array(c.batch * out);
        native.mlpForward(sz, TANH, IDENTITY, p, x, c.batch, y);
        const g = new Float32Array(P);
        const gx = new Float32Array(x.length);
        native.mlpVjp(sz, TANH, IDENTITY, p, x, c.batch, dy, g, gx);
        return { y, g, gx };
      };
      const one = run(1);
      const two = run(2);
      for (const k of ['y', 'g', 'gx'] as const)
        expect([c.sizes.join('-'), k, firstDifference(one[k], two[k])]).toEqual([c.sizes.join('-'), k, -1]);
    }
  });

  it('meta-gradients are the same on 1 and 2 threads and after calls of other sizes', () => {
    const sizes = Int32Array.from([1, 40, 40, 1]);
    const P = 2 * 40 + 40 * 40 + 40 + 40 + 1;
    const params = random.normal(random.key(4), P).map((v) => 0.3 * v);
    const lr = Float32Array.of(0.01);
    const call = (tasks: number, t: number) => {
      native.threads(t);
      const n = tasks * 10;
      const sx = random.uniform(random.key(5), n).map((u) => 10 * u - 5);
      const sy = random.normal(random.key(6), n);
      const qx = random.uniform(random.key(7), n).map((u) => 10 * u - 5);
      const qy = random.normal(random.key(8), n);
      const grad = new Float32Array(P);
      const post = new Float32Array(tasks);
      native.metaGradBatch(sizes, params, lr, sx, sy, qx, qy, grad, null, null, post, {
        hidden: RELU,
        output: IDENTITY,
        loss: 'mse',
        steps: 1,
        lambda: 0,
        mode: 'secondOrder',
        cgSteps: 0,
        tasks,
        supportRows: 10,
        queryRows: 10,
      });
      return { grad, post };
    };
    const first = call(25, 2);
    call(3, 2); // smaller meta-batch in between: reused scratch must not leak into the next call
    const again = call(25, 2);
    const single = call(25, 1);
    for (const r of [again, single]) {
      expect(firstDifference(first.grad, r.grad)).toBe(-1);
      expect(firstDifference(first.post, r.post)).toBe(-1);
    }
  });
});
