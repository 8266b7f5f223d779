// Consensus weights of CBO. The weights exp(−α L_i) are computed as exp(−α(L_i − min L)) so
// no α·L overflows, and α can be chosen per generation from the losses themselves: a fixed α
// that separates losses of size 10 gives uniform weights once the losses are 1e-6, which stops
// selection (and progress). Choosing α so that the effective sample size (Σω)²/Σω² is a set
// fraction of the particles (as CBXpy's effective-sample-size scheduler does, after Carrillo,
// Hoffmann, Stuart and Vaes 2022) keeps the selection pressure constant at every loss scale.

/** Loss gaps L_i − min L (+Inf for non-finite losses, which get weight 0). */
export function lossGaps(losses: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  for (const l of losses) if (l < lo) lo = l;
  const gaps = new Float64Array(losses.length);
  for (let i = 0; i < losses.length; i++) {
    const l = losses[i] as number;
    gaps[i] = Number.isFinite(l) ? l - lo : Number.POSITIVE_INFINITY;
  }
  return gaps;
}

/** Weights exp(−α·gap); non-finite gaps weigh 0. The best member weighs 1. */
export function consensusWeights(gaps: Float64Array, alpha: number): Float64Array {
  const w = new Float64Array(gaps.length);
  for (let i = 0; i < gaps.length; i++) {
    const g = gaps[i] as number;
    w[i] = Number.isFinite(g) ? (g === 0 ? 1 : Math.exp(-alpha * g)) : 0;
  }
  return w;
}

/** Effective sample size (Σw)²/Σw² of weights exp(−α·gap). */
export function effectiveSampleSize(gaps: Float64Array, alpha: number): number {
  let s1 = 0;
  let s2 = 0;
  for (const w of consensusWeights(gaps, alpha)) {
    s1 += w;
    s2 += w * w;
  }
  return (s1 * s1) / s2;
}

/**
 * The α at which the weights' effective sample size is `ess`·(finite members), by bisection on
 * log α (the ESS falls monotonically as α grows). α is bracketed relative to the largest finite
 * gap, so the result scales as 1/(loss scale). Returns 0 when all finite losses are equal, and
 * the bracket's top when even that leaves more than the target (ties at the minimum).
 */
export function essAlpha(gaps: Float64Array, ess: number): number {
  let maxGap = 0;
  let finite = 0;
  for (const g of gaps)
    if (Number.isFinite(g)) {
      finite++;
      if (g > maxGap) maxGap = g;
    }
  if (maxGap === 0) return 0;
  const want = ess * finite;
  let lo = Math.log(1e-6 / maxGap);
  let hi = Math.log(1e12 / maxGap);
  if (effectiveSampleSize(gaps, Math.exp(lo)) <= want) return Math.exp(lo);
  if (effectiveSampleSize(gaps, Math.exp(hi)) >= want) return Math.exp(hi);
  for (let k = 0; k < 50; k++) {
    const mid = 0.5 * (lo + hi);
    if (effectiveSampleSize(gaps, Math.exp(mid)) > want) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}
