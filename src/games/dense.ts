// Small dense float64 linear algebra for the built-in games (their equilibria) and the Jacobian
// diagnostics: Gaussian elimination with partial pivoting, and the game Jacobian by products.
import type { Game } from './types.js';

/** Solves the row-major n×n system A x = b; null when A is singular to working precision. */
export function solveDense(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i] as number));
  if (scale === 0) return null;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i * n + c] as number) > Math.abs(a[piv * n + c] as number)) piv = i;
    if (Math.abs(a[piv * n + c] as number) <= 1e-12 * scale) return null;
    if (piv !== c) {
      for (let k = 0; k < n; k++) {
        const t = a[c * n + k] as number;
        a[c * n + k] = a[piv * n + k] as number;
        a[piv * n + k] = t;
      }
      const t = x[c] as number;
      x[c] = x[piv] as number;
      x[piv] = t;
    }
    for (let i = c + 1; i < n; i++) {
      const f = (a[i * n + c] as number) / (a[c * n + c] as number);
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[i * n + k] = (a[i * n + k] as number) - f * (a[c * n + k] as number);
      x[i] = (x[i] as number) - f * (x[c] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[i * n + k] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}

/**
 * The Jacobian of the simultaneous field ξ = (∇ₓf, −∇ᵧf) at (x, y), row-major (m+n)×(m+n):
 * [[D²ₓₓf, D²ₓᵧf], [−D²ᵧₓf, −D²ᵧᵧf]], built column by column from the game's exact products.
 */
export function gameJacobian(game: Game, x: Float32Array, y: Float32Array): Float64Array {
  const { m, n } = game;
  const d = m + n;
  const J = new Float64Array(d * d);
  const ex = new Float32Array(m);
  const ey = new Float32Array(n);
  const ox = new Float32Array(m);
  const oy = new Float32Array(n);
  for (let j = 0; j < d; j++) {
    if (j < m) {
      ex[j] = 1;
      game.dxx(x, y, ex, ox);
      game.dyx(x, y, ex, oy);
      ex[j] = 0;
    } else {
      ey[j - m] = 1;
      game.dxy(x, y, ey, ox);
      game.dyy(x, y, ey, oy);
      ey[j - m] = 0;
    }
    for (let i = 0; i < m; i++) J[i * d + j] = ox[i] as number;
    for (let i = 0; i < n; i++) J[(m + i) * d + j] = -(oy[i] as number);
  }
  return J;
}
