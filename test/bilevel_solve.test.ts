// bilevel.solve on hand-written problems with known solutions:
// - a quadratic bilevel problem (f = ½wᵀQw − (Bλ)ᵀw, F = ½‖w − b‖² + ½ρ‖λ‖²), whose bilevel
//   solution solves (CᵀC + ρI)λ = Cᵀb with C = Q⁻¹B, and whose V-PBGD penalized problem
//   (Shen & Chen 2023, eq. for p = f − v) has a closed-form stationary point too;
// - BDA's non-singleton lower level (Liu et al. 2020; reference §3.6): f = ½(y₁ − x)², F =
//   ½(x − y₂)² + ½(y₁ − 1)². The optimistic solution is x = 1, y = (1, 1); following only the
//   lower level (α = 0, i.e. RHG) leaves y₂ where it started and stops at x = ½.
import { describe, expect, it } from 'vitest';
import { bilevel, optim } from '../src/index.js';

const Q = [
  [2, 0.5],
  [0.5, 1],
];
const B = [
  [1, 0.3],
  [-0.2, 0.8],
];
const b = [1, -2];
const rho = 0.1;

function quadratic(): bilevel.BilevelProblem {
  const mv = (M: number[][], v: ArrayLike<number>, out: Float32Array | number[]) => {
    for (let i = 0; i < 2; i++)
      out[i] = (M[i]![0] as number) * (v[0] as number) + (M[i]![1] as number) * (v[1] as number);
  };
  const mtv = (M: number[][], v: ArrayLike<number>, out: Float32Array | number[]) => {
    for (let i = 0; i < 2; i++)
      out[i] = (M[0]![i] as number) * (v[0] as number) + (M[1]![i] as number) * (v[1] as number);
  };
  const Bl = [0, 0];
  const Qw = [0, 0];
  return {
    name: 'quadratic',
    wSize: 2,
    lambdaSize: 2,
    inner(w, l, g) {
      mv(Q, w, Qw);
      mv(B, l, Bl);
      if (g) for (let i = 0; i < 2; i++) g[i] = (Qw[i] as number) - (Bl[i] as number);
      return (
        0.5 * ((w[0] as number) * (Qw[0] as number) + (w[1] as number) * (Qw[1] as number)) -
        ((Bl[0] as number) * (w[0] as number) + (Bl[1] as number) * (w[1] as number))
      );
    },
    innerGradLambda(w, _l, out) {
      mtv(B, w, out);
      out[0] = -(out[0] as number);
      out[1] = -(out[1] as number);
    },
    innerHvp(_w, _l, v, out) {
      mv(Q, v, out);
    },
    innerMixedVjp(_w, _l, v, out) {
      mtv(B, v, out);
      out[0] = -(out[0] as number);
      out[1] = -(out[1] as number);
    },
    innerMixedJvp(_w, _l, u, out) {
      mv(B, u, out);
      out[0] = -(out[0] as number);
      out[1] = -(out[1] as number);
    },
    outer(w, l, gw, gl) {
      let v = 0;
      for (let i = 0; i < 2; i++) {
        v += 0.5 * ((w[i] as number) - (b[i] as number)) ** 2 + 0.5 * rho * (l[i] as number) ** 2;
        if (gw) gw[i] = (w[i] as number) - (b[i] as number);
        if (gl) gl[i] = rho * (l[i] as number);
      }
      return v;
    },
    curvatureBound: () => 2.5,
  };
}

function solve2(A: number[][], r: number[]): number[] {
  // Gaussian elimination (small dense systems).
  const n = r.length;
  const a = A.map((row, i) => [...row, r[i] as number]);
  for (let c = 0; c < n; c++)
    for (let i = c + 1; i < n; i++) {
      const f = (a[i]![c] as number) / (a[c]![c] as number);
      for (let k = c; k <= n; k++) a[i]![k]! -= f * (a[c]![k] as number);
    }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let t = a[i]![n] as number;
    for (let k = i + 1; k < n; k++) t -= (a[i]![k] as number) * (x[k] as number);
    x[i] = t / (a[i]![i] as number);
  }
  return x;
}

/** C = Q⁻¹B (float64). */
function C(): number[][] {
  const c0 = solve2(Q, [B[0]![0] as number, B[1]![0] as number]);
  const c1 = solve2(Q, [B[0]![1] as number, B[1]![1] as number]);
  return [
    [c0[0] as number, c1[0] as number],
    [c0[1] as number, c1[1] as number],
  ];
}

