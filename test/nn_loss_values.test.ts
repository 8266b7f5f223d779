// Loss values against their written-out formulas (float64, computed here term by term), so a
// wrong reduction, a missing constant or a swapped σ/log σ cannot hide behind derivative checks
// that difference the same value. Each case also shows the nearest wrong formula is far off.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import * as nn from '../src/nn/index.js';
import type { Loss } from '../src/nn/types.js';
import { key, normal } from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Relative difference, with 1 as the smallest scale. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** value(y) and the value grad(y) returns must both equal the formula. */
function expectValue(loss: Loss, y: Float32Array, batch: number, want: number): void {
  expect(rel(loss.value(y, batch), want)).toBeLessThan(1e-12);
  const g = new Float32Array(y.length);
  expect(rel(loss.grad(y, batch, g), want)).toBeLessThan(1e-12);
}

// −log softmax(y)[c] = −log( e^{y_c} / Σ_j e^{y_j} ), with the largest logit factored out so
// e^{1000} does not overflow (the same number, written out).
function crossEntropyFormula(y: Float32Array, labels: Int32Array, k: number): number {
  let total = 0;
  for (let b = 0; b < labels.length; b++) {
    const row = Array.from(y.subarray(b * k, (b + 1) * k));
    const m = Math.max(...row);
    const p = Math.exp(row[labels[b] as number]! - m) / row.reduce((s, v) => s + Math.exp(v - m), 0);
    total += -Math.log(p);
  }
  return total / labels.length;
}

