// Branching toward diverse solutions (Generalized Ridge Rider, Lorraine et al. AAMAS 2022): at a
// point where nearby GDA trajectories separate (a positive leading finite-time Lyapunov rate), step
// ± along each direction the dynamics stretch most and run a solver from each side. An end point
// that is itself unstable (a saddle of the dynamics) is branched again, up to `depth` levels, so
// the search walks the tree of bifurcations; stable end points are the solutions, deduplicated.
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { growthDirections } from './lyapunov.js';
import { checkGame, solve } from './solve.js';
import type { Game, SolveOptions } from './types.js';

/** Where and how `branch` splits the GDA dynamics, and the solver run from each side. */
export interface BranchOptions {
  /** Where to branch first (default zeros); should be an unstable point, e.g. a bifurcation. */
  x0?: Float32Array;
  /** Max player's part of the first branch point (default zeros). */
  y0?: Float32Array;
  /** Step size of the GDA map whose Lyapunov rates decide where and how to branch (> 0). */
  lr: number;
  /** Horizon in GDA steps for the growth directions (default 20). */
  horizon?: number;
  /** Directions branched per node, ± each (default 2). */
  count?: number;
  /** Size of the ± step off a node (default 0.05). */
  radius?: number;
  /** The solver run from each side (default: GDA at `lr` for 500 steps). */
  solver?: Pick<SolveOptions, 'method' | 'lr' | 'steps'> & Partial<SolveOptions>;
  /** Levels of re-branching at unstable end points (default 3). */
  depth?: number;
  /** A per-step rate above this counts as unstable (default 1e-4). */
  tolerance?: number;
  /** End points closer than this (Euclidean, joint) are the same solution (default 1e-2). */
  distinct?: number;
}

/** One solution `branch` found. */
export interface BranchSolution {
  x: Float32Array;
  y: Float32Array;
  /** ‖ξ‖ at the solution. */
  gradNorm: number;
  /** The branch that reached it first: e.g. "+0,-1" is + along direction 0, then − along 1. */
  path: string;
}

/** The distinct stable end points `branch` found, and how much search it took. */
export interface BranchResult {
  /** Stable end points, deduplicated, in the order first reached. */
  solutions: BranchSolution[];
  /** Solver runs made (two per branched direction). */
  runs: number;
  /** Unstable points branched at (the tree's inner nodes). */
  nodes: number;
}

/** Branches from (x0, y0) along its growth directions, recursively at unstable end points. */
export function branch(game: Game, options: BranchOptions): BranchResult {
  checkGame(game, 'games.branch: game');
  checkKnownKeys(
    options,
    ['x0', 'y0', 'lr', 'horizon', 'count', 'radius', 'solver', 'depth', 'tolerance', 'distinct'],
    'games.branch',
  );
  const { m, n } = game;
  checkRange(options.lr, 'games.branch: lr', Number.MIN_VALUE, Number.MAX_VALUE);
  const horizon = options.horizon ?? 20;
  checkInteger(horizon, 'games.branch: horizon', 1);
  const count = options.count ?? Math.min(2, m + n);
  checkInteger(count, `games.branch: count (at most m + n = ${m + n})`, 1, m + n);
  const radius = options.radius ?? 0.05;
  checkRange(radius, 'games.branch: radius', Number.MIN_VALUE, Number.MAX_VALUE);
  const depth = options.depth ?? 3;
  checkInteger(depth, 'games.branch: depth', 0, 64);
  const tol = options.tolerance ?? 1e-4;
  checkRange(tol, 'games.branch: tolerance', 0, Number.MAX_VALUE);
  const distinct = options.distinct ?? 1e-2;
  checkRange(distinct, 'games.branch: distinct', 0, Number.MAX_VALUE);
  const solver = options.solver ?? { method: 'gda', lr: options.lr, steps: 500 };
  if (typeof solver !== 'object' || solver === null) throw new TypeError('games.branch: solver: expected options');
  if (options.x0 !== undefined) checkFloat32(options.x0, `games.branch: x0 (the min player has m = ${m} entries)`, m);
  if (options.y0 !== undefined) checkFloat32(options.y0, `games.branch: y0 (the max player has n = ${n} entries)`, n);

  const solutions: BranchSolution[] = [];
  const visited: Float32Array[] = [];
  let runs = 0;
  const joint = (x: Float32Array, y: Float32Array): Float32Array => {
    const z = new Float32Array(m + n);
    z.set(x, 0);
    z.set(y, m);
    return z;
  };
  const near = (list: Float32Array[], z: Float32Array): boolean =>
    list.some((w) => {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += ((w[i] as number) - (z[i] as number)) ** 2;
      return Math.sqrt(s) < distinct;
    });
  const gx = new Float32Array(m);
  const gy = new Float32Array(n);

  // Branch at (x, y) when it is unstable; returns whether it was.
  const visit = (x: Float32Array, y: Float32Array, path: string, level: number): boolean => {
    const dirs = growthDirections(game, { x0: x, y0: y, lr: options.lr, steps: horizon, count });
    if (!((dirs.rates[0] as number) > tol)) return false;
    const z = joint(x, y);
    if (near(visited, z)) return true;
    visited.push(z);
    for (let k = 0; k < count; k++) {
      if (!((dirs.rates[k] as number) > tol)) break;
      const v = dirs.vectors[k] as Float64Array;
      for (const sign of [1, -1]) {
        const x0 = Float32Array.from(x, (e, i) => e + sign * radius * (v[i] as number));
        const y0 = Float32Array.from(y, (e, j) => e + sign * radius * (v[m + j] as number));
        const r = solve(game, { ...solver, x0, y0, every: Math.max(1, solver.steps) });
        runs++;
        const p = `${path}${path ? ',' : ''}${sign > 0 ? '+' : '-'}${k}`;
        if (!(r.x.every(Number.isFinite) && r.y.every(Number.isFinite))) continue;
        if (level < depth && visit(r.x, r.y, p, level + 1)) continue;
        const e = joint(r.x, r.y);
        if (
          near(
            solutions.map((s) => joint(s.x, s.y)),
            e,
          )
        )
          continue;
        game.grad(r.x, r.y, gx, gy);
        const gradNorm = Math.hypot(...gx, ...gy);
        solutions.push({ x: r.x, y: r.y, gradNorm, path: p });
      }
    }
    return true;
  };
  const x0 = options.x0 ? options.x0.slice() : new Float32Array(m);
  const y0 = options.y0 ? options.y0.slice() : new Float32Array(n);
  visit(x0, y0, '', 0);
  return { solutions, runs, nodes: visited.length };
}
