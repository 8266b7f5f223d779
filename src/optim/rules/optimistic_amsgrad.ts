// Optimistic-AMSGrad (Wang, Li, Karimi, Li; arXiv 1903.01435), from the paper (no reference
// code exists). Algorithm 1: the AMSGrad half-step w_{t+1/2} = w_{t−1/2} − lr·θ_t/√v̂_t, then an
// optimistic step w_{t+1} = w_{t+1/2} − lr·h_{t+1}/√v̂_t along h_{t+1} = b1·θ_{t−1} + (1−b1)·m_{t+1},
// where m_{t+1} predicts the next gradient by extrapolating the last `window` + 1 gradients
// (Algorithm 2, RMPE: gradient_extrapolation.ts). v̂ starts at eps (the paper's v̂₀ = ε·1) and
// w_{−1/2} at the parameters of the first step. Defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-8;
// window 5 and the relative regularization lambda 1e-3 are ours (the paper leaves r and λ open).
// Memory: (window + 1) extra gradient copies.
import type { OptimisticAmsgradScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkPositive, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';
import { pushAndExtrapolate } from './gradient_extrapolation.js';

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
  const o = parseOptions(fn, options, {
    lr: 1e-3 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    window: 5,
    lambda: 1e-3,
  });
  checkBeta(o.b1, `${fn}: b1`);
  checkBeta(o.b2, `${fn}: b2`);
  checkPositive(o.eps, `${fn}: eps`);
  checkPositive(o.lambda, `${fn}: lambda`);
  if (!Number.isInteger(o.window) || o.window < 1 || o.window > 64)
    throw new RangeError(`${fn}: window: expected an integer in [1, 64], got ${o.window}`);
  const slots = o.window + 1;
  const sc: OptimisticAmsgradScalars = { lr: 0, b1: o.b1, b2: o.b2 };
  const work = new Float64Array(2 * o.window * o.window + 2 * o.window);
  return defineRule(
    fn,
    (p) =>
      newState({
        m: new Float32Array(p.length),
        v: new Float32Array(p.length),
        vHat: new Float32Array(p.length).fill(o.eps),
        wHalf: new Float32Array(p.length),
        guess: new Float32Array(p.length),
        ring: new Float32Array(slots * p.length),
        gram: new Float64Array(slots * slots),
      }),
    (b, p, g, st) => {
      const n = p.length;
      const wHalf = stateBuffer(fn, st, 'wHalf', n);
      const guess = stateBuffer(fn, st, 'guess', n);
      const ring = stateBuffer(fn, st, 'ring', slots * n);
      const gram = st.buffers.gram;
      if (!(gram instanceof Float64Array) || gram.length !== slots * slots)
        throw new RangeError(`${fn}: state.buffers.gram: does not match the window`);
      if (st.count === 0) wHalf.set(p);
      pushAndExtrapolate(b, { ring, gram }, o.window, st.count, g, o.lambda, guess, work);
      sc.lr = lrAt(o.lr, st.count, `${fn}: lr`);
      const m = stateBuffer(fn, st, 'm', n);
      b.optimOptimisticAmsgrad(p, g, guess, m, stateBuffer(fn, st, 'v', n), stateBuffer(fn, st, 'vHat', n), wHalf, sc);
    },
  );
}