// Density of N(t; μ, σ²) per dimension: −log( exp(−(t−μ)²/(2σ²)) / (σ √(2π)) ), summed over
// dimensions, averaged over rows.
function gaussianFormula(t: Float32Array, mu: ArrayLike<number>, sigma: ArrayLike<number>, batch: number): number {
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const s = sigma[i] as number;
    const density =
      Math.exp(-(((t[i] as number) - (mu[i] as number)) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    total += -Math.log(density);
  }
  return total / batch;
}

describe('loss values equal their formulas', () => {
  it('mse: Σ (y − t)² / (batch · out)', () => {
    const y = Float32Array.from([0.5, -1, 2, 3, 0.25, -0.75]);
    const t = Float32Array.from([1, -1, 0, 2.5, 0, 0]);
    // (0.25 + 0 + 4 + 0.25 + 0.0625 + 0.5625) / 6
    const want = 5.125 / 6;
    expectValue(nn.loss.mse(t), y, 2, want);
    expectValue(nn.loss.mse(t), y, 3, want); // the mean is over all elements, whatever the row split
    // Not the sum, not the per-row sum, not half the mean (the ½ convention).
    for (const wrong of [5.125, 5.125 / 2, want / 2])
      expect(rel(nn.loss.mse(t).value(y, 2), wrong)).toBeGreaterThan(0.1);
  });

  it('crossEntropy: mean over rows of −log softmax(y)[label]', () => {
    const k = 3;
    const y = Float32Array.from([2, 0.5, -1, 0, 0, 0, -3, 4, 1, 1000, 999, -1000]);
    const labels = Int32Array.from([0, 2, 1, 1]);
    const want = crossEntropyFormula(y, labels, k);
    expectValue(nn.loss.crossEntropy(labels), y, 4, want);
    // Known values: uniform logits give log k; logits (1000, 999, −1000) with label 1 give log(1 + e).
    expect(
      rel(nn.loss.crossEntropy(Int32Array.from([1])).value(Float32Array.from([0, 0, 0]), 1), Math.log(3)),
    ).toBeLessThan(1e-15);
    expect(
      rel(
        nn.loss.crossEntropy(Int32Array.from([1])).value(Float32Array.from([1000, 999, -1000]), 1),
        Math.log(1 + Math.E),
      ),
    ).toBeLessThan(1e-13);
    // Random logits over a batch of 16 in 5 classes.
    const y5 = normal(key(3), 80).map((v) => 3 * v);
    const l5 = Int32Array.from({ length: 16 }, (_, i) => (i * 7) % 5);
    expectValue(nn.loss.crossEntropy(l5, 5), y5, 16, crossEntropyFormula(y5, l5, 5));
    // Not the sum over rows, not the log-probability of the wrong label.
    const v = nn.loss.crossEntropy(labels).value(y, 4);
    expect(rel(v, 4 * want)).toBeGreaterThan(0.5);
    expect(rel(v, crossEntropyFormula(y, Int32Array.from([1, 0, 2, 0]), k))).toBeGreaterThan(0.1);
  });

  it('gaussianNll with a learned log σ: Σ_j −log N(t; μ, σ²) per row, averaged over rows', () => {
    const d = 2;
    const batch = 3;
    const t = Float32Array.from([0.5, -1, 2, 0, -0.25, 3]);
    // rows of [μ_0, μ_1, log σ_0, log σ_1]
    const y = Float32Array.from([0, -1.5, 0, 0.5, 1, 1, -0.7, 0.2, 0.25, 2, 1.5, -1]);
    const mu: number[] = [];
    const sigma: number[] = [];
    for (let b = 0; b < batch; b++)
      for (let j = 0; j < d; j++) {
        mu.push(y[b * 2 * d + j] as number);
        sigma.push(Math.exp(y[b * 2 * d + d + j] as number));
      }
    const want = gaussianFormula(t, mu, sigma, batch);
    const loss = nn.loss.gaussianNll(t);
    expectValue(loss, y, batch, want);
    // At t = μ, σ = 1: ½ log 2π per dimension.
    expect(
      rel(nn.loss.gaussianNll(Float32Array.from([1, 2])).value(Float32Array.from([1, 2, 0, 0]), 1), LOG_2PI),
    ).toBeLessThan(1e-15);
    // The nearest wrong formulas: no ½ log 2π, log σ² in place of log σ, σ in place of σ² in the square.
    const value = loss.value(y, batch);
    let noConst = 0;
    let logVar = 0;
    let sigmaNotVar = 0;
    for (let i = 0; i < t.length; i++) {
      const r2 = ((t[i] as number) - (mu[i] as number)) ** 2;
      const s = sigma[i] as number;
      noConst += (0.5 * r2) / (s * s) + Math.log(s);
      logVar += (0.5 * r2) / (s * s) + 2 * Math.log(s) + 0.5 * LOG_2PI;
      sigmaNotVar += (0.5 * r2) / s + Math.log(s) + 0.5 * LOG_2PI;
    }
    for (const wrong of [noConst, logVar, sigmaNotVar]) expect(rel(value, wrong / batch)).toBeGreaterThan(1e-3);
  });

  it('gaussianNll with a fixed log σ (one number, or one per dimension): the model outputs μ only', () => {
    const t = Float32Array.from([0.5, -1, 2, 0]);
    const y = Float32Array.from([0, -1.5, 1, 1]);
    const one = nn.loss.gaussianNll(t, { logStd: -0.3 });
    expectValue(one, y, 2, gaussianFormula(t, y, new Array(4).fill(Math.exp(-0.3)), 2));
    const perDim = Float32Array.from([-0.3, 0.7]);
    const sig = [0, 1, 0, 1].map((j) => Math.exp(perDim[j] as number));
    expectValue(nn.loss.gaussianNll(t, { logStd: perDim }), y, 2, gaussianFormula(t, y, sig, 2));
  });
});

describe.each(backends)('a model reports the loss of its output (%s)', (name) => {
  it('gradInto returns the formula value at the network output', () => {
    use(name as 'native' | 'js');
    // A 3 → 3 linear layer with W = I and b = 0 outputs its input.
    const net = nn.mlp({ sizes: [3, 3], activation: 'identity' });
    const params = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const x = Float32Array.from([2, 0.5, -1, 0, 0, 0]);
    const labels = Int32Array.from([0, 2]);
    const g = new Float32Array(params.length);
    expect(
      rel(net.gradInto(params, x, 2, nn.loss.crossEntropy(labels), g), crossEntropyFormula(x, labels, 3)),
    ).toBeLessThan(1e-6);
    const t = Float32Array.from([1, 1, 1, 0, 0, 1]);
    expect(rel(net.gradInto(params, x, 2, nn.loss.mse(t), g), (1 + 0.25 + 4 + 0 + 0 + 1) / 6)).toBeLessThan(1e-6);
  });
});
