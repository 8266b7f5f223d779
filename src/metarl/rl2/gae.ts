// Advantages of RL²: the trial is the unit of the objective, so GAE (Schulman et al. 2016) runs
// over the whole trial and ignores the episode boundaries inside it (garage's RL² concatenates a
// trial's episodes into one path). Only the trial's last step is terminal (bootstrap 0).

/**
 * GAE over time-major trials: `rewards` and `values` are [steps × batch]; writes advantages into
 * `adv` and λ-returns (adv + value) into `ret`.
 */
export function trialGae(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  steps: number,
  batch: number,
  gamma: number,
  lambda: number,
  adv: Float64Array,
  ret: Float64Array,
): void {
  for (let b = 0; b < batch; b++) {
    let next = 0;
    let nextV = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const i = t * batch + b;
      const v = values[i] as number;
      const delta = (rewards[i] as number) + gamma * nextV - v;
      next = delta + gamma * lambda * next;
      adv[i] = next;
      ret[i] = next + v;
      nextV = v;
    }
  }
}
