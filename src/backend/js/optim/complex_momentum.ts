// Twin of native/core/optim/complex_momentum.cc: μ ← βμ − g (complex β), p ← p + lr·Re(μ).

export function complexMomentum(
  p: Float32Array,
  g: Float32Array,
  muRe: Float32Array,
  muIm: Float32Array,
  lr: number,
  betaRe: number,
  betaIm: number,
): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const r = muRe[i] as number;
    const c = muIm[i] as number;
    const nr = Math.fround(betaRe * r - betaIm * c - (g[i] as number));
    muRe[i] = nr;
    muIm[i] = betaRe * c + betaIm * r;
    p[i] = (p[i] as number) + lr * nr;
  }
}
