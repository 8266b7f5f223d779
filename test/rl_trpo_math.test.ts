// TRPO's pieces against float64 references written from Schulman et al. (2015) and baselines'
// trpo_mpi: the surrogate gradient against finite differences; the Fisher-vector product (nn.ggnvp
// of the KL over the actor's heads plus the log-std block) against finite differences of the KL
// gradient and against the explicit Fisher E_a[∇log π ∇log πᵀ] of a tiny categorical policy; the
// natural step against a dense damped solve, scaled to ½Δᵀ(F + λI)Δ = δ; and the line search's
// acceptance rule (gain > 0 and KL ≤ δ). Each check also shows a plausible wrong variant failing.
// Observed errors are ≤ 6e-7 relative (float32 rounding); the bounds are 3e-6.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import * as random from '../src/random/index.js';
import { type ActionSpec, ActorCritic } from '../src/rl/model.js';
import type { SurrogateBatch } from '../src/rl/trpo/dist.js';
import { PolicyView } from '../src/rl/trpo/policy_view.js';
import { backtrack, naturalStep, type Trial } from '../src/rl/trpo/step.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const B = 6;
const OBS = 3;
const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((s, x, i) => s + x * (b[i] as number), 0);

/** A tiny actor-critic whose policy is far from uniform, with its packed policy vector. */
function tiny(action: ActionSpec) {
  const model = new ActorCritic({ obsDim: OBS, action, hidden: [5], activation: 'tanh', network: 'separate' });
  const params = model.init(random.key(1));
  const noise = random.normal(random.key(2), model.size);
  for (let i = 0; i < model.actor.mlp.size; i++) params[i] = (params[i] as number) + 0.6 * (noise[i] as number);
  model.logStd(params).set([-0.3, 0.4].slice(0, model.logStd(params).length));
  const view = new PolicyView(model, B);
  const obs = random.normal(random.key(3), B * OBS);
  const packed = view.gather(params, new Float32Array(view.size));
  return { model, params, view, obs, packed };
}

type Tiny = ReturnType<typeof tiny>;

/** Float64 heads and log-std of a packed float64 policy vector. */
function headsOf(t: Tiny, theta: Float64Array) {
  const nA = t.view.actorSize;
  return { heads: t.model.actor.mlp.forward64(theta.subarray(0, nA), t.obs, B), logStd: theta.subarray(nA) };
}

/** log π(a|s) per row, float64 (written from the formulas, not from dist.ts). */
function logProbs(t: Tiny, heads: Float64Array, logStd: Float64Array, actions: ArrayLike<number>): number[] {
  const a = t.model.spec.action;
  return Array.from({ length: B }, (_, r) => {
    if (a.type === 'discrete') {
      const row = Array.from(heads.subarray(r * a.n, r * a.n + a.n));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
      return (row[actions[r] as number] as number) - lse;
    }
    let s = 0;
    for (let j = 0; j < a.dim; j++) {
      const z = ((actions[r * a.dim + j] as number) - (heads[r * a.dim + j] as number)) / Math.exp(logStd[j] as number);
      s += -0.5 * z * z - (logStd[j] as number) - 0.5 * Math.log(2 * Math.PI);
    }
    return s;
  });
}

/** Mean KL(π_old‖π_θ), float64. */
function klRef(t: Tiny, old: ReturnType<typeof headsOf>, theta: Float64Array): number {
  const a = t.model.spec.action;
  const cur = headsOf(t, theta);
  let kl = 0;
  for (let r = 0; r < B; r++) {
    if (a.type === 'discrete') {
      const lp = (h: Float64Array) => {
        const row = Array.from(h.subarray(r * a.n, r * a.n + a.n));
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
        return row.map((z) => z - lse);
      };
      const po = lp(old.heads);
      const pn = lp(cur.heads);
      kl += po.reduce((s, l, j) => s + Math.exp(l) * (l - (pn[j] as number)), 0);
    } else
      for (let j = 0; j < a.dim; j++) {
        const so = Math.exp(old.logStd[j] as number);
        const sn = Math.exp(cur.logStd[j] as number);
        const d = (old.heads[r * a.dim + j] as number) - (cur.heads[r * a.dim + j] as number);
        kl += Math.log(sn / so) + (so * so + d * d) / (2 * sn * sn) - 0.5;
      }
  }
  return kl / B;
}

