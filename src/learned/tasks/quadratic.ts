// learned.tasks.quadratic, exactly as ../shared/design/API.md defines it: f(x) = ½(x−c)ᵀQ(x−c) with
// Q = Rᵀdiag(λ)R, R a Haar-random rotation, λ log-uniform in [minEig, maxEig], c and x₀ ~ N(0, I);
// the gradient carries N(0, noise²) noise per coordinate, the value is exact.
import { fold, type Key, normal, split, uniform } from '../../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange, checkUint32 } from '../../util/check.js';
import type { Task, TaskFamily } from '../types.js';

/** Options of `learned.tasks.quadratic`: the family of random quadratic tasks. */
export interface QuadraticOptions {
  /** Dimension of x. */
  dim: number;
  /** Smallest eigenvalue bound (default 1e-2). */
  minEig?: number;
  /** Largest eigenvalue bound (default 10). */
  maxEig?: number;
  /** Std of the additive gradient noise (default 0). */
  noise?: number;
}

/** A sampled quadratic; Q, c and λ are exposed for checks. */
export interface QuadraticTask extends Task {
  /** Q [dim × dim] row-major, float64. */
  readonly q: Float64Array;
  readonly center: Float64Array;
  /** The eigenvalues λ (unsorted, as drawn). */
  readonly eigenvalues: Float64Array;
  readonly noise: number;
}

/**
 * The standard-normal draws z [dim] of a quadratic task's `call`-th gradient (call count since its
 * last fork with `key`): the gradient is Q(x − c) + noise·z. The batched population path draws
 * the same numbers through this one function.
 */
export function quadraticNoise(key: Key, call: number, dim: number): Float32Array {
  return normal(fold(key, call), dim);
}

// Tasks built here (the population kernel may stand in for their lossAndGrad).
const BUILT = new WeakSet<object>();

/** Whether `task` is a quadratic of learned.tasks.quadratic (not a look-alike). */
export function isQuadraticTask(task: Task): task is QuadraticTask {
  return BUILT.has(task);
}

/** Haar rotation from the Gram-Schmidt of a Gaussian matrix (rows orthonormalised in order). */
function rotation(z: Float32Array, d: number): Float64Array {
  const r = Float64Array.from(z);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += (r[i * d + k] as number) * (r[j * d + k] as number);
      for (let k = 0; k < d; k++) r[i * d + k] = (r[i * d + k] as number) - dot * (r[j * d + k] as number);
    }
    let nrm = 0;
    for (let k = 0; k < d; k++) nrm += (r[i * d + k] as number) ** 2;
    nrm = Math.sqrt(nrm);
    for (let k = 0; k < d; k++) r[i * d + k] = (r[i * d + k] as number) / nrm;
  }
  return r;
}

function makeTask(
  q: Float64Array,
  center: Float64Array,
  eigenvalues: Float64Array,
  x0: Float32Array,
  noise: number,
  noiseKey: Key,
): QuadraticTask {
  const d = center.length;
  let calls = 0;
  const diff = new Float64Array(d);
  const task: QuadraticTask = {
    dim: d,
    q,
    center,
    eigenvalues,
    noise,
    init: () => Float32Array.from(x0),
    lossAndGrad(p: Float32Array) {
      checkFloat32(p, 'quadratic task lossAndGrad: params', d);
      for (let i = 0; i < d; i++) diff[i] = (p[i] as number) - (center[i] as number);
      const grad = new Float32Array(d);
      const z = noise > 0 ? quadraticNoise(noiseKey, calls, d) : null;
      calls++;
      let value = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (q[i * d + j] as number) * (diff[j] as number);
        value += 0.5 * (diff[i] as number) * s;
        grad[i] = s + (z ? noise * (z[i] as number) : 0);
      }
      return { value, grad };
    },
    fork(key: Key) {
      checkUint32(key, 'quadratic task fork: key', 2);
      return makeTask(q, center, eigenvalues, x0, noise, key);
    },
  };
  BUILT.add(task);
  return task;
}

/** The quadratic family: its samples expose Q, c and λ. */
export interface QuadraticFamily extends TaskFamily {
  sample(key: Key, n: number): QuadraticTask[];
}

/** The quadratic task family of API.md. */
export function quadratic(options: QuadraticOptions): QuadraticFamily {
  checkKnownKeys(options, ['dim', 'minEig', 'maxEig', 'noise'], 'learned.tasks.quadratic');
  const { dim } = options;
  checkInteger(dim, 'learned.tasks.quadratic: dim', 1, 4096);
  const minEig = options.minEig ?? 1e-2;
  const maxEig = options.maxEig ?? 10;
  const noise = options.noise ?? 0;
  checkRange(minEig, 'learned.tasks.quadratic: minEig', Number.MIN_VALUE, Number.MAX_VALUE);
  checkRange(maxEig, 'learned.tasks.quadratic: maxEig', minEig, Number.MAX_VALUE);
  checkRange(noise, 'learned.tasks.quadratic: noise', 0, Number.MAX_VALUE);
  return {
    name: `quadratic(dim=${dim})`,
    sample(key: Key, n: number): QuadraticTask[] {
      checkUint32(key, 'learned.tasks.quadratic sample: key', 2);
      checkInteger(n, 'learned.tasks.quadratic sample: n', 1);
      return split(key, n).map((k) => {
        const [kr, kl, kc, kx, kn] = split(k, 5) as [Key, Key, Key, Key, Key];
        const r = rotation(normal(kr, dim * dim), dim);
        const u = uniform(kl, dim);
        const lo = Math.log(minEig);
        const hi = Math.log(maxEig);
        const eig = Float64Array.from(u, (x) => Math.exp(lo + (hi - lo) * x));
        // Q = Rᵀ diag(λ) R
        const q = new Float64Array(dim * dim);
        for (let i = 0; i < dim; i++)
          for (let j = 0; j < dim; j++) {
            let s = 0;
            for (let k2 = 0; k2 < dim; k2++)
              s += (r[k2 * dim + i] as number) * (eig[k2] as number) * (r[k2 * dim + j] as number);
            q[i * dim + j] = s;
          }
        const center = Float64Array.from(normal(kc, dim));
        return makeTask(q, center, eig, normal(kx, dim), noise, kn);
      });
    },
  };
}
