// Tabular CMDP: the occupancy LP (Altman 1999) against enumeration — with one constraint the
// optimum is a deterministic policy or a mixture of two (occupancies are convex combinations, and
// values are linear in them) — and Lagrangian policy optimization against it: GDA's last iterate
// keeps oscillating, ReLOAD's optimistic updates converge (Moskovitz et al. 2023, §5.2 of the notes).
import { describe, expect, it } from 'vitest';
import type { TabularCmdp } from '../src/constrained/index.js';
import { constrained } from '../src/index.js';

function deterministic(c: TabularCmdp): { vr: number; vc: number }[] {
  const { states: S, actions: A } = c;
  const out: { vr: number; vc: number }[] = [];
  for (let code = 0; code < A ** S; code++) {
    const pi = new Float64Array(S * A);
    for (let s = 0, k = code; s < S; s++, k = Math.floor(k / A)) pi[s * A + (k % A)] = 1;
    const v = constrained.evaluatePolicy(c, pi);
    out.push({ vr: v.vr, vc: v.vc });
  }
  return out;
}

// Best value over feasible deterministic policies and over tight mixtures of an infeasible and a feasible one.
function enumerate(c: TabularCmdp): number {
  const det = deterministic(c);
  let best = Number.NEGATIVE_INFINITY;
  for (const d of det) if (d.vc <= c.limit) best = Math.max(best, d.vr);
  for (const hi of det)
    for (const lo of det)
      if (hi.vc > c.limit && lo.vc <= c.limit) {
        const a = (c.limit - lo.vc) / (hi.vc - lo.vc);
        best = Math.max(best, a * hi.vr + (1 - a) * lo.vr);
      }
  return best;
}

describe('tabular CMDP', () => {
  it('the LP optimum equals enumeration, satisfies the flow constraints, and its policy reproduces it', () => {
    for (const [seed, S, A] of [
      [1, 2, 2],
      [2, 3, 2],
      [3, 3, 3],
    ] as const) {
      const c = constrained.randomCmdp(seed, S, A);
      const lp = constrained.solveCmdpLp(c)!;
      expect(lp.value).toBeCloseTo(enumerate(c), 9);
      const v = constrained.evaluatePolicy(c, lp.policy);
      expect(v.vr).toBeCloseTo(lp.value, 9);
      expect(v.vc).toBeLessThanOrEqual(c.limit + 1e-9);
      for (let i = 0; i < S * A; i++) expect(v.occupancy[i]).toBeCloseTo(lp.occupancy[i]!, 9);
    }
  });

  it('an infeasible limit gives null', () => {
    const c = constrained.randomCmdp(1, 2, 2);
    expect(constrained.solveCmdpLp({ ...c, limit: -1 })).toBeNull();
  });

  it("GDA's last iterate oscillates around the LP optimum; ReLOAD's converges to it", () => {
    const c = constrained.randomCmdp(2, 3, 2);
    const lp = constrained.solveCmdpLp(c)!;
    const dist = (d: Float64Array) => d.reduce((s, di, i) => s + Math.abs(di - lp.occupancy[i]!), 0);
    const opts = { policyLr: 2, dualLr: 2, iterations: 3000 };
    const gda = constrained.lagrangianPolicy(c, { method: 'gda', ...opts });
    const rel = constrained.lagrangianPolicy(c, { method: 'reload', ...opts });
    const tail = (h: typeof gda.history) => h.slice(-500);
    const maxDist = (h: typeof gda.history) => Math.max(...tail(h).map((e) => dist(e.occupancy)));
    expect(maxDist(rel.history)).toBeLessThan(1e-3);
    expect(maxDist(gda.history)).toBeGreaterThan(1e-2);
  });

  it('refuses bad input, naming the argument', () => {
    const c = constrained.randomCmdp(1, 2, 2);
    expect(() => constrained.solveCmdpLp({ ...c, reward: new Float64Array(3) })).toThrow(/reward: expected length 4/);
    const bad = c.transitions.slice();
    bad[0]! += 0.5;
    expect(() => constrained.solveCmdpLp({ ...c, transitions: bad })).toThrow(/transitions: row \(0, 0\)/);
    expect(() =>
      constrained.lagrangianPolicy(c, { method: 'sgd' as never, policyLr: 1, dualLr: 1, iterations: 1 }),
    ).toThrow(/method/);
  });
});
