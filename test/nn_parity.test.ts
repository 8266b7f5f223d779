// Native and js nn kernels agree within float32 tolerance; native results do not depend on the
// thread count; the batched per-task kernels match separate calls.
import { afterAll, describe, expect, it } from 'vitest';
import { mlpTapeOutput, mlpTapeSize } from '../src/backend/kernels/nn.js';
import type { Backend } from '../src/backend/types.js';
import * as random from '../src/random/index.js';
import { backends, firstDifference, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

const CASES: { sizes: number[]; hidden: number; output: number; batch: number }[] = [
  { sizes: [16, 64, 48, 3], hidden: 1, output: 0, batch: 37 },
  { sizes: [4, 64, 64, 2], hidden: 1, output: 0, batch: 130 },
  { sizes: [7, 33, 1], hidden: 2, output: 5, batch: 65 },
  { sizes: [3, 17, 21, 5], hidden: 3, output: 1, batch: 9 },
  { sizes: [8, 130, 8], hidden: 4, output: 6, batch: 70 },
  { sizes: [5, 16, 2], hidden: 5, output: 0, batch: 1 },
  { sizes: [1, 1], hidden: 6, output: 6, batch: 3 },
];

/** max |a − b| / max |b|. */
function normwiseDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
    m = Math.max(m, Math.abs(b[i] as number));
  }
  return d / Math.max(m, 1e-30);
}

interface Outputs {
  y: Float32Array;
  g: Float32Array;
  gx: Float32Array;
  ydot: Float32Array;
  hv: Float32Array;
  hg: Float32Array;
}

function runAll(b: Backend, c: (typeof CASES)[number]): Outputs {
  const sz = Int32Array.from(c.sizes);
  const P = c.sizes.slice(1).reduce((s, o, l) => s + ((c.sizes[l] as number) + 1) * o, 0);
  const inW = c.sizes[0] as number;
  const out = c.sizes[c.sizes.length - 1] as number;
  const n = c.batch * out;
  const p = random.normal(random.key(1), P).map((v) => 0.4 * v);
  const x = random.normal(random.key(2), c.batch * inW);
  const dy = random.normal(random.key(3), n);
  const v = random.normal(random.key(4), P);
  const hy = random.normal(random.key(5), n);
  const y = new Float32Array(n);
  b.mlpForward(sz, c.hidden, c.output, p, x, c.batch, y);
  const g = new Float32Array(P);
  const gx = new Float32Array(c.batch * inW);
  b.mlpVjp(sz, c.hidden, c.output, p, x, c.batch, dy, g, gx);
  const ydot = new Float32Array(n);
  b.mlpJvp(sz, c.hidden, c.output, p, x, c.batch, v, null, ydot);
  const tape = new Float32Array(mlpTapeSize(sz, c.batch, true));
  b.mlpForwardTangentTape(sz, c.hidden, c.output, p, x, c.batch, v, tape);
  const hv = new Float32Array(P);
  const hg = new Float32Array(P);
  b.mlpHvpBackwardTape(sz, p, x, v, tape, dy, hy, hv, hg, { hidden: c.hidden, output: c.output, batch: c.batch });
  return { y, g, gx, ydot, hv, hg };
}