/** F·v by central differences of the KL gradient (itself by central differences), float64. */
function fvpByDifferences(t: Tiny, v: ArrayLike<number>): Float64Array {
  const theta0 = Float64Array.from(t.packed);
  const old = headsOf(t, theta0);
  const eps = 1e-4;
  const h = 1e-4;
  const grad = (sign: number): Float64Array => {
    const th = theta0.map((x, i) => x + sign * eps * (v[i] as number));
    return th.map((x, i) => {
      th[i] = x + h;
      const up = klRef(t, old, th);
      th[i] = x - h;
      const down = klRef(t, old, th);
      th[i] = x;
      return (up - down) / (2 * h);
    });
  };
  const gp = grad(1);
  const gm = grad(-1);
  return gp.map((x, i) => (x - (gm[i] as number)) / (2 * eps));
}

/** Output Jacobian rows of the actor, per sample: jac[r][j] = ∂head_{r,j}/∂θ_actor (float64, differences). */
function actorJacobian(t: Tiny): Float64Array[][] {
  const K = t.model.policyDim;
  const nA = t.view.actorSize;
  const theta = Float64Array.from(t.packed.subarray(0, nA));
  const jac = Array.from({ length: B }, () => Array.from({ length: K }, () => new Float64Array(nA)));
  for (let i = 0; i < nA; i++) {
    const x = theta[i] as number;
    theta[i] = x + 1e-5;
    const up = t.model.actor.mlp.forward64(theta, t.obs, B);
    theta[i] = x - 1e-5;
    const down = t.model.actor.mlp.forward64(theta, t.obs, B);
    theta[i] = x;
    for (let r = 0; r < B; r++)
      for (let j = 0; j < K; j++)
        (jac[r]?.[j] as Float64Array)[i] = ((up[r * K + j] as number) - (down[r * K + j] as number)) / 2e-5;
  }
  return jac;
}

/**
 * The explicit Fisher (1/B) Σ_r Σ_a w_{r,a} s sᵀ, s = ∇θ log π(a|s_r) = J_rᵀ(e_a − p_r), of a
 * categorical policy: w = π (the Fisher) or w = one-hot of an action (the empirical Fisher).
 */
function explicitFisher(t: Tiny, weight: (r: number, a: number, p: number[]) => number): Float64Array[] {
  const K = t.model.policyDim;
  const nA = t.view.actorSize;
  const jac = actorJacobian(t);
  const heads = t.model.actor.mlp.forward64(t.packed.subarray(0, nA), t.obs, B);
  const F = Array.from({ length: nA }, () => new Float64Array(nA));
  for (let r = 0; r < B; r++) {
    const row = Array.from(heads.subarray(r * K, r * K + K));
    const m = Math.max(...row);
    const e = row.map((z) => Math.exp(z - m));
    const p = e.map((z) => z / e.reduce((s, c) => s + c, 0));
    for (let a = 0; a < K; a++) {
      const w = weight(r, a, p);
      if (w === 0) continue;
      const s = new Float64Array(nA);
      for (let j = 0; j < K; j++) {
        const c = (j === a ? 1 : 0) - (p[j] as number);
        const Jj = jac[r]?.[j] as Float64Array;
        for (let i = 0; i < nA; i++) s[i] = (s[i] as number) + c * (Jj[i] as number);
      }
      for (let i = 0; i < nA; i++)
        for (let k = 0; k < nA; k++)
          (F[i] as Float64Array)[k] = (F[i]?.[k] as number) + (w * (s[i] as number) * (s[k] as number)) / B;
    }
  }
  return F;
}

