// Generalized Advantage Estimation (Schulman et al. 2016) over a [numSteps × numEnvs] rollout.
//
// Bootstrapping at truncation is folded into the rewards by the collector: at a time-limit step
// it adds γ·V(finalObs) to the reward, so here every episode end (terminated or truncated) simply
// stops the recursion. A terminated step thus bootstraps 0, a truncated one V(finalObs).

/**
 * advantages[t,i] = δ_t + γλ(1 − done_t)·A_{t+1},
 * δ_t = r_t + γ(1 − done_t)·V_{t+1} − V_t, with V_T = lastValues; returns = advantages + values.
 * All arrays are time-major [numSteps × numEnvs].
 */
export function gae(
  numSteps: number,
  numEnvs: number,
  rewards: Float32Array,
  values: Float32Array,
  dones: Uint8Array,
  lastValues: Float32Array,
  gamma: number,
  lambda: number,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  for (let i = 0; i < numEnvs; i++) {
    let next = 0;
    let nextValue = lastValues[i] as number;
    for (let t = numSteps - 1; t >= 0; t--) {
      const k = t * numEnvs + i;
      const notDone = dones[k] ? 0 : 1;
      const v = values[k] as number;
      const delta = (rewards[k] as number) + gamma * nextValue * notDone - v;
      next = delta + gamma * lambda * notDone * next;
      advantages[k] = next;
      returns[k] = next + v;
      nextValue = v;
    }
  }
}
