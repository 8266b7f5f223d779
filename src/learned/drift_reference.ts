// The drifts the hand-designed objectives imply, for plots beside a learned one (mirror learning,
// Kuba et al. 2022; reference notes §12.1 and §12.3):
//   PPO-clip: min(r·A, clip(r, 1 − ε, 1 + ε)·A) = r·A − D_PPO, D_PPO = relu((r − clip(r, 1 − ε, 1 + ε))·A);
//   DPO (Lu et al. 2022, purejaxrl dpo_continuous_action.py): for A ≥ 0, relu((r − 1)·A − α·tanh((r − 1)·A/α));
//   for A < 0, relu(log(r)·A − β·tanh(log(r)·A/β)).

/** PPO-clip's implied drift relu((r − clip(r, 1 − ε, 1 + ε))·A). */
export function ppoClipDrift(r: number, a: number, clipEps = 0.2): number {
  const c = Math.min(Math.max(r, 1 - clipEps), 1 + clipEps);
  return Math.max(0, (r - c) * a);
}

/** DPO's closed-form drift (α = 2, β = 0.6 by default, as rl.ppo's 'dpo'). */
export function dpoDrift(r: number, a: number, alpha = 2, beta = 0.6): number {
  const u = a >= 0 ? (r - 1) * a : Math.log(r) * a;
  const s = a >= 0 ? alpha : beta;
  return u > 0 ? u - s * Math.tanh(u / s) : 0;
}
