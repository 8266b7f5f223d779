// Centered ranks: the twin of native/core/es/ranks.cc (stable sort; non-finite values rank above
// every finite one, in index order).

export function esCenteredRanks(fitness: Float64Array, out: Float64Array): void {
  const n = fitness.length;
  if (out.length !== n) throw new RangeError(`out: expected length ${n}, got ${out.length}`);
  if (n === 0) return;
  if (n === 1) {
    out[0] = 0;
    return;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const fa = fitness[a] as number;
    const fb = fitness[b] as number;
    const finA = Number.isFinite(fa);
    const finB = Number.isFinite(fb);
    if (finA !== finB) return finA ? -1 : 1;
    if (finA && fa !== fb) return fa < fb ? -1 : 1;
    return a - b;
  });
  const denom = n - 1;
  for (let k = 0; k < n; k++) out[order[k] as number] = k / denom - 0.5;
}
