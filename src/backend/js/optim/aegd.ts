// Twin of native/core/optim/aegd.cc: txping/AEGD aegd.py.

export function aegd(
  p: Float32Array,
  g: Float32Array,
  energy: Float32Array,
  lr: number,
  gradScale: number,
  weightDecay: number,
): void {
  const n = p.length;
  const twoLr = 2 * lr;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const v = ((g[i] as number) + weightDecay * pi) * gradScale;
    const ri = Math.fround((energy[i] as number) / (1 + twoLr * v * v));
    energy[i] = ri;
    p[i] = pi - twoLr * ri * v;
  }
}
