// Meta-gradient RL (Xu et al. 2018) on a tiny actor-critic with FIXED trajectories: dJ'/dη through
// 1 and L inner SGD updates against float64 central differences of a float64 re-implementation
// (tanh MLP backprop, λ-returns, the actor-critic loss and the policy-gradient outer loss written
// here from the paper's update function f and Xu et al.'s return recursions). Targets are held
// fixed at their nominal values in both (stop-gradient semantics: returns and advantages are
// constants of f). Also: the trace with μ = 0 is the exact one-step meta-gradient; BMG with K = 0
// and squared-Euclidean matching is c × the meta-gradient (Flennerhag et al. 2022, §10.1 of the
// reference notes), and with KL matching the float64 gradient of KL(π_θ̃ ‖ π_θL) carried through the
// updates (→ c × the Fisher-preconditioned meta-gradient as c → 0); a first-order variant that drops
// ∇²θθ is caught at L = 3.
import { describe, expect, it } from 'vitest';
import {
  backprop,
  bmgGradient,
  innerUpdate,
  MetaTrace,
  outerGradient,
  sgd,
} from '../src/metarl/metagrad/meta_gradient.js';
import { type MetaName, MetaSpace } from '../src/metarl/metagrad/meta_params.js';
import { AgentNets } from '../src/metarl/metagrad/nets.js';
import { lambdaReturns } from '../src/metarl/metagrad/returns.js';
import type { Rollout } from '../src/metarl/metagrad/rollout.js';
import { type LossCoefficients, StepLoss } from '../src/metarl/metagrad/step_loss.js';
import * as random from '../src/random/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

const OBS = 3;
const ACT = 3;
const HID = 4;
const T = 4;
const B = 2;
const N = T * B;

function rollout(seed: number): Rollout {
  const u = random.uniform(random.key(seed), 200);
  let c = 0;
  const next = (): number => u[c++ % 200]! * 2 - 1;
  const terminated = new Uint8Array(N);
  const truncated = new Uint8Array(N);
  terminated[1 * B + 0] = 1; // env 0 ends at t = 1, env 1 is cut by the step limit at t = 2
  truncated[2 * B + 1] = 1;
  return {
    steps: T,
    envs: B,
    obs: Float32Array.from({ length: N * OBS }, next),
    actions: Int32Array.from({ length: N }, () => Math.floor((next() + 1) * 1.5) % ACT),
    rewards: Float32Array.from({ length: N }, next),
    terminated,
    truncated,
    finalObs: Float32Array.from({ length: N * OBS }, next),
    lastObs: Float32Array.from({ length: B * OBS }, next),
  };
}

// ---- float64 reference -------------------------------------------------------------------
/** A tanh MLP [in, HID, out] over flat params (layout of nn.mlp: w0 [in×h], b0, w1 [h×out], b1). */
function mlp64(p: ArrayLike<number>, x: ArrayLike<number>, rows: number, din: number, dout: number) {
  const w1 = din * HID + HID;
  const h = new Float64Array(rows * HID);
  const y = new Float64Array(rows * dout);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < HID; j++) {
      let s = p[din * HID + j]!;
      for (let i = 0; i < din; i++) s += x[r * din + i]! * p[i * HID + j]!;
      h[r * HID + j] = Math.tanh(s);
    }
    for (let o = 0; o < dout; o++) {
      let s = p[w1 + HID * dout + o]!;
      for (let j = 0; j < HID; j++) s += h[r * HID + j]! * p[w1 + j * dout + o]!;
      y[r * dout + o] = s;
    }
  }
  /** Parameter gradient for output cotangent dy. */
  const back = (dy: ArrayLike<number>): Float64Array => {
    const g = new Float64Array(w1 + HID * dout + dout);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < dout; o++) {
        const d = dy[r * dout + o]!;
        g[w1 + HID * dout + o]! += d;
        for (let j = 0; j < HID; j++) g[w1 + j * dout + o]! += d * h[r * HID + j]!;
      }
      for (let j = 0; j < HID; j++) {
        let dh = 0;
        for (let o = 0; o < dout; o++) dh += dy[r * dout + o]! * p[w1 + j * dout + o]!;
        const da = dh * (1 - h[r * HID + j]! ** 2);
        g[din * HID + j]! += da;
        for (let i = 0; i < din; i++) g[i * HID + j]! += da * x[r * din + i]!;
      }
    }
    return g;
  };
  return { y, back };
}

