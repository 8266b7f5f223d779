// The GRU kernels (gruForward / gruBackward): native ≡ js within float32 rounding; native
// bit-identical on 1, 2 and 3 threads; truncated BPTT equals full BPTT when the truncation covers
// the sequence, and equals the sum of separate per-segment BPTT calls (each segment started from
// the carried, detached state) otherwise; the allocation-free nn.gru forms match the convenient
// ones; bad arguments name themselves.
import { afterAll, describe, expect, it } from 'vitest';
import { gruParamCount, gruTapeSize, gruWorkSize } from '../src/backend/kernels/nn.js';
import type { Backend } from '../src/backend/types.js';
import { nn } from '../src/index.js';
import * as random from '../src/random/index.js';
import { backends, firstDifference, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

interface Case {
  I: number;
  H: number;
  T: number;
  B: number;
}
const CASES: Case[] = [
  { I: 3, H: 20, T: 7, B: 13 },
  { I: 8, H: 64, T: 6, B: 40 },
  { I: 1, H: 5, T: 9, B: 3 },
  { I: 17, H: 33, T: 4, B: 1 },
];

function inputs(c: Case, seed = 0) {
  const f = (s: number, n: number, scale = 1) => random.normal(random.key(seed + s), n).map((v) => v * scale);
  const resets = new Uint8Array(c.T * c.B);
  for (let i = c.B; i < resets.length; i += 5) resets[i] = 1; // some rows restart mid-sequence
  return {
    p: f(1, gruParamCount(c.I, c.H), 0.4),
    xs: f(2, c.T * c.B * c.I),
    h0: f(3, c.B * c.H, 0.5),
    dHs: f(4, c.T * c.B * c.H),
    resets,
  };
}

function run(k: Backend, c: Case, truncate = 0, seed = 0) {
  const { p, xs, h0, dHs, resets } = inputs(c, seed);
  const s = { inputSize: c.I, hiddenSize: c.H, steps: c.T, batch: c.B, truncate };
  const hs = new Float32Array(c.T * c.B * c.H);
  const tape = new Float32Array(gruTapeSize(s));
  k.gruForward(p, xs, h0, resets, hs, tape, s);
  const hs2 = new Float32Array(hs.length);
  k.gruForward(p, xs, h0, resets, hs2, null, s); // without a tape: the same states
  const g = new Float32Array(p.length);
  const gx = new Float32Array(xs.length);
  const gh = new Float32Array(h0.length);
  k.gruBackward(p, xs, resets, tape, dHs, g, gx, gh, new Float32Array(gruWorkSize(s)), s);
  return { hs, hs2, g, gx, gh };
}

describe.skipIf(!nativeBackend)(paritySuite('gru kernels'), () => {
  const native = nativeBackend as Backend;
  const threads = native?.threads();
  afterAll(() => {
    if (threads !== undefined) native.threads(threads);
  });

  it.each(CASES)('agree within float32 rounding (I=$I H=$H T=$T B=$B)', (c) => {
    for (const truncate of [0, 3]) {
      const a = run(native, c, truncate);
      const b = run(jsBackend, c, truncate);
      expect(firstDifference(a.hs, a.hs2)).toBe(-1);
      expect(maxRelDiff(a.hs, b.hs)).toBeLessThan(2e-6);
      expect(maxRelDiff(a.gh, b.gh)).toBeLessThan(2e-5);
      expect(maxRelDiff(a.gx, b.gx)).toBeLessThan(2e-5);
      expect(maxRelDiff(a.g, b.g)).toBeLessThan(1e-4 * Math.sqrt(c.T * c.B));
    }
  });

  it('give bit-identical native results on 1, 2 and 3 threads', () => {
    for (const c of CASES) {
      native.threads(1);
      const one = run(native, c, 2);
      for (const n of [2, 3]) {
        native.threads(n);
        const many = run(native, c, 2);
        for (const k of ['hs', 'g', 'gx', 'gh'] as const) expect(firstDifference(one[k], many[k]), k).toBe(-1);
      }
    }
  });
});

describe.each(backends)('gru kernels on %s', (_name, k) => {
  const c: Case = { I: 3, H: 6, T: 8, B: 4 };

  it('truncated BPTT equals full BPTT when the truncation covers the sequence', () => {
    const full = run(k, c, 0);
    for (const truncate of [c.T, c.T + 5])
      for (const key of ['g', 'gx', 'gh'] as const)
        expect(firstDifference(run(k, c, truncate)[key], full[key])).toBe(-1);
    // and a shorter truncation does change the gradient (the test can fail)
    expect(maxRelDiff(run(k, c, 3).g, full.g)).toBeGreaterThan(1e-3);
  });

  it('truncated BPTT over segments of k equals separate BPTT per segment from the carried state', () => {
    const K = 3;
    const { p, xs, h0, dHs, resets } = inputs(c);
    const want = run(k, c, K);
    const { I, H, B } = c;
    const sum = new Float64Array(p.length);
    const gxAll = new Float32Array(xs.length);
    let h: Float32Array = h0;
    for (let t0 = 0; t0 < c.T; t0 += K) {
      const T = Math.min(K, c.T - t0);
      const s = { inputSize: I, hiddenSize: H, steps: T, batch: B, truncate: 0 };
      const seg = (a: Float32Array, w: number) => a.subarray(t0 * B * w, (t0 + T) * B * w);
      const r = resets.subarray(t0 * B, (t0 + T) * B);
      const hs = new Float32Array(T * B * H);
      const tape = new Float32Array(gruTapeSize(s));
      k.gruForward(p, seg(xs, I), h, r, hs, tape, s);
      const g = new Float32Array(p.length);
      k.gruBackward(p, seg(xs, I), r, tape, seg(dHs, H), g, seg(gxAll, I), null, new Float32Array(gruWorkSize(s)), s);
      for (let i = 0; i < g.length; i++) sum[i] = (sum[i] as number) + (g[i] as number);
      h = hs.slice((T - 1) * B * H); // the next segment starts from the carried state
    }
    expect(maxRelDiff(want.gx, gxAll)).toBeLessThan(1e-6);
    expect(maxRelDiff(want.g, sum)).toBeLessThan(1e-5);
  });
});

describe.each(backends)('nn.gru allocation-free forms on %s', (name) => {
  it('forwardInto/backwardInto equal forward/backward, and reject bad arguments by name', async () => {
    const { use } = await import('../src/backend/index.js');
    use(name as 'native' | 'js');
    const c: Case = { I: 2, H: 7, T: 5, B: 3 };
    const g = nn.gru({ inputSize: c.I, hiddenSize: c.H });
    const { p, xs, h0, dHs, resets } = inputs(c);
    const ws = g.workspace(c.T, c.B);
    const hs = g.forwardInto(p, xs, ws, { h0, resets });
    g.backwardInto(p, xs, ws, dHs, { resets, truncate: 2 });
    const f = g.forward(p, { xs, steps: c.T, batch: c.B, h0, resets });
    const gr = g.backward(p, f, dHs, { truncate: 2 });
    expect(firstDifference(hs, Float32Array.from(f.hs))).toBe(-1);
    expect(firstDifference(ws.gParams, Float32Array.from(gr.dParams))).toBe(-1);
    expect(firstDifference(ws.gXs, Float32Array.from(gr.dXs))).toBe(-1);
    expect(firstDifference(ws.gH0, Float32Array.from(gr.dH0))).toBe(-1);
    expect(() => g.forwardInto(new Float64Array(p) as unknown as Float32Array, xs, ws)).toThrow(TypeError);
    expect(() => g.forwardInto(p, xs.subarray(1), ws)).toThrow(/xs: expected length/);
    expect(() => g.forwardInto(p, xs, ws, { h0: new Float32Array(2) })).toThrow(/options.h0/);
    expect(() => g.forwardInto(p, xs, ws, { resets: new Float32Array(15) as unknown as Uint8Array })).toThrow(
      /options.resets: expected a Uint8Array/,
    );
    expect(() => g.backwardInto(p, xs, ws, dHs.subarray(1))).toThrow(/dHs/);
    expect(() => g.backwardInto(p, xs, ws, dHs, { truncate: 1.5 })).toThrow(/options.truncate/);
    // A rollout steps a one-step workspace in place (h0 = its own hs) and matches the sequence pass.
    const step = g.workspace(1, c.B);
    for (let t = 0; t < c.T; t++) {
      const x = xs.subarray(t * c.B * c.I, (t + 1) * c.B * c.I);
      const r = resets.subarray(t * c.B, (t + 1) * c.B);
      g.forwardInto(p, x, step, { h0: t === 0 ? h0 : step.hs, resets: r, record: false });
      expect(firstDifference(step.hs, hs.subarray(t * c.B * c.H, (t + 1) * c.B * c.H))).toBe(-1);
    }
    expect(() => g.workspace(0, 2)).toThrow(/steps/);
    expect(() => g.forwardInto(p, xs, nn.gru({ inputSize: 2, hiddenSize: 3 }).workspace(5, 3))).toThrow(/ws/);
    use(backends[0]![0] as 'native' | 'js');
  });
});

describe.skipIf(!nativeBackend)('gru native kernels: argument checks', () => {
  it('name the bad argument', () => {
    const n = nativeBackend as Backend;
    const c: Case = { I: 2, H: 3, T: 2, B: 2 };
    const { p, xs, dHs } = inputs(c);
    const s = { inputSize: 2, hiddenSize: 3, steps: 2, batch: 2, truncate: 0 };
    const hs = new Float32Array(12);
    const tape = new Float32Array(gruTapeSize(s));
    const work = new Float32Array(gruWorkSize(s));
    expect(() => n.gruForward(p.subarray(1), xs, null, null, hs, tape, s)).toThrow(/params: expected length/);
    expect(() => n.gruForward(p, xs, null, new Uint8Array(3), hs, tape, s)).toThrow(/resets: expected length/);
    expect(() => n.gruForward(p, xs, null, null, hs.subarray(1), tape, s)).toThrow(/hs: expected length/);
    expect(() => n.gruForward(p, xs, null, null, hs, tape, { ...s, batch: 0 })).toThrow(/scalars.batch/);
    expect(() => n.gruForward(p, xs, null, null, hs, tape, 3 as never)).toThrow(TypeError);
    const g = new Float32Array(p.length);
    expect(() => n.gruBackward(p, xs, null, tape, dHs, g, null, null, work.subarray(1), s)).toThrow(/work/);
    expect(() => n.gruBackward(p, xs, null, tape, dHs, g, null, null, work, { ...s, truncate: -1 })).toThrow(
      /scalars.truncate/,
    );
    expect(() => n.gruBackward(p, xs, null, tape.subarray(2), dHs, g, null, null, work, s)).toThrow(/tape/);
  });
});
