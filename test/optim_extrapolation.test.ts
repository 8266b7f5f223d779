// The gradient predictor of Optimistic-AMSGrad (RMPE, arXiv 1903.01435 Algorithm 2): on a sequence
// that converges linearly with two modes, x_k = x* + a·ρ₁ᵏ + b·ρ₂ᵏ, minimal polynomial extrapolation
// over r = 3 differences (the degree of its minimal polynomial + 1) recovers the limit x* (exactly, up to the small ridge), which no window
// average or last-value guess does.
import { describe, expect, it } from 'vitest';
import { pushAndExtrapolate } from '../src/optim/rules/gradient_extrapolation.js';
import { backends } from './helpers/backends.js';

const n = 5;
const xStar = [0.3, -1.2, 2, 0.7, -0.4];
const a = [1, 0.5, -0.8, 0.2, 1.5];
const bv = [-0.6, 0.9, 0.4, -1.1, 0.3];
const point = (k: number) =>
  Float32Array.from({ length: n }, (_, i) => xStar[i]! + a[i]! * 0.8 ** k + bv[i]! * 0.5 ** k);

describe.each(backends)('gradient extrapolation (%s)', (_name, b) => {
  it('recovers the limit of a two-mode linear sequence', () => {
    const window = 3;
    const buf = { ring: new Float32Array((window + 1) * n), gram: new Float64Array((window + 1) ** 2) };
    const out = new Float32Array(n);
    const work = new Float64Array(64);
    // Push a few points first so the ring wraps around.
    for (let k = 0; k < 6; k++) pushAndExtrapolate(b, buf, window, k, point(k), 1e-9, out, work);
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(out[i]! - xStar[i]!));
    const last = point(5);
    let lastErr = 0;
    for (let i = 0; i < n; i++) lastErr = Math.max(lastErr, Math.abs(last[i]! - xStar[i]!));
    expect(lastErr).toBeGreaterThan(0.1);
    expect(err).toBeLessThan(2e-3);
  });

  it('predicts the only gradient seen, and a constant sequence as itself', () => {
    const buf = { ring: new Float32Array(4 * n), gram: new Float64Array(16) };
    const out = new Float32Array(n);
    const work = new Float64Array(64);
    const g = Float32Array.from(xStar);
    pushAndExtrapolate(b, buf, 3, 0, g, 1e-3, out, work);
    expect([...out]).toEqual([...g]);
    pushAndExtrapolate(b, buf, 3, 1, g, 1e-3, out, work);
    expect([...out]).toEqual([...g]);
  });
});