/** λ-returns, straight from g_t = r_t + γ[(1 − λ) v_{t+1} + λ g_{t+1}] with episode cuts. */
function returns64(roll: Rollout, v: Frozen, gamma: number, lambda: number): Float64Array {
  const g = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    for (let t = T - 1; t >= 0; t--) {
      const i = t * B + b;
      const vNext = t === T - 1 ? v.last[b]! : v.values[i + B]!;
      const gNext = t === T - 1 ? v.last[b]! : g[i + B]!;
      if (roll.terminated[i]) g[i] = roll.rewards[i]!;
      else if (roll.truncated[i]) g[i] = roll.rewards[i]! + gamma * v.final[i]!;
      else g[i] = roll.rewards[i]! + gamma * ((1 - lambda) * vNext + lambda * gNext);
    }
  }
  return g;
}

interface Frozen {
  values: Float64Array;
  last: Float64Array;
  final: Float64Array;
}
interface Coef extends LossCoefficients {
  lr: number;
}
const A_SIZE = OBS * HID + HID + HID * ACT + ACT;

function freeze(theta: ArrayLike<number>, roll: Rollout): Frozen {
  const pc = Array.prototype.slice.call(theta, A_SIZE) as number[];
  return {
    values: mlp64(pc, roll.obs, N, OBS, 1).y,
    last: mlp64(pc, roll.lastObs, B, OBS, 1).y,
    final: mlp64(pc, roll.finalObs, N, OBS, 1).y,
  };
}

/** Value and θ-gradient of the inner loss (actor PG + entropy, critic TD) with frozen targets. */
function loss64(
  theta: ArrayLike<number>,
  roll: Rollout,
  v: Frozen,
  c: LossCoefficients,
): { value: number; grad: Float64Array } {
  const pa = Array.prototype.slice.call(theta, 0, A_SIZE) as number[];
  const pc = Array.prototype.slice.call(theta, A_SIZE) as number[];
  const g = returns64(roll, v, c.gamma, c.lambda);
  const actor = mlp64(pa, roll.obs, N, OBS, ACT);
  const critic = mlp64(pc, roll.obs, N, OBS, 1);
  const dz = new Float64Array(N * ACT);
  const dv = new Float64Array(N);
  let value = 0;
  for (let i = 0; i < N; i++) {
    const z = actor.y.subarray(i * ACT, i * ACT + ACT);
    const m = Math.max(...z);
    const e = Array.from(z, (zi) => Math.exp(zi - m));
    const s = e.reduce((a, b) => a + b, 0);
    const p = e.map((ei) => ei / s);
    const logp = p.map(Math.log);
    const H = -p.reduce((acc, pi, k) => acc + pi * logp[k]!, 0);
    const adv = g[i]! - v.values[i]!;
    const a = roll.actions[i]!;
    value += (-adv * logp[a]! - c.entropy * H + 0.5 * c.value * (critic.y[i]! - g[i]!) ** 2) / N;
    for (let k = 0; k < ACT; k++)
      dz[i * ACT + k] = (-adv * ((k === a ? 1 : 0) - p[k]!) + c.entropy * p[k]! * (logp[k]! + H)) / N;
    dv[i] = (c.value * (critic.y[i]! - g[i]!)) / N;
  }
  const grad = new Float64Array(theta.length);
  grad.set(actor.back(dz), 0);
  grad.set(critic.back(dv), A_SIZE);
  return { value, grad };
}

