// meta.imaml({ innerSolver: 'gd' }): iMAML as in the paper (Rajeswaran et al. 2019): plain GD on
// the proximal objective, meta-gradient (I + H/λ)⁻¹∇L_query(φ*) by the bilevel module's CG, and
// evaluation by plain SGD as MAML's. Reference (written here in float64): on linear-regression
// tasks φ*(θ) = (H + λI)⁻¹(λθ + Aᵀy·2/K) in closed form, and the meta-gradient is the central
// difference of L_query(φ*(θ)) in θ. The authors' code's CG operator (2I + H/12, the hidden
// lam_damping quirk of aravindr93/imaml_dev) is shown to fail the same comparison.
import { describe, expect, it } from 'vitest';
import { meta, nn } from '../src/index.js';
import { imamlGdBatch } from '../src/meta/imaml_gd.js';
import type { TaskBatch } from '../src/meta/tasks/types.js';

const d = 3;
const K = 6;
const lambda = 2;
const xs = Float32Array.from({ length: K * d }, (_, i) => Math.sin(1.3 * i + 0.4));
const ys = Float32Array.from({ length: K }, (_, i) => Math.cos(0.8 * i) + 0.3);
const xq = Float32Array.from({ length: K * d }, (_, i) => Math.cos(0.6 * i + 0.2));
const yq = Float32Array.from({ length: K }, (_, i) => Math.sin(0.5 * i - 0.1));
// nn.mlp([3, 1], identity) layout: w [3 × 1] then b [1]: φ = (w, b), features A = [x 1].
const P = d + 1;
const feat = (x: Float32Array, r: number) => [...Array.from({ length: d }, (_, j) => x[r * d + j] as number), 1];

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const a = A.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}
/** H = (2/K)AᵀA of the support MSE (exact for a linear model). */
const H = Array.from({ length: P }, (_, i) =>
  Array.from({ length: P }, (_, j) => {
    let s = 0;
    for (let r = 0; r < K; r++) s += feat(xs, r)[i]! * feat(xs, r)[j]!;
    return (2 * s) / K;
  }),
);
const Aty = Array.from({ length: P }, (_, i) => {
  let s = 0;
  for (let r = 0; r < K; r++) s += feat(xs, r)[i]! * (ys[r] as number);
  return (2 * s) / K;
});
const phiStar = (theta: number[]) =>
  solve(
    H.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0))),
    theta.map((t, i) => lambda * t + Aty[i]!),
  );
const lq = (phi: number[]) => {
  let s = 0;
  for (let r = 0; r < K; r++) s += (feat(xq, r).reduce((a, v, i) => a + v * phi[i]!, 0) - (yq[r] as number)) ** 2;
  return s / K;
};
const gq = (phi: number[]) =>
  Array.from({ length: P }, (_, i) => {
    let s = 0;
    for (let r = 0; r < K; r++) {
      const f = feat(xq, r);
      s += (2 * (f.reduce((a, v, j) => a + v * phi[j]!, 0) - (yq[r] as number)) * f[i]!) / K;
    }
    return s;
  });
const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
};

describe('iMAML-GD meta-gradient (paper) vs the float64 closed form', () => {
  it('equals dL_query(φ*(θ))/dθ on a linear-regression task; the 2I + H/12 operator does not', () => {
    const theta = [0.3, -0.2, 0.5, 0.1];
    const ref = theta.map((_, j) => {
      const a = [...theta];
      const b = [...theta];
      a[j]! += 1e-6;
      b[j]! -= 1e-6;
      return (lq(phiStar(a)) - lq(phiStar(b))) / 2e-6;
    });
    const batch: TaskBatch = {
      count: 1,
      inputDim: d,
      outputDim: 1,
      kind: 'regression',
      supportRows: K,
      queryRows: K,
      supportX: xs,
      supportY: ys,
      queryX: xq,
      queryY: yq,
      taskParams: new Float64Array(0),
      paramsPerTask: 0,
    };
    const net = nn.mlp({ sizes: [d, 1], activation: 'identity' });
    const grad = new Float32Array(P);
    const pre = new Float32Array(1);
    const post = new Float32Array(1);
    const L = Math.max(...H.map((row) => row.reduce((a, v) => a + Math.abs(v), 0))) + lambda; // Gershgorin
    const r = imamlGdBatch(
      net,
      Float32Array.from(theta),
      batch,
      { lambda, steps: 400, lr: 1 / L, cgSteps: P, loss: 'mse' },
      grad,
      pre,
      post,
    );
    expect(r.diverged).toBe(0);
    expect(rel(grad, ref)).toBeLessThan(1e-4);
    expect(Math.abs((post[0] as number) - lq(phiStar(theta)))).toBeLessThan(1e-5);
    // The authors' code's operator: u = (2I + H/12)⁻¹ g.
    const quirk = solve(
      H.map((row, i) => row.map((v, j) => v / 12 + (i === j ? 2 : 0))),
      gq(phiStar(theta)),
    );
    expect(rel(quirk, ref)).toBeGreaterThan(0.05);
    // Too few inner steps leave φ far from φ* and the gradient off: the test sees it.
    imamlGdBatch(
      net,
      Float32Array.from(theta),
      batch,
      { lambda, steps: 2, lr: 1 / L, cgSteps: P, loss: 'mse' },
      grad,
      pre,
      post,
    );
    expect(rel(grad, ref)).toBeGreaterThan(1e-3);
  });
});

describe("meta.imaml({ innerSolver: 'gd' }) on sine", () => {
  const model = { sizes: [1, 8, 8, 1], activation: 'relu' as const };
  const tasks = meta.tasks.sine();
  it('trains deterministically and evaluates with plain SGD, exactly as MAML does', async () => {
    const mk = () => meta.imaml({ model, innerLr: 0.01, innerSteps: 5, lambda: 2, cgSteps: 3, innerSolver: 'gd' });
    const o = { tasks, iterations: 3, metaBatch: 4, shots: 5, queries: 5, seed: 7 };
    const a = await mk().train(o);
    const b = await mk().train(o);
    expect(Array.from(a)).toEqual(Array.from(b));
    const init = meta.truncatedNormalInit(model.sizes, new Uint32Array([1, 2]), 0.01);
    expect(Array.from(a)).not.toEqual(Array.from(init));
    const ev = { tasks, count: 5, shots: 5, queries: 20, steps: 3, seed: 11 };
    const r1 = mk().evaluate(a, ev);
    const r2 = meta.maml({ model, innerLr: 0.01 }).evaluate(a, ev);
    expect(Array.from(r1.losses)).toEqual(Array.from(r2.losses));
  });

  it('reports a diverging plain inner loop instead of training on NaN', async () => {
    const l = meta.imaml({ model, innerLr: 5, innerSteps: 10, lambda: 2, innerSolver: 'gd' });
    const init = Float32Array.from({ length: 8 + 8 + 64 + 8 + 8 + 1 }, (_, i) => Math.sin(i));
    await expect(l.train({ tasks, iterations: 2, metaBatch: 3, seed: 1, init })).rejects.toThrow(/diverged/);
  });

  it('rejects an unknown inner solver', () => {
    expect(() => meta.imaml({ model, innerSolver: 'newton' as 'gd' })).toThrow(/innerSolver/);
  });
});
