// Checks of a Jacobian argument and the float64 pieces every aggregator shares: the Gramian
// G = J Jᵀ and the combination Jᵀw.

/** The number of columns of J (m × n, row-major); throws naming the argument that is wrong. */
export function checkJacobian(fn: string, J: unknown, m: unknown): number {
  if (!(J instanceof Float32Array)) throw new TypeError(`${fn}: J: expected a Float32Array (m × n, row-major)`);
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1)
    throw new RangeError(`${fn}: m: expected a positive integer number of rows, got ${String(m)}`);
  if (J.length === 0 || J.length % m !== 0)
    throw new RangeError(`${fn}: J: length ${J.length} is not a positive multiple of m = ${m}`);
  for (let i = 0; i < J.length; i++)
    if (!Number.isFinite(J[i])) throw new RangeError(`${fn}: J: entry ${i} is not finite (${J[i]})`);
  return J.length / m;
}

/** G = J Jᵀ in float64 (m × m, row-major). */
export function gramian(J: Float32Array, m: number, n: number): Float64Array {
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += J[i * n + c]! * J[j * n + c]!;
      g[i * m + j] = s;
      g[j * m + i] = s;
    }
  }
  return g;
}

/** Jᵀw accumulated in float64, returned in float32. */
export function combine(J: Float32Array, m: number, n: number, w: Float64Array): Float32Array {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    for (let c = 0; c < n; c++) acc[c] = acc[c]! + wi * J[i * n + c]!;
  }
  return Float32Array.from(acc);
}

/** The trace of a square m × m matrix. */
export function trace(g: Float64Array, m: number): number {
  let t = 0;
  for (let i = 0; i < m; i++) t += g[i * m + i]!;
  return t;
}