/** J'(θ_L(x)) of L SGD updates from theta0 on rolls[0..L), outer rolls[L], raw meta x (float64). */
function metaObjective64(
  theta0: Float32Array,
  rolls: Rollout[],
  names: readonly MetaName[],
  base: Coef,
  x: Float64Array,
  ref: LossCoefficients,
  frozen: Frozen[],
): number {
  const space = new MetaSpace(names, base);
  space.raw.set(x);
  const h = space.hyper();
  let theta = Float64Array.from(theta0);
  for (let k = 0; k < rolls.length - 1; k++) {
    const { grad } = loss64(theta, rolls[k]!, frozen[k]!, h);
    theta = theta.map((t, i) => t - h.lr * grad[i]!);
  }
  return loss64(theta, rolls[rolls.length - 1]!, frozen[rolls.length - 1]!, { ...ref, value: 0 }).value;
}

/** Σ_k w_k J'(θ_k(x); τ_k), k = 1 … L (Bonnet et al.'s mixture), float64, frozen targets. */
function mixedObjective64(
  theta0: Float32Array,
  rolls: Rollout[],
  weights: number[],
  x: Float64Array,
  frozen: Frozen[],
): number {
  const space = new MetaSpace(NAMES, BASE);
  space.raw.set(x);
  const h = space.hyper();
  let theta = Float64Array.from(theta0);
  let total = 0;
  for (let k = 0; k < rolls.length - 1; k++) {
    const { grad } = loss64(theta, rolls[k]!, frozen[k]!, h);
    theta = theta.map((t, i) => t - h.lr * grad[i]!);
    total += weights[k]! * loss64(theta, rolls[k + 1]!, frozen[k + 1]!, { ...REF, value: 0 }).value;
  }
  return total;
}

// ---- the float32 implementation on the same problem ------------------------------------------
const NAMES: MetaName[] = ['gamma', 'lambda', 'entropy', 'value', 'lr'];
const BASE: Coef = { gamma: 0.9, lambda: 0.7, entropy: 0.05, value: 0.5, lr: 0.5 };
const REF: LossCoefficients = { gamma: 0.99, lambda: 1, entropy: 0, value: 0 };

function setup(L: number) {
  const nets = new AgentNets(OBS, ACT, [HID], 0);
  const theta0 = nets.init(random.key(3));
  const noise = random.normal(random.key(4), nets.size);
  for (let i = 0; i < theta0.length; i++) theta0[i] = theta0[i]! + 0.5 * noise[i]!;
  const rolls = Array.from({ length: L + 1 }, (_, k) => rollout(10 + k));
  const space = new MetaSpace(NAMES, BASE);
  const slopes = { names: NAMES, slopes: NAMES.map((_n, j) => space.slope(j)) };
  return { nets, theta0, rolls, space, slopes };
}

/** Our meta-gradient after L updates, plus the nominal θ_k (for the reference's frozen targets). */
function ours(L: number, firstOrder = false) {
  const { nets, theta0, rolls, space, slopes } = setup(L);
  const theta = theta0.slice();
  const steps = [];
  const thetas: Float32Array[] = [];
  for (let k = 0; k < L; k++) {
    thetas.push(theta.slice());
    steps.push(innerUpdate(nets, theta, rolls[k]!, space.hyper(), [], slopes, sgd));
  }
  thetas.push(theta.slice());
  const g = new Float32Array(nets.size);
  outerGradient(nets, theta, rolls[L]!, REF, [], g);
  if (firstOrder) for (const s of steps) s.loss.hvp = (_t, _u, out) => out.fill(0);
  return { mg: backprop(steps, g, NAMES.length), theta0, rolls, space, thetas, steps, g, nets };
}

function finiteDifference(L: number): Float64Array {
  const { theta0, rolls, space, thetas } = ours(L);
  const frozen = thetas.map((t, k) => freeze(t, rolls[k]!));
  const h = 1e-5;
  return Float64Array.from(NAMES, (_n, j) => {
    const xp = space.raw.slice();
    const xm = space.raw.slice();
    xp[j]! += h;
    xm[j]! -= h;
    const f = (x: Float64Array) => metaObjective64(theta0, rolls, NAMES, BASE, x, REF, frozen);
    return (f(xp) - f(xm)) / (2 * h);
  });
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
};

