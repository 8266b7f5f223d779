// SIREN (Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions",
// 2020): an MLP whose hidden layers compute sin(ω0·(W·x + b)), with its initialization — first
// layer W ~ U(±1/in), later layers W ~ U(±√(6/in)/ω0), biases PyTorch's nn.Linear default
// U(±1/√in) as in the authors' code — for coordinate-based representations and learned
// initializations of them. Pure TypeScript, float64 math over float32 parameters: the `nn`
// activation kernels (native and js) have no sine yet, and these networks are small.
import { type Key, uniform } from '../random/index.js';
import { checkInteger, checkNumber } from '../util/check.js';

/** A sine-activation MLP over flat parameters (per layer W [in × out] row-major, then b [out]). */
export interface Siren {
  readonly sizes: readonly number[];
  /** Frequency ω0 of every hidden layer's sine. */
  readonly omega: number;
  /** Number of parameters. */
  readonly size: number;
  /** SIREN's initialization, deterministic in the key. */
  init(key: Key): Float32Array;
  /** Outputs [batch × out] at inputs x [batch × in]. */
  forward(params: ArrayLike<number>, x: Float32Array, batch: number): Float64Array;
  /**
   * Mean squared error over all outputs against `target` [batch × out]; writes its gradient in
   * the parameters into `grad` (overwritten) and returns the loss.
   */
  mseGrad(
    params: ArrayLike<number>,
    x: Float32Array,
    target: Float32Array,
    batch: number,
    grad: Float32Array | Float64Array,
  ): number;
}

/**
 * A SIREN of layer sizes `sizes` ([in, …hidden, out]; sine after every layer but the last) and
 * hidden frequency `omega` (default 30, the paper's ω0).
 *
 * @throws RangeError naming the argument for bad sizes or ω0.
 */
export function siren(sizes: readonly number[], omega = 30): Siren {
  const fn = 'meta.siren';
  if (!Array.isArray(sizes) || sizes.length < 2) throw new RangeError(`${fn}: sizes: expected [in, …hidden, out]`);
  sizes.forEach((s, i) => {
    checkInteger(s, `${fn}: sizes[${i}]`, 1, 1 << 16);
  });
  checkNumber(omega, `${fn}: omega`);
  if (!(omega > 0)) throw new RangeError(`${fn}: omega: expected a number > 0, got ${omega}`);
  const L = sizes.length - 1;
  const offsets: number[] = [];
  let size = 0;
  for (let l = 0; l < L; l++) {
    offsets.push(size);
    size += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
  }
  const width = Math.max(...sizes);
  /** Pre-activations z_l (and activations a_l) of every layer for one row, kept for backprop. */
  const acts = Array.from({ length: L + 1 }, () => new Float64Array(width));
  const pres = Array.from({ length: L }, () => new Float64Array(width));
  const delta = new Float64Array(width);
  const deltaPrev = new Float64Array(width);

  const rowForward = (p: ArrayLike<number>, x: Float32Array, r: number): void => {
    const a0 = acts[0] as Float64Array;
    for (let i = 0; i < (sizes[0] as number); i++) a0[i] = x[r * (sizes[0] as number) + i] as number;
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l] as number;
      const nOut = sizes[l + 1] as number;
      const W = offsets[l] as number;
      const B = W + nIn * nOut;
      const a = acts[l] as Float64Array;
      const z = pres[l] as Float64Array;
      const next = acts[l + 1] as Float64Array;
      for (let o = 0; o < nOut; o++) z[o] = p[B + o] as number;
      for (let i = 0; i < nIn; i++) {
        const ai = a[i] as number;
        for (let o = 0; o < nOut; o++) z[o] = (z[o] as number) + ai * (p[W + i * nOut + o] as number);
      }
      const last = l === L - 1;
      for (let o = 0; o < nOut; o++) next[o] = last ? (z[o] as number) : Math.sin(omega * (z[o] as number));
    }
  };

  return {
    sizes: [...sizes],
    omega,
    size,
    init(key) {
      const u = uniform(key, size);
      const p = new Float32Array(size);
      for (let l = 0; l < L; l++) {
        const nIn = sizes[l] as number;
        const nOut = sizes[l + 1] as number;
        const W = offsets[l] as number;
        const wb = l === 0 ? 1 / nIn : Math.sqrt(6 / nIn) / omega;
        const bb = 1 / Math.sqrt(nIn);
        for (let i = 0; i < nIn * nOut; i++) p[W + i] = wb * (2 * (u[W + i] as number) - 1);
        for (let o = 0; o < nOut; o++) p[W + nIn * nOut + o] = bb * (2 * (u[W + nIn * nOut + o] as number) - 1);
      }
      return p;
    },
    forward(params, x, batch) {
      const nOut = sizes[L] as number;
      const y = new Float64Array(batch * nOut);
      for (let r = 0; r < batch; r++) {
        rowForward(params, x, r);
        for (let o = 0; o < nOut; o++) y[r * nOut + o] = (acts[L] as Float64Array)[o] as number;
      }
      return y;
    },
    mseGrad(params, x, target, batch, grad) {
      grad.fill(0);
      const nOut = sizes[L] as number;
      const count = batch * nOut;
      let loss = 0;
      for (let r = 0; r < batch; r++) {
        rowForward(params, x, r);
        const out = acts[L] as Float64Array;
        for (let o = 0; o < nOut; o++) {
          const e = (out[o] as number) - (target[r * nOut + o] as number);
          loss += e * e;
          delta[o] = (2 * e) / count; // ∂L/∂z of the (linear) last layer
        }
        for (let l = L - 1; l >= 0; l--) {
          const nIn = sizes[l] as number;
          const no = sizes[l + 1] as number;
          const W = offsets[l] as number;
          const B = W + nIn * no;
          const a = acts[l] as Float64Array;
          for (let o = 0; o < no; o++) grad[B + o] = (grad[B + o] as number) + (delta[o] as number);
          for (let i = 0; i < nIn; i++) {
            const ai = a[i] as number;
            let back = 0;
            for (let o = 0; o < no; o++) {
              grad[W + i * no + o] = (grad[W + i * no + o] as number) + ai * (delta[o] as number);
              back += (params[W + i * no + o] as number) * (delta[o] as number);
            }
            deltaPrev[i] = back;
          }
          if (l > 0) {
            // Through a_l = sin(ω0·z_{l−1}): ∂a/∂z = ω0·cos(ω0·z).
            const z = pres[l - 1] as Float64Array;
            for (let i = 0; i < nIn; i++)
              delta[i] = (deltaPrev[i] as number) * omega * Math.cos(omega * (z[i] as number));
          }
        }
      }
      return loss / count;
    },
  };
}
