import { describe, expect, it } from 'vitest';
import type { EsRolloutScalars } from '../src/backend/kernels/es.js';
import type { Backend } from '../src/backend/types.js';
import * as evo from '../src/evo/index.js';
import * as random from '../src/random/index.js';
import { backends, jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

const sizes = Int32Array.from([4, 8, 2]);
const paramCount = 4 * 8 + 8 + 8 * 2 + 2;
const cartpole = new Int32Array([0, 500, 0, 0]);

/** One kernel call's arguments that the tests vary. */
interface Call {
  sizes: Int32Array;
  params: Float32Array;
  returns: Float64Array;
  lengths: Int32Array;
  descriptors: Float32Array;
  scalars: EsRolloutScalars;
}

/** A call on CartPole members `params`, E envs each for at most T steps. */
function call(params: Float32Array, E: number, T: number, common: boolean): Call {
  const P = params.length / paramCount;
  return {
    sizes,
    params,
    returns: new Float64Array(P),
    lengths: new Int32Array(P),
    descriptors: new Float32Array(4 * P),
    scalars: { hidden: 1, output: 0, envsPerMember: E, maxSteps: T, commonEnvSeeds: common },
  };
}

const argsOf = (c: Call) =>
  [
    cartpole,
    c.sizes,
    c.params,
    new Uint32Array([5, 6]),
    new Float32Array(0),
    c.returns,
    c.lengths,
    c.descriptors,
    c.scalars,
  ] as const;

function run(b: Backend, params: Float32Array, E: number, T: number, common: boolean): Call {
  const c = call(params, E, T, common);
  b.esRolloutPolicies(...argsOf(c));
  return c;
}

describe.each(backends)('population rollouts (%s)', (_name, b) => {
  const params = random.normal(random.key(1), 6 * paramCount).map((v) => 0.5 * v);

  it('returns the mean episode return, total steps and a final-observation descriptor', () => {
    const r = run(b, params, 3, 500, false);
    for (let m = 0; m < 6; m++) {
      // CartPole pays 1 per step: the mean return over 3 envs is total steps / 3.
      expect(r.returns[m]).toBeCloseTo(r.lengths[m]! / 3, 12);
      expect(r.lengths[m]).toBeGreaterThanOrEqual(3);
      expect(r.lengths[m]).toBeLessThanOrEqual(1500);
    }
    expect(r.descriptors.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('caps episodes at maxSteps and gives identical members identical returns under common seeds', () => {
    const same = new Float32Array(3 * paramCount);
    for (let m = 0; m < 3; m++) same.set(params.subarray(0, paramCount), m * paramCount);
    const r = run(b, same, 2, 7, true);
    expect(r.returns[0]).toBe(r.returns[1]);
    expect(r.returns[1]).toBe(r.returns[2]);
    expect(r.lengths[0]).toBeLessThanOrEqual(14);
    const own = run(b, same, 2, 500, false);
    expect(own.returns.every((v) => v >= 1)).toBe(true);
  });

  it('async gives the sync numbers', async () => {
    const a = run(b, params, 2, 200, false);
    const out = call(params, 2, 200, false);
    await b.esRolloutPoliciesAsync(...argsOf(out));
    expect([...out.returns]).toEqual([...a.returns]);
    expect([...out.descriptors]).toEqual([...a.descriptors]);
  });

  it('rejects a policy that does not fit the env and mismatched buffers', () => {
    const c = call(params, 1, 10, false);
    const bad = (changed: Partial<Call>, re: RegExp) =>
      expect(() => b.esRolloutPolicies(...argsOf({ ...c, ...changed }))).toThrow(re);
    bad({ sizes: Int32Array.from([3, 8, 2]) }, /sizes\[0\]/);
    bad({ sizes: Int32Array.from([4, 8, 3]) }, /sizes\[last\]/);
    bad({ params: params.subarray(1) }, /params/);
    bad({ scalars: { ...c.scalars, envsPerMember: 0 } }, /scalars\.envsPerMember/);
    bad({ descriptors: new Float32Array(5) }, /descriptors/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('population rollouts'), () => {
  it('agree on returns, lengths and descriptors', () => {
    const params = random.normal(random.key(9), 32 * paramCount).map((v) => 0.3 * v);
    const a = run(nativeBackend!, params, 2, 500, false);
    const j = run(jsBackend, params, 2, 500, false);
    expect([...a.lengths]).toEqual([...j.lengths]);
    expect([...a.returns]).toEqual([...j.returns]);
    for (let i = 0; i < a.descriptors.length; i++) expect(a.descriptors[i]).toBeCloseTo(j.descriptors[i]!, 5);
  });
});

describe('evo.rolloutPopulation', () => {
  it('evaluates a population object by env id and is deterministic for a seed', async () => {
    const s = evo.openaiEs({ popSize: 8, sigma: 0.1, tableSize: 4096 });
    const st = s.init(random.key(0), random.normal(random.key(2), 4 * 16 + 16 + 16 * 2 + 2));
    const pop = s.ask(st, random.key(1));
    const opts = { env: 'CartPole-v1', sizes: [4, 16, 2], envsPerMember: 2, seed: 3 };
    const a = await evo.rolloutPopulation(pop, opts);
    const b = evo.rolloutPopulationSync(pop, opts);
    expect([...a.returns]).toEqual([...b.returns]);
    expect(a.descriptors.length).toBe(8 * 4);
    await expect(evo.rolloutPopulation(pop, { ...opts, sizes: [4, 15, 2] })).rejects.toThrow(/multiple/);
  });
});
