// Sinusoid regression (Finn et al. 2017): y = A·sin(x − φ), A ~ U[0.1, 5], φ ~ U[0, π],
// x ~ U[−5, 5]. Reptile's variant (Nichol et al. 2018) draws φ ~ U[0, 2π].
import type { Key } from '../../random/index.js';
import { checkKnownKeys, checkNumber } from '../../util/check.js';
import { checkSampleArgs, fold, normal, uniform } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.sine`: sinusoid regression tasks (amplitude and phase ranges). */
export interface SineOptions {
  /** Amplitude range (default [0.1, 5]). */
  amplitude?: [number, number];
  /** Phase range (default [0, π]; Reptile's variant uses [0, 2π]). */
  phase?: [number, number];
  /** Input range (default [−5, 5]). */
  x?: [number, number];
  /** 'maml' (phase U[0, π], the default) or 'reptile' (phase U[0, 2π]). */
  variant?: 'maml' | 'reptile';
  /** Standard deviation of Gaussian noise added to the targets (default 0). */
  noise?: number;
}

function checkInterval(v: unknown, name: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name}: expected [low, high]`);
  checkNumber(v[0], `${name}[0]`);
  checkNumber(v[1], `${name}[1]`);
  if (!(v[0] <= v[1])) throw new RangeError(`${name}: expected low <= high, got [${v[0]}, ${v[1]}]`);
  return [v[0], v[1]];
}

/** The sinusoid family. `meta.tasks.sine()` is exactly Finn et al.'s; `{ variant: 'reptile' }` is Reptile's. */
export function sine(options: SineOptions = {}): TaskDistribution {
  checkKnownKeys(options, ['amplitude', 'phase', 'x', 'variant', 'noise'], 'meta.tasks.sine');
  const variant = options.variant ?? 'maml';
  if (variant !== 'maml' && variant !== 'reptile')
    throw new RangeError(`meta.tasks.sine: variant: expected 'maml' or 'reptile', got '${String(variant)}'`);
  const amp = checkInterval(options.amplitude ?? [0.1, 5], 'meta.tasks.sine: amplitude');
  const phase = checkInterval(
    options.phase ?? [0, variant === 'reptile' ? 2 * Math.PI : Math.PI],
    'meta.tasks.sine: phase',
  );
  const xr = checkInterval(options.x ?? [-5, 5], 'meta.tasks.sine: x');
  const noise = options.noise ?? 0;
  checkNumber(noise, 'meta.tasks.sine: noise');
  if (noise < 0) throw new RangeError(`meta.tasks.sine: noise: expected >= 0, got ${noise}`);

  const truth = (p: ArrayLike<number>, x: Float32Array): Float32Array => {
    const a = p[0] as number;
    const ph = p[1] as number;
    const y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = a * Math.sin((x[i] as number) - ph);
    return y;
  };

  return {
    name: variant === 'reptile' ? 'sine-reptile' : 'sine',
    kind: 'regression',
    inputDim: 1,
    outputDim: 1,
    truth,
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const rows = shots + queries;
      // One stream: per task [amplitude, phase, x_0 .. x_{rows-1}]; noise from a second stream.
      const per = 2 + rows;
      const u = uniform(fold(key, 0), count * per);
      const supportX = new Float32Array(count * shots);
      const supportY = new Float32Array(count * shots);
      const queryX = new Float32Array(count * queries);
      const queryY = new Float32Array(count * queries);
      const taskParams = new Float64Array(count * 2);
      const z = noise > 0 ? normal(fold(key, 1), count * rows) : undefined;
      for (let t = 0; t < count; t++) {
        const base = t * per;
        const a = Math.fround(amp[0] + (amp[1] - amp[0]) * (u[base] as number));
        const ph = Math.fround(phase[0] + (phase[1] - phase[0]) * (u[base + 1] as number));
        taskParams[2 * t] = a;
        taskParams[2 * t + 1] = ph;
        for (let r = 0; r < rows; r++) {
          const x = xr[0] + (xr[1] - xr[0]) * (u[base + 2 + r] as number);
          let y = a * Math.sin(x - ph);
          if (z) y += noise * (z[t * rows + r] as number);
          if (r < shots) {
            supportX[t * shots + r] = x;
            supportY[t * shots + r] = y;
          } else {
            queryX[t * queries + r - shots] = x;
            queryY[t * queries + r - shots] = y;
          }
        }
      }
      return {
        count,
        inputDim: 1,
        outputDim: 1,
        kind: 'regression',
        supportRows: shots,
        queryRows: queries,
        supportX,
        supportY,
        queryX,
        queryY,
        taskParams,
        paramsPerTask: 2,
      };
    },
  };
}