function bilevelSolution(): number[] {
  const c = C();
  const A = [0, 1].map((i) => [0, 1].map((j) => c[0]![i]! * c[0]![j]! + c[1]![i]! * c[1]![j]! + (i === j ? rho : 0)));
  return solve2(
    A,
    [0, 1].map((i) => c[0]![i]! * b[0]! + c[1]![i]! * b[1]!),
  );
}

/** Stationary point in (w, λ) of ½‖w−b‖² + ½ρ‖λ‖² + (γ/2)(w − Cλ)ᵀQ(w − Cλ). */
function penalizedSolution(gamma: number): number[] {
  const c = C();
  const QC = [0, 1].map((i) => [0, 1].map((j) => Q[i]![0]! * c[0]![j]! + Q[i]![1]! * c[1]![j]!));
  const CtQC = [0, 1].map((i) => [0, 1].map((j) => c[0]![i]! * QC[0]![j]! + c[1]![i]! * QC[1]![j]!));
  // ∂w: (w − b) + γQw − γQCλ = 0;  ∂λ: ρλ − γCᵀQw + γCᵀQCλ = 0
  const A: number[][] = [
    [1 + gamma * Q[0]![0]!, gamma * Q[0]![1]!, -gamma * QC[0]![0]!, -gamma * QC[0]![1]!],
    [gamma * Q[1]![0]!, 1 + gamma * Q[1]![1]!, -gamma * QC[1]![0]!, -gamma * QC[1]![1]!],
    [-gamma * QC[0]![0]!, -gamma * QC[1]![0]!, rho + gamma * CtQC[0]![0]!, gamma * CtQC[0]![1]!],
    [-gamma * QC[0]![1]!, -gamma * QC[1]![1]!, gamma * CtQC[1]![0]!, rho + gamma * CtQC[1]![1]!],
  ];
  return solve2(A, [b[0]!, b[1]!, 0, 0]);
}

