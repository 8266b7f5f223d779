// learned.driftFunction (LPO / TA-LPO) against a reference written from learned_optimization's
// research/discovered_policy_optimisation/truncated_step.py as summarized in
// ../shared/reference/meta-rl-and-learned-optimizers.md §12.2 and §12.4 (TA-LPO inputs
// [x, progress·x]); the mirror-learning conditions (D ≥ 0, D(1, Â) = 0, ∂D/∂r(1, Â) = 0) for
// random θ; ∂D/∂r against central differences.
import { describe, expect, it } from 'vitest';
import { learned, random } from '../src/index.js';

/** D written out from the reference: relu(w₂ᵀ tanh(W₁ᵀ clip(x, −2, 2)) − 1e-4), one hidden layer. */
function refDrift(theta: Float32Array, hidden: number, r: number, a: number, progress?: number): number {
  const l = Math.log(r);
  const base = [l, l * l, 1 - r, (1 - r) ** 2];
  let x = [...base, ...base.map((v) => a * v)];
  if (progress !== undefined) x = [...x, ...x.map((v) => progress * v)];
  x = x.map((v) => Math.min(2, Math.max(-2, v)));
  let n = 0;
  for (let j = 0; j < hidden; j++) {
    let s = 0;
    for (let k = 0; k < x.length; k++) s += x[k]! * theta[k * hidden + j]!;
    n += Math.tanh(s) * theta[x.length * hidden + j]!;
  }
  return Math.max(0, n - 1e-4);
}

const R = Array.from({ length: 41 }, (_, i) => 0.2 * 25 ** (i / 40)); // log grid over [0.2, 5]
const A = Array.from({ length: 13 }, (_, i) => -3 + i / 2);

describe.each([false, true])('learned.driftFunction (temporal: %s)', (temporal) => {
  const drift = learned.driftFunction({ hidden: [16], temporal });
  const prog = (s: number) => (temporal ? (s % 7) / 6 : undefined);

  it('equals the reference formula', () => {
    const theta = drift.init(1);
    expect(drift.size).toBe((temporal ? 16 : 8) * 16 + 16);
    let worst = 0;
    for (const r of R)
      for (const a of A)
        worst = Math.max(worst, Math.abs(drift.at(theta, r, a, prog(3)).value - refDrift(theta, 16, r, a, prog(3))));
    expect(worst).toBeLessThan(1e-12);
    const ratio = Float32Array.from(R);
    const adv = new Float32Array(R.length).fill(1.5);
    const v = drift.value(theta, ratio, adv, prog(3));
    for (let i = 0; i < R.length; i++) expect(v[i]).toBeCloseTo(refDrift(theta, 16, ratio[i]!, 1.5, prog(3)), 6);
  });

  it('mirror-learning conditions hold for random θ: D ≥ 0, D(1, Â) = 0, ∂D/∂r(1, Â) = 0', () => {
    let positive = 0;
    for (let seed = 0; seed < 8; seed++) {
      const theta = drift.init(seed);
      // larger weights than init make the network steeper: the construction must hold anyway
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! * (1 + seed);
      for (const r of R)
        for (const a of A) {
          const d = drift.at(theta, r, a, prog(seed)).value;
          expect(d).toBeGreaterThanOrEqual(0);
          if (d > 0) positive++;
        }
      for (const a of A) {
        const at1 = drift.at(theta, 1, a, prog(seed));
        expect(at1.value).toBe(0);
        expect(at1.dRatio).toBe(0);
        const h = 1e-7;
        const fd =
          (drift.at(theta, 1 + h, a, prog(seed)).value - drift.at(theta, 1 - h, a, prog(seed)).value) / (2 * h);
        expect(fd).toBe(0);
      }
    }
    // the conditions are not met vacuously: D is positive on a good part of the grid
    expect(positive).toBeGreaterThan(0.1 * 8 * R.length * A.length);
  });

  it('without the relu threshold the drift would go negative (a plausible wrong variant)', () => {
    const theta = drift.init(2);
    const flipped = theta.slice();
    const out = drift.inputs * 16;
    for (let j = 0; j < 16; j++) flipped[out + j] = -flipped[out + j]!; // N(θ') = −N(θ)
    let both = 0;
    for (const r of R)
      for (const a of A)
        if (drift.at(theta, r, a, prog(1)).value > 1e-3) {
          expect(drift.at(flipped, r, a, prog(1)).value).toBe(0);
          both++;
        }
    // so raw N takes negative values wherever D(θ) > 0 under θ': the relu is what keeps D ≥ 0
    expect(both).toBeGreaterThan(10);
  });

  it('∂D/∂r matches central differences where D > 0', () => {
    const rng = random.uniform(random.key(5), 400);
    let checked = 0;
    for (let s = 0; s < 200; s++) {
      const theta = drift.init(s % 4);
      const r = 0.3 + 2.5 * rng[2 * s]!;
      const a = -3 + 6 * rng[2 * s + 1]!;
      const p = drift.at(theta, r, a, prog(s));
      if (p.value < 1e-3) continue;
      const h = 1e-6;
      const fd = (drift.at(theta, r + h, a, prog(s)).value - drift.at(theta, r - h, a, prog(s)).value) / (2 * h);
      expect(Math.abs(fd - p.dRatio)).toBeLessThan(1e-6 * (1 + Math.abs(p.dRatio)));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('init is deterministic per seed; bad input names the argument', () => {
    expect(drift.init(4)).toEqual(drift.init(4));
    expect(drift.init(4)).not.toEqual(drift.init(5));
    const theta = drift.init(0);
    const one = Float32Array.from([1]);
    expect(() => drift.value(theta.subarray(1), one, one, prog(0))).toThrow(/theta/);
    expect(() => drift.value(theta, one, new Float32Array(2), prog(0))).toThrow(/advantage/);
    expect(() => drift.value(theta, Float32Array.from([-1]), one, prog(0))).toThrow(/ratio/);
    expect(() => drift.at(theta, 0, 1, prog(0))).toThrow(/ratio/);
    if (temporal) {
      expect(() => drift.value(theta, one, one)).toThrow(/progress/);
      expect(() => drift.value(theta, one, one, 2)).toThrow(/progress/);
    } else expect(() => drift.value(theta, one, one, 0.5)).toThrow(/progress/);
    expect(() => learned.driftFunction({ hidden: [] })).toThrow(/hidden/);
  });
});
