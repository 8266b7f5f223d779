// nn.lstm and its kernels: forward against a transcription of PyTorch's nn.LSTM equations (from
// torch.nn.LSTM's documentation: gates i, f, g, o; c' = f c + i g, h' = o tanh(c')); BPTT
// (params, inputs, h0, c0) against float64 central differences with resets mid-sequence (the js
// kernel in double precision); native ≡ js within float32 rounding; native bit-identical on 1, 2
// and 3 threads; truncated BPTT equals full BPTT when it covers the sequence and differs otherwise;
// the allocation-free forms equal the convenient ones; bad arguments name themselves.
import { afterAll, describe, expect, it } from 'vitest';
import { lstmBackwardAny, lstmForwardAny } from '../src/backend/js/nn/lstm.js';
import { lstmParamCount, lstmTapeSize, lstmWorkSize } from '../src/backend/kernels/nn.js';
import type { Backend } from '../src/backend/types.js';
import { nn } from '../src/index.js';
import * as random from '../src/random/index.js';
import {
  backends,
  firstDifference,
  jsBackend,
  maxRelDiff,
  nativeBackend,
  paritySuite,
  useBackendForSuite,
} from './helpers/backends.js';

const [I, H, T, B] = [3, 4, 5, 2];
const f64 = (seed: number, n: number, scale = 1): Float64Array =>
  Float64Array.from(random.normal(random.key(seed), n), (v) => v * scale);
const P = lstmParamCount(I, H);
const params = f64(1, P, 0.5);
const xs = f64(2, T * B * I);
const h0 = f64(3, B * H, 0.5);
const c0 = f64(5, B * H, 0.5);
const resets = new Uint8Array(T * B);
resets[2 * B + 1] = 1;
const w = f64(4, T * B * H);
const sc = { inputSize: I, hiddenSize: H, steps: T, batch: B, truncate: 0 };

function ref64(p: Float64Array, x: Float64Array, h: Float64Array, c: Float64Array, dHs = w) {
  const hs = new Float64Array(T * B * H);
  const cs = new Float64Array(T * B * H);
  const tape = new Float64Array(lstmTapeSize(sc));
  lstmForwardAny(p, x, h, c, resets, hs, cs, tape, sc);
  const dParams = new Float64Array(P);
  const dXs = new Float64Array(T * B * I);
  const dH0 = new Float64Array(B * H);
  const dC0 = new Float64Array(B * H);
  lstmBackwardAny(p, x, resets, tape, dHs, dParams, dXs, dH0, dC0, new Float64Array(0), sc);
  return { hs, dParams, dXs, dH0, dC0 };
}

function torchSequence(p: Float64Array): Float64Array {
  const G = 4 * H;
  const out = new Float64Array(T * B * H);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  for (let b = 0; b < B; b++) {
    let h = Array.from(h0.subarray(b * H, b * H + H));
    let c = Array.from(c0.subarray(b * H, b * H + H));
    for (let t = 0; t < T; t++) {
      if (resets[t * B + b]) {
        h = new Array(H).fill(0);
        c = new Array(H).fill(0);
      }
      const x = xs.subarray((t * B + b) * I, (t * B + b + 1) * I);
      const pre = (gate: number) =>
        p[I * G + H * G + gate]! +
        p[I * G + H * G + G + gate]! +
        Array.from(x).reduce((s, v, i) => s + v * p[i * G + gate]!, 0) +
        h.reduce((s, v, k) => s + v * p[I * G + k * G + gate]!, 0);
      const gates = Array.from({ length: H }, (_, j) => ({
        i: sig(pre(j)),
        f: sig(pre(H + j)),
        g: Math.tanh(pre(2 * H + j)),
        o: sig(pre(3 * H + j)),
      }));
      c = gates.map((q, j) => q.f * c[j]! + q.i * q.g);
      h = gates.map((q, j) => q.o * Math.tanh(c[j]!));
      out.set(h, (t * B + b) * H);
    }
  }
  return out;
}

describe('lstm kernel in float64 (js twin)', () => {
  it("forward equals PyTorch's equations, resets zeroing h and c", () => {
    const want = torchSequence(params);
    const got = ref64(params, xs, h0, c0).hs;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 13);
  });

  it('BPTT gradients (params, inputs, h0, c0) equal central finite differences', () => {
    const g = ref64(params, xs, h0, c0);
    const L = () => ref64(params, xs, h0, c0).hs.reduce((s, v, i) => s + v * w[i]!, 0);
    const eps = 1e-6;
    const fd = (x: Float64Array, i: number): number => {
      const v = x[i]!;
      x[i] = v + eps;
      const up = L();
      x[i] = v - eps;
      const dn = L();
      x[i] = v;
      return (up - dn) / (2 * eps);
    };
    for (let i = 0; i < P; i++) expect(Math.abs(g.dParams[i]! - fd(params, i))).toBeLessThan(1e-7);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(g.dXs[i]! - fd(xs, i))).toBeLessThan(1e-7);
    for (let i = 0; i < h0.length; i++) expect(Math.abs(g.dH0[i]! - fd(h0, i))).toBeLessThan(1e-7);
    for (let i = 0; i < c0.length; i++) expect(Math.abs(g.dC0[i]! - fd(c0, i))).toBeLessThan(1e-7);
    // the reset row's initial state has no influence past its reset: only steps 0, 1 count
    const late = Float64Array.from(w, (v, i) => (i < 2 * B * H ? 0 : v));
    const gl = ref64(params, xs, h0, c0, late);
    for (let j = 0; j < H; j++) expect([gl.dH0[H + j], gl.dC0[H + j]]).toEqual([0, 0]);
  });
});

