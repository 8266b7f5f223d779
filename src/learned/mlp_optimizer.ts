// learned.mlpOptimizer: a per-parameter MLP learned optimizer in the form of learned_optimization's
// AdafacMLPLOpt ("small_fc_lopt"): 39 inputs per parameter (features.ts), ReLU hidden layers, two
// outputs (direction d, magnitude m), Δp = d · exp(expMult · m) · stepMult, p ← p − Δp. The step
// runs in one fused kernel (learnedMlpStep). With a layout, features are normalized per tensor as
// the reference does; with `mup` the update of each tensor is scaled as μLO does (mup.ts).
import { getBackend } from '../backend/index.js';
import type { MlpStepScalars } from '../backend/kernels/learned.js';
import type { Optimizer, OptState, ParamLayout } from '../optim/types.js';
import { key, normal } from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { ACC_ROWS, initAccumulators, NUM_INPUTS } from './features.js';
import { layoutSegments, mupMultipliers } from './mup.js';
import type { LearnedOptimizer } from './types.js';

/** Options of `learned.mlpOptimizer`: the per-parameter MLP that proposes each update. */
export interface MlpOptimizerOptions {
  /** Hidden layer widths (ReLU); default [32, 32]. */
  hidden?: readonly number[];
  /** Step scale of Δp = d·exp(expMult·m)·stepMult; reference 0.001 (μLO's README runs 0.01). */
  stepMult?: number;
  /** Magnitude scale; reference 0.001. */
  expMult?: number;
  /**
   * The tensors of the parameter buffer (a model's `layout`): features are normalized per tensor,
   * as learned_optimization does, instead of over the whole buffer.
   */
  layout?: ParamLayout;
  /**
   * μLO (Thérien et al. 2024): scale each tensor's update by its μP multiplier (hidden weight
   * matrices 1/fan_in, input and output matrices and biases 1). Needs `layout`.
   */
  mup?: boolean;
}

/** A per-parameter MLP learned optimizer. */
export interface MlpOptimizer extends LearnedOptimizer {
  readonly hidden: readonly number[];
  /** Inputs per parameter (39). */
  readonly inputs: number;
  readonly stepMult: number;
  readonly expMult: number;
  /** Whether updates take μLO's per-tensor multipliers. */
  readonly mup: boolean;
  /** The tensors whose features are normalized separately (undefined: the whole buffer is one). */
  readonly layout: ParamLayout | undefined;
  /** The (direction, magnitude) outputs for one feature row `x` [39]. */
  forward(theta: Float32Array, x: Float32Array): [number, number];
}

/** Layer sizes [39, ...hidden, 2]; θ holds, per layer, W [in × out] row-major then b [out]. */
function layerSizes(hidden: readonly number[]): number[] {
  return [NUM_INPUTS, ...hidden, 2];
}

