// Shampoo (Gupta, Koren, Singer, ICML 2018), with the practical parts of the scalable version
// (Anil et al.; google-research scalable_shampoo/pytorch/shampoo.py): per block of a matrix
// parameter G (rows×cols), L ← β₂L + w·GGᵀ and R ← β₂R + w·GᵀG (w = 1 for β₂ = 1, the paper's
// sum, else 1 − β₂), and the step −lr·(L + εI)^(−1/4) G (R + εI)^(−1/4). A vector chunk (order 1)
// has the one factor R and the exponent −1/2: the general rule is −1/(2k) for an order-k tensor.
// With β₂ = 1 this is exactly the paper's L₀ = εI accumulation. The inverse roots come from a
// float64 eigendecomposition (backend kernel optimInverseRoot), recomputed every `updateEvery`
// steps; grafting rescales each block's direction to the norm of an SGD or Adam direction.
// pytorch_optimizer's simple `Shampoo` uses −1/k instead (L^(−1/2) G R^(−1/2)): the test catches it.
import { getBackend } from '../../backend/index.js';
import { checkInteger } from '../../util/check.js';
import {
  checkBeta,
  checkNonNegative,
  checkPositive,
  checkStepArgs,
  lrAt,
  newState,
  parseOptions,
  stateBuffer,
} from '../internal.js';
import type { LearningRate, Optimizer, OptState, ParamLayout } from '../types.js';
import { type Block, gather, planBlocks, scatter } from './blocks.js';

/** Step size, factor statistics, blocking and grafting of Shampoo (Gupta et al. 2018). */
export interface ShampooOptions {
  /** Learning rate (default 1e-3). */
  lr?: LearningRate;
  /**
   * The parameters' layout: segments with a shape of rank ≥ 2 are matrices (row-major, the first
   * dimension the rows), the rest vectors. Without it the whole buffer is one vector.
   */
  layout?: ParamLayout;
  /** ε of the factors' εI (default 1e-4). */
  eps?: number;
  /** Statistics decay: 1 (default) sums GGᵀ as in the paper; β₂ < 1 keeps an EMA. */
  beta2?: number;
  /** Recompute the inverse roots every N steps (default 1: every step, as in the paper). */
  updateEvery?: number;
  /** Largest side of a factor: longer dimensions are cut into blocks (default 256). */
  blockSize?: number;
  /** Rescale each block's step to the norm of this direction: 'none' (default), 'sgd' or 'adam'. */
  graft?: 'none' | 'sgd' | 'adam';
  /** Heavy-ball momentum on the (grafted) direction (default 0). */
  momentum?: number;
}

const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

function f64(fn: string, state: OptState, key: string, n: number): Float64Array {
  const b = state.buffers[key];
  if (!(b instanceof Float64Array) || b.length !== n)
    throw new TypeError(`${fn}: state.buffers.${key}: missing or of the wrong size (state from another optimizer?)`);
  return b;
}

function sumSqBlock(b: Block, a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < b.rows; i++) {
    const from = b.offset + (b.r0 + i) * b.stride + b.c0;
    for (let j = 0; j < b.cols; j++) s += (a[from + j] as number) ** 2;
  }
  return s;
}

