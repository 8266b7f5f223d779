// Optimistic-AMSGrad (Wang, Li, Karimi, Li; arXiv 1903.01435), from the paper (no reference
// code exists). Algorithm 1: the AMSGrad half-step w_{t+1/2} = w_{t−1/2} − lr·θ_t/√v̂_t, then an
// optimistic step w_{t+1} = w_{t+1/2} − lr·h_{t+1}/√v̂_t along h_{t+1} = b1·θ_{t−1} + (1−b1)·m_{t+1},
// where m_{t+1} predicts the next gradient by extrapolating the last `window` + 1 gradients
// (Algorithm 2, RMPE: gradient_extrapolation.ts). v̂ starts at eps (the paper's v̂₀ = ε·1) and
// w_{−1/2} at the parameters of the first step. Defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-8;
// window 5 and the relative regularization lambda 1e-3 are ours (the paper leaves r and λ open).
// Memory: (window + 1) extra gradient copies.
import type { OptimisticAmsgradScalars } from '../../backend/kernels/optim.js';
import { stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';
import { pushAndExtrapolate } from './gradient_extrapolation.js';

/** Options of `optim.optimisticAmsgrad`; a field left out takes the default of the reference implementation the rule follows. */
export interface OptimisticAmsgradOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  /** Gradient differences the prediction extrapolates over (the paper's r). */
  window?: number;
  /** Ridge on UᵀU relative to its mean eigenvalue (the paper's λ, made scale-free). */
  lambda?: number;
}

/** Optimistic-AMSGrad: AMSGrad plus a step along the extrapolated next momentum. */
export function optimisticAmsgrad(options?: OptimisticAmsgradOptions): Optimizer {
  const fn = 'optimisticAmsgrad';
  const o = ruleOptions(
    fn,
    options,
    { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, window: 5, lambda: 1e-3 },
    // v̂ starts at eps and divides the step.
    { eps: 'positive' },
  );
  if (!Number.isInteger(o.window) || o.window < 1 || o.window > 64)
    throw new RangeError(`${fn}: window: expected an integer in [1, 64], got ${o.window}`);
  const slots = o.window + 1;
  const sc: OptimisticAmsgradScalars = { lr: 0, b1: o.b1, b2: o.b2 };
  const work = new Float64Array(2 * o.window * o.window + 2 * o.window);
  return defineRule({
    name: fn,
    lr: o.lr,
    buffers: { m: 0, v: 0, vHat: o.eps, wHalf: 0, guess: 0 },
    init: (state, p) => {
      state.buffers.ring = new Float32Array(slots * p.length);
      state.buffers.gram = new Float64Array(slots * slots);
    },
    step: ({ b, p, g, lr, state }, { m, v, vHat, wHalf, guess }) => {
      const ring = stateBuffer(fn, state, 'ring', slots * p.length);
      const gram = state.buffers.gram;
      if (!(gram instanceof Float64Array) || gram.length !== slots * slots)
        throw new RangeError(`${fn}: state.buffers.gram: does not match the window`);
      if (state.count === 0) wHalf.set(p);
      pushAndExtrapolate(b, { ring, gram }, o.window, state.count, g, o.lambda, guess, work);
      sc.lr = lr;
      b.optimOptimisticAmsgrad(p, g, guess, m, v, vHat, wHalf, sc);
    },
  });
}
