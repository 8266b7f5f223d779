// The backends a kernel suite runs against: js always, native unless OUTERLOOP_BACKEND=js
// forces the js backend (the whole suite must pass that way too).
import { afterAll, beforeAll, expect } from 'vitest';
import { backendByName, use } from '../../src/backend/index.js';
import type { Backend, BackendName } from '../../src/backend/types.js';

const forcedJs = process.env.OUTERLOOP_BACKEND === 'js';
const native = forcedJs ? undefined : backendByName('native');
const js = backendByName('js') as Backend;

/** [name, backend] pairs for describe.each. */
export const backends: [string, Backend][] = native
  ? [
      ['native', native],
      ['js', js],
    ]
  : [['js', js]];

/**
 * Runs the enclosing describe block's tests on backend `name` through the public API (`use`), and
 * switches back to the first backend after them.
 */
export function useBackendForSuite(name: string): void {
  beforeAll(() => {
    use(name as BackendName);
  });
  afterAll(() => {
    use(backends[0]![0] as BackendName);
  });
}

/** The native backend, or undefined when it is not under test (then parity suites skip). */
export const nativeBackend: Backend | undefined = native;
export const jsBackend: Backend = js;
export const nativeSkipReason = forcedJs ? 'OUTERLOOP_BACKEND=js' : 'native addon not loadable';

/** Max |a−b| / max(1, |b|) over two arrays. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number));
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

/** Each listed array of `got` within its tolerance (maxRelDiff) of the same-named array of `want`. */
export function expectClose(got: object, want: object, tolerances: Readonly<Record<string, number>>): void {
  const [g, w] = [got as Record<string, ArrayLike<number>>, want as Record<string, ArrayLike<number>>];
  for (const [k, tol] of Object.entries(tolerances)) expect(maxRelDiff(g[k]!, w[k]!), k).toBeLessThan(tol);
}

/** Index of the first element where two arrays differ bitwise (NaN equals NaN), or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return i;
  }
  return -1;
}

/** Title for a parity suite: says why it is skipped only when it is. */
export function paritySuite(title: string): string {
  return nativeBackend ? `${title} (native vs js)` : `${title} (skipped: ${nativeSkipReason})`;
}
