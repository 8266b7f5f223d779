// GAE with correct bootstrapping: the twin of native/core/rollout/gae.{h,cc} (same float32
// operations in the same order).
const f = Math.fround;

export function gae(
  T: number,
  N: number,
  rewards: Float32Array,
  values: Float32Array,
  terminated: Uint8Array,
  truncated: Uint8Array,
  finalValues: Float32Array,
  lastValues: Float32Array,
  gamma: number,
  lambda: number,
  advantages: Float32Array | null,
  returns: Float32Array | null,
): void {
  const g = f(gamma);
  const gl = f(g * f(lambda));
  const carry = new Float32Array(N);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * N;
    const nextV = t + 1 < T ? values : lastValues;
    const nOff = t + 1 < T ? o + N : 0;
    for (let i = 0; i < N; i++) {
      const term = terminated[o + i] !== 0;
      const trunc = truncated[o + i] !== 0;
      const boot = term ? 0 : trunc ? (finalValues[o + i] as number) : (nextV[nOff + i] as number);
      const v = values[o + i] as number;
      const delta = f(f((rewards[o + i] as number) + f(g * boot)) - v);
      const a = term || trunc ? delta : f(delta + f(gl * (carry[i] as number)));
      carry[i] = a;
      if (advantages) advantages[o + i] = a;
      if (returns) returns[o + i] = f(a + v);
    }
  }
}
