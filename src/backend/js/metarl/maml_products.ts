// js twin of native/core/metarl/maml_products.cc. The prepare kernel fills the same tape and
// back cache; the product recomputes what the native side reads from them (the tangent tape of
// the MLP at (θ_W, v_W), then the R-operator backward from the mode's output cotangent and
// output-Hessian product, in float64 rounded to float32 as there) — the same function of its
// inputs, without the caching.
import type { MetaRlKernels } from '../../kernels/metarl.js';
import { mamlTapeWidth } from '../../kernels/metarl.js';
import { mlpLayerOffset, mlpParamCount, mlpTapeOutput, mlpTapeSize } from '../../kernels/nn.js';
import { d1 } from '../nn/activation.js';
import { mlpForwardTangentTape, mlpForwardTape, mlpHvpBackwardTape } from '../nn/mlp.js';

function check(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(msg);
}

export const mamlGaussianPrepare: MetaRlKernels['mamlGaussianPrepare'] = (
  sizes,
  params,
  x,
  rowStart,
  actions,
  coef,
  tape,
  back,
  s,
) => {
  const T = s.tasks;
  const L = sizes.length - 1;
  const P = mlpParamCount(sizes);
  const D = sizes[L] as number;
  const S = P + D;
  const inW = sizes[0] as number;
  const width = mamlTapeWidth(sizes);
  check(Number.isInteger(T) && T >= 1, 'scalars.tasks: expected an integer ≥ 1');
  check(rowStart.length === T + 1 && rowStart[0] === 0, 'rowStart: expected tasks + 1 entries from 0');
  const rows = rowStart[T] as number;
  check(params.length === T * S, `params: expected length ${T * S}`);
  check(x.length === rows * inW && actions.length === rows * D && coef.length === rows, 'x, actions, coef: row counts');
  check(tape.length === rows * width && (back === null || back.length === rows * width), 'tape, back: rows × width');
  const out = (l: number) => sizes[l + 1] as number;
  for (let t = 0; t < T; t++) {
    const r0 = rowStart[t] as number;
    const n = (rowStart[t + 1] as number) - r0;
    check(n >= 0, `rowStart: expected non-decreasing entries, rowStart[${t + 1}] < rowStart[${t}]`);
    if (n === 0) continue;
    const th = params.subarray(t * S, (t + 1) * S);
    const tp = tape.subarray(r0 * width, (r0 + n) * width);
    mlpForwardTape(sizes, s.hidden, s.output, th, x.subarray(r0 * inW, (r0 + n) * inW), n, tp);
    if (!back) continue;
    // The inner loss's backward pass: da_{L−1} = gy, dz_l = f'(z_l) da_l, da_{l−1} = dz_l W_lᵀ.
    const bk = back.subarray(r0 * width, (r0 + n) * width);
    const slab = (l: number) => {
      let o = 0;
      for (let j = 0; j < l; j++) o += 2 * n * out(j);
      return o;
    };
    const muOff = slab(L - 1) + n * D;
    for (let r = 0; r < n; r++)
      for (let d = 0; d < D; d++) {
        const i = r * D + d;
        const iv = Math.exp(-2 * (th[P + d] as number));
        bk[slab(L - 1) + i] =
          -(coef[r0 + r] as number) * ((actions[(r0 + r) * D + d] as number) - (tp[muOff + i] as number)) * iv;
      }
    for (let l = L - 1; l >= 0; l--) {
      const o = slab(l);
      const ow = out(l);
      const f = l === L - 1 ? s.output : s.hidden;
      for (let i = 0; i < n * ow; i++)
        bk[o + n * ow + i] = d1(f, tp[o + i] as number, tp[o + n * ow + i] as number) * (bk[o + i] as number);
      if (l === 0) continue;
      const iw = sizes[l] as number;
      const W = mlpLayerOffset(sizes, l);
      const prev = slab(l - 1);
      for (let r = 0; r < n; r++)
        for (let k = 0; k < iw; k++) {
          let acc = 0;
          for (let j = 0; j < ow; j++) acc += (bk[o + n * ow + r * ow + j] as number) * (th[W + k * ow + j] as number);
          bk[prev + r * iw + k] = acc;
        }
    }
  }
};

