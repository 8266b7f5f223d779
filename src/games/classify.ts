// Second-order tests of a stationary point of min_x max_y f from the game's exact products:
// local Nash (D²ₓₓf ≻ 0, D²ᵧᵧf ≺ 0) and the sufficient condition for a strict local minimax point
// (Jin, Netrapalli & Jordan 2020): D²ᵧᵧf ≺ 0 and D²ₓₓf − D²ₓᵧf (D²ᵧᵧf)⁻¹ D²ᵧₓf ≻ 0.
import { checkFloat32 } from '../util/check.js';
import { symmetricEigen } from '../util/eigen.js';
import { gameJacobian, solveDense } from './dense.js';
import { checkGame, MAX_EIGEN_SIZE } from './solve.js';
import type { Game } from './types.js';

/** Second-order diagnostics of a point of min_x max_y f (meaningful at a stationary point). */
export interface Classification {
  /** ‖(∇ₓf, ∇ᵧf)‖ at the point (≈ 0 at a stationary point). */
  gradNorm: number;
  /** Smallest eigenvalue of D²ₓₓf. */
  minEigXX: number;
  /** Largest eigenvalue of D²ᵧᵧf. */
  maxEigYY: number;
  /** Smallest eigenvalue of the Schur complement D²ₓₓf − D²ₓᵧf(D²ᵧᵧf)⁻¹D²ᵧₓf (NaN when D²ᵧᵧf is singular). */
  minEigSchur: number;
  /** Strict local Nash: D²ₓₓf ≻ 0 and D²ᵧᵧf ≺ 0. */
  localNash: boolean;
  /** Sufficient condition for a strict local minimax: D²ᵧᵧf ≺ 0 and the Schur complement ≻ 0. */
  localMinimax: boolean;
}

/** Classifies (x, y) by the second-order conditions (small games: m + n ≤ 64). */
export function classify(game: Game, x: Float32Array, y: Float32Array): Classification {
  checkGame(game, 'games.classify: game');
  const { m, n } = game;
  checkFloat32(x, 'games.classify: x', m);
  checkFloat32(y, 'games.classify: y', n);
  if (m + n > MAX_EIGEN_SIZE) throw new RangeError(`games.classify: needs m + n ≤ ${MAX_EIGEN_SIZE}, got ${m + n}`);
  const d = m + n;
  const J = gameJacobian(game, x, y); // [[Hxx, Hxy], [−Hyx, −Hyy]]
  const Hxx = new Float64Array(m * m);
  const Hyy = new Float64Array(n * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) Hxx[i * m + k] = J[i * d + k] as number;
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) Hyy[j * n + k] = -(J[(m + j) * d + m + k] as number);
  const minEigXX = extremeEig(Hxx, m, 'min');
  const maxEigYY = extremeEig(Hyy, n, 'max');
  // Schur complement: S = Hxx − Hxy Hyy⁻¹ Hyx, column by column of Hyx (= −J's lower-left block).
  const S = Hxx.slice();
  let minEigSchur = Number.NaN;
  let singular = false;
  for (let k = 0; k < m && !singular; k++) {
    const col = new Float64Array(n);
    for (let j = 0; j < n; j++) col[j] = -(J[(m + j) * d + k] as number);
    const w = solveDense(Hyy, col, n);
    if (!w) singular = true;
    else
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (J[i * d + m + j] as number) * (w[j] as number);
        S[i * m + k] = (S[i * m + k] as number) - s;
      }
  }
  if (!singular) {
    // symmetrize against rounding (S is symmetric in exact arithmetic)
    for (let i = 0; i < m; i++)
      for (let k = i + 1; k < m; k++) {
        const a = ((S[i * m + k] as number) + (S[k * m + i] as number)) / 2;
        S[i * m + k] = a;
        S[k * m + i] = a;
      }
    minEigSchur = extremeEig(S, m, 'min');
  }
  const gx = new Float32Array(m);
  const gy = new Float32Array(n);
  game.grad(x, y, gx, gy);
  let g2 = 0;
  for (const v of gx) g2 += v * v;
  for (const v of gy) g2 += v * v;
  return {
    gradNorm: Math.sqrt(g2),
    minEigXX,
    maxEigYY,
    minEigSchur,
    localNash: minEigXX > 0 && maxEigYY < 0,
    localMinimax: maxEigYY < 0 && minEigSchur > 0,
  };
}

function extremeEig(a: Float64Array, k: number, which: 'min' | 'max'): number {
  const values = new Float64Array(k);
  symmetricEigen(a, k, values, new Float64Array(k * k));
  return which === 'min' ? Math.min(...values) : Math.max(...values);
}
