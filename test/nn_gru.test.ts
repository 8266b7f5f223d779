// nn.gru: forward against a direct transcription of PyTorch's nn.GRU equations (weight_ih
// [3H, I] rows r, z, n; h' = (1 − z) n + z h, from torch.nn.GRU's documentation), and BPTT
// (parameters, inputs, h0) against float64 central finite differences with resets mid-sequence:
// exactly on the js kernel run in double precision, and within float32 rounding through the
// public API on every backend.
import { describe, expect, it } from 'vitest';
import { gruBackwardAny, gruForwardAny } from '../src/backend/js/nn/gru.js';
import { gruTapeSize, gruWorkSize } from '../src/backend/kernels/nn.js';
import { nn } from '../src/index.js';
import { key, normal } from '../src/random/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

const I = 3;
const H = 4;
const T = 5;
const B = 2;
const g = nn.gru({ inputSize: I, hiddenSize: H });
const f64 = (seed: number, n: number, scale = 1): Float64Array =>
  Float64Array.from(normal(key(seed), n), (v) => v * scale);
const params = f64(1, g.size, 0.5);
const xs = f64(2, T * B * I);
const h0 = f64(3, B * H, 0.5);
const resets = new Uint8Array(T * B);
resets[2 * B + 1] = 1; // row 1 starts a new trial at t = 2
const w = f64(4, T * B * H); // L = Σ w ⊙ hs
const sc = { inputSize: I, hiddenSize: H, steps: T, batch: B, truncate: 0 };

/** The js kernel in float64: hs, and the gradients of Σ dHs ⊙ hs. */
function ref64(p: Float64Array, x: Float64Array, h: Float64Array, dHs: Float64Array = w, truncate = 0) {
  const hs = new Float64Array(T * B * H);
  const tape = new Float64Array(gruTapeSize(sc));
  gruForwardAny(p, x, h, resets, hs, tape, sc);
  const dParams = new Float64Array(g.size);
  const dXs = new Float64Array(T * B * I);
  const dH0 = new Float64Array(B * H);
  const work = new Float64Array(gruWorkSize(sc));
  gruBackwardAny(p, x, resets, tape, dHs, dParams, dXs, dH0, work, { ...sc, truncate });
  return { hs, dParams, dXs, dH0 };
}
const loss = (p: Float64Array, x: Float64Array, h: Float64Array): number =>
  ref64(p, x, h).hs.reduce((s, v, i) => s + v * (w[i] as number), 0);

// PyTorch's cell written from its docs, reading our flat layout as weight_ih[g][i] = wi[i][g].
function torchCell(p: Float64Array, x: number[], h: number[]): number[] {
  const G = 3 * H;
  const wi = (gate: number, i: number) => p[i * G + gate]!;
  const wh = (gate: number, k: number) => p[I * G + k * G + gate]!;
  const bi = (gate: number) => p[I * G + H * G + gate]!;
  const bh = (gate: number) => p[I * G + H * G + G + gate]!;
  const lin = (gate: number) => ({
    i: bi(gate) + x.reduce((s, v, i) => s + v * wi(gate, i), 0),
    h: bh(gate) + h.reduce((s, v, k) => s + v * wh(gate, k), 0),
  });
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return h.map((hj, j) => {
    const r = sig(lin(j).i + lin(j).h);
    const z = sig(lin(H + j).i + lin(H + j).h);
    const n = Math.tanh(lin(2 * H + j).i + r * lin(2 * H + j).h);
    return (1 - z) * n + z * hj;
  });
}

function torchSequence(p: Float64Array): Float64Array {
  const out = new Float64Array(T * B * H);
  for (let b = 0; b < B; b++) {
    let h = Array.from(h0.subarray(b * H, b * H + H));
    for (let t = 0; t < T; t++) {
      if (resets[t * B + b]) h = new Array(H).fill(0);
      h = torchCell(p, Array.from(xs.subarray((t * B + b) * I, (t * B + b + 1) * I)), h);
      out.set(h, (t * B + b) * H);
    }
  }
  return out;
}

