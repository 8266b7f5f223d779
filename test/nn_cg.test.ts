// nn.cg against a dense solve: SPD systems (with damping, a warm start, and an early stop at
// the tolerance), n iterations solve an n × n system to rounding, and bad options are refused.
import { describe, expect, it } from 'vitest';
import { nn } from '../src/index.js';
import { solveDense } from './helpers/linalg.js';

function spd(n: number, seed: number): number[][] {
  // A = MᵀM + 0.1·I with a deterministic M.
  const M = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => Math.sin(seed + 1.7 * i + 0.9 * j * j)),
  );
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 0.1 : 0)),
  );
}

const denseSolve = (A: number[][], b: number[]): number[] => [...solveDense(A, b)];

const matvecOf = (A: number[][]) => (v: Float32Array, out: Float32Array) => {
  for (let i = 0; i < A.length; i++) out[i] = A[i]!.reduce((s, aij, j) => s + aij * v[j]!, 0);
};

describe('nn.cg', () => {
  it('solves a damped SPD system like a dense solve', () => {
    const n = 6;
    const A = spd(n, 1);
    const b = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    const damped = A.map((r, i) => r.map((x, j) => x + (i === j ? 0.5 : 0)));
    const want = denseSolve(damped, [...b]);
    const r = nn.cg(matvecOf(A), b, { iters: 50, damping: 0.5, tol: 1e-7 });
    for (let i = 0; i < n; i++) expect(Math.abs(r.x[i]! - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!)));
    // A wrong damping is far off.
    const wrong = denseSolve(A, [...b]);
    expect(Math.max(...wrong.map((w, i) => Math.abs(w - want[i]!)))).toBeGreaterThan(1e-2);
  });

  it('stops at the tolerance, and a warm start at the solution needs no iteration', () => {
    const A = spd(5, 2);
    const b = Float32Array.from([1, -2, 0.5, 3, -1]);
    const full = nn.cg(matvecOf(A), b, { iters: 100, tol: 1e-6 });
    expect(full.iters).toBeLessThanOrEqual(12);
    expect(full.residual).toBeLessThan(1e-5 * Math.hypot(...b));
    const warm = nn.cg(matvecOf(A), b, { iters: 100, tol: 1e-3, x0: full.x });
    expect(warm.iters).toBe(0);
  });

  it('refuses bad options with errors naming them', () => {
    const mv = (_v: Float32Array, out: Float32Array) => out.fill(0);
    const b = new Float32Array(3);
    expect(() => nn.cg(mv, b, { iters: -1 })).toThrow(/iters/);
    expect(() => nn.cg(mv, b, { damping: Number.NaN })).toThrow(/damping/);
    expect(() => nn.cg(mv, b, { x0: new Float32Array(2) })).toThrow(/x0/);
    expect(() => nn.cg(mv, [1, 2] as unknown as Float32Array)).toThrow(TypeError);
  });
});
