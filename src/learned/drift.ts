// learned.driftFunction: the LPO / TA-LPO learned drift D(r, Â[, progress]) of mirror learning
// (learned_optimization research/discovered_policy_optimisation/truncated_step.py; TA-LPO, Jackson
// et al. 2024). The PPO-family loss is −mean[r·Â − D(r, Â)]; a valid drift needs D ≥ 0 and
// D = ∂D/∂r = 0 at r = 1. This holds by construction, for every θ:
//   features x = clip([ℓ, ℓ², 1 − r, (1 − r)²,  Â·ℓ, Â·ℓ², Â·(1 − r), Â·(1 − r)²], −2, 2), ℓ = log r
//   (TA-LPO appends progress·x), all 0 at r = 1;
//   N(x) = w_outᵀ tanh(… tanh(W₁ᵀx)) with no biases, so N = 0 at r = 1 (tanh(0) = 0);
//   D = relu(N − 1e-4): D ≥ 0, and since N is continuous and 0 at r = 1, D ≡ 0 on a
//   neighbourhood of r = 1, so its derivative there is 0 as well.
import { key, normal } from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';

/** Options of `learned.driftFunction`. */
export interface DriftFunctionOptions {
  /** Hidden widths (tanh, no bias); default [128] as the reference. */
  hidden?: readonly number[];
  /** TA-LPO: append training progress n/N times the 8 features (16 inputs); default false (LPO). */
  temporal?: boolean;
}

/** A drift value and its derivative in the ratio, at one point (float64). */
export interface DriftPoint {
  /** D(r, Â[, progress]) ≥ 0. */
  value: number;
  /** ∂D/∂r (0 where D is 0 or a feature is clipped in a way that freezes it). */
  dRatio: number;
}

/** A learned drift D(r, Â[, progress]) with meta-parameters θ (LPO; TA-LPO when temporal). */
export interface DriftFunction {
  /** 'learned.drift[…]' or 'learned.drift.ta[…]'. */
  readonly name: string;
  /** Hidden widths. */
  readonly hidden: readonly number[];
  /** Whether training progress is an input (TA-LPO). */
  readonly temporal: boolean;
  /** Inputs of the network: 8 (LPO) or 16 (TA-LPO). */
  readonly inputs: number;
  /** Length of θ. */
  readonly size: number;
  /** Initial θ (truncated normal, std 1/√fan_in, as Flax's lecun_normal), deterministic in `seed`. */
  init(seed: number): Float32Array;
  /** D at each (ratio[i], advantage[i]); `progress` ∈ [0, 1] is required when temporal. */
  value(theta: Float32Array, ratio: Float32Array, advantage: Float32Array, progress?: number): Float32Array;
  /** D and ∂D/∂r at one point, in float64 (the gradient a PPO loss needs through r). */
  at(theta: Float32Array, ratio: number, advantage: number, progress?: number): DriftPoint;
}

const THRESHOLD = 1e-4;
const CLIP = 2;

