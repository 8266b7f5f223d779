// λ-returns of a time-major rollout and their exact derivatives in γ and λ (values held
// constant, as Xu et al. 2018 treat them): g_t = r_t + γ[(1 − λ) v_{t+1} + λ g_{t+1}], cut at
// terminations (g_t = r_t) and at truncations (g_t = r_t + γ v(finalObs_t)); after the last step
// g_T = v(s_T). λ = 1 gives Monte-Carlo returns bootstrapped at the rollout's end, λ = 0 one-step TD.
//   ∂g_t/∂γ = (1 − λ) v_{t+1} + λ g_{t+1} + γλ ∂g_{t+1}/∂γ
//   ∂g_t/∂λ = γ (g_{t+1} − v_{t+1}) + γλ ∂g_{t+1}/∂λ

/** Rewards and episode ends of a rollout: row t·B + b is step t of env b. */
export interface ReturnInputs {
  steps: number;
  envs: number;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** v(s_t) of every row (the critic at the parameters being updated). */
  values: ArrayLike<number>;
  /** v(s_T) of each env after the last step [B]. */
  lastValues: ArrayLike<number>;
  /** v(finalObs_t) per row; read only where truncated. */
  finalValues: ArrayLike<number>;
}

export interface Returns {
  g: Float64Array;
  dGamma: Float64Array;
  dLambda: Float64Array;
}

/** λ-returns and their γ- and λ-derivatives (float64). */
export function lambdaReturns(r: ReturnInputs, gamma: number, lambda: number): Returns {
  const { steps: T, envs: B } = r;
  const n = T * B;
  const g = new Float64Array(n);
  const dGamma = new Float64Array(n);
  const dLambda = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    // the next step's (value, return, derivatives), starting past the end from v(s_T)
    let vNext = r.lastValues[b] as number;
    let gNext = vNext;
    let dgNext = 0;
    let dlNext = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * B + b;
      const rew = r.rewards[i] as number;
      let gi: number;
      let dg: number;
      let dl: number;
      if (r.terminated[i]) {
        gi = rew;
        dg = 0;
        dl = 0;
      } else if (r.truncated[i]) {
        const vf = r.finalValues[i] as number;
        gi = rew + gamma * vf;
        dg = vf;
        dl = 0;
      } else {
        const mix = (1 - lambda) * vNext + lambda * gNext;
        gi = rew + gamma * mix;
        dg = mix + gamma * lambda * dgNext;
        dl = gamma * (gNext - vNext) + gamma * lambda * dlNext;
      }
      g[i] = gi;
      dGamma[i] = dg;
      dLambda[i] = dl;
      vNext = r.values[i] as number;
      gNext = gi;
      dgNext = dg;
      dlNext = dl;
    }
  }
  return { g, dGamma, dLambda };
}