describe.each(backends)('metaRl meta-gradient (%s backend)', (name) => {
  useBackendForSuite(name);

  it('λ-return derivatives in γ and λ match central differences', () => {
    const roll = rollout(1);
    const vals = Float64Array.from({ length: N }, (_, i) => Math.sin(i + 1));
    const inputs = { ...roll, values: vals, lastValues: [0.3, -0.2], finalValues: vals.map((v) => v * 0.5) };
    const r = lambdaReturns(inputs, 0.9, 0.7);
    const h = 1e-6;
    for (let i = 0; i < N; i++) {
      const dg = (lambdaReturns(inputs, 0.9 + h, 0.7).g[i]! - lambdaReturns(inputs, 0.9 - h, 0.7).g[i]!) / (2 * h);
      const dl = (lambdaReturns(inputs, 0.9, 0.7 + h).g[i]! - lambdaReturns(inputs, 0.9, 0.7 - h).g[i]!) / (2 * h);
      expect(r.dGamma[i]).toBeCloseTo(dg, 7);
      expect(r.dLambda[i]).toBeCloseTo(dl, 7);
    }
  });

  it('loss gradient, ∇²θθ·u and the mixed products D²ηθ·u, D²θη·w match float64 differences', () => {
    const { nets, theta0, rolls, space, slopes } = setup(1);
    const roll = rolls[0]!;
    const loss = new StepLoss(nets, theta0, roll, BASE, [], slopes);
    const frozen = freeze(theta0, roll);
    const grad = new Float32Array(nets.size);
    const value = loss.grad(theta0, grad);
    const ref = loss64(theta0, roll, frozen, BASE);
    expect(Math.abs(value - ref.value)).toBeLessThan(1e-6 * Math.abs(ref.value) + 1e-7);
    expect(relErr(grad, ref.grad)).toBeLessThan(1e-5);
    const u = random.normal(random.key(9), nets.size);
    const hu = new Float32Array(nets.size);
    loss.hvp(theta0, u, hu);
    const e = 1e-5;
    const shifted = (s: number) =>
      loss64(
        Float64Array.from(theta0, (t, i) => t + s * e * u[i]!),
        roll,
        frozen,
        BASE,
      ).grad;
    const fdH = shifted(1).map((v, i) => (v - shifted(-1)[i]!) / (2 * e));
    expect(relErr(hu, fdH)).toBeLessThan(1e-4);
    // D²ηθ·u = ∂/∂x (∇θℓ · u): x moves γ, λ (through g), c_e, c_v; lr does not enter the loss
    const mixed = new Float64Array(NAMES.length);
    loss.mixedT(theta0, u, mixed);
    const gu = (x: Float64Array): number => {
      const s = new MetaSpace(NAMES, BASE);
      s.raw.set(x);
      return loss64(theta0, roll, frozen, s.hyper()).grad.reduce((acc, gi, i) => acc + gi * u[i]!, 0);
    };
    const fdM = Float64Array.from(NAMES, (_n, j) => {
      const xp = space.raw.slice();
      const xm = space.raw.slice();
      xp[j]! += 1e-6;
      xm[j]! -= 1e-6;
      return (gu(xp) - gu(xm)) / 2e-6;
    });
    expect(relErr(mixed, fdM)).toBeLessThan(1e-4);
    expect(mixed[4]).toBe(0);
    // D²θη·w is the transpose: uᵀ(D²θη·w) = wᵀ(D²ηθ·u)
    const w = [0.3, -1.1, 0.7, 0.2, 0.5];
    const mw = new Float32Array(nets.size);
    loss.mixed(theta0, w, mw);
    const lhs = mw.reduce((acc, v, i) => acc + v * u[i]!, 0);
    const rhs = w.reduce((acc, v, j) => acc + v * mixed[j]!, 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5 * Math.abs(rhs) + 1e-7);
  });

  it("dJ'/dη after one inner update equals float64 central differences (γ, λ, entropy, value, lr)", () => {
    const got = ours(1).mg;
    const want = finiteDifference(1);
    expect(relErr(got, want)).toBeLessThan(5e-6);
    // per component too (lr's entry dominates the scale): each within 1e-4 of its own size
    for (let j = 0; j < NAMES.length; j++)
      expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(1e-4 * Math.abs(want[j]!) + 1e-10);
  });

  it("dJ'/dη after L = 3 inner updates equals float64 central differences; dropping ∇²θθ does not", () => {
    const want = finiteDifference(3);
    const got = ours(3).mg;
    expect(relErr(got, want)).toBeLessThan(5e-6);
    for (let j = 0; j < NAMES.length; j++)
      expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(1e-4 * Math.abs(want[j]!) + 1e-10);
    expect(relErr(ours(3, true).mg, want)).toBeGreaterThan(0.1);
    // with separate actor and critic and fixed advantages, c_v cannot reach the actor's outer loss
    expect(want[3]).toBe(0);
  });

  it("the mixture Σ_k w_k J'(θ_k) of the 1 … L-step objectives (Bonnet et al.) matches central differences", () => {
    const L = 3;
    const weights = [0.2, 0.3, 0.5];
    const { steps, nets, rolls, thetas, theta0, space } = ours(L);
    const grads = thetas.map((t, k) => {
      const g = new Float32Array(nets.size);
      if (k > 0) outerGradient(nets, t, rolls[k]!, REF, [], g);
      return g.map((v) => v * (weights[k - 1] ?? 0));
    });
    const got = backprop(steps, grads[L]!, NAMES.length, grads.slice(0, L));
    const frozen = thetas.map((t, k) => freeze(t, rolls[k]!));
    const f = (x: Float64Array) => mixedObjective64(theta0, rolls, weights, x, frozen);
    const want = Float64Array.from(NAMES, (_n, j) => {
      const xp = space.raw.slice();
      const xm = space.raw.slice();
      xp[j]! += 1e-5;
      xm[j]! -= 1e-5;
      return (f(xp) - f(xm)) / 2e-5;
    });
    expect(relErr(got, want)).toBeLessThan(5e-6);
    // weights (0, 0, 1) are the plain L-step meta-gradient
    expect(
      relErr(
        backprop(
          steps,
          grads[L]!.map((v) => v / 0.5),
          NAMES.length,
        ),
        ours(L).mg,
      ),
    ).toBeLessThan(1e-6);
  });

  it('the trace with μ = 0 is the exact one-step meta-gradient; μ = 1 keeps the history', () => {
    const { steps, g, mg, nets } = ours(1);
    const tr = new MetaTrace(nets.size, NAMES.length, 0);
    tr.accumulate(steps[0]!);
    expect(relErr(tr.metaGradient(g), mg)).toBeLessThan(1e-5);
    // μ = 1 over two updates sums both direct terms: z = ∂f₁/∂η + ∂f₂/∂η
    const two = ours(2);
    const t1 = new MetaTrace(nets.size, NAMES.length, 1);
    const t0 = new MetaTrace(nets.size, NAMES.length, 0);
    for (const s of two.steps) t1.accumulate(s);
    t0.accumulate(two.steps[1]!);
    const only0 = new MetaTrace(nets.size, NAMES.length, 0);
    only0.accumulate(two.steps[0]!);
    const sum = t0.metaGradient(two.g).map((v, j) => v + only0.metaGradient(two.g)[j]!);
    expect(relErr(t1.metaGradient(two.g), sum)).toBeLessThan(1e-5);
  });

  it('an outer value head (Bonnet et al. 2022) changes nothing when γ = γ̄, λ = λ̄, and debiases otherwise', () => {
    const L = 2;
    const run = (outer: boolean, ref: LossCoefficients) => {
      const nets = new AgentNets(OBS, ACT, [HID], 0, outer);
      const plain = setup(L);
      const theta = new Float32Array(nets.size);
      theta.set(plain.theta0);
      if (outer) theta.set(nets.criticParams(theta), nets.innerSize); // the head starts as the critic
      const head = outer ? { gamma: ref.gamma, lambda: ref.lambda, cost: BASE.value } : undefined;
      const steps = plain.rolls
        .slice(0, L)
        .map((roll) => innerUpdate(nets, theta, roll, plain.space.hyper(), [], plain.slopes, sgd, head));
      const g = new Float32Array(nets.size);
      outerGradient(nets, theta, plain.rolls[L]!, ref, [], g);
      return { mg: backprop(steps, g, NAMES.length), theta, nets };
    };
    const same = { gamma: BASE.gamma, lambda: BASE.lambda, entropy: 0, value: 0 };
    const a = run(false, same);
    const b = run(true, same);
    expect(relErr(b.mg, a.mg)).toBeLessThan(1e-6);
    // the two heads moved together
    expect(relErr(b.nets.outerParams(b.theta), b.nets.criticParams(b.theta))).toBeLessThan(1e-6);
    // with γ̄ ≠ γ the outer head learns other values, so the outer advantages and dJ'/dη change
    const c = run(false, REF);
    const d = run(true, REF);
    expect(relErr(d.mg, c.mg)).toBeGreaterThan(1e-3);
    expect(relErr(d.nets.outerParams(d.theta), d.nets.criticParams(d.theta))).toBeGreaterThan(1e-4);
  });

  it('BMG with K = 0 and squared-Euclidean matching equals c × the meta-gradient (target step c on J′)', () => {
    for (const L of [1, 2]) {
      const { steps, mg, nets, rolls, space } = ours(L);
      const thetaL = steps[L - 1]!.theta.slice();
      // θ_L itself: redo the last update from the recorded θ_{L-1}
      for (let i = 0; i < thetaL.length; i++) thetaL[i] = thetaL[i]! - steps[L - 1]!.step[i]! * steps[L - 1]!.grad[i]!;
      const c = 0.37;
      const gb = new Float32Array(nets.size);
      bmgGradient(nets, thetaL, rolls[L]!, space.hyper(), REF, [], [], { steps: 0, match: 'l2', targetLr: c }, sgd, gb);
      const got = backprop(steps, gb, NAMES.length);
      expect(
        relErr(
          got,
          mg.map((v) => c * v),
        ),
      ).toBeLessThan(1e-5);
      // a target one learned step further is not that scaled meta-gradient
      bmgGradient(nets, thetaL, rolls[L]!, space.hyper(), REF, [], [], { steps: 1, match: 'l2', targetLr: c }, sgd, gb);
      expect(
        relErr(
          backprop(steps, gb, NAMES.length),
          mg.map((v) => c * v),
        ),
      ).toBeGreaterThan(1e-2);
    }
  });

  it('BMG with K = 0 and KL matching: ∇θ mean KL(π_θ̃ ‖ π_θL) at θ̃ = θ_L − c∇J′, through the L updates; → c·F∇J′ as c → 0', () => {
    // Flennerhag et al. 2022 (§10.1 of the reference notes): the target is one outer-loss step from
    // θ_L, stop-gradient; the matching loss is the forward KL, target first. Reference in float64:
    // the target from loss64's ∇J′, the KL gradient Jᵀ(p_L − p̃)/N by mlp64's backward pass, checked
    // here against central differences; the meta-gradient is then (dθ_L/dη)ᵀ of it (backprop, whose
    // exactness the tests above show). The reverse KL, a plausible mix-up, agrees only to first order.
    for (const L of [1, 2]) {
      const { steps, nets, rolls, space, thetas } = ours(L);
      const thetaL = thetas[L]!;
      const roll = rolls[L]!;
      const outer = loss64(thetaL, roll, freeze(thetaL, roll), { ...REF, value: 0 }).grad;
      const probs = (pa: ArrayLike<number>): number[][] => {
        const y = mlp64(pa, roll.obs, N, OBS, ACT).y;
        return Array.from({ length: N }, (_, i) => {
          const z = Array.from(y.subarray(i * ACT, i * ACT + ACT));
          const e = z.map((zi) => Math.exp(zi - Math.max(...z)));
          const s = e.reduce((a, b) => a + b, 0);
          return e.map((ei) => ei / s);
        });
      };
      const actorOf = (t: ArrayLike<number>): number[] => Array.prototype.slice.call(t, 0, A_SIZE) as number[];
      /** The float64 KL-matching gradient (actor part; the critic is not matched) and KL itself. */
      const reference = (c: number, reverse = false) => {
        const target = probs(actorOf(thetaL).map((t, i) => t - c * outer[i]!));
        const kl = (pa: ArrayLike<number>): number =>
          probs(pa).reduce(
            (acc, p, i) =>
              acc +
              p.reduce((a, pk, k) => {
                const q = target[i]![k]!;
                return a + (reverse ? pk * Math.log(pk / q) : q * Math.log(q / pk));
              }, 0) /
                N,
            0,
          );
        const pL = probs(actorOf(thetaL));
        const dy = new Float64Array(N * ACT);
        for (let i = 0; i < N; i++) {
          const p = pL[i]!;
          const q = target[i]!;
          // reverse: ∂/∂z_k Σ_j p_j log(p_j/q_j) = p_k (log(p_k/q_k) − KL_i)
          const kli = p.reduce((a, pj, j) => a + pj * Math.log(pj / q[j]!), 0);
          for (let k = 0; k < ACT; k++)
            dy[i * ACT + k] = (reverse ? p[k]! * (Math.log(p[k]! / q[k]!) - kli) : p[k]! - q[k]!) / N;
        }
        const grad = new Float64Array(nets.size);
        grad.set(mlp64(actorOf(thetaL), roll.obs, N, OBS, ACT).back(dy), 0);
        return { grad, kl };
      };
      const bmg = (c: number): Float32Array => {
        const gb = new Float32Array(nets.size);
        bmgGradient(nets, thetaL, roll, space.hyper(), REF, [], [], { steps: 0, match: 'kl', targetLr: c }, sgd, gb);
        return gb;
      };
      const c = 0.37;
      const want = reference(c);
      // the analytic float64 gradient is the derivative of the KL (central differences, 6 coordinates)
      for (const j of [0, 5, OBS * HID + 1, A_SIZE - 1, A_SIZE - ACT, 11]) {
        const e = 1e-6;
        const tp = actorOf(thetaL);
        const tm = actorOf(thetaL);
        tp[j]! += e;
        tm[j]! -= e;
        expect(Math.abs((want.kl(tp) - want.kl(tm)) / (2 * e) - want.grad[j]!)).toBeLessThan(1e-7);
      }
      const gb = bmg(c);
      expect(relErr(gb, want.grad)).toBeLessThan(1e-5);
      const mg = backprop(steps, gb, NAMES.length);
      expect(relErr(mg, backprop(steps, Float32Array.from(want.grad), NAMES.length))).toBeLessThan(1e-5);
      expect(relErr(gb, reference(c, true).grad)).toBeGreaterThan(1e-2);
      // first order in c: c·F∇J′, F = (1/N) Σ Jᵀ(diag p − ppᵀ)J the policy's Fisher (J∇J′ by float64 differences)
      const e = 1e-6;
      const v = outer.subarray(0, A_SIZE);
      const yp = mlp64(
        actorOf(thetaL).map((t, i) => t + e * v[i]!),
        roll.obs,
        N,
        OBS,
        ACT,
      ).y;
      const ym = mlp64(
        actorOf(thetaL).map((t, i) => t - e * v[i]!),
        roll.obs,
        N,
        OBS,
        ACT,
      ).y;
      const pL = probs(actorOf(thetaL));
      const dy = new Float64Array(N * ACT);
      for (let i = 0; i < N; i++) {
        const jv = Array.from({ length: ACT }, (_, k) => (yp[i * ACT + k]! - ym[i * ACT + k]!) / (2 * e));
        const p = pL[i]!;
        const pjv = p.reduce((a, pk, k) => a + pk * jv[k]!, 0);
        for (let k = 0; k < ACT; k++) dy[i * ACT + k] = (p[k]! * (jv[k]! - pjv)) / N;
      }
      const fisher = new Float32Array(nets.size);
      fisher.set(mlp64(actorOf(thetaL), roll.obs, N, OBS, ACT).back(dy), 0);
      const small = 1e-3;
      const mgSmall = backprop(steps, bmg(small), NAMES.length).map((x) => x / small);
      expect(relErr(mgSmall, backprop(steps, fisher, NAMES.length))).toBeLessThan(2e-3); // O(c): 2.5e-4 seen
    }
  });
});