const matVec = (A: Float64Array[], v: ArrayLike<number>) => Float64Array.from(A, (row) => dot(row, v));

function denseSolve(A: Float64Array[], b: ArrayLike<number>): Float64Array {
  const n = A.length;
  const a = A.map((r, i) => [...r, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i]?.[c] as number) > Math.abs(a[piv]?.[c] as number)) piv = i;
    [a[c], a[piv]] = [a[piv] as number[], a[c] as number[]];
    for (let i = c + 1; i < n; i++) {
      const f = (a[i]?.[c] as number) / (a[c]?.[c] as number);
      for (let k = c; k <= n; k++) (a[i] as number[])[k] = (a[i]?.[k] as number) - f * (a[c]?.[k] as number);
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i]?.[n] as number;
    for (let k = i + 1; k < n; k++) s -= (a[i]?.[k] as number) * (x[k] as number);
    x[i] = s / (a[i]?.[i] as number);
  }
  return x;
}

/** A batch for the surrogate: fixed actions, old log-probs off the current policy (ratios ≠ 1), advantages. */
function surrogateBatch(t: Tiny, entCoef: number, atOld: boolean): SurrogateBatch {
  const a = t.model.spec.action;
  const actions =
    a.type === 'discrete'
      ? Int32Array.from({ length: B }, (_, r) => (r * 2 + 1) % a.n)
      : random.normal(random.key(4), B * a.dim);
  const theta = Float64Array.from(t.packed);
  const cur = headsOf(t, theta);
  const lp = logProbs(t, cur.heads, cur.logStd, actions);
  const logpOld = Float64Array.from(lp, (l, r) => (atOld ? l : l + 0.3 * Math.sin(r + 1)));
  const adv = Float64Array.from({ length: B }, (_, r) => Math.cos(1.3 * r) - 0.2);
  return { n: B, actions, logpOld, adv, entCoef };
}

/** The surrogate mean(r·A) + entCoef·mean H in float64 at a packed vector. */
function surrogateRef(t: Tiny, b: SurrogateBatch, theta: Float64Array): number {
  const { heads, logStd } = headsOf(t, theta);
  const lp = logProbs(t, heads, logStd, b.actions);
  const a = t.model.spec.action;
  let s = 0;
  for (let r = 0; r < B; r++) {
    let h: number;
    if (a.type === 'discrete') {
      const row = Array.from(heads.subarray(r * a.n, r * a.n + a.n));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((q, z) => q + Math.exp(z - m), 0));
      h = -row.reduce((q, z) => q + Math.exp(z - lse) * (z - lse), 0);
    } else h = Array.from(logStd).reduce((q, l) => q + l + 0.5 + 0.5 * Math.log(2 * Math.PI), 0);
    s += Math.exp((lp[r] as number) - (b.logpOld[r] as number)) * (b.adv[r] as number) + b.entCoef * h;
  }
  return s / B;
}

const ACTIONS: [string, ActionSpec][] = [
  ['categorical', { type: 'discrete', n: 3 }],
  ['gaussian', { type: 'box', dim: 2 }],
];

