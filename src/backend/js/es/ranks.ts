// Centered ranks: the twin of native/core/es/ranks.cc (ties share their mean rank; non-finite
// values rank above every finite one and tie with each other).
import type { EsKernels } from '../../kernels/es.js';

function before(a: number, b: number): boolean {
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (fa !== fb) return fa;
  return fa && a < b;
}

export const esCenteredRanks: EsKernels['esCenteredRanks'] = (fitness, out) => {
  const n = fitness.length;
  if (out.length !== n) throw new RangeError(`out: expected length ${n}, got ${out.length}`);
  if (n === 0) return;
  if (n === 1) {
    out[0] = 0;
    return;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const x = fitness[a] as number;
    const y = fitness[b] as number;
    if (before(x, y)) return -1;
    if (before(y, x)) return 1;
    return a - b;
  });
  const denom = n - 1;
  for (let k = 0; k < n; ) {
    let end = k + 1;
    while (end < n && !before(fitness[order[k] as number] as number, fitness[order[end] as number] as number)) end++;
    const rank = 0.5 * (k + end - 1);
    for (let t = k; t < end; t++) out[order[t] as number] = rank / denom - 0.5;
    k = end;
  }
};