describe('gru kernel in float64 (js twin)', () => {
  it("forward equals PyTorch's equations step by step, resets zeroing the state", () => {
    const want = torchSequence(params);
    const got = ref64(params, xs, h0).hs;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 13);
  });

  it('BPTT gradients (params, inputs, h0) equal central finite differences', () => {
    const { dParams, dXs, dH0 } = ref64(params, xs, h0);
    const eps = 1e-6;
    const fd = (x: Float64Array, i: number): number => {
      const v = x[i]!;
      x[i] = v + eps;
      const up = loss(params, xs, h0);
      x[i] = v - eps;
      const dn = loss(params, xs, h0);
      x[i] = v;
      return (up - dn) / (2 * eps);
    };
    for (let i = 0; i < g.size; i++) expect(Math.abs(dParams[i]! - fd(params, i))).toBeLessThan(1e-7);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(dXs[i]! - fd(xs, i))).toBeLessThan(1e-7);
    for (let i = 0; i < h0.length; i++) expect(Math.abs(dH0[i]! - fd(h0, i))).toBeLessThan(1e-7);
  });

  it('gradients stop at a reset, and a BPTT that ignores it would be wrong', () => {
    // Only the reset row's h0 loses its influence on steps ≥ 2; with w zero before t = 2, none is left.
    const late = Float64Array.from(w, (v, i) => (i < 2 * B * H ? 0 : v));
    const { dH0 } = ref64(params, xs, h0, late);
    for (let j = 0; j < H; j++) expect(dH0[H + j]).toBe(0);
    const ignored = g.backward(params, g.forward(params, { xs, steps: T, batch: B, h0 }), late).dH0;
    expect(Math.max(...Array.from(ignored.subarray(H), Math.abs))).toBeGreaterThan(1e-4);
  });
});

describe.each(backends)('nn.gru on %s', (name) => {
  useBackendForSuite(name);

  it('forward and BPTT match the float64 reference within float32 rounding', () => {
    const f = g.forward(params, { xs, steps: T, batch: B, h0, resets });
    const want = ref64(params, xs, h0);
    const torch = torchSequence(params);
    for (let i = 0; i < torch.length; i++) expect(Math.abs(f.hs[i]! - torch[i]!)).toBeLessThan(2e-6);
    const got = g.backward(params, f, w);
    for (const k of ['dParams', 'dXs', 'dH0'] as const)
      for (let i = 0; i < want[k].length; i++) expect(Math.abs(got[k][i]! - want[k][i]!), k).toBeLessThan(2e-5);
  });

  it('layout covers the flat vector; init is U(±1/√H) and seeded; bad input names the argument', () => {
    expect(g.layout.map((s) => s.name)).toEqual(['gru.wi', 'gru.wh', 'gru.bi', 'gru.bh']);
    expect(g.layout.reduce((s, x) => s + x.size, 0)).toBe(g.size);
    const p = g.init(0);
    expect(p).toEqual(g.init(0));
    expect(Math.max(...Array.from(p, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(H));
    expect(() => nn.gru({ inputSize: 0, hiddenSize: 2 })).toThrow(/inputSize/);
    expect(() => g.forward(params, { xs: new Float64Array(3), steps: T, batch: B })).toThrow(/inputs.xs/);
    expect(() => g.forward(new Float64Array(2), { xs, steps: T, batch: B })).toThrow(/params/);
    expect(() => g.forward(params, { xs, steps: T, batch: B, resets: new Uint8Array(3) })).toThrow(RangeError);
    const f = g.forward(params, { xs, steps: T, batch: B });
    expect(() => g.backward(params, f, w, { truncate: -1 })).toThrow(/options.truncate/);
    expect(() => g.backward(params, f, new Float64Array(2))).toThrow(/dHs/);
  });
});