interface Case {
  I: number;
  H: number;
  T: number;
  B: number;
}
function run(k: Backend, c: Case, truncate = 0) {
  const f = (s: number, n: number, scale = 1) => random.normal(random.key(s), n).map((v) => v * scale);
  const p = f(1, lstmParamCount(c.I, c.H), 0.4);
  const x = f(2, c.T * c.B * c.I);
  const hh = f(3, c.B * c.H, 0.5);
  const cc = f(4, c.B * c.H, 0.5);
  const dHs = f(5, c.T * c.B * c.H);
  const r = new Uint8Array(c.T * c.B);
  for (let i = c.B; i < r.length; i += 5) r[i] = 1;
  const s = { inputSize: c.I, hiddenSize: c.H, steps: c.T, batch: c.B, truncate };
  const hs = new Float32Array(c.T * c.B * c.H);
  const cs = new Float32Array(hs.length);
  const tape = new Float32Array(lstmTapeSize(s));
  k.lstmForward(p, x, hh, cc, r, hs, cs, tape, s);
  const hs2 = new Float32Array(hs.length);
  k.lstmForward(p, x, hh, cc, r, hs2, new Float32Array(hs.length), null, s);
  const g = new Float32Array(p.length);
  const gx = new Float32Array(x.length);
  const gh = new Float32Array(hh.length);
  const gc = new Float32Array(cc.length);
  k.lstmBackward(p, x, r, tape, dHs, g, gx, gh, gc, new Float32Array(lstmWorkSize(s)), s);
  return { hs, hs2, cs, g, gx, gh, gc };
}
const CASES: Case[] = [
  { I: 3, H: 20, T: 7, B: 13 },
  { I: 8, H: 64, T: 4, B: 40 },
  { I: 1, H: 5, T: 9, B: 3 },
];

describe.skipIf(!nativeBackend)(paritySuite('lstm kernels'), () => {
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
      expect(maxRelDiff(a.cs, b.cs)).toBeLessThan(4e-6);
      for (const k of ['gh', 'gc', 'gx'] as const) expect(maxRelDiff(a[k], b[k]), k).toBeLessThan(2e-5);
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
        for (const k of ['hs', 'cs', 'g', 'gx', 'gh', 'gc'] as const)
          expect(firstDifference(one[k], many[k]), k).toBe(-1);
      }
    }
  });
});

describe.each(backends)('nn.lstm on %s', (name, k) => {
  useBackendForSuite(name);
  const l = nn.lstm({ inputSize: I, hiddenSize: H });

  it('truncated BPTT equals full BPTT when it covers the sequence, and differs when shorter', () => {
    const c: Case = { I: 3, H: 6, T: 8, B: 4 };
    const full = run(k, c, 0);
    for (const key of ['g', 'gx', 'gh', 'gc'] as const)
      expect(firstDifference(run(k, c, c.T)[key], full[key])).toBe(-1);
    expect(maxRelDiff(run(k, c, 3).g, full.g)).toBeGreaterThan(1e-3);
  });

  it('matches the float64 reference within float32 rounding; Into forms equal the convenient ones', () => {
    const f = l.forward(params, { xs, steps: T, batch: B, h0, c0, resets });
    const want = ref64(params, xs, h0, c0);
    for (let i = 0; i < want.hs.length; i++) expect(Math.abs(f.hs[i]! - want.hs[i]!)).toBeLessThan(2e-6);
    const got = l.backward(params, f, w);
    for (const key of ['dParams', 'dXs', 'dH0', 'dC0'] as const)
      for (let i = 0; i < want[key].length; i++) expect(Math.abs(got[key][i]! - want[key][i]!), key).toBeLessThan(2e-5);
    const p32 = Float32Array.from(params);
    const x32 = Float32Array.from(xs);
    const ws = l.workspace(T, B);
    l.forwardInto(p32, x32, ws, { h0: Float32Array.from(h0), c0: Float32Array.from(c0), resets });
    l.backwardInto(p32, x32, ws, Float32Array.from(w), { resets });
    expect(firstDifference(ws.hs, Float32Array.from(f.hs))).toBe(-1);
    expect(firstDifference(ws.gParams, Float32Array.from(got.dParams))).toBe(-1);
    expect(firstDifference(ws.gC0, Float32Array.from(got.dC0))).toBe(-1);
  });

  it('layout covers the vector; bad arguments name themselves', () => {
    expect(l.layout.map((s) => s.name)).toEqual(['lstm.wi', 'lstm.wh', 'lstm.bi', 'lstm.bh']);
    expect(l.layout.reduce((s, x) => s + x.size, 0)).toBe(l.size);
    expect(l.init(1)).toEqual(l.init(1));
    expect(() => nn.lstm({ inputSize: 2, hiddenSize: 0 })).toThrow(/hiddenSize/);
    expect(() => l.forward(params, { xs, steps: T, batch: B, c0: new Float64Array(3) })).toThrow(/inputs.c0/);
    const ws = l.workspace(T, B);
    const p32 = Float32Array.from(params);
    expect(() => l.forwardInto(p32, Float32Array.from(xs).subarray(1), ws)).toThrow(/xs/);
    expect(() => l.backwardInto(p32, Float32Array.from(xs), ws, new Float32Array(3))).toThrow(/dHs/);
    if (name === 'native') {
      const s = { ...sc };
      const hs = new Float32Array(T * B * H);
      expect(() => k.lstmForward(p32, Float32Array.from(xs), null, null, null, hs, hs.subarray(1), null, s)).toThrow(
        /cs: expected length/,
      );
      expect(() =>
        k.lstmBackward(p32, Float32Array.from(xs), null, new Float32Array(3), hs, p32, null, null, null, hs, s),
      ).toThrow(/tape/);
    }
  });
});
