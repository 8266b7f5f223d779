// nn.recurrentPolicy (GRU + MLP head): the gradient equals central finite differences of the
// composed loss along random directions (float32 model, so a directional check with a loose
// tolerance; the GRU and MLP parts are checked exactly elsewhere), the layout tiles the vector,
// and dropping the head's input gradient (a plausible wiring bug) fails the same check.
import { describe, expect, it } from 'vitest';
import { nn } from '../src/index.js';
import * as random from '../src/random/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

describe.each(backends)('nn.recurrentPolicy on %s', (name) => {
  useBackendForSuite(name);
  const [I, H, O, T, B] = [3, 6, 2, 5, 4];
  const pi = nn.recurrentPolicy({ inputSize: I, hiddenSize: H, outputSize: O, headHidden: [5] });
  const xs = random.normal(random.key(1), T * B * I);
  const w = random.normal(random.key(2), T * B * O); // L = Σ w ⊙ y
  const resets = new Uint8Array(T * B);
  resets[2 * B + 1] = 1;
  const ws = pi.workspace(T, B);
  const L = (p: Float32Array): number => {
    const y = pi.forwardInto(p, xs, ws, { resets, record: false });
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (y[i] as number) * (w[i] as number);
    return s;
  };

  it('gradient matches directional finite differences; a head without input gradient would not', () => {
    const p = pi.init(0);
    pi.forwardInto(p, xs, ws, { resets });
    const grad = Float64Array.from(pi.backwardInto(p, xs, ws, w, { resets }));
    const gruOnly = grad.subarray(0, pi.gru.size);
    for (let d = 0; d < 3; d++) {
      const v = random.normal(random.key(10 + d), pi.size);
      const eps = 3e-3; // float32 model: O(eps²) truncation vs rounding
      const plus = Float32Array.from(p, (x, i) => x + eps * (v[i] as number));
      const minus = Float32Array.from(p, (x, i) => x - eps * (v[i] as number));
      const fd = (L(plus) - L(minus)) / (2 * eps);
      const dot = grad.reduce((s, g, i) => s + g * (v[i] as number), 0);
      expect(Math.abs(fd - dot)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
      // The GRU block alone (as if the head passed no gradient back) misses the recurrent part.
      const vg = Float32Array.from(v, (x, i) => (i < pi.gru.size ? x : 0));
      const pg = Float32Array.from(p, (x, i) => x + eps * (vg[i] as number));
      const mg = Float32Array.from(p, (x, i) => x - eps * (vg[i] as number));
      const fdGru = (L(pg) - L(mg)) / (2 * eps);
      expect(Math.abs(fdGru)).toBeGreaterThan(1e-2);
      expect(Math.abs(gruOnly.reduce((s, g, i) => s + g * (vg[i] as number), 0) - fdGru)).toBeLessThan(
        2e-3 * Math.max(1, Math.abs(fdGru)),
      );
    }
  });

  it('layout tiles the vector; bad arguments name themselves', () => {
    expect(pi.layout.map((s) => s.name)).toEqual([
      'gru.wi',
      'gru.wh',
      'gru.bi',
      'gru.bh',
      'head.dense0.w',
      'head.dense0.b',
      'head.dense1.w',
      'head.dense1.b',
    ]);
    let off = 0;
    for (const s of pi.layout) {
      expect(s.offset).toBe(off);
      off += s.size;
    }
    expect(off).toBe(pi.size);
    expect(pi.init(3)).toEqual(pi.init(3));
    expect(() => nn.recurrentPolicy({ inputSize: 2, hiddenSize: 3, outputSize: 0 })).toThrow(/outputSize/);
    expect(() => pi.forwardInto(new Float32Array(3), xs, ws)).toThrow(/params/);
    expect(() => pi.forwardInto(pi.init(0), xs.subarray(2), ws)).toThrow(/xs/);
  });
});
