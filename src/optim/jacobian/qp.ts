// A small dense quadratic program with non-negativity constraints, solved exactly in float64:
//   minimize ½ zᵀAz + bᵀz  subject to  z ≥ 0,   A symmetric positive definite (k × k, k small).
// Lawson–Hanson's active-set method carried over from least squares to a quadratic: it ends after
// finitely many steps at the point meeting the KKT conditions exactly (up to the solves' rounding),
// which is what UPGrad's and MGDA's weights must be — no iteration count or tolerance to tune.

/** Solves A_FF x = r over the index set `free` by Cholesky; false when A_FF is not positive definite. */
function solveOn(a: Float64Array, k: number, free: number[], r: Float64Array, out: Float64Array): boolean {
  const f = free.length;
  const l = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[free[i]! * k + free[j]!]!;
      for (let p = 0; p < j; p++) s -= l[i * f + p]! * l[j * f + p]!;
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * f + i] = Math.sqrt(s);
      } else l[i * f + j] = s / l[j * f + j]!;
    }
  }
  const y = new Float64Array(f);
  for (let i = 0; i < f; i++) {
    let s = r[free[i]!]!;
    for (let p = 0; p < i; p++) s -= l[i * f + p]! * y[p]!;
    y[i] = s / l[i * f + i]!;
  }
  out.fill(0);
  for (let i = f - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let p = i + 1; p < f; p++) s -= l[p * f + i]! * out[free[p]!]!;
    out[free[i]!] = s / l[i * f + i]!;
  }
  return true;
}

/**
 * The minimizer of ½ zᵀAz + bᵀz over z ≥ 0 (A: k × k row-major, symmetric positive definite).
 * Throws when A is not positive definite on a face the method visits.
 */
export function nonNegativeQp(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const z = new Float64Array(k);
  const s = new Float64Array(k);
  const rhs = new Float64Array(k);
  for (let i = 0; i < k; i++) rhs[i] = -b[i]!;
  const isFree = new Uint8Array(k);
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(a[i * k + i]!), Math.abs(b[i]!));
  const tol = 1e-13 * Math.max(scale, Number.MIN_VALUE);
  // Each outer pass frees one constraint; inner passes drop constraints back: finite (as in NNLS).
  for (let outer = 0; outer < 10 * k + 10; outer++) {
    // The negative gradient −(Az + b): a positive entry on a bound variable is a descent direction.
    let best = -1;
    let bestW = tol;
    for (let i = 0; i < k; i++) {
      if (isFree[i]) continue;
      let w = -b[i]!;
      for (let j = 0; j < k; j++) w -= a[i * k + j]! * z[j]!;
      if (w > bestW) {
        bestW = w;
        best = i;
      }
    }
    if (best < 0) return z;
    isFree[best] = 1;
    for (let inner = 0; inner <= k; inner++) {
      const free: number[] = [];
      for (let i = 0; i < k; i++) if (isFree[i]) free.push(i);
      if (!solveOn(a, k, free, rhs, s)) throw new RangeError('nonNegativeQp: matrix is not positive definite');
      let alpha = 1;
      for (const i of free) if (s[i]! <= 0) alpha = Math.min(alpha, z[i]! / (z[i]! - s[i]!));
      for (let i = 0; i < k; i++) z[i] = z[i]! + alpha * (s[i]! - z[i]!);
      if (alpha === 1) break;
      // A free variable reached its bound: fix it there and re-solve on the smaller face.
      for (const i of free) {
        if (z[i]! <= 1e-15 * (1 + Math.abs(s[i]!))) {
          z[i] = 0;
          isFree[i] = 0;
        }
      }
    }
  }
  return z;
}
