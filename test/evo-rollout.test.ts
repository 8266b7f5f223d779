import { describe, expect, it } from 'vitest';
import * as evo from '../src/evo/index.js';
import * as random from '../src/random/index.js';
import { backends, jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

const sizes = Int32Array.from([4, 8, 2]);
const paramCount = 4 * 8 + 8 + 8 * 2 + 2;
const cartpole = new Int32Array([0, 500, 0, 0]);

function run(b: (typeof backends)[number][1], params: Float32Array, E: number, T: number, common: boolean) {
  const P = params.length / paramCount;
  const out = { returns: new Float64Array(P), lengths: new Int32Array(P), descriptors: new Float32Array(4 * P) };
  b.esRolloutPolicies(
    cartpole,
    sizes,
    params,
    new Uint32Array([5, 6]),
    new Float32Array(0),
    out.returns,
    out.lengths,
    out.descriptors,
    { hidden: 1, output: 0, envsPerMember: E, maxSteps: T, commonEnvSeeds: common },
  );
  return out;
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
    const out = { returns: new Float64Array(6), lengths: new Int32Array(6), descriptors: new Float32Array(24) };
    await b.esRolloutPoliciesAsync(
      cartpole,
      sizes,
      params,
      new Uint32Array([5, 6]),
      new Float32Array(0),
      out.returns,
      out.lengths,
      out.descriptors,
      { hidden: 1, output: 0, envsPerMember: 2, maxSteps: 200, commonEnvSeeds: false },
    );
    expect([...out.returns]).toEqual([...a.returns]);
    expect([...out.descriptors]).toEqual([...a.descriptors]);
  });

  it('rejects a policy that does not fit the env and mismatched buffers', () => {
    const bad = (f: () => void, re: RegExp) => expect(f).toThrow(re);
    const z = () => ({ r: new Float64Array(6), l: new Int32Array(6), d: new Float32Array(24) });
    const o = z();
    bad(
      () =>
        b.esRolloutPolicies(
          cartpole,
          Int32Array.from([3, 8, 2]),
          params,
          new Uint32Array(2),
          new Float32Array(0),
          o.r,
          o.l,
          o.d,
          { hidden: 1, output: 0, envsPerMember: 1, maxSteps: 10, commonEnvSeeds: false },
        ),
      /sizes\[0\]/,
    );
    bad(
      () =>
        b.esRolloutPolicies(
          cartpole,
          Int32Array.from([4, 8, 3]),
          params,
          new Uint32Array(2),
          new Float32Array(0),
          o.r,
          o.l,
          o.d,
          { hidden: 1, output: 0, envsPerMember: 1, maxSteps: 10, commonEnvSeeds: false },
        ),
      /sizes\[last\]/,
    );
    bad(
      () =>
        b.esRolloutPolicies(
          cartpole,
          sizes,
          params.subarray(1),
          new Uint32Array(2),
          new Float32Array(0),
          o.r,
          o.l,
          o.d,
          { hidden: 1, output: 0, envsPerMember: 1, maxSteps: 10, commonEnvSeeds: false },
        ),
      /params/,
    );
    bad(
      () =>
        b.esRolloutPolicies(cartpole, sizes, params, new Uint32Array(2), new Float32Array(0), o.r, o.l, o.d, {
          hidden: 1,
          output: 0,
          envsPerMember: 0,
          maxSteps: 10,
          commonEnvSeeds: false,
        }),
      /scalars\.envsPerMember/,
    );
    bad(
      () =>
        b.esRolloutPolicies(
          cartpole,
          sizes,
          params,
          new Uint32Array(2),
          new Float32Array(0),
          o.r,
          o.l,
          new Float32Array(5),
          { hidden: 1, output: 0, envsPerMember: 1, maxSteps: 10, commonEnvSeeds: false },
        ),
      /descriptors/,
    );
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