/** A per-parameter MLP learned optimizer (learned_optimization's small_fc_lopt form). */
export function mlpOptimizer(options: MlpOptimizerOptions = {}): MlpOptimizer {
  checkKnownKeys(options, ['hidden', 'stepMult', 'expMult', 'layout', 'mup'], 'learned.mlpOptimizer');
  const hidden = options.hidden ?? [32, 32];
  if (!Array.isArray(hidden)) throw new TypeError('learned.mlpOptimizer: hidden: expected an array of widths');
  for (let i = 0; i < hidden.length; i++) checkInteger(hidden[i], `learned.mlpOptimizer: hidden[${i}]`, 1, 4096);
  const stepMult = options.stepMult ?? 0.001;
  const expMult = options.expMult ?? 0.001;
  checkRange(stepMult, 'learned.mlpOptimizer: stepMult', 0, 1e3);
  checkRange(expMult, 'learned.mlpOptimizer: expMult', 0, 1e3);
  const mup = options.mup ?? false;
  if (typeof mup !== 'boolean') throw new TypeError('learned.mlpOptimizer: mup: expected a boolean');
  if (mup && options.layout === undefined)
    throw new TypeError('learned.mlpOptimizer: mup: needs `layout` (the tensors whose updates it scales)');
  const segments = options.layout === undefined ? null : layoutSegments(options.layout, 'learned.mlpOptimizer: layout');
  const multipliers =
    options.layout === undefined
      ? null
      : mup
        ? mupMultipliers(options.layout)
        : new Float32Array(options.layout.length).fill(1);
  const sizes = layerSizes(hidden);
  const widths = Int32Array.from(sizes);
  let size = 0;
  for (let l = 0; l + 1 < sizes.length; l++)
    size += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
  const width = Math.max(...sizes);

  function forwardInto(theta: Float32Array, x: Float32Array, xo: number, a: Float64Array, b: Float64Array): void {
    for (let f = 0; f < NUM_INPUTS; f++) a[f] = x[xo + f] as number;
    let off = 0;
    let cur = a;
    let nxt = b;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const bo = off + nin * nout;
      for (let o = 0; o < nout; o++) nxt[o] = theta[bo + o] as number;
      for (let i = 0; i < nin; i++) {
        const ci = cur[i] as number;
        if (ci === 0) continue;
        const wo = off + i * nout;
        for (let o = 0; o < nout; o++) nxt[o] = (nxt[o] as number) + ci * (theta[wo + o] as number);
      }
      if (l + 2 < sizes.length) for (let o = 0; o < nout; o++) nxt[o] = Math.max(0, nxt[o] as number);
      off = bo + nout;
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    a[0] = cur[0] as number;
    a[1] = cur[1] as number;
  }

  function checkTheta(theta: unknown, name: string): asserts theta is Float32Array {
    checkFloat32(theta, name);
    if (theta.length !== size)
      throw new RangeError(`${name}: expected length ${size} (the optimizer's size), got ${theta.length}`);
  }

  return {
    name: `learned.mlp[${hidden.join(',')}]`,
    size,
    hidden: [...hidden],
    inputs: NUM_INPUTS,
    stepMult,
    expMult,
    mup,
    layout: options.layout,
    init(seed: number): Float32Array {
      checkInteger(seed, 'learned.mlpOptimizer.init: seed');
      // weights truncated normal (|z| < 2) with std 1/sqrt(fan_in), zero biases, as the reference
      const theta = new Float32Array(size);
      const z = normal(key(seed), 4 * size);
      let zi = 0;
      let off = 0;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const nin = sizes[l] as number;
        const nout = sizes[l + 1] as number;
        const std = 1 / Math.sqrt(nin);
        for (let w = 0; w < nin * nout; w++) {
          let s = z[zi++] as number;
          while (Math.abs(s) >= 2) s = z[zi++] as number;
          theta[off + w] = s * std;
        }
        off += nin * nout + nout;
      }
      return theta;
    },
    forward(theta: Float32Array, x: Float32Array): [number, number] {
      checkTheta(theta, 'learned.mlpOptimizer.forward: theta');
      checkFloat32(x, 'learned.mlpOptimizer.forward: x', NUM_INPUTS);
      const a = new Float64Array(width);
      forwardInto(theta, x, 0, a, new Float64Array(width));
      return [a[0] as number, a[1] as number];
    },
    optimizer(thetaIn: Float32Array): Optimizer {
      checkTheta(thetaIn, 'learned.mlpOptimizer.optimizer: theta');
      const theta = Float32Array.from(thetaIn);
      // one scalars object and one whole-buffer segment, reused by every step
      const scalars: MlpStepScalars = { count: 0, stepMult, expMult };
      const whole = new Uint32Array(2);
      const one = new Float32Array([1]);
      const name = `learned.mlp${mup ? '.mup' : ''}[${hidden.join(',')}]`;
      return {
        kind: 'optimizer',
        name,
        init(params: Float32Array): OptState {
          checkFloat32(params, 'learned optimizer init: params');
          if (segments !== null) {
            const end =
              segments.length === 0
                ? 0
                : (segments[segments.length - 2] as number) + (segments[segments.length - 1] as number);
            if (end !== params.length)
              throw new RangeError(
                `learned optimizer init: params: expected length ${end} (the layout's), got ${params.length}`,
              );
          }
          return initAccumulators(params.length);
        },
        step(params: Float32Array, grads: Float32Array, state: OptState): boolean {
          checkFloat32(params, 'learned optimizer step: params');
          checkFloat32(grads, 'learned optimizer step: grads', params.length);
          const acc = state.buffers.acc;
          if (!(acc instanceof Float32Array) || acc.length !== ACC_ROWS * params.length)
            throw new RangeError(
              `learned optimizer step: state: expected accumulators for ${params.length} parameters (init with these params)`,
            );
          scalars.count = state.count;
          whole[1] = params.length;
          getBackend().learnedMlpStep(
            params,
            grads,
            acc,
            theta,
            widths,
            segments ?? whole,
            multipliers ?? one,
            scalars,
          );
          state.count += 1;
          return true;
        },
      };
    },
  };
}
