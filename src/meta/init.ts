// Initializers specific to the meta-learning literature.
import type { Key } from '../random/index.js';
import { normal } from '../random/index.js';
import { checkInteger, checkNumber } from '../util/check.js';

/**
 * Finn et al.'s MAML initialization for an MLP: weights from a normal with standard deviation
 * `std` (default 0.01) truncated at two standard deviations (redrawn beyond, as TensorFlow's
 * truncated_normal), zero biases. Layout as nn.mlp: per layer W [in × out] row-major, then b.
 */
export function truncatedNormalInit(sizes: readonly number[], key: Key, std = 0.01): Float32Array {
  checkNumber(std, 'std');
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    checkInteger(sizes[l], `sizes[${l}]`, 1);
    n += ((sizes[l] as number) + 1) * (sizes[l + 1] as number);
  }
  const out = new Float32Array(n);
  // Draw 4x the weights once; redraws walk through the extra draws (P(|z| > 2) ≈ 4.6%).
  const z = normal(key, 4 * n + 64);
  let next = 0;
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = (sizes[l] as number) * (sizes[l + 1] as number);
    for (let i = 0; i < w; i++) {
      let v = z[next++] as number;
      while (Math.abs(v) > 2 && next < z.length) v = z[next++] as number;
      out[off + i] = std * (Math.abs(v) > 2 ? 0 : v);
    }
    off += w + (sizes[l + 1] as number);
  }
  return out;
}
