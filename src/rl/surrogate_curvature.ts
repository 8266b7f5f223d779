/**
 * The curvature of PPO's clipped surrogate (the policy loss) w.r.t. the actor's parameters, for the
 * policy-gradient-subspace diagnostics of Schneider et al. ("Identifying Policy Gradient
 * Subspaces", ICLR 2024) through `nn.curvature`.
 *
 * The surrogate is written as an `nn.loss.custom` over the actor's outputs (logits, or Gaussian
 * means with the state-independent log-stds held fixed), with its exact gradient and Hessian-vector
 * product w.r.t. those outputs in closed form; nn's R-operator then gives exact parameter HVPs.
 * Per row, with Â the (optionally minibatch-normalized) advantage and r = exp(log π − log π_old):
 *   ℓ = −min(r·Â, clip(r, 1 ± ε)·Â)/B − entCoef·H(π)/B,
 * whose r-term has gradient −r·Â·∇log π/B and Hessian −r·Â·(∇log π ∇log πᵀ + ∇² log π)/B where the
 * unclipped branch is active (the same tie rule as the training kernel: unclipped ≤ clipped) and
 * zero where the ratio is clipped. For a categorical policy ∇log π = e_a − p and
 * ∇² log π = −(diag p − ppᵀ); for a Gaussian mean ∇log π = (a − μ)/σ² and ∇² log π = −diag(1/σ²)
 * (the Gaussian entropy does not depend on the mean, so entCoef only acts on categorical policies).
 *
 * @module
 */
import * as nn from '../nn/index.js';
import type { Loss, Mlp } from '../nn/types.js';
import type { CurvatureOracle } from '../optim/types.js';
import { checkFloat32, checkInt32, checkKnownKeys, checkNumber } from '../util/check.js';
import type { ActionSpec } from './model.js';
import type { Policy } from './policy.js';

const HALF_LOG_2PI = 0.9189385332046727;

/** A batch of PPO rollout data: what the surrogate is evaluated on (B rows). */
export interface SurrogateBatch {
  /** Observations as the actor sees them (normalized, if the policy normalizes), B × obsDim. */
  obs: Float32Array;
  /** Actions: B indices (discrete) or B × dim values (box). */
  actions: Int32Array | Float32Array;
  /** Advantages (B), normalized over the batch when `normalizeAdv` (as PPO's minibatches are). */
  advantages: Float32Array;
  /** log π_old(a|s) of the policy that collected the data (B). */
  oldLogp: Float32Array;
}

/** The surrogate's coefficients (PPO's defaults). */
export interface SurrogateOptions {
  /** Clip range ε (default 0.2); Infinity gives the unclipped importance-sampled r·Â. */
  clipEps?: number;
  /** Entropy bonus weight (default 0: the policy loss alone, as Schneider et al. analyze). */
  entCoef?: number;
  /** Normalize the advantages over the batch, mean 0 and unbiased std 1 (default true, as PPO). */
  normalizeAdv?: boolean;
}

/** The surrogate's curvature source: `nn.curvature`/`nn.hessianEigs` input and an oracle over it. */
export interface SurrogateCurvature {
  /** The actor MLP. */
  net: Mlp;
  /** A view of the policy's actor parameters (the oracle follows them when they change). */
  params: Float32Array;
  /** The observations (the actor's input). */
  x: Float32Array;
  /** Rows. */
  batch: number;
  /** The surrogate as a loss over the actor's outputs. */
  loss: Loss;
  /** Exact HVPs (and GGN products) of the surrogate w.r.t. the actor parameters. */
  oracle: Required<CurvatureOracle>;
}

function normalizedAdvantages(adv: Float32Array, normalize: boolean): Float64Array {
  const a = Float64Array.from(adv);
  const B = a.length;
  if (!normalize || B < 2) return a;
  let s = 0;
  for (const v of a) s += v;
  const m = s / B;
  let ss = 0;
  for (const v of a) ss += (v - m) ** 2;
  // The training kernel's scale: 1/(unbiased std + 1e-8).
  const inv = 1 / (Math.sqrt(ss / (B - 1)) + 1e-8);
  return a.map((v) => (v - m) * inv);
}

/**
 * PPO's clipped surrogate over the actor outputs y [B × width] as an nn loss with exact gradient
 * and output-Hessian products. The first `action` columns of each row are the policy head (logits
 * or means); any further columns (a shared trunk's value head) get zero derivatives. `logStd` is
 * required for box actions and held fixed.
 */
