// Float64 reference of one row's PPO loss on a recurrent cell's hidden state, written from
// Schulman et al. 2017: linear policy and value heads, −min(ρA, clip(ρ, 1±ε)A) − c_ent·H(π) +
// c_v·½(V − R)². The GRU and LSTM recurrent-PPO tests share it; only their cells differ.

/** The row's stored facts. */
export interface PpoRow {
  action: number;
  oldLogp: number;
  adv: number;
  ret: number;
}

/** The loss coefficients. */
export interface PpoCoefficients {
  eps: number;
  entCoef: number;
  vfCoef: number;
}

/**
 * One row's loss. Heads are packed after the cell at `headOffset` as an H × (A + 1) matrix
 * (A logits, then the value) followed by its A + 1 biases; the row's hidden state is
 * `hidden[hOffset .. hOffset + H)`.
 */
export function ppoHeadRowLoss(
  p: Float64Array,
  headOffset: number,
  hidden: Float64Array,
  hOffset: number,
  H: number,
  A: number,
  row: PpoRow,
  k: PpoCoefficients,
): number {
  const W = A + 1;
  const y = new Float64Array(W);
  for (let j = 0; j < W; j++) {
    let v = p[headOffset + H * W + j] as number;
    for (let i = 0; i < H; i++) v += (hidden[hOffset + i] as number) * (p[headOffset + i * W + j] as number);
    y[j] = v;
  }
  let m = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < A; a++) m = Math.max(m, y[a] as number);
  let z = 0;
  for (let a = 0; a < A; a++) z += Math.exp((y[a] as number) - m);
  const lse = m + Math.log(z);
  let ent = 0;
  for (let a = 0; a < A; a++) {
    const lp = (y[a] as number) - lse;
    ent -= Math.exp(lp) * lp;
  }
  const ratio = Math.exp((y[row.action] as number) - lse - row.oldLogp);
  const surr = Math.min(ratio * row.adv, Math.min(Math.max(ratio, 1 - k.eps), 1 + k.eps) * row.adv);
  const e = (y[A] as number) - row.ret;
  return -surr - k.entCoef * ent + k.vfCoef * 0.5 * e * e;
}
