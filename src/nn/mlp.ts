// nn.mlp: a multilayer perceptron over one flat Float32Array of parameters. Every call checks
// its arguments, then runs the backend's kernels. The model keeps grow-only scratch (tapes,
// output gradients) so the *Into forms do not allocate in hot loops; a model is therefore not
// meant to be used from two async contexts at once.
import { getBackend } from '../backend/index.js';
import {
  type MlpBatchedScalars,
  type MlpScalars,
  mlpParamCount,
  mlpTapeOutput,
  mlpTapeSize,
} from '../backend/kernels/nn.js';
import type { Key } from '../random/index.js';
import * as random from '../random/index.js';
import { checkFloat32, checkInt32, checkInteger, checkKnownKeys } from '../util/check.js';
import { ACTIVATION_CODES, checkActivation } from './activations.js';
import { ggnvp as gaussNewtonVector } from './ggn.js';
import { initMlp, resolveInit } from './init.js';
import { mlpLayout } from './layout.js';
import { mlpForward64 } from './reference.js';
import type { Loss, Mlp, MlpOptions, VjpResult } from './types.js';

const MAX_WIDTH = 1 << 20;
const MAX_PARAMS = 2 ** 31 - 1;

class Grow {
  private buf = new Float32Array(0);
  get(n: number): Float32Array {
    if (this.buf.length < n) this.buf = new Float32Array(n);
    return this.buf.length === n ? this.buf : this.buf.subarray(0, n);
  }
}

function checkLoss(loss: unknown): asserts loss is Loss {
  const l = loss as Loss;
  if (typeof l !== 'object' || l === null || typeof l.grad !== 'function' || typeof l.check !== 'function')
    throw new TypeError('loss: expected an nn.loss object (nn.loss.mse(target), nn.loss.crossEntropy(labels), ...)');
}

/**
 * A multilayer perceptron: `sizes` [in, h1, ..., out], `activation` on hidden layers,
 * `outputActivation` (default identity) on the last. Parameters are one flat Float32Array with
 * layout `dense{l}.w` [in, out] (row-major), `dense{l}.b` [out] per layer.
 *
 * NaN or Inf in parameters or inputs is not an error: it propagates to the outputs and
 * derivatives (check with `vec.allFinite` where it matters).
 */