/** An LPO (or, with `temporal`, TA-LPO) learned drift function. */
export function driftFunction(options: DriftFunctionOptions = {}): DriftFunction {
  checkKnownKeys(options, ['hidden', 'temporal'], 'learned.driftFunction');
  const hidden = options.hidden ?? [128];
  if (!Array.isArray(hidden) || hidden.length === 0)
    throw new TypeError('learned.driftFunction: hidden: expected a non-empty array of widths');
  for (let i = 0; i < hidden.length; i++) checkInteger(hidden[i], `learned.driftFunction: hidden[${i}]`, 1, 4096);
  const temporal = options.temporal ?? false;
  if (typeof temporal !== 'boolean') throw new TypeError('learned.driftFunction: temporal: expected a boolean');
  const inputs = temporal ? 16 : 8;
  const sizes = [inputs, ...hidden, 1];
  let size = 0;
  for (let l = 0; l + 1 < sizes.length; l++) size += (sizes[l] as number) * (sizes[l + 1] as number);
  const width = Math.max(...sizes);
  // scratch, reused: activations per layer (for the backward pass) and feature derivatives
  const acts = sizes.map((s) => new Float64Array(s));
  const dx = new Float64Array(inputs);
  const back = new Float64Array(width);
  const back2 = new Float64Array(width);
  const name = `learned.drift${temporal ? '.ta' : ''}[${hidden.join(',')}]`;

  function checkTheta(theta: unknown, where: string): asserts theta is Float32Array {
    checkFloat32(theta, `${where}: theta`);
    if (theta.length !== size)
      throw new RangeError(`${where}: theta: expected length ${size} (the drift's size), got ${theta.length}`);
  }
  function checkProgress(progress: number | undefined, where: string): number {
    if (!temporal) {
      if (progress !== undefined) throw new TypeError(`${where}: progress: only a temporal drift takes it`);
      return 0;
    }
    if (progress === undefined) throw new TypeError(`${where}: progress: required by a temporal (TA-LPO) drift`);
    checkRange(progress, `${where}: progress`, 0, 1);
    return progress;
  }

  /** Features into acts[0] and ∂x/∂r into dx; returns nothing. */
  function featurize(r: number, a: number, progress: number): void {
    const l = Math.log(r);
    const raw = [l, l * l, 1 - r, (1 - r) * (1 - r)];
    const draw = [1 / r, (2 * l) / r, -1, -2 * (1 - r)];
    const x = acts[0] as Float64Array;
    for (let k = 0; k < 4; k++) {
      x[k] = raw[k] as number;
      dx[k] = draw[k] as number;
      x[4 + k] = a * (raw[k] as number);
      dx[4 + k] = a * (draw[k] as number);
    }
    if (temporal)
      for (let k = 0; k < 8; k++) {
        x[8 + k] = progress * (x[k] as number);
        dx[8 + k] = progress * (dx[k] as number);
      }
    for (let k = 0; k < inputs; k++) {
      const v = x[k] as number;
      if (v > CLIP || v < -CLIP) {
        x[k] = v > CLIP ? CLIP : -CLIP;
        dx[k] = 0;
      }
    }
  }

  function network(theta: Float32Array): number {
    let off = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const x = acts[l] as Float64Array;
      const y = acts[l + 1] as Float64Array;
      y.fill(0);
      for (let i = 0; i < nin; i++) {
        const xi = x[i] as number;
        if (xi === 0) continue;
        for (let o = 0; o < nout; o++) y[o] = (y[o] as number) + xi * (theta[off + i * nout + o] as number);
      }
      if (l + 2 < sizes.length) for (let o = 0; o < nout; o++) y[o] = Math.tanh(y[o] as number);
      off += nin * nout;
    }
    return (acts[sizes.length - 1] as Float64Array)[0] as number;
  }

  /** ∂N/∂r by the chain rule through the layers (acts from the last forward). */
  function networkDr(theta: Float32Array): number {
    // back = ∂N/∂(layer output) from the top; layer weights are read from the end of θ.
    let off = size;
    let g = back;
    let gNext = back2;
    g[0] = 1;
    for (let l = sizes.length - 2; l >= 0; l--) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      off -= nin * nout;
      const x = acts[l] as Float64Array;
      for (let i = 0; i < nin; i++) {
        let s = 0;
        for (let o = 0; o < nout; o++) s += (theta[off + i * nout + o] as number) * (g[o] as number);
        // through tanh of the layer below (not for the input features)
        gNext[i] = l > 0 ? s * (1 - (x[i] as number) ** 2) : s;
      }
      const t = g;
      g = gNext;
      gNext = t;
    }
    let d = 0;
    for (let k = 0; k < inputs; k++) d += (g[k] as number) * (dx[k] as number);
    return d;
  }

  function evaluate(theta: Float32Array, r: number, a: number, progress: number, withGrad: boolean): DriftPoint {
    featurize(r, a, progress);
    const n = network(theta) - THRESHOLD;
    if (n <= 0) return { value: 0, dRatio: 0 };
    return { value: n, dRatio: withGrad ? networkDr(theta) : 0 };
  }

  return {
    name,
    hidden: [...hidden],
    temporal,
    inputs,
    size,
    init(seed: number): Float32Array {
      checkInteger(seed, 'learned.driftFunction.init: seed');
      const theta = new Float32Array(size);
      const z = normal(key(seed), 4 * size + 64);
      let zi = 0;
      let off = 0;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const nin = sizes[l] as number;
        const std = 1 / Math.sqrt(nin);
        for (let w = 0; w < nin * (sizes[l + 1] as number); w++) {
          let s = z[zi++] as number;
          while (Math.abs(s) >= 2) s = z[zi++] as number;
          theta[off++] = s * std;
        }
      }
      return theta;
    },
    value(theta, ratio, advantage, progress) {
      checkTheta(theta, 'learned.driftFunction.value');
      checkFloat32(ratio, 'learned.driftFunction.value: ratio');
      checkFloat32(advantage, 'learned.driftFunction.value: advantage', ratio.length);
      const p = checkProgress(progress, 'learned.driftFunction.value');
      const out = new Float32Array(ratio.length);
      for (let i = 0; i < ratio.length; i++) {
        const r = ratio[i] as number;
        if (!(r > 0)) throw new RangeError(`learned.driftFunction.value: ratio[${i}]: expected > 0, got ${r}`);
        out[i] = evaluate(theta, r, advantage[i] as number, p, false).value;
      }
      return out;
    },
    at(theta, ratio, advantage, progress) {
      checkTheta(theta, 'learned.driftFunction.at');
      if (!(typeof ratio === 'number' && ratio > 0 && Number.isFinite(ratio)))
        throw new RangeError(`learned.driftFunction.at: ratio: expected a finite number > 0, got ${ratio}`);
      if (typeof advantage !== 'number' || !Number.isFinite(advantage))
        throw new TypeError('learned.driftFunction.at: advantage: expected a finite number');
      const p = checkProgress(progress, 'learned.driftFunction.at');
      return evaluate(theta, ratio, advantage, p, true);
    },
  };
}
