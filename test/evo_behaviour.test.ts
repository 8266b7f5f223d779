// Behaviour descriptors from the population rollout kernel: action statistics (discrete action
// histogram / mean box action) native ≡ js bit for bit, against hand-computed cases (a constant
// policy, counts that are whole steps), and evo.policyBehaviour feeding SERENE and MAP-Elites.
import { describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import * as evo from '../src/evo/index.js';
import * as random from '../src/random/index.js';
import { jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

const cart = { env: 'CartPole-v1', sizes: [4, 6, 2], envsPerMember: 3, seed: 4 } as const;
const pend = { env: 'Pendulum-v1', sizes: [3, 6, 1], envsPerMember: 2, maxSteps: 50, seed: 4 } as const;
const count = (s: readonly number[]) => s.slice(1).reduce((n, w, l) => n + ((s[l] as number) + 1) * w, 0);

function withBackend<T>(name: 'js' | 'native', f: () => T): T {
  const prev = backend.current();
  backend.use(name);
  try {
    return f();
  } finally {
    backend.use(prev);
  }
}

describe.skipIf(!nativeBackend)(paritySuite('rollout action statistics'), () => {
  it.each([
    ['CartPole-v1 (histogram)', cart],
    ['Pendulum-v1 (mean action)', pend],
  ])('native ≡ js on %s (histograms exactly, box means to float32 rounding), sync ≡ async', async (_n, o) => {
    const params = random.normal(random.key(2), 5 * count(o.sizes)).map((v) => 0.7 * v);
    const js = withBackend('js', () => evo.rolloutPopulationSync(params, { ...o, actionStats: true }));
    const nat = withBackend('native', () => evo.rolloutPopulationSync(params, { ...o, actionStats: true }));
    const natAsync = await evo.rolloutPopulation(params, { ...o, actionStats: true });
    expect(Array.from(natAsync.actionStats)).toEqual(Array.from(nat.actionStats));
    expect(js.actionStats.length).toBe(5 * js.actionWidth);
    // Discrete histograms agree exactly. The MLP forward of the two backends differs by float32
    // rounding (tanh, summation order), as for the final-observation descriptors (test/evo_rollout):
    // box means agree to that level.
    if (o.env === 'CartPole-v1') expect(Array.from(nat.actionStats)).toEqual(Array.from(js.actionStats));
    else
      for (let i = 0; i < js.actionStats.length; i++)
        expect(Math.abs((nat.actionStats[i] as number) - (js.actionStats[i] as number))).toBeLessThan(
          2e-6 * (1 + Math.abs(js.actionStats[i] as number)),
        );
  });
  it('the js twin keeps the native arity (actionStats is a defaulted tenth argument)', () => {
    expect(jsBackend.esRolloutPolicies.length).toBe(9);
  });
});

describe('rollout action statistics', () => {
  it('a histogram over all steps: fractions of whole step counts that sum to 1', () => {
    const params = random.normal(random.key(3), 6 * count(cart.sizes)).map((v) => 0.7 * v);
    const r = evo.rolloutPopulationSync(params, { ...cart, actionStats: true });
    for (let m = 0; m < 6; m++) {
      const h0 = r.actionStats[2 * m] as number;
      const h1 = r.actionStats[2 * m + 1] as number;
      // Dividing by the envs (3) instead of the member's total steps would break both checks.
      expect(h0 + h1).toBeCloseTo(1, 6);
      const steps = r.lengths[m] as number;
      expect(Math.abs(h0 * steps - Math.round(h0 * steps))).toBeLessThan(1e-3);
    }
  });

  it('a constant policy: histogram one-hot on its action, mean action its output bias', () => {
    const c = new Float32Array(count(cart.sizes));
    c[c.length - 1] = 1; // output bias of action 1
    const rc = evo.rolloutPopulationSync(c, { ...cart, actionStats: true });
    expect(Array.from(rc.actionStats)).toEqual([0, 1]);
    const p = new Float32Array(count(pend.sizes));
    p[p.length - 1] = 0.3;
    const rp = evo.rolloutPopulationSync(p, { ...pend, actionStats: true });
    expect(rp.actionStats[0]).toBe(Math.fround(0.3));
    // Not asked: empty, and the other outputs unchanged.
    const plain = evo.rolloutPopulationSync(p, pend);
    expect(plain.actionStats.length).toBe(0);
    expect(Array.from(plain.returns)).toEqual(Array.from(rp.returns));
  });
});

describe('evo.policyBehaviour', () => {
  it("'both' is final observation then action statistics; components select; place in a batch does not matter", () => {
    const params = random.normal(random.key(5), 3 * count(cart.sizes)).map((v) => 0.7 * v);
    const b = evo.policyBehaviour({ ...cart, descriptor: 'both' });
    expect(b.descriptorDim).toBe(6);
    const r = b.evaluate(params);
    const ref = evo.rolloutPopulationSync(params, { ...cart, commonEnvSeeds: true, actionStats: true });
    for (let i = 0; i < 3; i++) {
      expect(Array.from(r.descriptors.subarray(6 * i, 6 * i + 4))).toEqual(
        Array.from(ref.descriptors.subarray(4 * i, 4 * i + 4)),
      );
      expect(Array.from(r.descriptors.subarray(6 * i + 4, 6 * i + 6))).toEqual(
        Array.from(ref.actionStats.subarray(2 * i, 2 * i + 2)),
      );
    }
    const sel = evo.policyBehaviour({ ...cart, descriptor: 'both', components: [0, 5] });
    const last = sel.evaluate(params.subarray(2 * count(cart.sizes)));
    expect(Array.from(last.descriptors)).toEqual([r.descriptors[12], r.descriptors[17]]);
    expect(() => evo.policyBehaviour({ ...cart, components: [4] })).toThrow(/components/);
    expect(() => evo.policyBehaviour({ ...cart, descriptor: 'x' as never })).toThrow(/descriptor/);
  });

  it('drives SERENE (evaluate) and MAP-Elites (tell descriptors) on action statistics', async () => {
    const b = evo.policyBehaviour({ ...pend, descriptor: 'actionStats' });
    const dim = count(pend.sizes);
    const s = evo.serene({
      dim,
      descriptorDim: b.descriptorDim,
      evaluate: b.evaluate,
      budget: 200,
      popSize: 20,
      seed: 1,
    });
    expect(s.archive.length).toBeGreaterThan(0);
    expect(s.archive.length % b.descriptorDim).toBe(0);

    const me = evo.mapElites({ dims: [8], lower: [-2], upper: [2], emitters: 2, batchSize: 8, minimize: false });
    let st = me.init(random.key(0), new Float32Array(dim));
    for (let g = 0; g < 4; g++) {
      const pop = me.ask(st, random.key(g + 1));
      const e = b.evaluate(pop.x);
      st = me.tell(st, pop, e.rewards, e.descriptors);
    }
    expect(st.archive.coverage()).toBeGreaterThan(1 / 8);
  });
});