/** Shampoo: Kronecker-factored full-matrix AdaGrad per layer (see the file header). */
export function shampoo(options?: ShampooOptions): Optimizer {
  const name = 'shampoo';
  const o = parseOptions(name, options, {
    lr: 1e-3 as LearningRate,
    layout: undefined as ParamLayout | undefined,
    eps: 1e-4,
    beta2: 1,
    updateEvery: 1,
    blockSize: 256,
    graft: 'none' as string,
    momentum: 0,
  });
  checkPositive(o.eps, `${name}: eps`);
  if (!(o.beta2 > 0 && o.beta2 <= 1))
    throw new RangeError(`${name}: beta2: expected a number in (0, 1], got ${o.beta2}`);
  checkInteger(o.updateEvery, `${name}: updateEvery`, 1);
  checkInteger(o.blockSize, `${name}: blockSize`, 1, 4096);
  if (o.graft !== 'none' && o.graft !== 'sgd' && o.graft !== 'adam')
    throw new RangeError(`${name}: graft: expected 'none', 'sgd' or 'adam', got '${o.graft}'`);
  checkBeta(o.momentum, `${name}: momentum`);
  checkNonNegative(o.eps, `${name}: eps`);
  const weight = o.beta2 === 1 ? 1 : 1 - o.beta2;
  const lrLabel = `${name}: lr`;
  let plan: { n: number; blocks: Block[] } | undefined;
  const blocksFor = (n: number): Block[] => {
    if (plan?.n !== n) plan = { n, blocks: planBlocks(name, o.layout, n, o.blockSize) };
    return plan.blocks;
  };
  // Scratch, not state: the gathered block, its preconditioned form and the full step.
  let gb = new Float32Array(0);
  let pb = new Float32Array(0);
  let u = new Float32Array(0);
  let adamDir = new Float32Array(0);

  return {
    kind: 'optimizer',
    name,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      const buffers: Record<string, Float32Array | Float64Array> = {};
      blocksFor(params.length).forEach((b, i) => {
        buffers[`L${i}`] = new Float64Array(b.rows * b.rows);
        buffers[`R${i}`] = new Float64Array(b.cols * b.cols);
        const lRoot = new Float64Array(b.rows * b.rows);
        if (b.order === 1) lRoot[0] = 1; // a vector chunk has no row factor
        buffers[`Lr${i}`] = lRoot;
        buffers[`Rr${i}`] = new Float64Array(b.cols * b.cols);
      });
      if (o.momentum > 0) buffers.buf = new Float32Array(params.length);
      if (o.graft === 'adam') {
        buffers.m = new Float32Array(params.length);
        buffers.v = new Float32Array(params.length);
      }
      return newState(buffers);
    },
    step(params, grads, state) {
      checkStepArgs(name, params, grads);
      const n = params.length;
      const blocks = blocksFor(n);
      const lr = lrAt(o.lr, state.count, lrLabel);
      const t = state.count + 1;
      const refresh = (t - 1) % o.updateEvery === 0;
      const b = getBackend();
      const big = blocks.reduce((a, k) => Math.max(a, k.rows * k.cols), 0);
      if (gb.length < big) {
        gb = new Float32Array(big);
        pb = new Float32Array(big);
      }
      if (u.length !== n) u = new Float32Array(n);
      if (o.graft === 'adam') {
        // Adam's direction m̂/(√v̂ + ε) only sets each block's step norm.
        const m = stateBuffer(name, state, 'm', n);
        const v = stateBuffer(name, state, 'v', n);
        if (adamDir.length !== n) adamDir = new Float32Array(n);
        const bc1 = 1 - ADAM_B1 ** t;
        const bc2 = 1 - ADAM_B2 ** t;
        for (let i = 0; i < n; i++) {
          const g = grads[i] as number;
          const mi = ADAM_B1 * (m[i] as number) + (1 - ADAM_B1) * g;
          const vi = ADAM_B2 * (v[i] as number) + (1 - ADAM_B2) * g * g;
          m[i] = mi;
          v[i] = vi;
          adamDir[i] = mi / bc1 / (Math.sqrt(vi / bc2) + ADAM_EPS);
        }
      }
      blocks.forEach((blk, i) => {
        const { rows, cols } = blk;
        const size = rows * cols;
        const g = gb.subarray(0, size);
        const out = pb.subarray(0, size);
        gather(blk, grads, g);
        const L = f64(name, state, `L${i}`, rows * rows);
        const R = f64(name, state, `R${i}`, cols * cols);
        const lRoot = f64(name, state, `Lr${i}`, rows * rows);
        const rRoot = f64(name, state, `Rr${i}`, cols * cols);
        b.optimShampooStats(g, rows, cols, L, R, o.beta2, weight);
        if (refresh) {
          if (blk.order === 2) b.optimInverseRoot(L, rows, 4, o.eps, lRoot);
          b.optimInverseRoot(R, cols, 2 * blk.order, o.eps, rRoot);
        }
        b.optimShampooPrecondition(g, rows, cols, lRoot, rRoot, out);
        if (o.graft !== 'none') {
          let target = 0;
          if (o.graft === 'sgd') for (let k = 0; k < size; k++) target += (g[k] as number) ** 2;
          else target = sumSqBlock(blk, adamDir);
          let have = 0;
          for (let k = 0; k < size; k++) have += (out[k] as number) ** 2;
          const s = Math.sqrt(target) / (Math.sqrt(have) + 1e-16);
          for (let k = 0; k < size; k++) out[k] = (out[k] as number) * s;
        }
        scatter(blk, out, u);
      });
      if (o.momentum > 0) {
        const buf = stateBuffer(name, state, 'buf', n);
        for (let i = 0; i < n; i++) {
          const d = o.momentum * (buf[i] as number) + (u[i] as number);
          buf[i] = d;
          params[i] = (params[i] as number) - lr * d;
        }
      } else for (let i = 0; i < n; i++) params[i] = (params[i] as number) - lr * (u[i] as number);
      state.count++;
      return true;
    },
  };
}
