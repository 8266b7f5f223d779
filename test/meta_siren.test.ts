// meta.siren (Sitzmann et al. 2020) and meta.tasks.signals1d: the MSE gradient against float64
// central finite differences of the forward pass (the forward is itself checked against a direct
// evaluation of sin(ω0·(Wx + b)) layers written here), the initialization's ranges from the
// paper / authors' code, and the signal family's truth and determinism. Wrong variant caught:
// the backward pass without the chain-rule factor ω0.
import { describe, expect, it } from 'vitest';
import { meta } from '../src/index.js';
import { key } from '../src/random/index.js';

const sizes = [1, 6, 5, 1];
const omega = 30;
const net = meta.siren(sizes, omega);
const x = Float32Array.from([-0.9, -0.3, 0.1, 0.55, 0.8]);
const target = Float32Array.from([0.2, -0.5, 0.7, 0.1, -0.3]);

/** Direct float64 forward of the layer list. */
function direct(p: ArrayLike<number>, xi: number): number {
  let a = [xi];
  let off = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    const nIn = sizes[l]!;
    const nOut = sizes[l + 1]!;
    const z = Array.from({ length: nOut }, (_, o) => {
      let s = p[off + nIn * nOut + o] as number;
      for (let i = 0; i < nIn; i++) s += a[i]! * (p[off + i * nOut + o] as number);
      return s;
    });
    off += nIn * nOut + nOut;
    a = l === sizes.length - 2 ? z : z.map((v) => Math.sin(omega * v));
  }
  return a[0]!;
}
const mse = (p: ArrayLike<number>) => {
  let s = 0;
  for (let r = 0; r < x.length; r++) s += (direct(p, x[r]!) - target[r]!) ** 2;
  return s / x.length;
};

describe('meta.siren', () => {
  // Smaller weights than the init keep sin(ω0·z) in a range where FD at h = 1e-6 is accurate.
  const params = Float64Array.from(net.init(key(5)), (v) => v);
  it('forward equals the direct layer evaluation; the MSE gradient matches float64 finite differences', () => {
    const y = net.forward(params, x, x.length);
    for (let r = 0; r < x.length; r++) expect(y[r]).toBeCloseTo(direct(params, x[r]!), 12);
    const g = new Float64Array(net.size);
    expect(net.mseGrad(params, x, target, x.length, g)).toBeCloseTo(mse(params), 12);
    const h = 1e-6;
    let maxErr = 0;
    let maxG = 0;
    const fd = new Float64Array(net.size);
    for (let i = 0; i < net.size; i++) {
      const a = Float64Array.from(params);
      const b = Float64Array.from(params);
      a[i]! += h;
      b[i]! -= h;
      fd[i] = (mse(a) - mse(b)) / (2 * h);
      maxErr = Math.max(maxErr, Math.abs(fd[i]! - g[i]!));
      maxG = Math.max(maxG, Math.abs(fd[i]!));
    }
    expect(maxErr / maxG).toBeLessThan(1e-6);
    // Wrong variant: ω0 dropped (sin(z) layers, as if ω0 were folded into W only at init) gives
    // a gradient far from this network's.
    const wrong = meta.siren(sizes, 1);
    const gw = new Float64Array(net.size);
    wrong.mseGrad(params, x, target, x.length, gw);
    let diff = 0;
    for (let i = 0; i < net.size; i++) diff = Math.max(diff, Math.abs(gw[i]! - fd[i]!));
    expect(diff / maxG).toBeGreaterThan(1e-2);
  });

  it("SIREN's initialization ranges; deterministic in the key; bad arguments name themselves", () => {
    const p = net.init(key(1));
    expect(Array.from(p)).toEqual(Array.from(net.init(key(1))));
    // layer 0: W [1×6] in ±1/1, b ±1; layer 1: W [6×5] in ±√(6/6)/30, b ±1/√6.
    for (let i = 0; i < 6; i++) expect(Math.abs(p[i]!)).toBeLessThanOrEqual(1);
    const w1 = p.subarray(12, 12 + 30);
    const bound = Math.sqrt(6 / 6) / 30;
    for (const v of w1) expect(Math.abs(v)).toBeLessThanOrEqual(bound + 1e-7);
    expect(Math.max(...Array.from(w1, Math.abs))).toBeGreaterThan(0.5 * bound);
    expect(net.size).toBe(6 + 6 + 30 + 5 + 5 + 1);
    expect(() => meta.siren([1], 30)).toThrow(/sizes/);
    expect(() => meta.siren([1, 4, 1], 0)).toThrow(/omega/);
  });
});

describe('meta.tasks.signals1d', () => {
  it('targets are the truth at the coordinates in [−1, 1]; deterministic; options checked', () => {
    const fam = meta.tasks.signals1d({ components: 3, maxFrequency: 5 });
    const b = fam.sample(key(2), 4, 16, 8);
    for (let t = 0; t < 4; t++) {
      const p = b.taskParams.subarray(t * 9, (t + 1) * 9);
      for (let k = 0; k < 3; k++) {
        expect(Number.isInteger(p[3 * k + 1])).toBe(true);
        expect(p[3 * k + 1]).toBeGreaterThanOrEqual(1);
        expect(p[3 * k + 1]).toBeLessThanOrEqual(5);
      }
      const y = fam.truth?.(p, b.queryX.subarray(t * 8, (t + 1) * 8)) as Float32Array;
      for (let r = 0; r < 8; r++) expect(y[r]).toBeCloseTo(b.queryY[t * 8 + r]!, 6);
    }
    for (const v of b.supportX) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    expect(Array.from(fam.sample(key(2), 4, 16, 8).supportY)).toEqual(Array.from(b.supportY));
    expect(() => meta.tasks.signals1d({ components: 0 })).toThrow(/components/);
  });
});
