// A plain float64 MLP forward, independent of the kernels: the reference that gradient checks
// difference. Slow by design (no blocking, no scratch reuse).
import type { ActivationName } from './types.js';

const GELU_C = Math.sqrt(2 / Math.PI);

function apply(f: ActivationName, z: number): number {
  switch (f) {
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return Math.max(z, 0);
    case 'leaky-relu':
      return z > 0 ? z : 0.01 * z;
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(GELU_C * (z + 0.044715 * z ** 3)));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'softplus':
      return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
    default:
      return z;
  }
}

export function mlpForward64(
  sizes: readonly number[],
  hidden: ActivationName,
  output: ActivationName,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
  batch: number,
): Float64Array {
  const L = sizes.length - 1;
  let cur = Float64Array.from(x as ArrayLike<number>);
  let off = 0;
  for (let l = 0; l < L; l++) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const f = l === L - 1 ? output : hidden;
    const next = new Float64Array(batch * outW);
    for (let b = 0; b < batch; b++)
      for (let j = 0; j < outW; j++) {
        let z = params[off + inW * outW + j] as number;
        for (let p = 0; p < inW; p++) z += (cur[b * inW + p] as number) * (params[off + p * outW + j] as number);
        next[b * outW + j] = apply(f, z);
      }
    off += inW * outW + outW;
    cur = next;
  }
  return cur;
}
