// The projected multiplier step shared by every Lagrangian method here (tabular CMDP policies,
// Lagrangian PPO): ascent on μ ≥ 0 along the constraint slack g = J_c − limit,
//   'gda':    μ ← [μ + η g_k]₊,
//   'reload': μ ← [μ + η (2 g_k − g_{k−1})]₊   (optimistic: extrapolates the slack's trend, ReLOAD,
//             Moskovitz et al. AISTATS 2023; g_{−1} = g_0, so the first step equals GDA's).

/** How a multiplier moves: simultaneous gradient ascent or ReLOAD's optimistic ascent. */
export type DualMethod = 'gda' | 'reload';

/** One projected multiplier step; `prevSlack` is the previous step's slack (the first step passes its own). */
export function multiplierStep(mu: number, slack: number, prevSlack: number, lr: number, method: DualMethod): number {
  const g = method === 'reload' ? 2 * slack - prevSlack : slack;
  return Math.max(0, mu + lr * g);
}