describe.skipIf(!nativeBackend)(paritySuite('nn kernels'), () => {
  const native = nativeBackend as Backend;
  const threads = native?.threads();
  afterAll(() => {
    if (threads !== undefined) native.threads(threads);
  });

  for (const c of CASES)
    it(`agree on ${c.sizes.join('-')} (act ${c.hidden}/${c.output}) batch ${c.batch}`, () => {
      const a = runAll(native, c);
      const b = runAll(jsBackend, c);
      // Element-wise for values, norm-wise for sums over the batch (float32 accumulation order differs).
      for (const k of ['y', 'gx', 'ydot'] as const) expect([k, maxRelDiff(a[k], b[k]) < 2e-5]).toEqual([k, true]);
      for (const k of ['g', 'hv', 'hg'] as const) expect([k, normwiseDiff(a[k], b[k]) < 2e-5]).toEqual([k, true]);
    });

  it('give bit-identical native results on 1 and 2 threads', () => {
    const shapes: { sizes: number[]; hidden: number; output: number; batch: number; repeat?: number }[] = [
      { sizes: [16, 96, 80, 3], hidden: 1, output: 0, batch: 700 },
      { sizes: [5, 12, 1], hidden: 4, output: 0, batch: 333 }, // narrow layers: transposed/dot paths
      { sizes: [2, 130, 70, 1], hidden: 6, output: 5, batch: 150 },
      // Four layers of three widths: each ping-pong row buffer of the backward passes serves two
      // widths, while the two threads may be at different layers (a race until rows were placed
      // at the widest stride); repeated, as a race shows only sometimes.
      { sizes: [6, 40, 30, 20, 4], hidden: 4, output: 2, batch: 333, repeat: 8 },
    ];
    for (const c of shapes) {
      native.threads(1);
      const one = runAll(native, c);
      native.threads(2);
      for (let r = 0; r < (c.repeat ?? 1); r++) {
        const two = runAll(native, c);
        for (const k of ['y', 'g', 'gx', 'ydot', 'hv', 'hg'] as const)
          expect([c.sizes.join('-'), k, firstDifference(one[k], two[k])]).toEqual([c.sizes.join('-'), k, -1]);
      }
    }
  });
});

describe.each(backends)('nn batched per-task kernels (%s)', (_name, b) => {
  it('match separate forward and vjp calls, empty tasks included', () => {
    const sizes = Int32Array.from([2, 24, 1]);
    const P = 3 * 24 + 25;
    const rowStart = new Int32Array([0, 5, 5, 15, 16]);
    const T = 4;
    const rows = 16;
    const params = random.normal(random.key(7), T * P).map((v) => 0.5 * v);
    const x = random.normal(random.key(8), rows * 2);
    const dy = random.normal(random.key(9), rows);
    const y = new Float32Array(rows);
    b.mlpForwardBatched(sizes, 1, 0, T, params, x, rowStart, y);
    const g = new Float32Array(T * P).fill(Number.NaN);
    const gx = new Float32Array(rows * 2);
    b.mlpVjpBatched(sizes, params, x, rowStart, dy, g, gx, { hidden: 1, output: 0, tasks: T });
    for (let t = 0; t < T; t++) {
      const r0 = rowStart[t] as number;
      const r1 = rowStart[t + 1] as number;
      const pt = params.subarray(t * P, (t + 1) * P);
      if (r1 === r0) {
        expect(g.subarray(t * P, (t + 1) * P).every((v) => v === 0)).toBe(true);
        continue;
      }
      const yt = new Float32Array(r1 - r0);
      b.mlpForward(sizes, 1, 0, pt, x.subarray(r0 * 2, r1 * 2), r1 - r0, yt);
      expect(firstDifference(y.subarray(r0, r1), yt)).toBe(-1);
      const gt = new Float32Array(P);
      const gxt = new Float32Array((r1 - r0) * 2);
      b.mlpVjp(sizes, 1, 0, pt, x.subarray(r0 * 2, r1 * 2), r1 - r0, dy.subarray(r0, r1), gt, gxt);
      expect(firstDifference(g.subarray(t * P, (t + 1) * P), gt)).toBe(-1);
      expect(firstDifference(gx.subarray(r0 * 2, r1 * 2), gxt)).toBe(-1);
    }
  });

  it('put y at mlpTapeOutput of a forward tape, equal to mlpForward', () => {
    const sizes = Int32Array.from([3, 10, 4]);
    const P = 4 * 10 + 11 * 4;
    const p = random.normal(random.key(1), P);
    const x = random.normal(random.key(2), 6 * 3);
    const tape = new Float32Array(mlpTapeSize(sizes, 6, false));
    b.mlpForwardTape(sizes, 4, 0, p, x, 6, tape);
    const y = new Float32Array(24);
    b.mlpForward(sizes, 4, 0, p, x, 6, y);
    const o = mlpTapeOutput(sizes, 6, false);
    expect(firstDifference(tape.subarray(o, o + 24), y)).toBe(-1);
  });
});
