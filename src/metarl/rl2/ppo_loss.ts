// The PPO objective of one minibatch of whole trials (Schulman et al. 2017, as in
// openai/baselines ppo2 without value clipping): clipped surrogate, squared value error and an
// entropy bonus, averaged over every step, with analytic gradients w.r.t. logits and values.

/** Inputs of `ppoLoss`; every per-step array has `n` rows. */
export interface PpoLossInputs {
  /** [n × actions] current logits. */
  logits: ArrayLike<number>;
  /** [n] current values. */
  values: ArrayLike<number>;
  actions: ArrayLike<number>;
  /** [n] log-probabilities of the actions under the rollout policy. */
  oldLogp: ArrayLike<number>;
  /** [n] advantages (already normalized if wanted). */
  adv: ArrayLike<number>;
  /** [n] value targets. */
  returns: ArrayLike<number>;
  numActions: number;
  clip: number;
  vfCoef: number;
  entCoef: number;
}

/** The loss, its gradients and diagnostics. */
export interface PpoLossResult {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** Mean of (ratio − 1) − log ratio, the k3 estimate of KL(old ‖ new). */
  approxKl: number;
  clipFraction: number;
  dLogits: Float64Array;
  dValues: Float64Array;
}

/** Loss = mean[−min(ρA, clip(ρ)A)] + vfCoef·mean[½(v − R)²] − entCoef·mean[H(π)]. */
export function ppoLoss(x: PpoLossInputs): PpoLossResult {
  const A = x.numActions;
  const n = x.values.length;
  const dLogits = new Float64Array(n * A);
  const dValues = new Float64Array(n);
  const pi = new Float64Array(A);
  const lp = new Float64Array(A);
  let pl = 0;
  let vl = 0;
  let ent = 0;
  let kl = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < A; a++) m = Math.max(m, x.logits[i * A + a] as number);
    let z = 0;
    for (let a = 0; a < A; a++) z += Math.exp((x.logits[i * A + a] as number) - m);
    const lz = m + Math.log(z);
    let h = 0;
    for (let a = 0; a < A; a++) {
      lp[a] = (x.logits[i * A + a] as number) - lz;
      pi[a] = Math.exp(lp[a] as number);
      h -= (pi[a] as number) * (lp[a] as number);
    }
    const act = x.actions[i] as number;
    const logr = (lp[act] as number) - (x.oldLogp[i] as number);
    const ratio = Math.exp(logr);
    const adv = x.adv[i] as number;
    const s1 = ratio * adv;
    const rc = Math.min(Math.max(ratio, 1 - x.clip), 1 + x.clip);
    const s2 = rc * adv;
    pl -= Math.min(s1, s2);
    // The gradient flows through the unclipped term only where it is the smaller one.
    const dLogp = s1 <= s2 ? -adv * ratio : 0;
    if (s1 > s2) clipped++;
    kl += ratio - 1 - logr;
    ent += h;
    for (let a = 0; a < A; a++) {
      const p = pi[a] as number;
      // d(−H)/dz_a = π_a (log π_a + H)
      dLogits[i * A + a] = (dLogp * ((a === act ? 1 : 0) - p) + x.entCoef * p * ((lp[a] as number) + h)) / n;
    }
    const e = (x.values[i] as number) - (x.returns[i] as number);
    vl += 0.5 * e * e;
    dValues[i] = (x.vfCoef * e) / n;
  }
  const policyLoss = pl / n;
  const valueLoss = vl / n;
  const entropy = ent / n;
  return {
    loss: policyLoss + x.vfCoef * valueLoss - x.entCoef * entropy,
    policyLoss,
    valueLoss,
    entropy,
    approxKl: kl / n,
    clipFraction: clipped / n,
    dLogits,
    dValues,
  };
}