export function surrogateLoss(
  action: ActionSpec,
  data: SurrogateBatch,
  options: SurrogateOptions = {},
  logStd?: Float32Array,
): Loss {
  const fn = 'rl.surrogateLoss';
  checkKnownKeys(options, ['clipEps', 'entCoef', 'normalizeAdv'], fn);
  const eps = options.clipEps ?? 0.2;
  const entCoef = options.entCoef ?? 0;
  // Infinity is allowed (no clipping); NaN and negatives are not.
  if (typeof eps !== 'number') throw new TypeError(`${fn}: clipEps: expected a number`);
  checkNumber(entCoef, `${fn}: entCoef`);
  if (!(eps >= 0)) throw new RangeError(`${fn}: clipEps: expected ≥ 0, got ${eps}`);
  if (typeof data !== 'object' || data === null) throw new TypeError(`${fn}: data: expected an object`);
  checkFloat32(data.advantages, `${fn}: data.advantages`);
  const B = data.advantages.length;
  if (B < 1) throw new RangeError(`${fn}: data: expected at least one row`);
  checkFloat32(data.oldLogp, `${fn}: data.oldLogp`, B);
  const box = action.type === 'box';
  const K = box ? action.dim : action.n;
  if (box) {
    checkFloat32(data.actions, `${fn}: data.actions`, B * K);
    checkFloat32(logStd, `${fn}: logStd`, K);
  } else {
    checkInt32(data.actions, `${fn}: data.actions`, B);
    for (const a of data.actions)
      if (!(a >= 0 && a < K)) throw new RangeError(`${fn}: data.actions: ${a} is not an action of ${K}`);
  }
  const adv = normalizedAdvantages(data.advantages, options.normalizeAdv ?? true);
  const actions = data.actions;
  const oldLogp = data.oldLogp;
  const invVar = box ? Float64Array.from(logStd as Float32Array, (s) => Math.exp(-2 * s)) : new Float64Array(0);
  const logp = new Float64Array(K); // per-row scratch: log π(·|s) (categorical)
  const dlogp = new Float64Array(K); // ∇_y log π(a|s)
  const width = (y: ArrayLike<number>) => {
    const w = y.length / B;
    if (!Number.isInteger(w) || w < K) throw new RangeError(`${fn}: outputs: expected ${B} rows of ≥ ${K} columns`);
    return w;
  };

  // Row i: fills logp/dlogp, returns [log π(a|s), entropy] (entropy 0 for box).
  const row = (y: ArrayLike<number>, o: number, i: number): [number, number] => {
    if (box) {
      let lp = 0;
      for (let d = 0; d < K; d++) {
        const s = (logStd as Float32Array)[d] as number;
        const z = ((actions[i * K + d] as number) - (y[o + d] as number)) * Math.exp(-s);
        lp += -0.5 * z * z - s - HALF_LOG_2PI;
        dlogp[d] = ((actions[i * K + d] as number) - (y[o + d] as number)) * (invVar[d] as number);
      }
      return [lp, 0];
    }
    let zMax = -Infinity;
    for (let j = 0; j < K; j++) zMax = Math.max(zMax, y[o + j] as number);
    let se = 0;
    for (let j = 0; j < K; j++) se += Math.exp((y[o + j] as number) - zMax);
    const logZ = zMax + Math.log(se);
    let h = 0;
    const a = actions[i] as number;
    for (let j = 0; j < K; j++) {
      const l = (y[o + j] as number) - logZ;
      logp[j] = l;
      h -= Math.exp(l) * l;
      dlogp[j] = (j === a ? 1 : 0) - Math.exp(l);
    }
    return [logp[a] as number, h];
  };
  // The r-term's value and its weight w = r·Â on the active branch (0 where clipped).
  const term = (lp: number, i: number): [number, number] => {
    const r = Math.exp(lp - (oldLogp[i] as number));
    const a = adv[i] as number;
    const unclipped = r * a;
    const clipped = Math.min(Math.max(r, 1 - eps), 1 + eps) * a;
    return [Math.min(unclipped, clipped), unclipped <= clipped ? unclipped : 0];
  };

  return nn.loss.custom({
    name: 'ppo-surrogate',
    value(y, batch) {
      const w = width(y);
      let s = 0;
      for (let i = 0; i < batch; i++) {
        const [lp, h] = row(y, i * w, i);
        s -= term(lp, i)[0] + entCoef * h;
      }
      return s / batch;
    },
    grad(y, batch, out) {
      const w = width(y);
      out.fill(0);
      for (let i = 0; i < batch; i++) {
        const o = i * w;
        const [lp, h] = row(y, o, i);
        const c = term(lp, i)[1];
        for (let j = 0; j < K; j++) {
          let g = -c * (dlogp[j] as number);
          // d(−entCoef·H)/dz_j = entCoef·p_j(log p_j + H).
          if (!box && entCoef !== 0) g += entCoef * Math.exp(logp[j] as number) * ((logp[j] as number) + h);
          out[o + j] = g / batch;
        }
      }
    },
    hvp(y, batch, v, out) {
      const w = width(y);
      out.fill(0);
      for (let i = 0; i < batch; i++) {
        const o = i * w;
        const [lp, h] = row(y, o, i);
        const c = term(lp, i)[1];
        let u = 0; // ∇log π · v
        for (let j = 0; j < K; j++) u += (dlogp[j] as number) * (v[o + j] as number);
        if (box) {
          // (∇∇ᵀ − diag(1/σ²))·v
          for (let d = 0; d < K; d++)
            out[o + d] = (-c * ((dlogp[d] as number) * u - (invVar[d] as number) * (v[o + d] as number))) / batch;
          continue;
        }
        let pv = 0;
        for (let j = 0; j < K; j++) pv += Math.exp(logp[j] as number) * (v[o + j] as number);
        // −H's Hessian, with q = log p + H (so Σ p_m q_m = 0): ∂²(−H)/∂z_k∂z_m =
        // p_k(δ_km − p_m)(q_k + 1) − p_k p_m q_m, so Hv_k = p_k(v_k − p·v)(q_k + 1) − p_k·Σ p_m q_m (v_m − p·v).
        let pqv = 0;
        if (entCoef !== 0)
          for (let m = 0; m < K; m++) {
            const p = Math.exp(logp[m] as number);
            pqv += p * ((logp[m] as number) + h) * ((v[o + m] as number) - pv);
          }
        for (let j = 0; j < K; j++) {
          const p = Math.exp(logp[j] as number);
          const vj = v[o + j] as number;
          // ∇² log π · v = −(p⊙v) + p(p·v)
          let g = -c * ((dlogp[j] as number) * u - p * vj + p * pv);
          if (entCoef !== 0) g += entCoef * (p * (vj - pv) * ((logp[j] as number) + h + 1) - p * pqv);
          out[o + j] = g / batch;
        }
      }
    },
  });
}