describe('bilevel.solve', () => {
  it('hypergradient descent reaches the bilevel solution of the quadratic problem', async () => {
    const ref = bilevelSolution();
    for (const method of ['implicit', 'reverse', 'forward'] as const) {
      const r = await bilevel.solve(quadratic(), {
        method: 'hypergradient',
        iterations: 300,
        outerOptimizer: optim.sgd({ lr: 0.5 }),
        hypergradient: { method, steps: 60 },
      });
      expect(r.lambda[0]).toBeCloseTo(ref[0] as number, 4);
      expect(r.lambda[1]).toBeCloseTo(ref[1] as number, 4);
    }
  });

  it("V-PBGD reaches the penalized problem's stationary point, within O(1/γ) of the bilevel solution", async () => {
    const gamma = 50;
    const r = await bilevel.solve(quadratic(), {
      method: 'penalty',
      iterations: 6000,
      gammaMax: gamma,
      gammaRamp: 500,
      auxSteps: 5,
      outerOptimizer: optim.sgd({ lr: 0.5 }),
    });
    const pen = penalizedSolution(gamma);
    expect(r.w[0]).toBeCloseTo(pen[0] as number, 3);
    expect(r.w[1]).toBeCloseTo(pen[1] as number, 3);
    expect(r.lambda[0]).toBeCloseTo(pen[2] as number, 3);
    expect(r.lambda[1]).toBeCloseTo(pen[3] as number, 3);
    const ref = bilevelSolution();
    const gap = Math.hypot((r.lambda[0] as number) - ref[0]!, (r.lambda[1] as number) - ref[1]!);
    expect(gap).toBeLessThan(5 / gamma);
    expect(gap).toBeGreaterThan(0.01 / gamma); // the penalty's bias is real: not the bilevel point itself
  });

  const nonSingleton = (): bilevel.BilevelProblem => ({
    name: 'bda-toy',
    wSize: 2,
    lambdaSize: 1,
    inner(y, x, g) {
      const r = (y[0] as number) - (x[0] as number);
      if (g) {
        g[0] = r;
        g[1] = 0;
      }
      return 0.5 * r * r;
    },
    innerGradLambda(y, x, out) {
      out[0] = (x[0] as number) - (y[0] as number);
    },
    innerHvp(_y, _x, v, out) {
      out[0] = v[0] as number;
      out[1] = 0;
    },
    innerMixedVjp(_y, _x, v, out) {
      out[0] = -(v[0] as number);
    },
    innerMixedJvp(_y, _x, u, out) {
      out[0] = -(u[0] as number);
      out[1] = 0;
    },
    outer(y, x, gy, gx) {
      const a = (x[0] as number) - (y[1] as number);
      const c = (y[0] as number) - 1;
      if (gy) {
        gy[0] = c;
        gy[1] = -a;
      }
      if (gx) gx[0] = a;
      return 0.5 * a * a + 0.5 * c * c;
    },
    outerHvp(_y, _x, v, out) {
      out[0] = v[0] as number;
      out[1] = v[1] as number;
    },
    outerMixedVjp(_y, _x, v, out) {
      out[0] = -(v[1] as number);
    },
    curvatureBound: () => 1,
  });

  it('BDA selects the outer-optimal lower-level solution on a non-singleton lower level; α = 0 is RHG', async () => {
    const opts = {
      iterations: 400,
      outerOptimizer: optim.sgd({ lr: 0.2 }),
      hypergradient: { steps: 10, innerLr: 0.5 },
    };
    const bda = await bilevel.solve(nonSingleton(), { method: 'bda', alpha: 0.5, ...opts });
    expect(bda.lambda[0]).toBeCloseTo(1, 3);
    expect(bda.w[0]).toBeCloseTo(1, 3);
    expect(bda.w[1]).toBeCloseTo(1, 3);
    const rhg = await bilevel.solve(nonSingleton(), {
      method: 'hypergradient',
      ...opts,
      outerOptimizer: optim.sgd({ lr: 0.2 }),
    });
    expect(rhg.lambda[0]).toBeCloseTo(0.5, 3);
    const bda0 = await bilevel.solve(nonSingleton(), {
      method: 'bda',
      alpha: 0,
      ...opts,
      outerOptimizer: optim.sgd({ lr: 0.2 }),
    });
    expect(Array.from(bda0.lambda)).toEqual(Array.from(rhg.lambda));
  });

  it('BDA hypergradient matches float64 finite differences of its aggregated inner run', async () => {
    // One BDA outer iteration from λ = 0.3 and y₀ = (0.2, −0.4), SGD lr 0.5, 10 steps, α 0.5, decay 0.9.
    const run = (x: number): number => {
      let y1 = 0.2;
      let y2 = -0.4;
      for (let k = 1; k <= 10; k++) {
        const wF = 0.5 * 0.9 ** (k - 1);
        const g1 = 0.5 * (y1 - x) + wF * (y1 - 1);
        const g2 = wF * -(x - y2);
        y1 -= 0.5 * g1;
        y2 -= 0.5 * g2;
      }
      return 0.5 * (x - y2) ** 2 + 0.5 * (y1 - 1) ** 2;
    };
    const h = 1e-6;
    const ref = (run(0.3 + h) - run(0.3 - h)) / (2 * h);
    let got = Number.NaN;
    const opt: import('../src/optim/types.js').Optimizer = {
      kind: 'optimizer',
      name: 'spy',
      init: () => ({ count: 0, buffers: {}, scalars: {}, inner: [] }),
      step: (_p, g) => {
        got = g[0] as number;
        return false;
      },
    };
    await bilevel.solve(nonSingleton(), {
      method: 'bda',
      alpha: 0.5,
      iterations: 1,
      lambda0: Float32Array.of(0.3),
      outerOptimizer: opt,
      hypergradient: { steps: 10, innerLr: 0.5, w0: Float32Array.of(0.2, -0.4) },
    });
    expect(got).toBeCloseTo(ref, 5);
  });

  it('refuses bad options, naming them', async () => {
    await expect(bilevel.solve(quadratic(), { method: 'nope' as 'bda' })).rejects.toThrow(/method/);
    await expect(bilevel.solve(quadratic(), { method: 'bda', alpha: 2 })).rejects.toThrow(/alpha/);
    await expect(bilevel.solve(quadratic(), { method: 'penalty', lambda0: new Float32Array(3) })).rejects.toThrow(
      /lambda0/,
    );
    await expect(
      bilevel.solve(quadratic(), {
        method: 'hypergradient',
        lambda0: Float32Array.of(Number.POSITIVE_INFINITY, 0),
        outerOptimizer: optim.sgd({ lr: 0.1 }),
      }),
    ).rejects.toThrow(/lambda0\[0\]/);
    await expect(bilevel.solve(quadratic(), { method: 'bda', outerOptimizer: optim.sgd({ lr: 0.1 }) })).rejects.toThrow(
      /outerHvp/,
    );
  });
});
