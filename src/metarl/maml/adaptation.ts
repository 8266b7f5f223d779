// The inner loop and the derivatives through it, per task. With the inner batches D_0 … D_{K−1}
// held fixed (the meta-gradient differentiates the surrogates, not the sampling, as
// pytorch-maml-rl and cbfinn/maml_rl do):
//   θ_{k+1} = θ_k − α ∇L_k(θ_k),   dθ_{k+1}/dθ_k = I − α ∇²L_k(θ_k)  (symmetric),
// so for an outer objective O(θ_K) the meta-gradient is Π_k (I − α H_k) ∇O, applied from the last
// step back (one exact inner Hessian-vector product per step), and the Hessian of the mean KL
// through the adaptation at θ = θ_old is Jᵀ F(θ_K) J with J = Π (I − α H_k) (the KL's gradient
// vanishes there, so no other term): K products forward, one Fisher product, K back.
// firstOrder drops the H terms (FOMAML: J = I).
import type { PolicyObjectives } from './objectives.js';

/** θ_0 … θ_K of one task: θ_0 = theta, one VPG step per inner batch. */
export function adaptTask(
  theta: Float32Array,
  task: number,
  inner: readonly PolicyObjectives[],
  lr: number,
): Float32Array[] {
  const path = [theta];
  const g = new Float32Array(theta.length);
  let cur = theta;
  for (const obj of inner) {
    obj.innerGrad(cur, task, g);
    const next = new Float32Array(theta.length);
    for (let i = 0; i < next.length; i++) next[i] = (cur[i] as number) - lr * (g[i] as number);
    path.push(next);
    cur = next;
  }
  return path;
}

/** Applies (I − α H_k(θ_k)) to v in place. */
function applyStep(
  obj: PolicyObjectives,
  theta: Float32Array,
  task: number,
  lr: number,
  v: Float32Array,
  hv: Float32Array,
): void {
  obj.innerHvp(theta, task, v, hv);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) - lr * (hv[i] as number);
}

/** Jᵀ g in place: the gradient at θ_K carried back to θ_0 (g unchanged when firstOrder). */
export function backThroughAdaptation(
  path: readonly Float32Array[],
  task: number,
  inner: readonly PolicyObjectives[],
  lr: number,
  firstOrder: boolean,
  g: Float32Array,
): void {
  if (firstOrder) return;
  const hv = new Float32Array(g.length);
  for (let k = inner.length - 1; k >= 0; k--)
    applyStep(inner[k] as PolicyObjectives, path[k] as Float32Array, task, lr, g, hv);
}

/** J v in place: a tangent at θ_0 carried forward to θ_K. */
export function forwardThroughAdaptation(
  path: readonly Float32Array[],
  task: number,
  inner: readonly PolicyObjectives[],
  lr: number,
  firstOrder: boolean,
  v: Float32Array,
): void {
  if (firstOrder) return;
  const hv = new Float32Array(v.length);
  for (let k = 0; k < inner.length; k++)
    applyStep(inner[k] as PolicyObjectives, path[k] as Float32Array, task, lr, v, hv);
}