/**
 * The surrogate's curvature source for `policy`'s actor on `data`: the actor MLP, a view of its
 * parameters, the loss and an exact `{ hvp, ggnvp }` oracle (box policies: the means' parameters,
 * log-stds fixed at the policy's). Pass `{ net, params, x, batch, loss }` to `nn.curvature.analyze`
 * or `nn.hessianEigs` for top-k eigenpairs and the gradient fraction.
 */
export function surrogateCurvature(
  policy: Policy,
  data: SurrogateBatch,
  options: SurrogateOptions = {},
): SurrogateCurvature {
  const fn = 'rl.surrogateCurvature';
  if (typeof policy?.model?.actorParams !== 'function') throw new TypeError(`${fn}: policy: expected an rl Policy`);
  const model = policy.model;
  const net = model.actor.mlp;
  const action = model.spec.action;
  if (typeof data !== 'object' || data === null) throw new TypeError(`${fn}: data: expected an object`);
  checkFloat32(data.obs, `${fn}: data.obs`);
  const batch = data.advantages?.length ?? 0;
  if (batch < 1 || data.obs.length !== batch * model.spec.obsDim)
    throw new RangeError(`${fn}: data.obs: expected ${batch} rows of ${model.spec.obsDim}, got ${data.obs.length}`);
  const logStd = action.type === 'box' ? model.logStd(policy.params) : undefined;
  const loss = surrogateLoss(action, data, options, logStd);
  const params = model.actorParams(policy.params);
  const x = data.obs;
  return { net, params, x, batch, loss, oracle: nn.curvature.oracle(net, params, x, batch, loss) };
}
