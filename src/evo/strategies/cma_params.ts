// CMA-ES constants (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016, Table 1), positive
// recombination weights only. sep-CMA-ES (Ros & Hansen 2008) scales c1 and cμ by (d + 2)/3.

/** The CMA-ES strategy constants for dimension d, fixed at init (Hansen 2016, Table 1). */
export interface CmaParams {
  /** Population size λ. */
  lambda: number;
  /** Parents recombined, μ = ⌊λ/2⌋. */
  mu: number;
  /** Recombination weights of the μ best, summing to 1. */
  weights: Float64Array;
  /** Variance-effective selection mass μ_eff = 1 / Σ w_i². */
  muEff: number;
  /** Learning rate of the step-size path p_σ. */
  cSigma: number;
  /** Damping of the step-size update. */
  dSigma: number;
  /** Learning rate of the covariance path p_c. */
  cc: number;
  /** Rank-one update rate (scaled by (d + 2)/3 for sep-CMA-ES). */
  c1: number;
  /** Rank-μ update rate (scaled by (d + 2)/3 for sep-CMA-ES). */
  cMu: number;
  /** E‖N(0, I)‖ */
  chiN: number;
}

export function cmaPopSize(d: number): number {
  return 4 + Math.floor(3 * Math.log(d));
}

export function cmaParams(d: number, lambda: number, separable: boolean): CmaParams {
  const mu = Math.floor(lambda / 2);
  const weights = new Float64Array(mu);
  let sum = 0;
  for (let i = 0; i < mu; i++) {
    weights[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1);
    sum += weights[i] as number;
  }
  let sum2 = 0;
  for (let i = 0; i < mu; i++) {
    weights[i] = (weights[i] as number) / sum;
    sum2 += (weights[i] as number) ** 2;
  }
  const muEff = 1 / sum2;
  const cSigma = (muEff + 2) / (d + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (d + 1)) - 1) + cSigma;
  const cc = (4 + muEff / d) / (d + 4 + (2 * muEff) / d);
  let c1 = 2 / ((d + 1.3) ** 2 + muEff);
  let cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((d + 2) ** 2 + muEff));
  if (separable) {
    const f = (d + 2) / 3;
    c1 = Math.min(1, c1 * f);
    cMu = Math.min(1 - c1, cMu * f);
  }
  const chiN = Math.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d));
  return { lambda, mu, weights, muEff, cSigma, dSigma, cc, c1, cMu, chiN };
}
