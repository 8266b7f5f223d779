// A game with many equilibria: a double well for each coordinate and a quartic coupling,
//   f(x, y) = Σᵢ (xᵢ⁴/4 − rᵢ xᵢ²/2) − Σⱼ (yⱼ⁴/4 − r_{m+j} yⱼ²/2) + (c/2)‖x‖²‖y‖²,
// so for a small coupling c every sign pattern xᵢ ≈ ±√rᵢ, yⱼ ≈ ±√r_{m+j} is a local minimax point
// (2^(m+n) of them) and the origin is the unstable point they bifurcate from. The coupling's
// gradient vanishes wherever a coordinate is 0, so the points with some coordinates at 0 stay
// fixed points (saddles of the dynamics), while the field ξ = (∇ₓf, −∇ᵧf) is not a gradient
// (its Jacobian's off-diagonal blocks 2c x yᵀ and −2c y xᵀ are not transposes). With c = 0 each
// coordinate's GDA map is the pitchfork x ← x + η(r x − x³). Products are hand-written.
import { checkFloat32, checkInteger, checkKnownKeys, checkNumber, checkRange } from '../util/check.js';
import type { Game } from './types.js';

/** Sizes, well depths and coupling of the double-well game. */
export interface DoubleWellOptions {
  /** Size of the min player x (≥ 1). */
  m: number;
  /** Size of the max player y (≥ 1). */
  n: number;
  /** Well parameters rᵢ > 0 (wells at ±√rᵢ): one number for all, or m + n of them, x's first (default 1). */
  r?: number | Float32Array;
  /** Coupling c (default 0). */
  coupling?: number;
}

/** The coupled double-well game (see the file header). */
export function doubleWell(options: DoubleWellOptions): Game {
  checkKnownKeys(options, ['m', 'n', 'r', 'coupling'], 'games.doubleWell');
  const { m, n } = options;
  checkInteger(m, 'games.doubleWell: m', 1, 1 << 20);
  checkInteger(n, 'games.doubleWell: n', 1, 1 << 20);
  const rIn = options.r ?? 1;
  let r: Float64Array;
  if (typeof rIn === 'number') {
    checkRange(rIn, 'games.doubleWell: r', Number.MIN_VALUE, Number.MAX_VALUE);
    r = new Float64Array(m + n).fill(rIn);
  } else {
    checkFloat32(rIn, `games.doubleWell: r (a number or m + n = ${m + n} entries)`, m + n);
    for (let i = 0; i < m + n; i++) checkRange(rIn[i], `games.doubleWell: r[${i}]`, Number.MIN_VALUE, Number.MAX_VALUE);
    r = Float64Array.from(rIn);
  }
  const c = options.coupling ?? 0;
  checkNumber(c, 'games.doubleWell: coupling');
  const chk = (x: Float32Array, y: Float32Array, what: string): void => {
    checkFloat32(x, `games.doubleWell.${what}: x`, m);
    checkFloat32(y, `games.doubleWell.${what}: y`, n);
  };
  const sq = (v: Float32Array): number => v.reduce((a, b) => a + b * b, 0);
  const dotf = (a: Float32Array, b: Float32Array): number => a.reduce((s, e, i) => s + e * (b[i] as number), 0);
  return {
    name: 'doubleWell',
    m,
    n,
    value(x, y) {
      chk(x, y, 'value');
      let s = (c / 2) * sq(x) * sq(y);
      for (let i = 0; i < m; i++) s += (x[i] as number) ** 4 / 4 - ((r[i] as number) * (x[i] as number) ** 2) / 2;
      for (let j = 0; j < n; j++) s -= (y[j] as number) ** 4 / 4 - ((r[m + j] as number) * (y[j] as number) ** 2) / 2;
      return s;
    },
    grad(x, y, gx, gy) {
      chk(x, y, 'grad');
      const xx = sq(x);
      const yy = sq(y);
      for (let i = 0; i < m; i++) {
        const a = x[i] as number;
        gx[i] = a ** 3 - (r[i] as number) * a + c * a * yy;
      }
      for (let j = 0; j < n; j++) {
        const b = y[j] as number;
        gy[j] = -(b ** 3) + (r[m + j] as number) * b + c * b * xx;
      }
    },
    dxx(x, y, u, out) {
      chk(x, y, 'dxx');
      const yy = sq(y);
      for (let i = 0; i < m; i++) out[i] = (3 * (x[i] as number) ** 2 - (r[i] as number) + c * yy) * (u[i] as number);
    },
    dxy(x, y, v, out) {
      chk(x, y, 'dxy');
      const p = 2 * c * dotf(y, v);
      for (let i = 0; i < m; i++) out[i] = p * (x[i] as number);
    },
    dyx(x, y, u, out) {
      chk(x, y, 'dyx');
      const p = 2 * c * dotf(x, u);
      for (let j = 0; j < n; j++) out[j] = p * (y[j] as number);
    },
    dyy(x, y, v, out) {
      chk(x, y, 'dyy');
      const xx = sq(x);
      for (let j = 0; j < n; j++)
        out[j] = (-(3 * (y[j] as number) ** 2) + (r[m + j] as number) + c * xx) * (v[j] as number);
    },
  };
}
