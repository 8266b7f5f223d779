// Quadratic games f(x, y) = ½xᵀAₓₓx + xᵀAₓᵧy + ½yᵀAᵧᵧy + bₓᵀx + bᵧᵀy, and the bilinear game
// xᵀAy (+ linear terms) as the case Aₓₓ = Aᵧᵧ = 0. Gradients and second-order products are exact
// (hand-written); the stationary point, the known equilibrium, is solved for in float64.
import { checkFloat32, checkInteger, checkKnownKeys } from '../util/check.js';
import { solveDense } from './dense.js';
import type { Equilibrium, Game } from './types.js';

/** The blocks of a quadratic game (float32, row-major); sizes are checked against m and n. */
export interface QuadraticOptions {
  /** Size of the min player x (≥ 1). */
  m: number;
  /** Size of the max player y (≥ 1). */
  n: number;
  /** Aₓₓ, symmetric m × m row-major (default 0). */
  Axx?: Float32Array;
  /** Aₓᵧ, m × n row-major (the coupling). */
  Axy: Float32Array;
  /** Aᵧᵧ, symmetric n × n row-major (default 0). */
  Ayy?: Float32Array;
  /** Linear term of x (default 0). */
  bx?: Float32Array;
  /** Linear term of y (default 0). */
  by?: Float32Array;
}

/** Sizes and linear terms of the bilinear game xᵀAy (A is passed separately). */
export interface BilinearOptions {
  /** Size of the min player x (≥ 1); A has m rows. */
  m: number;
  /** Size of the max player y (≥ 1); A has n columns. */
  n: number;
  /** Linear term of x (default 0). */
  bx?: Float32Array;
  /** Linear term of y (default 0). */
  by?: Float32Array;
}

// out = M v for M rows × cols row-major; with `transpose`, out = Mᵀ v.
function matVec(
  M: Float32Array,
  rows: number,
  cols: number,
  v: Float32Array,
  out: Float32Array,
  transpose: boolean,
): void {
  if (!transpose) {
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (M[i * cols + j] as number) * (v[j] as number);
      out[i] = s;
    }
  } else {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += (M[i * cols + j] as number) * (v[i] as number);
      out[j] = s;
    }
  }
}

function checkSymmetric(M: Float32Array, k: number, name: string): void {
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++)
      if (M[i * k + j] !== M[j * k + i]) throw new RangeError(`${name}: expected a symmetric matrix (entry ${i},${j})`);
}

/** The quadratic game; its equilibrium is the stationary point when the full Hessian is nonsingular. */
export function quadratic(options: QuadraticOptions): Game {
  checkKnownKeys(options, ['m', 'n', 'Axx', 'Axy', 'Ayy', 'bx', 'by'], 'games.quadratic');
  return build('quadratic', options);
}

/** min_x max_y xᵀAy (+ bₓᵀx + bᵧᵀy), A row-major m × n. */
export function bilinear(A: Float32Array, options: BilinearOptions): Game {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('games.bilinear: options: expected { m, n }');
  checkKnownKeys(options, ['m', 'n', 'bx', 'by'], 'games.bilinear');
  return build('bilinear', { ...options, Axy: A });
}

