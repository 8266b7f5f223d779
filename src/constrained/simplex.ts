// A small dense two-phase simplex (Bland's rule, float64) for the tabular CMDP's occupancy LP:
// maximize cᵀx s.t. A_eq x = b_eq, A_ub x ≤ b_ub, x ≥ 0. Sizes here are tens of variables.

/** The optimum, or null when infeasible (the CMDP LP is bounded: occupancies sum to 1). */
export function simplexMax(
  c: number[],
  Aeq: number[][],
  beq: number[],
  Aub: number[][],
  bub: number[],
): { x: number[]; value: number } | null {
  const n = c.length;
  const mu = Aub.length;
  const rows = Aeq.length + mu;
  const cols = n + mu + rows; // x, slacks, artificials
  const T: number[][] = [];
  const basis: number[] = [];
  const push = (coef: number[], slack: number, b: number): void => {
    const r = new Array<number>(cols + 1).fill(0);
    const sign = b < 0 ? -1 : 1;
    for (let j = 0; j < n; j++) r[j] = sign * (coef[j] as number);
    if (slack >= 0) r[n + slack] = sign;
    r[n + mu + T.length] = 1;
    r[cols] = sign * b;
    basis.push(n + mu + T.length);
    T.push(r);
  };
  for (let i = 0; i < Aeq.length; i++) push(Aeq[i] as number[], -1, beq[i] as number);
  for (let i = 0; i < mu; i++) push(Aub[i] as number[], i, bub[i] as number);
  const pivot = (r: number, q: number): void => {
    const row = T[r] as number[];
    const p = row[q] as number;
    for (let j = 0; j <= cols; j++) row[j] = (row[j] as number) / p;
    for (let i = 0; i < rows; i++) {
      if (i === r) continue;
      const other = T[i] as number[];
      const f = other[q] as number;
      if (f !== 0) for (let j = 0; j <= cols; j++) other[j] = (other[j] as number) - f * (row[j] as number);
    }
    basis[r] = q;
  };
  // Maximizes objective `obj` (length cols) over columns < limitCol; false if unbounded.
  const run = (obj: number[], limitCol: number): boolean => {
    for (let it = 0; it < 10000; it++) {
      // reduced cost of column j: obj_j − Σ_i obj_{basis_i} T_ij; enter the first positive (Bland)
      let q = -1;
      for (let j = 0; j < limitCol && q < 0; j++) {
        if (basis.includes(j)) continue;
        let rc = obj[j] as number;
        for (let i = 0; i < rows; i++) rc -= (obj[basis[i] as number] as number) * ((T[i] as number[])[j] as number);
        if (rc > 1e-11) q = j;
      }
      if (q < 0) return true;
      let r = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < rows; i++) {
        const a = (T[i] as number[])[q] as number;
        if (a > 1e-12) {
          const ratio = ((T[i] as number[])[cols] as number) / a;
          if (
            ratio < best - 1e-15 ||
            (Math.abs(ratio - best) <= 1e-15 && (basis[i] as number) < (basis[r] as number))
          ) {
            best = ratio;
            r = i;
          }
        }
      }
      if (r < 0) return false;
      pivot(r, q);
    }
    return true;
  };
  const phase1 = new Array<number>(cols).fill(0);
  for (let j = n + mu; j < cols; j++) phase1[j] = -1;
  run(phase1, cols);
  let infeas = 0;
  for (let i = 0; i < rows; i++) if ((basis[i] as number) >= n + mu) infeas += (T[i] as number[])[cols] as number;
  if (infeas > 1e-9) return null;
  // Drive zero-level artificials out of the basis where a real column can replace them.
  for (let i = 0; i < rows; i++) {
    if ((basis[i] as number) < n + mu) continue;
    const row = T[i] as number[];
    for (let j = 0; j < n + mu; j++)
      if (Math.abs(row[j] as number) > 1e-9 && !basis.includes(j)) {
        pivot(i, j);
        break;
      }
  }
  const phase2 = new Array<number>(cols).fill(0);
  for (let j = 0; j < n; j++) phase2[j] = c[j] as number;
  for (let j = n + mu; j < cols; j++) phase2[j] = 0;
  run(phase2, n + mu);
  const x = new Array<number>(n).fill(0);
  for (let i = 0; i < rows; i++)
    if ((basis[i] as number) < n) x[basis[i] as number] = (T[i] as number[])[cols] as number;
  return { x, value: x.reduce((s, xi, j) => s + xi * (c[j] as number), 0) };
}
