// Twin of native/core/optim/lookahead.cc: slow ← slow + α(fast − slow); fast ← slow.

export function lookaheadSync(fast: Float32Array, slow: Float32Array, alpha: number): void {
  const n = fast.length;
  for (let i = 0; i < n; i++) {
    const s = slow[i] as number;
    const t = Math.fround(s + alpha * ((fast[i] as number) - s));
    slow[i] = t;
    fast[i] = t;
  }
}