export function mlp(options: MlpOptions): Mlp {
  if (typeof options !== 'object' || options === null) throw new TypeError('nn.mlp: expected an options object');
  checkKnownKeys(options, ['sizes', 'activation', 'outputActivation', 'init'], 'nn.mlp');
  const { sizes: sizesIn, activation } = options;
  const outputActivation = options.outputActivation ?? 'identity';
  if (!Array.isArray(sizesIn) && !ArrayBuffer.isView(sizesIn))
    throw new TypeError('nn.mlp: sizes: expected an array of widths');
  if (sizesIn.length < 2) throw new RangeError(`nn.mlp: sizes: expected at least 2 widths, got ${sizesIn.length}`);
  for (let i = 0; i < sizesIn.length; i++) checkInteger(sizesIn[i], `nn.mlp: sizes[${i}]`, 1, MAX_WIDTH);
  checkActivation(activation, 'nn.mlp: activation');
  checkActivation(outputActivation, 'nn.mlp: outputActivation');
  const init = resolveInit(options.init);

  const sizes = Object.freeze([...sizesIn]);
  const sz = Int32Array.from(sizes);
  const hid = ACTIVATION_CODES[activation];
  const outAct = ACTIVATION_CODES[outputActivation];
  const size = mlpParamCount(sizes);
  if (size > MAX_PARAMS)
    throw new RangeError(`nn.mlp: sizes: ${size} parameters, more than the ${MAX_PARAMS} one Float32Array can hold`);
  const inputSize = sizes[0] as number;
  const outputSize = sizes[sizes.length - 1] as number;
  const maxW = Math.max(...sizes);
  const layout = mlpLayout(sizes);
  const tapeBuf = new Grow();
  const gyBuf = new Grow();
  const hyBuf = new Grow();
  // The scalars of the backward kernels, refilled per call (no allocation per step).
  const scalars: MlpScalars = { hidden: hid, output: outAct, batch: 1 };
  const batchedScalars: MlpBatchedScalars = { hidden: hid, output: outAct, tasks: 1 };

  const checkCall = (params: unknown, x: unknown, batch: unknown): void => {
    checkFloat32(params, 'params', size);
    checkInteger(batch, 'batch', 1, Math.floor(2 ** 32 / maxW));
    checkFloat32(x, 'x', batch * inputSize);
  };

  const model: Mlp = {
    sizes,
    activation,
    outputActivation,
    layout,
    size,
    inputSize,
    outputSize,

    init(seed: number | Key): Float32Array {
      const key = typeof seed === 'number' ? random.key(seed) : seed;
      const p = new Float32Array(size);
      initMlp(sizes, init, key, p);
      return p;
    },

    forward(params, x, batch) {
      checkCall(params, x, batch);
      const y = new Float32Array(batch * outputSize);
      getBackend().mlpForward(sz, hid, outAct, params, x, batch, y);
      return y;
    },

    forwardInto(params, x, batch, y) {
      checkCall(params, x, batch);
      checkFloat32(y, 'y', batch * outputSize);
      getBackend().mlpForward(sz, hid, outAct, params, x, batch, y);
      return y;
    },

    vjp(params, x, batch, dy): VjpResult {
      checkCall(params, x, batch);
      const g = new Float32Array(size);
      const gx = new Float32Array(batch * inputSize);
      model.vjpInto(params, x, batch, dy, g, gx);
      return { params: g, inputs: gx };
    },

    vjpInto(params, x, batch, dy, gParams, gInputs = null) {
      checkCall(params, x, batch);
      checkFloat32(dy, 'dy', batch * outputSize);
      checkFloat32(gParams, 'gParams', size);
      if (gInputs !== null) checkFloat32(gInputs, 'gInputs', batch * inputSize);
      getBackend().mlpVjp(sz, hid, outAct, params, x, batch, dy, gParams, gInputs);
    },

    jvp(params, x, batch, v) {
      checkCall(params, x, batch);
      const ydot = new Float32Array(batch * outputSize);
      model.jvpInto(params, x, batch, v, ydot);
      return ydot;
    },

    jvpInto(params, x, batch, v, ydot, y = null) {
      checkCall(params, x, batch);
      checkFloat32(v, 'v', size);
      checkFloat32(ydot, 'ydot', batch * outputSize);
      if (y !== null) checkFloat32(y, 'y', batch * outputSize);
      getBackend().mlpJvp(sz, hid, outAct, params, x, batch, v, y, ydot);
    },

    gradInto(params, x, batch, loss, grad) {
      checkCall(params, x, batch);
      checkLoss(loss);
      checkFloat32(grad, 'grad', size);
      loss.check(outputSize, batch);
      const b = getBackend();
      const tape = tapeBuf.get(mlpTapeSize(sz, batch, false));
      b.mlpForwardTape(sz, hid, outAct, params, x, batch, tape);
      const o = mlpTapeOutput(sz, batch, false);
      const n = batch * outputSize;
      const gy = gyBuf.get(n);
      const value = loss.grad(tape.subarray(o, o + n), batch, gy);
      scalars.batch = batch;
      b.mlpBackwardTape(sz, params, x, tape, gy, grad, null, scalars);
      return value;
    },

    hvp(params, x, batch, loss, v) {
      const out = new Float32Array(size);
      model.hvpInto(params, x, batch, loss, v, out);
      return out;
    },

    hvpInto(params, x, batch, loss, v, out, grad = null) {
      checkCall(params, x, batch);
      checkLoss(loss);
      checkFloat32(v, 'v', size);
      checkFloat32(out, 'out', size);
      if (grad !== null) checkFloat32(grad, 'grad', size);
      loss.check(outputSize, batch);
      if (typeof loss.hvp !== 'function')
        throw new TypeError(`hvp: the loss '${loss.name}' gives no Hessian-vector product (pass an hvp callback)`);
      const b = getBackend();
      const tape = tapeBuf.get(mlpTapeSize(sz, batch, true));
      b.mlpForwardTangentTape(sz, hid, outAct, params, x, batch, v, tape);
      const o = mlpTapeOutput(sz, batch, true);
      const n = batch * outputSize;
      const y = tape.subarray(o, o + n);
      const ydot = tape.subarray(o + n, o + 2 * n);
      const gy = gyBuf.get(n);
      const hy = hyBuf.get(n);
      const value = loss.grad(y, batch, gy);
      loss.hvp(y, batch, ydot, hy);
      scalars.batch = batch;
      b.mlpHvpBackwardTape(sz, params, x, v, tape, gy, hy, out, grad, scalars);
      return value;
    },

    ggnvp(params, x, batch, loss, v) {
      return gaussNewtonVector(model, params, x, batch, loss, v);
    },

    forwardBatched(params, x, rowStart, y) {
      const rows = checkBatched(params, x, rowStart);
      const tasks = rowStart.length - 1;
      const out = y ?? new Float32Array(rows * outputSize);
      checkFloat32(out, 'y', rows * outputSize);
      getBackend().mlpForwardBatched(sz, hid, outAct, tasks, params, x, rowStart, out);
      return out;
    },

    vjpBatched(params, x, rowStart, dy, gParams, gInputs = null) {
      const rows = checkBatched(params, x, rowStart);
      const tasks = rowStart.length - 1;
      checkFloat32(dy, 'dy', rows * outputSize);
      const g = gParams ?? new Float32Array(tasks * size);
      checkFloat32(g, 'gParams', tasks * size);
      if (gInputs !== null) checkFloat32(gInputs, 'gInputs', rows * inputSize);
      batchedScalars.tasks = tasks;
      getBackend().mlpVjpBatched(sz, params, x, rowStart, dy, g, gInputs, batchedScalars);
      return g;
    },

    forward64(params, x, batch) {
      checkInteger(batch, 'batch', 1);
      if (params.length !== size) throw new RangeError(`params: expected length ${size}, got ${params.length}`);
      if (x.length !== batch * inputSize)
        throw new RangeError(`x: expected length ${batch * inputSize}, got ${x.length}`);
      return mlpForward64(sizes, activation, outputActivation, params, x, batch);
    },
  };

  function checkBatched(params: unknown, x: unknown, rowStart: unknown): number {
    checkInt32(rowStart, 'rowStart');
    const tasks = rowStart.length - 1;
    if (tasks < 1) throw new RangeError('rowStart: expected at least 2 entries (tasks + 1)');
    if (rowStart[0] !== 0) throw new RangeError('rowStart: expected rowStart[0] = 0');
    for (let t = 0; t < tasks; t++)
      if ((rowStart[t + 1] as number) < (rowStart[t] as number))
        throw new RangeError(`rowStart: expected non-decreasing entries, rowStart[${t + 1}] < rowStart[${t}]`);
    checkFloat32(params, 'params', tasks * size);
    const rows = rowStart[tasks] as number;
    checkFloat32(x, 'x', rows * inputSize);
    return rows;
  }

  return Object.freeze(model);
}