describe.each(backends)('TRPO pieces (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');

  it.each(ACTIONS)('%s: the surrogate gradient (ratio and entropy terms) matches finite differences', (_, action) => {
    use();
    const t = tiny(action);
    const b = surrogateBatch(t, 0.05, false);
    const g = new Float32Array(t.view.size);
    const heads = new Float32Array(B * t.model.policyDim);
    const stats = t.view.gradient(t.params, t.obs, b, heads, g);
    const theta = Float64Array.from(t.packed);
    expect(stats.value).toBeCloseTo(surrogateRef(t, b, theta), 6);
    const fd = theta.map((x, i) => {
      theta[i] = x + 1e-6;
      const up = surrogateRef(t, b, theta);
      theta[i] = x - 1e-6;
      const down = surrogateRef(t, b, theta);
      theta[i] = x;
      return (up - down) / 2e-6;
    });
    expect(maxDiff(g, fd)).toBeLessThan(3e-6 * maxAbs(fd));
  });

  it.each(ACTIONS)('%s: F·v equals finite differences of the KL gradient (log-std block included)', (_, action) => {
    use();
    const t = tiny(action);
    const heads = t.view.heads(t.params, t.obs, B, new Float32Array(B * t.model.policyDim));
    for (const seed of [5, 6]) {
      const v = random.normal(random.key(seed), t.view.size);
      const out = new Float32Array(t.view.size);
      t.view.fvp(t.params, t.obs, B, heads, v, out);
      const want = fvpByDifferences(t, v);
      expect(maxDiff(out, want)).toBeLessThan(3e-6 * maxAbs(want));
      if (action.type === 'box') {
        // Wrong variant: the log-std block left out (the MLP's Gauss-Newton product alone).
        const noLogStd = Float32Array.from(out, (x, i) => (i < t.view.actorSize ? x : 0));
        expect(maxDiff(noLogStd, want)).toBeGreaterThan(0.1 * maxAbs(want));
      }
    }
  });

  it('categorical: F·v equals the explicit Fisher E_a[∇log π ∇log πᵀ]; the empirical Fisher differs', () => {
    use();
    const t = tiny({ type: 'discrete', n: 3 });
    const heads = t.view.heads(t.params, t.obs, B, new Float32Array(B * 3));
    const F = explicitFisher(t, (_r, a, p) => p[a] as number);
    const v = random.normal(random.key(7), t.view.size);
    const out = new Float32Array(t.view.size);
    t.view.fvp(t.params, t.obs, B, heads, v, out);
    const want = matVec(F, v);
    expect(maxDiff(out, want)).toBeLessThan(3e-6 * maxAbs(want));
    // The "empirical Fisher" built from the taken actions only is another matrix.
    const empirical = matVec(
      explicitFisher(t, (r, a) => (a === (r * 2 + 1) % 3 ? 1 : 0)),
      v,
    );
    expect(maxDiff(empirical, want)).toBeGreaterThan(0.1 * maxAbs(want));
  });

  it('the natural step equals a dense damped solve, scaled to ½Δᵀ(F + λI)Δ = δ', () => {
    use();
    const t = tiny({ type: 'discrete', n: 3 });
    const b = surrogateBatch(t, 0, true);
    const heads = new Float32Array(B * 3);
    const g = new Float32Array(t.view.size);
    t.view.gradient(t.params, t.obs, b, heads, g);
    const fvp = (v: Float32Array, out: Float32Array) => t.view.fvp(t.params, t.obs, B, heads, v, out);
    const damping = 0.1;
    const maxKl = 0.01;
    const n = t.view.size;
    const ns = naturalStep(g, fvp, { maxKl, cgIters: 4 * n, cgDamping: damping });
    const F = explicitFisher(t, (_r, a, p) => p[a] as number);
    const Fd = F.map((row, i) => row.map((x, k) => x + (i === k ? damping : 0)));
    const s = denseSolve(Fd, g);
    const want = s.map((x) => x * Math.sqrt(maxKl / (0.5 * dot(s, matVec(Fd, s)))));
    expect(maxDiff(ns.step, want)).toBeLessThan(2e-6 * maxAbs(want));
    expect(0.5 * dot(ns.step, matVec(Fd, ns.step))).toBeCloseTo(maxKl, 7);
    expect(ns.expectedGain).toBeCloseTo(dot(g, want), 6);
    // Wrong variants: the plain gradient at the same KL, and the undamped solve.
    const gs = Array.from(g).map((x) => x * Math.sqrt(maxKl / (0.5 * dot(g, matVec(Fd, g)))));
    expect(maxDiff(gs, want)).toBeGreaterThan(0.05 * maxAbs(want));
    const u = denseSolve(F, g);
    const undamped = u.map((x) => x * Math.sqrt(maxKl / (0.5 * dot(u, matVec(F, u)))));
    expect(maxDiff(undamped, want)).toBeGreaterThan(0.05 * maxAbs(want));
  });

  it('on a real step, the accepted fraction keeps KL ≤ δ with a positive gain; the reversed step is rejected', () => {
    use();
    const t = tiny({ type: 'discrete', n: 3 });
    const b = surrogateBatch(t, 0, true);
    const oldHeads = t.view.heads(t.params, t.obs, B, new Float32Array(B * 3));
    const g = new Float32Array(t.view.size);
    const before = t.view.gradient(t.params, t.obs, b, new Float32Array(B * 3), g);
    const fvp = (v: Float32Array, out: Float32Array) => t.view.fvp(t.params, t.obs, B, oldHeads, v, out);
    const base = t.packed.slice();
    const params = t.params.slice();
    const empty = new Float32Array(0);
    const trial = (step: Float32Array) => (f: number) => {
      t.view.setFrom(params, base, step, f);
      const h = t.view.heads(params, t.obs, B, new Float32Array(B * 3));
      return {
        gain: t.view.dist.surrogate(h, empty, b).value - before.value,
        kl: t.view.dist.meanKl(oldHeads, empty, h, empty, B),
      };
    };
    for (const maxKl of [0.2, 0.01, 1e-4]) {
      const ns = naturalStep(g, fvp, { maxKl, cgIters: 10, cgDamping: 0.01 });
      const ls = backtrack(trial(ns.step), { maxKl, steps: 15, ratio: 0.8 });
      expect(ls.fraction).toBeGreaterThan(0);
      expect(ls.kl).toBeLessThanOrEqual(maxKl);
      expect(ls.gain).toBeGreaterThan(0);
      // Within a small trust region −Δ lowers the surrogate at every fraction: nothing is accepted.
      if (maxKl > 0.01) continue;
      const reversed = backtrack(trial(ns.step.map((x) => -x)), { maxKl, steps: 15, ratio: 0.8 });
      expect(reversed).toEqual({ fraction: 0, trials: 15, gain: 0, kl: 0 });
    }
  });
});

