// Finite-time Lyapunov exponents of a game's learning dynamics (Lorraine et al., "Lyapunov
// Exponents for Diversity in Differentiable Games", AAMAS 2022). The dynamics are simultaneous
// GDA, the map F(z) = z − η ξ(z) with ξ = (∇ₓf, −∇ᵧf); its tangent map is J_F w = w − η J_ξ w with
// J_ξ (u, v) = (D²ₓₓf·u + D²ₓᵧf·v, −D²ᵧₓf·u − D²ᵧᵧf·v), built from the game's exact products, so
// nothing is differenced. Exponents come from Benettin's method: push an orthonormal frame through
// the tangent maps along the trajectory and re-orthonormalize by QR each step; the i-th exponent
// is the mean of log |R_ii|. Because D²ₓᵧf = (D²ᵧₓf)ᵀ, the transposed tangent map is built from the
// same products, which gives the directions at the start that grow most over the horizon (the
// leading right singular vectors of the horizon's tangent map) by subspace iteration.
import * as random from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { checkGame } from './solve.js';
import type { Game } from './types.js';

/** The GDA trajectory over which finite-time Lyapunov exponents are measured. */
export interface LyapunovOptions {
  /** Start of the min player (default zeros); not modified. */
  x0?: Float32Array;
  /** Start of the max player (default zeros); not modified. */
  y0?: Float32Array;
  /** Step size η of the GDA map (> 0). */
  lr: number;
  /** Steps of the trajectory the exponents average over (≥ 1). */
  steps: number;
  /** How many leading exponents (1 ≤ count ≤ m + n; default min(m + n, 4)). */
  count?: number;
}

/** Finite-time Lyapunov exponents of the GDA map, with the frame and the trajectory's end. */
export interface LyapunovResult {
  /** The `count` leading finite-time exponents, largest first, per step of the map (log growth per step). */
  exponents: Float64Array;
  /** The final orthonormal frame (forward Lyapunov vectors at the trajectory's end), each of length m + n. */
  vectors: Float64Array[];
  /** The trajectory's end, min player. */
  x: Float32Array;
  /** The trajectory's end, max player. */
  y: Float32Array;
}

/** Growth directions at the start (`growthDirections`). */
export interface GrowthDirections {
  /** Per-step log growth rates (1/steps)·log σᵢ of the horizon's tangent map, largest first. */
  rates: Float64Array;
  /** The matching unit directions at the start (right singular vectors), each of length m + n. */
  vectors: Float64Array[];
}

// The GDA tangent map at z = (x, y) (or its transpose), on float64 vectors through float32 products.
function tangent(g: Game, lr: number) {
  const { m, n } = g;
  const u = new Float32Array(m);
  const v = new Float32Array(n);
  const a = new Float32Array(m);
  const b = new Float32Array(m);
  const c = new Float32Array(n);
  const d = new Float32Array(n);
  return (x: Float32Array, y: Float32Array, w: Float64Array, out: Float64Array, transpose: boolean): void => {
    for (let i = 0; i < m; i++) u[i] = w[i] as number;
    for (let j = 0; j < n; j++) v[j] = w[m + j] as number;
    // J_ξ = [[Dxx, Dxy], [−Dyx, −Dyy]];  J_ξᵀ = [[Dxx, −Dxy], [Dyx, −Dyy]] since Dxyᵀ = Dyx.
    g.dxx(x, y, u, a);
    g.dxy(x, y, v, b);
    g.dyx(x, y, u, c);
    g.dyy(x, y, v, d);
    const s = transpose ? -1 : 1;
    for (let i = 0; i < m; i++) out[i] = (w[i] as number) - lr * ((a[i] as number) + s * (b[i] as number));
    for (let j = 0; j < n; j++) out[m + j] = (w[m + j] as number) - lr * (-s * (c[j] as number) - (d[j] as number));
  };
}

// Modified Gram-Schmidt in place on the columns Q[0..k); returns |R_ii| (the norms before scaling).
export function orthonormalize(Q: Float64Array[]): Float64Array {
  const r = new Float64Array(Q.length);
  for (let i = 0; i < Q.length; i++) {
    const qi = Q[i] as Float64Array;
    for (let j = 0; j < i; j++) {
      const qj = Q[j] as Float64Array;
      let p = 0;
      for (let t = 0; t < qi.length; t++) p += (qi[t] as number) * (qj[t] as number);
      for (let t = 0; t < qi.length; t++) qi[t] = (qi[t] as number) - p * (qj[t] as number);
    }
    let s = 0;
    for (let t = 0; t < qi.length; t++) s += (qi[t] as number) ** 2;
    const nrm = Math.sqrt(s);
    r[i] = nrm;
    if (nrm > 0) for (let t = 0; t < qi.length; t++) qi[t] = (qi[t] as number) / nrm;
  }
  return r;
}

/**
 * The k start vectors (before orthonormalization) both methods begin from: Gaussian from a fixed
 * key, so deterministic, and in general position (no invariant subspace of the dynamics can hide
 * a direction from the frame, as it could from coordinate vectors).
 */
export function initialFrame(d: number, k: number): Float64Array[] {
  const z = random.normal(random.key(0x9e3779b9), d * k);
  return Array.from({ length: k }, (_, i) => Float64Array.from(z.subarray(i * d, (i + 1) * d)));
}

