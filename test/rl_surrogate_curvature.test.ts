// The PPO surrogate's curvature (rl.surrogateCurvature): the loss's output gradient against the
// training objective kernel (CleanRL's ppo.py clipped surrogate, the reference the trainer already
// follows), and the exact parameter HVP against float64 finite differences of the surrogate value
// (mixed central differences through nn's float64 reference forward), for categorical and
// Gaussian actors, with clipped and unclipped rows and the entropy bonus; a plausible wrong
// variant (curvature of clipped rows kept) fails the same check.
import { afterAll, describe, expect, it } from 'vitest';
import { backend, getBackend } from '../src/backend/index.js';
import { RlPolicyStats } from '../src/backend/kernels/rl.js';
import { hessianEigs } from '../src/nn/lanczos.js';
import { mlpForward64 } from '../src/nn/reference.js';
import * as random from '../src/random/index.js';
import { type ActionSpec, ActorCritic } from '../src/rl/model.js';
import { Policy } from '../src/rl/policy.js';
import { type SurrogateBatch, surrogateCurvature, surrogateLoss } from '../src/rl/surrogate_curvature.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const OBS = 3;
const B = 10;
// log r per row: clipped (0.55, 1.65 with ε = 0.2) and active rows, all far from the kinks at 0.8/1.2.
const LOG_RATIOS = [-0.6, -0.05, 0, 0.08, 0.5];

function setup(action: ActionSpec, seed: number) {
  const spec = { obsDim: OBS, action, hidden: [6], activation: 'tanh' as const, network: 'separate' as const };
  const model = new ActorCritic(spec);
  const params = model.init(random.key(seed));
  const box = action.type === 'box';
  if (box)
    params.set(
      Float32Array.from({ length: action.dim }, (_, d) => -0.3 + 0.2 * d),
      model.logStdOffset,
    );
  const policy = new Policy(spec, params, { env: 'test', algo: 'ppo', steps: 0 });
  const obs = random.normal(random.key(seed + 1), B * OBS);
  const net = model.actor.mlp;
  const y = net.forwardInto(model.actorParams(params), obs, B, new Float32Array(B * net.sizes.at(-1)!));
  const K = box ? action.dim : action.n;
  const actions = box
    ? Float32Array.from(random.normal(random.key(seed + 2), B * K), (z, i) => (y[i] as number) + 0.7 * z)
    : Int32Array.from({ length: B }, (_, i) => (i * 7 + seed) % K);
  // Current log π(a|s) in float64, so oldLogp sets the ratios exactly.
  const logStd = box ? model.logStd(params) : undefined;
  const oldLogp = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    let lp = 0;
    if (box) {
      for (let d = 0; d < K; d++) {
        const s = logStd![d] as number;
        const z = ((actions[i * K + d] as number) - (y[i * K + d] as number)) / Math.exp(s);
        lp += -0.5 * z * z - s - 0.9189385332046727;
      }
    } else {
      let se = 0;
      for (let j = 0; j < K; j++) se += Math.exp(y[i * K + j] as number);
      lp = (y[i * K + (actions[i] as number)] as number) - Math.log(se);
    }
    oldLogp[i] = lp - (LOG_RATIOS[i % LOG_RATIOS.length] as number);
  }
  const data: SurrogateBatch = { obs, actions, advantages: random.normal(random.key(seed + 3), B), oldLogp };
  return { policy, model, data, y };
}

// (H v)_i by mixed central differences of the float64 surrogate value: [L(+e_i+v) − L(+e_i−v) −
// L(−e_i+v) + L(−e_i−v)]/(4h²).
function fdHvp(c: ReturnType<typeof surrogateCurvature>, v: Float32Array, h = 1e-4): Float64Array {
  const { net, x, batch, loss } = c;
  const p0 = Float64Array.from(c.params);
  const L = (p: Float64Array) =>
    loss.value(mlpForward64(net.sizes, net.activation, net.outputActivation, p, x, batch), batch);
  const out = new Float64Array(p0.length);
  const p = new Float64Array(p0.length);
  for (let i = 0; i < p0.length; i++) {
    let acc = 0;
    for (const [si, sv] of [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ] as const) {
      for (let j = 0; j < p.length; j++) p[j] = (p0[j] as number) + sv * h * (v[j] as number);
      p[i] = (p[i] as number) + si * h;
      acc += si * sv * L(p);
    }
    out[i] = acc / (4 * h * h);
  }
  return out;
}

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
    s = Math.max(s, Math.abs(b[i] as number));
  }
  return d / s;
}

