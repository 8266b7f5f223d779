// constrained.primalDual: the dual-ascent recurrence of Chamon et al. (primal step on the
// Lagrangian, then λ ← [λ + η_λ(ℓ(θ) − c)]₊ at the new θ) against a hand-written recurrence, and its
// limit against the KKT point of convex problems solved by hand.
import { describe, expect, it } from 'vitest';
import type { ConstrainedProblem } from '../src/constrained/index.js';
import { constrained, optim } from '../src/index.js';

// min (θ − 2)² s.t. θ² ≤ 1: KKT θ* = 1, λ* = 1 (2(θ − 2) + 2λθ = 0 at θ = 1).
const scalar: ConstrainedProblem = {
  size: 1,
  limits: [1],
  evaluate(theta, grads) {
    const t = theta[0]!;
    grads[0]![0] = 2 * (t - 2);
    grads[1]![0] = 2 * t;
    return [(t - 2) ** 2, t * t];
  },
};

describe('constrained.primalDual', () => {
  it('matches the hand-written recurrence step by step', () => {
    const r = constrained.primalDual(scalar, {
      optimizer: optim.sgd({ lr: 0.1 }),
      dualLr: 0.5,
      steps: 6,
      theta0: new Float32Array([0]),
    });
    let t = 0;
    let lam = 0;
    for (let s = 1; s <= 6; s++) {
      t = Math.fround(t - 0.1 * (2 * (t - 2) + lam * 2 * t));
      lam = Math.max(0, lam + 0.5 * (t * t - 1));
      const h = r.history[s]!;
      expect(h.lambda[0]).toBeCloseTo(lam, 6);
      expect(h.constraints[0]).toBeCloseTo(t * t, 6);
    }
    expect(r.history[4]!.lambda[0]).toBeCloseTo(0.197146, 5); // θ₄ = 1.1808 is the first infeasible iterate
    // a plausible wrong variant (dual step on ℓ(θ) before the primal step) gives λ₄ = 0
    expect(r.history[4]!.lambda[0]).toBeGreaterThan(0.1);
  });

  it('converges to the KKT point (θ*, λ*) = (1, 1) with a vanishing gap', () => {
    const r = constrained.primalDual(scalar, {
      optimizer: optim.sgd({ lr: 0.05 }),
      dualLr: 0.2,
      steps: 3000,
      theta0: new Float32Array([0]),
    });
    expect(r.theta[0]).toBeCloseTo(1, 5);
    expect(r.lambda[0]).toBeCloseTo(1, 4);
    const last = r.history.at(-1)!;
    expect(last.violation).toBeLessThan(1e-5);
    expect(Math.abs(last.gap)).toBeLessThan(1e-4);
  });

  it('two constraints, one inactive: min ‖θ − (2, 2)‖² s.t. θ₁ + θ₂ ≤ 1, θ₁ ≤ 5 → θ* = (½, ½), λ* = (3, 0)', () => {
    const p: ConstrainedProblem = {
      size: 2,
      limits: [1, 5],
      evaluate(theta, grads) {
        const [a, b] = [theta[0]!, theta[1]!];
        grads[0]!.set([2 * (a - 2), 2 * (b - 2)]);
        grads[1]!.set([1, 1]);
        grads[2]!.set([1, 0]);
        return [(a - 2) ** 2 + (b - 2) ** 2, a + b, a];
      },
    };
    const r = constrained.primalDual(p, {
      optimizer: optim.sgd({ lr: 0.05 }),
      dualLr: 0.2,
      steps: 3000,
      theta0: new Float32Array(2),
    });
    expect(r.theta[0]).toBeCloseTo(0.5, 5);
    expect(r.theta[1]).toBeCloseTo(0.5, 5);
    expect(r.lambda[0]).toBeCloseTo(3, 4);
    expect(r.lambda[1]).toBe(0);
  });

  it('refuses bad input, naming the argument', () => {
    const sgd = optim.sgd({ lr: 0.1 });
    const base = { optimizer: sgd, dualLr: 0.1, steps: 1, theta0: new Float32Array([0]) };
    expect(() => constrained.primalDual(scalar, { ...base, theta0: new Float32Array(2) })).toThrow(
      /theta0: expected length 1/,
    );
    expect(() => constrained.primalDual(scalar, { ...base, lambda0: [1, 2] })).toThrow(
      /lambda0: expected 1 multipliers/,
    );
    expect(() => constrained.primalDual(scalar, { ...base, lambda0: [-1] })).toThrow(/lambda0\[0\]/);
    expect(() => constrained.primalDual(scalar, { ...base, dualLr: 0 })).toThrow(/dualLr/);
    expect(() => constrained.primalDual(scalar, { ...base, optimizer: {} as never })).toThrow(/optimizer/);
    expect(() => constrained.primalDual({ ...scalar, limits: [] }, base)).toThrow(/limits/);
    const bad = { ...scalar, evaluate: () => [1] };
    expect(() => constrained.primalDual(bad, base)).toThrow(/expected 2 values/);
  });
});
