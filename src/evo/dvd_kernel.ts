// DvD's diversity measure (Parker-Holder et al. 2020; jparkerholder/DvD_ES, reference §6.1): the
// determinant of the RBF kernel of M behavioural embeddings, K_ab = exp(−‖φ_a − φ_b‖²/e) (sklearn's
// rbf_kernel with γ = 1/e, e = embedding length), and its gradient with respect to the embeddings:
//   ∂det K/∂K = det K · K^{−T},   ∂K_ab/∂φ_a = −(2/e) K_ab (φ_a − φ_b),
// so ∂det K/∂φ_a = −(4/e) det K Σ_b (K^{−1})_ab K_ab (φ_a − φ_b) (K symmetric). In float64.
import { checkFloat32, checkInteger } from '../util/check.js';

/** det(K) and ∂det(K)/∂Φ for embeddings Φ [M × e] row-major. */
export function dvdDeterminant(
  embeddings: Float32Array | Float64Array,
  agents: number,
): { det: number; grad: Float64Array } {
  if (!(embeddings instanceof Float64Array)) checkFloat32(embeddings, 'dvdDeterminant: embeddings');
  checkInteger(agents, 'dvdDeterminant: agents', 1, 4096);
  if (embeddings.length === 0 || embeddings.length % agents !== 0)
    throw new RangeError(`dvdDeterminant: embeddings: expected agents·e values, got ${embeddings.length}`);
  const M = agents;
  const e = embeddings.length / M;
  const K = new Float64Array(M * M);
  for (let a = 0; a < M; a++)
    for (let b = a; b < M; b++) {
      let d2 = 0;
      for (let j = 0; j < e; j++) {
        const d = (embeddings[a * e + j] as number) - (embeddings[b * e + j] as number);
        d2 += d * d;
      }
      const k = Math.exp(-d2 / e);
      K[a * M + b] = k;
      K[b * M + a] = k;
    }
  const { det, inverse } = detAndInverse(K, M);
  const grad = new Float64Array(M * e);
  if (det === 0 || inverse === undefined) return { det, grad };
  for (let a = 0; a < M; a++)
    for (let b = 0; b < M; b++) {
      if (a === b) continue;
      const c = (-4 / e) * det * (inverse[a * M + b] as number) * (K[a * M + b] as number);
      for (let j = 0; j < e; j++)
        grad[a * e + j] =
          (grad[a * e + j] as number) + c * ((embeddings[a * e + j] as number) - (embeddings[b * e + j] as number));
    }
  return { det, grad };
}

/** Determinant and inverse by Gauss–Jordan elimination with partial pivoting (M small). */
function detAndInverse(A: Float64Array, n: number): { det: number; inverse: Float64Array | undefined } {
  const a = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c] as number) > Math.abs(a[p * n + c] as number)) p = r;
    const piv = a[p * n + c] as number;
    if (piv === 0) return { det: 0, inverse: undefined };
    if (p !== c) {
      det = -det;
      for (let j = 0; j < n; j++) {
        [a[p * n + j], a[c * n + j]] = [a[c * n + j] as number, a[p * n + j] as number];
        [inv[p * n + j], inv[c * n + j]] = [inv[c * n + j] as number, inv[p * n + j] as number];
      }
    }
    det *= piv;
    for (let j = 0; j < n; j++) {
      a[c * n + j] = (a[c * n + j] as number) / piv;
      inv[c * n + j] = (inv[c * n + j] as number) / piv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c] as number;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r * n + j] = (a[r * n + j] as number) - f * (a[c * n + j] as number);
        inv[r * n + j] = (inv[r * n + j] as number) - f * (inv[c * n + j] as number);
      }
    }
  }
  return { det, inverse: inv };
}

/** Embeddings standardized per dimension across the M agents and clipped to [−2, 2] (DvD_ES, before the kernel). */
export function standardizeEmbeddings(embeddings: Float32Array, agents: number): Float64Array {
  const M = agents;
  const e = embeddings.length / M;
  const out = new Float64Array(embeddings.length);
  for (let j = 0; j < e; j++) {
    let mean = 0;
    for (let a = 0; a < M; a++) mean += embeddings[a * e + j] as number;
    mean /= M;
    let v = 0;
    for (let a = 0; a < M; a++) v += ((embeddings[a * e + j] as number) - mean) ** 2;
    // sklearn's StandardScaler leaves a constant column at scale 1.
    const sd = v > 0 ? Math.sqrt(v / M) : 1;
    for (let a = 0; a < M; a++)
      out[a * e + j] = Math.min(2, Math.max(-2, ((embeddings[a * e + j] as number) - mean) / sd));
  }
  return out;
}
