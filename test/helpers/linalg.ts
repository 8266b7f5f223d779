// Dense references for tests: small linear systems solved directly in float64, independently of
// the library's own solvers.

/** Solves A x = b (A square, given by rows) by Gaussian elimination with partial pivoting. */
export function solveDense(A: ArrayLike<ArrayLike<number>>, b: ArrayLike<number>): Float64Array {
  const n = b.length;
  const m = Array.from({ length: n }, (_, i) => [...Array.from(A[i]!), b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let acc = m[i]![n]!;
    for (let k = i + 1; k < n; k++) acc -= m[i]![k]! * x[k]!;
    x[i] = acc / m[i]![i]!;
  }
  return x;
}