const CASES: [string, ActionSpec, number][] = [
  ['categorical', { type: 'discrete', n: 3 }, 0.01],
  ['categorical, no entropy', { type: 'discrete', n: 4 }, 0],
  ['gaussian', { type: 'box', dim: 2 }, 0],
];

describe.each(backends)('rl.surrogateCurvature (%s)', (name) => {
  it.each(CASES.slice(0, 2))('%s: output gradient equals the PPO training kernel', (_, action, entCoef) => {
    backend.use(name as 'native' | 'js');
    const { data, y } = setup(action, 5);
    const opts = { clipEps: 0.2, entCoef, normalizeAdv: true };
    const loss = surrogateLoss(action, data, opts);
    const g = new Float32Array(y.length);
    loss.grad(y, B, g);
    const ref = new Float32Array(y.length);
    getBackend().rlCategoricalObjective(
      y,
      data.actions as Int32Array,
      data.oldLogp,
      data.advantages,
      new Float32Array(0),
      ref,
      new RlPolicyStats(),
      { objective: 'clip', ...opts },
    );
    expect(maxRelErr(g, ref)).toBeLessThan(1e-5);
  });

  it('gaussian: output gradient equals the PPO training kernel', () => {
    backend.use(name as 'native' | 'js');
    const action: ActionSpec = { type: 'box', dim: 2 };
    const { policy, model, data, y } = setup(action, 6);
    const c = surrogateCurvature(policy, data);
    const g = new Float32Array(y.length);
    c.loss.grad(y, B, g);
    const ref = new Float32Array(y.length);
    getBackend().rlGaussianObjective(
      y,
      model.logStd(policy.params),
      data.actions as Float32Array,
      data.oldLogp,
      data.advantages,
      new Float32Array(0),
      new Float32Array(0),
      ref,
      new Float32Array(2),
      new RlPolicyStats(),
      { objective: 'clip', clipEps: 0.2, entCoef: 0, normalizeAdv: true },
    );
    expect(maxRelErr(g, ref)).toBeLessThan(1e-5);
  });

  it.each(CASES)('%s: exact HVP equals float64 finite differences of the surrogate', (_, action, entCoef) => {
    backend.use(name as 'native' | 'js');
    const { policy, data } = setup(action, 7);
    const c = surrogateCurvature(policy, data, { entCoef });
    const v = random.normal(random.key(11), c.params.length);
    const hv = new Float32Array(v.length);
    c.oracle.hvp(v, hv);
    const fd = fdHvp(c, v);
    expect(maxRelErr(hv, fd)).toBeLessThan(2e-4);
    // The wrong variant that keeps the clipped rows' curvature (clipEps = ∞) fails the same check.
    const wrong = surrogateCurvature(policy, data, { entCoef, clipEps: Number.POSITIVE_INFINITY });
    const hw = new Float32Array(v.length);
    wrong.oracle.hvp(v, hw);
    expect(maxRelErr(hw, fd)).toBeGreaterThan(5e-3); // 1–5% here, vs < 2e-4 for the right one
  });
});

describe('rl.surrogateCurvature: eigenpairs and input checks', () => {
  it('top-k eigenpairs are deterministic and the top vector is an eigenvector', () => {
    const { policy, data } = setup({ type: 'discrete', n: 3 }, 9);
    const c = surrogateCurvature(policy, data);
    const a = hessianEigs(c, { k: 3, seed: 1 });
    const b = hessianEigs(c, { k: 3, seed: 1 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const v = a.vectors[0] as Float32Array;
    const hv = new Float32Array(v.length);
    c.oracle.hvp(v, hv);
    const lam = a.values[0] as number;
    expect(
      maxRelErr(
        hv,
        Float32Array.from(v, (x) => lam * x),
      ),
    ).toBeLessThan(1e-3);
  });

  it('rejects bad input naming the argument', () => {
    const { policy, data } = setup({ type: 'discrete', n: 3 }, 1);
    expect(() => surrogateCurvature({} as never, data)).toThrow(TypeError);
    expect(() => surrogateCurvature(policy, { ...data, obs: new Float32Array(5) })).toThrow(/data\.obs/);
    expect(() => surrogateCurvature(policy, { ...data, oldLogp: new Float32Array(2) })).toThrow(/oldLogp/);
    expect(() => surrogateCurvature(policy, { ...data, actions: new Int32Array(B).fill(3) })).toThrow(RangeError);
    expect(() => surrogateCurvature(policy, data, { clipEps: -1 })).toThrow(/clipEps/);
    expect(() => surrogateCurvature(policy, data, { bogus: 1 } as never)).toThrow(/bogus/);
    expect(() => surrogateLoss({ type: 'box', dim: 2 }, data, {})).toThrow(/actions|logStd/);
  });
});
