// Finite-horizon dynamic programming on a tabular MDP (Puterman 1994, §4.5):
//   Q_h(s, a) = R(s, a) + Σ_s' P(s' | s, a) V_{h−1}(s'),  V_h(s) = max_a Q_h(s, a),  V_0 = 0,
// where h counts the steps left. PSRL and BEB solve their sampled / bonus MDPs with it.

/**
 * Fills `q` [(horizon) × S × A] with Q_h for h = 1 … horizon (row h − 1) of the MDP with
 * transitions `p` [S × A × S] (from offset `pOff`) and mean rewards `r` [S × A] (from `rOff`).
 * Returns V_horizon(s0) for `s0` (default 0).
 */
export function finiteHorizonQ(
  p: ArrayLike<number>,
  pOff: number,
  r: ArrayLike<number>,
  rOff: number,
  S: number,
  A: number,
  horizon: number,
  q: Float64Array,
  s0 = 0,
): number {
  const v = new Float64Array(S);
  const next = new Float64Array(S);
  for (let h = 1; h <= horizon; h++) {
    const base = (h - 1) * S * A;
    for (let s = 0; s < S; s++) {
      let best = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < A; a++) {
        let x = r[rOff + s * A + a] as number;
        if (h > 1) {
          const row = pOff + (s * A + a) * S;
          for (let j = 0; j < S; j++) x += (p[row + j] as number) * (v[j] as number);
        }
        q[base + s * A + a] = x;
        if (x > best) best = x;
      }
      next[s] = best;
    }
    v.set(next);
  }
  return v[s0] as number;
}