function build(name: string, o: QuadraticOptions): Game {
  const { m, n } = o;
  const p = `games.${name}`;
  checkInteger(m, `${p}: m`, 1);
  checkInteger(n, `${p}: n`, 1);
  const A = name === 'bilinear' ? 'A' : 'Axy';
  checkFloat32(o.Axy, `${p}: ${A} (m × n = ${m} × ${n})`, m * n);
  const Axy = o.Axy.slice();
  const Axx = o.Axx === undefined ? null : o.Axx.slice();
  const Ayy = o.Ayy === undefined ? null : o.Ayy.slice();
  if (Axx) {
    checkFloat32(o.Axx, `${p}: Axx (m × m = ${m} × ${m})`, m * m);
    checkSymmetric(Axx, m, `${p}: Axx`);
  }
  if (Ayy) {
    checkFloat32(o.Ayy, `${p}: Ayy (n × n = ${n} × ${n})`, n * n);
    checkSymmetric(Ayy, n, `${p}: Ayy`);
  }
  if (o.bx !== undefined) checkFloat32(o.bx, `${p}: bx`, m);
  if (o.by !== undefined) checkFloat32(o.by, `${p}: by`, n);
  const bx = o.bx === undefined ? null : o.bx.slice();
  const by = o.by === undefined ? null : o.by.slice();
  const tx = new Float32Array(m);
  const ty = new Float32Array(n);
  const sizes = (x: Float32Array, y: Float32Array, what: string): void => {
    checkFloat32(x, `${p}.${what}: x`, m);
    checkFloat32(y, `${p}.${what}: y`, n);
  };
  const game: Game = {
    name,
    m,
    n,
    value(x, y) {
      sizes(x, y, 'value');
      matVec(Axy, m, n, y, tx, false);
      let f = 0;
      for (let i = 0; i < m; i++) f += (x[i] as number) * (tx[i] as number);
      if (Axx) {
        matVec(Axx, m, m, x, tx, false);
        for (let i = 0; i < m; i++) f += 0.5 * (x[i] as number) * (tx[i] as number);
      }
      if (Ayy) {
        matVec(Ayy, n, n, y, ty, false);
        for (let j = 0; j < n; j++) f += 0.5 * (y[j] as number) * (ty[j] as number);
      }
      if (bx) for (let i = 0; i < m; i++) f += (bx[i] as number) * (x[i] as number);
      if (by) for (let j = 0; j < n; j++) f += (by[j] as number) * (y[j] as number);
      return f;
    },
    grad(x, y, gx, gy) {
      sizes(x, y, 'grad');
      checkFloat32(gx, `${p}.grad: gx`, m);
      checkFloat32(gy, `${p}.grad: gy`, n);
      matVec(Axy, m, n, y, gx, false);
      matVec(Axy, m, n, x, gy, true);
      if (Axx) {
        matVec(Axx, m, m, x, tx, false);
        for (let i = 0; i < m; i++) gx[i] = (gx[i] as number) + (tx[i] as number);
      }
      if (Ayy) {
        matVec(Ayy, n, n, y, ty, false);
        for (let j = 0; j < n; j++) gy[j] = (gy[j] as number) + (ty[j] as number);
      }
      if (bx) for (let i = 0; i < m; i++) gx[i] = (gx[i] as number) + (bx[i] as number);
      if (by) for (let j = 0; j < n; j++) gy[j] = (gy[j] as number) + (by[j] as number);
    },
    dxx(x, y, u, out) {
      sizes(x, y, 'dxx');
      checkFloat32(u, `${p}.dxx: u`, m);
      checkFloat32(out, `${p}.dxx: out`, m);
      if (Axx) matVec(Axx, m, m, u, out, false);
      else out.fill(0);
    },
    dxy(x, y, v, out) {
      sizes(x, y, 'dxy');
      checkFloat32(v, `${p}.dxy: v`, n);
      checkFloat32(out, `${p}.dxy: out`, m);
      matVec(Axy, m, n, v, out, false);
    },
    dyx(x, y, u, out) {
      sizes(x, y, 'dyx');
      checkFloat32(u, `${p}.dyx: u`, m);
      checkFloat32(out, `${p}.dyx: out`, n);
      matVec(Axy, m, n, u, out, true);
    },
    dyy(x, y, v, out) {
      sizes(x, y, 'dyy');
      checkFloat32(v, `${p}.dyy: v`, n);
      checkFloat32(out, `${p}.dyy: out`, n);
      if (Ayy) matVec(Ayy, n, n, v, out, false);
      else out.fill(0);
    },
  };
  const eq = stationaryPoint(m, n, Axx, Axy, Ayy, bx, by);
  return eq ? { ...game, equilibrium: eq } : game;
}

// Solves [[Aₓₓ, Aₓᵧ], [Aₓᵧᵀ, Aᵧᵧ]] (x, y) = −(bₓ, bᵧ). With no linear terms the origin is
// stationary even when the Hessian is singular (a bilinear game with a rank-deficient A).
function stationaryPoint(
  m: number,
  n: number,
  Axx: Float32Array | null,
  Axy: Float32Array,
  Ayy: Float32Array | null,
  bx: Float32Array | null,
  by: Float32Array | null,
): Equilibrium | undefined {
  const d = m + n;
  const rhs = new Float64Array(d);
  for (let i = 0; i < m; i++) rhs[i] = -(bx?.[i] ?? 0);
  for (let j = 0; j < n; j++) rhs[m + j] = -(by?.[j] ?? 0);
  const H = new Float64Array(d * d);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) H[i * d + k] = Axx ? (Axx[i * m + k] as number) : 0;
    for (let j = 0; j < n; j++) {
      H[i * d + m + j] = Axy[i * n + j] as number;
      H[(m + j) * d + i] = Axy[i * n + j] as number;
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) H[(m + j) * d + m + k] = Ayy ? (Ayy[j * n + k] as number) : 0;
  const z = solveDense(H, rhs, d) ?? (rhs.every((r) => r === 0) ? new Float64Array(d) : null);
  if (!z) return undefined;
  return { x: Float32Array.from(z.subarray(0, m)), y: Float32Array.from(z.subarray(m)) };
}
