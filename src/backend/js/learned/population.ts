// Twin of native/core/learned/population.cc: the population's members one after another, each
// taking K steps of the quadratic task (float64 loss and gradient in the order of
// src/learned/tasks/quadratic.ts) and the learnedMlpStep twin. Arguments are checked as
// native/napi/learned.cc checks them.
import type { LearnedKernels } from '../../kernels/learned.js';
import { learnedMlpStep } from './mlp_step.js';

const WHOLE = new Uint32Array(2);
const ONE = new Float32Array([1]);

function fail(kind: 'type' | 'range', msg: string): never {
  const m = `learnedQuadraticPopulation: ${msg}`;
  throw kind === 'type' ? new TypeError(m) : new RangeError(m);
}

function isInt(x: unknown, lo: number, hi: number): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
}

/** ½(x − c)ᵀQ(x − c) into the return, float32(Q(x − c) + noise·z) into g (z null: + 0). */
function lossAndGrad(
  p: Float32Array,
  q: Float64Array,
  qo: number,
  c: Float64Array,
  co: number,
  z: Float32Array | null,
  zo: number,
  noise: number,
  d: number,
  diff: Float64Array,
  g: Float32Array,
): number {
  for (let i = 0; i < d; i++) diff[i] = (p[i] as number) - (c[co + i] as number);
  let value = 0;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (q[qo + i * d + j] as number) * (diff[j] as number);
    value += 0.5 * (diff[i] as number) * s;
    g[i] = s + (z !== null ? noise * (z[zo + i] as number) : 0);
  }
  return value;
}

export const learnedQuadraticPopulation: LearnedKernels['learnedQuadraticPopulation'] = (
  params,
  acc,
  counts,
  thetas,
  widths,
  q,
  centers,
  taskOf,
  noiseDraws,
  losses,
  scalars,
) => {
  for (const [name, a] of [
    ['params', params],
    ['acc', acc],
    ['thetas', thetas],
    ['noise', noiseDraws],
  ] as const)
    if (!(a instanceof Float32Array)) fail('type', `${name}: expected a Float32Array`);
  for (const [name, a] of [
    ['counts', counts],
    ['q', q],
    ['centers', centers],
    ['losses', losses],
  ] as const)
    if (!(a instanceof Float64Array)) fail('type', `${name}: expected a Float64Array`);
  if (!(widths instanceof Int32Array)) fail('type', 'widths: expected an Int32Array');
  if (!(taskOf instanceof Uint32Array)) fail('type', 'taskOf: expected a Uint32Array');
  if (typeof scalars !== 'object' || scalars === null) fail('type', 'scalars: expected an object of named numbers');
  for (const k of ['dim', 'steps', 'noise', 'stepMult', 'expMult'] as const) {
    const v = scalars[k];
    if (typeof v !== 'number') fail('type', `scalars.${k}: expected a number`);
    if (!Number.isFinite(v)) fail('range', `scalars.${k}: expected a finite number, got ${v}`);
  }
  const { dim: d, steps: K, noise, stepMult, expMult } = scalars;
  if (!isInt(d, 1, 4096)) fail('range', 'scalars.dim: expected an integer in [1, 4096]');
  if (!isInt(K, 1, 1e6)) fail('range', 'scalars.steps: expected an integer in [1, 1e6]');
  if (noise < 0) fail('range', 'scalars.noise: expected a number >= 0');
  const M = counts.length;
  for (let m = 0; m < M; m++) if (!((counts[m] as number) >= 0)) fail('range', `counts[${m}]: expected a count >= 0`);
  const len = (name: string, got: number, want: number) => {
    if (got !== want) fail('range', `${name}: expected length ${want}, got ${got}`);
  };
  len('params', params.length, M * d);
  len('acc', acc.length, M * 7 * d);
  // widths and θ are checked by the step twin; the θ length here
  let size = 0;
  for (let l = 0; l + 1 < widths.length; l++)
    size += (widths[l] as number) * (widths[l + 1] as number) + (widths[l + 1] as number);
  if (widths.length < 2) fail('range', 'widths: expected at least 2 layer sizes');
  len('thetas', thetas.length, M * size);
  if (centers.length % d !== 0)
    fail('range', `centers: expected a multiple of dim (${d}), got length ${centers.length}`);
  const T = centers.length / d;
  len('q', q.length, T * d * d);
  len('taskOf', taskOf.length, M);
  for (let m = 0; m < M; m++)
    if ((taskOf[m] as number) >= T) fail('range', `taskOf[${m}]: expected a task index < ${T}`);
  len('noise', noiseDraws.length, noise > 0 ? T * K * d : 0);
  len('losses', losses.length, M * (K + 1));
  const diff = new Float64Array(d);
  const g = new Float32Array(d);
  const z = noise > 0 ? noiseDraws : null;
  const step = { count: 0, stepMult, expMult };
  WHOLE[1] = d;
  for (let m = 0; m < M; m++) {
    const t = taskOf[m] as number;
    const p = params.subarray(m * d, (m + 1) * d);
    const a = acc.subarray(m * 7 * d, (m + 1) * 7 * d);
    const theta = thetas.subarray(m * size, (m + 1) * size);
    const out = m * (K + 1);
    for (let k = 0; k < K; k++) {
      losses[out + k] = lossAndGrad(p, q, t * d * d, centers, t * d, z, (t * K + k) * d, noise, d, diff, g);
      step.count = counts[m] as number;
      learnedMlpStep(p, g, a, theta, widths, WHOLE, ONE, step);
      counts[m] = (counts[m] as number) + 1;
    }
    losses[out + K] = lossAndGrad(p, q, t * d * d, centers, t * d, null, 0, 0, d, diff, g);
  }
};
