// Weight initializers, deterministic from the library's Philox streams: one key per layer
// (split from the seed's key), weights drawn from it in row-major order.

import type { Key } from '../random/index.js';
import * as random from '../random/index.js';
import { checkKnownKeys, checkNumber } from '../util/check.js';
import type { InitName, InitOptions } from './types.js';

const SCHEMES: readonly InitName[] = ['orthogonal', 'xavier', 'he', 'torch', 'normal'];

/** Normalizes and checks an `init` option. */
export function resolveInit(init: InitName | InitOptions | undefined): Required<InitOptions> {
  const o: InitOptions =
    init === undefined ? { scheme: 'orthogonal' } : typeof init === 'string' ? { scheme: init } : init;
  if (typeof o !== 'object' || o === null) throw new TypeError('init: expected a scheme name or options');
  checkKnownKeys(o, ['scheme', 'gain', 'outputGain', 'std', 'bias'], 'init');
  if (!SCHEMES.includes(o.scheme))
    throw new RangeError(`init.scheme: expected one of ${SCHEMES.join(', ')}, got ${String(o.scheme)}`);
  const gain = o.gain ?? (o.scheme === 'orthogonal' ? Math.SQRT2 : 1);
  const outputGain = o.outputGain ?? (o.scheme === 'orthogonal' ? 1 : gain);
  const std = o.std ?? 0.01;
  const bias = o.bias ?? 0;
  checkNumber(gain, 'init.gain');
  checkNumber(outputGain, 'init.outputGain');
  checkNumber(std, 'init.std');
  checkNumber(bias, 'init.bias');
  return { scheme: o.scheme, gain, outputGain, std, bias };
}

/**
 * A [rows × cols] matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), from a
 * Gaussian matrix by Gram-Schmidt in float64 (the QR of torch's orthogonal_, signs fixed so R
 * has a positive diagonal).
 */
function orthogonal(key: Key, rows: number, cols: number): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols; // vector length
  const k = tall ? cols : rows; // number of vectors
  const g = random.normal(key, m * k);
  const q = new Float64Array(m * k); // k vectors of length m, contiguous
  for (let j = 0; j < k; j++) {
    const v = q.subarray(j * m, (j + 1) * m);
    for (let i = 0; i < m; i++) v[i] = g[i * k + j] as number;
    // Twice-repeated modified Gram-Schmidt keeps the columns orthogonal to float64 precision.
    for (let pass = 0; pass < 2; pass++)
      for (let p = 0; p < j; p++) {
        const u = q.subarray(p * m, (p + 1) * m);
        let d = 0;
        for (let i = 0; i < m; i++) d += (u[i] as number) * (v[i] as number);
        for (let i = 0; i < m; i++) v[i] = (v[i] as number) - d * (u[i] as number);
      }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += (v[i] as number) ** 2;
    norm = Math.sqrt(norm);
    const inv = norm > 0 ? 1 / norm : 0;
    for (let i = 0; i < m; i++) v[i] = (v[i] as number) * inv;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = tall ? (q[c * m + r] as number) : (q[r * m + c] as number);
  return out;
}

/** Fills params (MLP layout) for the given widths. */
export function initMlp(sizes: readonly number[], init: Required<InitOptions>, key: Key, params: Float32Array): void {
  const L = sizes.length - 1;
  const keys = random.split(key, L);
  let off = 0;
  for (let l = 0; l < L; l++) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const gain = l === L - 1 ? init.outputGain : init.gain;
    const [wKey, bKey] = random.split(keys[l] as Key, 2) as [Key, Key];
    const n = inW * outW;
    const w = params.subarray(off, off + n);
    const b = params.subarray(off + n, off + n + outW);
    switch (init.scheme) {
      case 'orthogonal': {
        const q = orthogonal(wKey, inW, outW);
        for (let i = 0; i < n; i++) w[i] = gain * (q[i] as number);
        b.fill(init.bias);
        break;
      }
      case 'xavier': {
        const a = gain * Math.sqrt(6 / (inW + outW));
        const u = random.uniform(wKey, n);
        for (let i = 0; i < n; i++) w[i] = a * (2 * (u[i] as number) - 1);
        b.fill(init.bias);
        break;
      }
      case 'he': {
        const s = gain * Math.sqrt(2 / inW);
        const g = random.normal(wKey, n);
        for (let i = 0; i < n; i++) w[i] = s * (g[i] as number);
        b.fill(init.bias);
        break;
      }
      case 'torch': {
        const a = 1 / Math.sqrt(inW);
        const u = random.uniform(wKey, n);
        for (let i = 0; i < n; i++) w[i] = a * (2 * (u[i] as number) - 1);
        const ub = random.uniform(bKey, outW);
        for (let i = 0; i < outW; i++) b[i] = a * (2 * (ub[i] as number) - 1);
        break;
      }
      case 'normal': {
        const g = random.normal(wKey, n);
        for (let i = 0; i < n; i++) w[i] = init.std * (g[i] as number);
        b.fill(init.bias);
        break;
      }
    }
    off += n + outW;
  }
}