describe('TRPO line search acceptance', () => {
  const run = (trials: Trial[], maxKl = 0.01, steps = trials.length) => {
    const seen: number[] = [];
    const r = backtrack(
      (f) => {
        seen.push(f);
        return trials[seen.length - 1] as Trial;
      },
      { maxKl, steps, ratio: 0.5 },
    );
    return { ...r, seen };
  };

  it('takes the first fraction with gain > 0 and KL ≤ δ (not 1.5δ as baselines)', () => {
    const r = run([
      { gain: 0.1, kl: 0.03 },
      { gain: 0.05, kl: 0.012 }, // baselines' rule (KL ≤ 1.5δ) would stop here
      { gain: 0.02, kl: 0.009 },
    ]);
    expect(r).toMatchObject({ fraction: 0.25, trials: 3, gain: 0.02, kl: 0.009 });
    expect(r.seen).toEqual([1, 0.5, 0.25]);
  });

  it('accepts KL exactly δ, rejects just above, NaN, and any gain ≤ 0', () => {
    expect(run([{ gain: 1e-9, kl: 0.01 }]).fraction).toBe(1);
    expect(run([{ gain: 1, kl: 0.01 * (1 + 1e-12) }]).fraction).toBe(0);
    expect(
      run([
        { gain: Number.NaN, kl: 0 },
        { gain: 1, kl: Number.NaN },
        { gain: 0.5, kl: 0 },
      ]).fraction,
    ).toBe(0.25);
    const down = run([
      { gain: -1e-3, kl: 1e-3 },
      { gain: 0, kl: 1e-4 },
    ]);
    expect(down).toMatchObject({ fraction: 0, trials: 2, gain: 0, kl: 0 });
  });
});