interface Checked {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

function checkOptions(game: Game, options: LyapunovOptions, name: string, extra: readonly string[] = []): Checked {
  checkGame(game, `${name}: game`);
  checkKnownKeys(options, ['x0', 'y0', 'lr', 'steps', 'count', ...extra], name);
  const { m, n } = game;
  checkRange(options.lr, `${name}: lr`, Number.MIN_VALUE, Number.MAX_VALUE);
  checkInteger(options.steps, `${name}: steps`, 1);
  const count = options.count ?? Math.min(m + n, 4);
  checkInteger(count, `${name}: count (at most m + n = ${m + n})`, 1, m + n);
  if (options.x0 !== undefined) checkFloat32(options.x0, `${name}: x0 (the min player has m = ${m} entries)`, m);
  if (options.y0 !== undefined) checkFloat32(options.y0, `${name}: y0 (the max player has n = ${n} entries)`, n);
  return {
    x: options.x0 ? options.x0.slice() : new Float32Array(m),
    y: options.y0 ? options.y0.slice() : new Float32Array(n),
    count,
  };
}

// One GDA step in place (the map F whose tangents are propagated).
function gdaMap(g: Game, lr: number) {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  return (x: Float32Array, y: Float32Array): void => {
    g.grad(x, y, gx, gy);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - lr * (gx[i] as number);
    for (let j = 0; j < y.length; j++) y[j] = (y[j] as number) + lr * (gy[j] as number);
  };
}

/**
 * The `count` leading finite-time Lyapunov exponents of simultaneous GDA (step η) over `steps`
 * steps from (x0, y0), by QR of the tangent-map products (Benettin et al. 1980). For a linear
 * field ξ(z) = Jz they tend to log |μᵢ| of the eigenvalues μᵢ of I − ηJ; positive means nearby
 * trajectories separate.
 */
export function lyapunov(game: Game, options: LyapunovOptions): LyapunovResult {
  const { x, y, count } = checkOptions(game, options, 'games.lyapunov');
  const d = game.m + game.n;
  const T = tangent(game, options.lr);
  const F = gdaMap(game, options.lr);
  let Q = initialFrame(d, count);
  orthonormalize(Q);
  const sum = new Float64Array(count);
  for (let t = 0; t < options.steps; t++) {
    const next = Q.map(() => new Float64Array(d));
    for (let i = 0; i < count; i++) T(x, y, Q[i] as Float64Array, next[i] as Float64Array, false);
    const r = orthonormalize(next);
    for (let i = 0; i < count; i++) sum[i] = (sum[i] as number) + Math.log(r[i] as number);
    Q = next;
    F(x, y);
  }
  return { exponents: sum.map((s) => s / options.steps), vectors: Q, x, y };
}

/**
 * The directions at (x0, y0) that the GDA tangent map over `steps` steps stretches most: its
 * leading right singular vectors, by `iterations` rounds of subspace iteration on MᵀM (forward
 * through the stored trajectory with J_F, back with J_Fᵀ). Rates are per step, like `lyapunov`'s.
 */
export function growthDirections(game: Game, options: LyapunovOptions & { iterations?: number }): GrowthDirections {
  const { x, y, count } = checkOptions(game, options, 'games.growthDirections', ['iterations']);
  const iterations = options.iterations ?? 8;
  checkInteger(iterations, 'games.growthDirections: iterations', 1, 1000);
  const d = game.m + game.n;
  const T = tangent(game, options.lr);
  const F = gdaMap(game, options.lr);
  const path: [Float32Array, Float32Array][] = [];
  for (let t = 0; t < options.steps; t++) {
    path.push([x.slice(), y.slice()]);
    F(x, y);
  }
  const V = initialFrame(d, count);
  orthonormalize(V);
  let rates = new Float64Array(count);
  const tmp = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    // W = Mᵀ M V, renormalizing per step so long horizons do not overflow; log-norms accumulate.
    const logs = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const w = V[i] as Float64Array;
      let acc = 0;
      for (let t = 0; t < path.length; t++) {
        const [px, py] = path[t] as [Float32Array, Float32Array];
        T(px, py, w, tmp, false);
        acc += normalizeInto(tmp, w);
      }
      logs[i] = acc;
      for (let t = path.length - 1; t >= 0; t--) {
        const [px, py] = path[t] as [Float32Array, Float32Array];
        T(px, py, w, tmp, true);
        normalizeInto(tmp, w);
      }
    }
    orthonormalize(V);
    rates = logs.map((l) => l / options.steps);
  }
  // Order by rate (subspace iteration converges to the sorted order; this only fixes ties' order).
  const order = Array.from(rates.keys()).sort((a, b) => (rates[b] as number) - (rates[a] as number));
  return {
    rates: Float64Array.from(order, (i) => rates[i] as number),
    vectors: order.map((i) => V[i] as Float64Array),
  };
}

// out ← v/‖v‖; returns log ‖v‖.
function normalizeInto(v: Float64Array, out: Float64Array): number {
  let s = 0;
  for (let t = 0; t < v.length; t++) s += (v[t] as number) ** 2;
  const nrm = Math.sqrt(s);
  for (let t = 0; t < v.length; t++) out[t] = nrm > 0 ? (v[t] as number) / nrm : 0;
  return Math.log(nrm);
}
