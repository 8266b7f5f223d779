// Twin of native/core/optim/bandwidth.cc: STREAM-style copy and triad loops.

export function streamCopy(dst: Float32Array, src: Float32Array): void {
  dst.set(src);
}

export function streamTriad(a: Float32Array, b: Float32Array, c: Float32Array, s: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) a[i] = (b[i] as number) + s * (c[i] as number);
}
