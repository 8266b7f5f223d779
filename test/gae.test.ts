// GAE and discounted returns against a plain double-precision reference and hand-computed
// cases, per backend, plus native/js bit parity.
import { describe, expect, it } from 'vitest';
import * as rollout from '../src/rollout/index.js';
import {
  backends,
  firstDifference,
  jsBackend,
  nativeBackend,
  paritySuite,
  useBackendForSuite,
} from './helpers/backends.js';

type Input = rollout.GaeInput;

function referenceGae(x: Input, gamma: number, lambda: number): { adv: number[]; ret: number[] } {
  const { steps: T, numEnvs: N } = x;
  const adv = new Array(T * N).fill(0);
  for (let i = 0; i < N; i++) {
    let next = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      const v = x.values[k]!;
      let a: number;
      if (x.terminated[k]) a = x.rewards[k]! - v;
      else if (x.truncated[k]) a = x.rewards[k]! + gamma * x.finalValues[k]! - v;
      else {
        const nextV = t === T - 1 ? x.lastValues[i]! : x.values[k + N]!;
        a = x.rewards[k]! + gamma * nextV - v + gamma * lambda * next;
      }
      adv[k] = a;
      next = a;
    }
  }
  return { adv, ret: adv.map((a, k) => a + x.values[k]!) };
}

function randomInput(T: number, N: number, seed: number): Input {
  let h = seed;
  const rnd = () => {
    h = (Math.imul(h ^ (h >>> 13), 0x5bd1e995) + 0x6b43a9b5) >>> 0;
    return h / 2 ** 32;
  };
  const tn = T * N;
  const terminated = Uint8Array.from({ length: tn }, () => (rnd() < 0.08 ? 1 : 0));
  const truncated = Uint8Array.from({ length: tn }, () => (rnd() < 0.05 ? 1 : 0));
  return {
    steps: T,
    numEnvs: N,
    rewards: Float32Array.from({ length: tn }, () => rnd() * 2 - 0.5),
    values: Float32Array.from({ length: tn }, () => rnd() * 3),
    terminated,
    truncated,
    finalValues: Float32Array.from({ length: tn }, (_, k) => (truncated[k] ? rnd() * 5 : 0)),
    lastValues: Float32Array.from({ length: N }, () => rnd() * 3),
  };
}

describe.each(backends)('gae (%s backend)', (name) => {
  useBackendForSuite(name);

  it('matches a hand-computed case: bootstrap at truncation, none at termination', () => {
    const x: Input = {
      steps: 4,
      numEnvs: 1,
      rewards: Float32Array.from([1, 1, 1, 1]),
      values: Float32Array.from([0.5, 0.5, 0.5, 0.5]),
      terminated: Uint8Array.from([0, 0, 0, 1]),
      truncated: Uint8Array.from([0, 1, 0, 0]),
      finalValues: Float32Array.from([0, 2, 0, 0]),
      lastValues: Float32Array.from([3]),
    };
    const { advantages, returns } = rollout.gae(x, { gamma: 0.9, lambda: 0.8 });
    // t=3 terminated: 1 - 0.5; t=2: 1 + 0.9*0.5 - 0.5 + 0.72*0.5; t=1 truncated: 1 + 0.9*2 - 0.5;
    // t=0: 1 + 0.9*0.5 - 0.5 + 0.72*2.3
    const expected = [0.95 + 0.72 * 2.3, 2.3, 0.95 + 0.72 * 0.5, 0.5];
    for (const [k, e] of expected.entries()) expect(advantages[k]).toBeCloseTo(e, 5);
    for (const [k, e] of expected.entries()) expect(returns[k]).toBeCloseTo(e + 0.5, 5);
  });

  it('matches the straightforward reference on random trajectories', () => {
    for (const [T, N, seed] of [
      [1, 1, 1],
      [7, 3, 2],
      [64, 33, 3],
    ] as const) {
      const x = randomInput(T, N, seed);
      const { advantages, returns } = rollout.gae(x, { gamma: 0.99, lambda: 0.95 });
      const ref = referenceGae(x, 0.99, 0.95);
      for (let k = 0; k < T * N; k++) {
        expect(Math.abs(advantages[k]! - ref.adv[k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.adv[k]!)));
        expect(Math.abs(returns[k]! - ref.ret[k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.ret[k]!)));
      }
    }
  });

  it('discounted returns are GAE with lambda 1 and zero values', () => {
    const x = randomInput(20, 4, 9);
    const r = rollout.discountedReturns(x, { gamma: 0.9 });
    const ref = referenceGae({ ...x, values: new Float32Array(80) }, 0.9, 1);
    for (let k = 0; k < 80; k++) expect(r[k]).toBeCloseTo(ref.ret[k]!, 4);
    // a 3-step episode that terminates: returns 1 + .9 + .81, 1 + .9, 1
    const y = rollout.discountedReturns(
      {
        steps: 3,
        numEnvs: 1,
        rewards: Float32Array.from([1, 1, 1]),
        terminated: Uint8Array.from([0, 0, 1]),
        truncated: new Uint8Array(3),
        finalValues: new Float32Array(3),
        lastValues: Float32Array.from([100]),
      },
      { gamma: 0.9 },
    );
    expect([...y].map((v) => +v.toFixed(5))).toEqual([2.71, 1.9, 1]);
  });

  it('rejects bad input', () => {
    const x = randomInput(4, 2, 1);
    expect(() => rollout.gae({ ...x, rewards: new Float32Array(3) }, { gamma: 0.9, lambda: 0.9 })).toThrow(/rewards/);
    expect(() => rollout.gae({ ...x, terminated: new Float32Array(8) as never }, { gamma: 0.9, lambda: 0.9 })).toThrow(
      /terminated/,
    );
    expect(() => rollout.gae(x, { gamma: 1.5, lambda: 0.9 })).toThrow(/gamma/);
    expect(() => rollout.gae(x, { gamma: 0.9, lambda: Number.NaN })).toThrow(/lambda/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('gae parity'), () => {
  it('is bit-identical (same float32 operations in the same order)', () => {
    const x = randomInput(50, 4099, 4);
    const run = (b: typeof jsBackend) => {
      const adv = new Float32Array(50 * 4099);
      const ret = new Float32Array(50 * 4099);
      b.gae(x.rewards, x.values, x.terminated, x.truncated, x.finalValues, x.lastValues, adv, ret, {
        gamma: 0.99,
        lambda: 0.95,
      });
      return [adv, ret] as const;
    };
    const [a1, r1] = run(nativeBackend!);
    const [a2, r2] = run(jsBackend);
    expect(firstDifference(a1, a2)).toBe(-1);
    expect(firstDifference(r1, r2)).toBe(-1);
  });
});