export const mamlGaussianProducts: MetaRlKernels['mamlGaussianProducts'] = (
  sizes,
  params,
  x,
  rowStart,
  actions,
  coef,
  tape,
  back,
  v,
  out,
  s,
) => {
  check(tape.length === (rowStart[rowStart.length - 1] as number) * mamlTapeWidth(sizes), 'tape: rows × width');
  check(s.mode === 1 || back !== null, 'back: expected a Float32Array for mode 0 (inner Hessian)');
  const T = s.tasks;
  const P = mlpParamCount(sizes);
  const D = sizes[sizes.length - 1] as number;
  const S = P + D;
  const inW = sizes[0] as number;
  check(Number.isInteger(T) && T >= 1, 'scalars.tasks: expected an integer ≥ 1');
  check(s.mode === 0 || s.mode === 1, 'scalars.mode: expected 0 or 1');
  check(rowStart.length === T + 1 && rowStart[0] === 0, 'rowStart: expected tasks + 1 entries from 0');
  const rows = rowStart[T] as number;
  check(params.length === T * S, `params: expected length ${T * S}`);
  check(v.length === T * S && out.length === T * S, `v, out: expected length ${T * S}`);
  check(x.length === rows * inW && actions.length === rows * D && coef.length === rows, 'x, actions, coef: row counts');
  for (let t = 0; t < T; t++) {
    const r0 = rowStart[t] as number;
    const n = (rowStart[t + 1] as number) - r0;
    check(n >= 0, `rowStart: expected non-decreasing entries, rowStart[${t + 1}] < rowStart[${t}]`);
    const o = out.subarray(t * S, (t + 1) * S);
    if (n === 0) {
      o.fill(0);
      continue;
    }
    const th = params.subarray(t * S, (t + 1) * S);
    const vt = v.subarray(t * S, (t + 1) * S);
    const xt = x.subarray(r0 * inW, (r0 + n) * inW);
    const tape = new Float32Array(mlpTapeSize(sizes, n, true));
    mlpForwardTangentTape(sizes, s.hidden, s.output, th, xt, n, vt, tape);
    const off = mlpTapeOutput(sizes, n, true);
    const mu = tape.subarray(off, off + n * D);
    const mudot = tape.subarray(off + n * D, off + 2 * n * D);
    const gy = new Float32Array(n * D);
    const hy = new Float32Array(n * D);
    const iv = Float64Array.from({ length: D }, (_, d) => Math.exp(-2 * (th[P + d] as number)));
    const hs = new Float64Array(D);
    let csum = 0;
    for (let r = 0; r < n; r++) {
      const c = coef[r0 + r] as number;
      csum += c;
      for (let d = 0; d < D; d++) {
        const i = r * D + d;
        const u = mudot[i] as number;
        const ivd = iv[d] as number;
        if (s.mode === 1) {
          hy[i] = c * ivd * u;
          continue;
        }
        const diff = (actions[(r0 + r) * D + d] as number) - (mu[i] as number);
        const lMuS = 2 * c * diff * ivd; // ∂²ℓ/∂μ∂s
        const vs = vt[P + d] as number;
        gy[i] = -c * diff * ivd;
        hy[i] = c * ivd * u + lMuS * vs;
        hs[d] = (hs[d] as number) + lMuS * u + 2 * c * diff * diff * ivd * vs;
      }
    }
    mlpHvpBackwardTape(sizes, th, xt, vt, tape, gy, hy, o, null, { hidden: s.hidden, output: s.output, batch: n });
    for (let d = 0; d < D; d++) o[P + d] = s.mode === 1 ? 2 * csum * (vt[P + d] as number) : (hs[d] as number);
  }
};
