// CBO's consensus weights (adaptive α by effective sample size) and OpenAI-ES's σ decay, each
// against hand-computed values on tiny cases.
import { describe, expect, it } from 'vitest';
import * as evo from '../src/evo/index.js';
import { consensusWeights, effectiveSampleSize, essAlpha, lossGaps } from '../src/evo/strategies/cbo_weights.js';
import * as random from '../src/random/index.js';

describe('cbo consensus weights', () => {
  it('measures gaps from the best loss and gives non-finite losses weight 0', () => {
    const gaps = lossGaps(Float64Array.of(3, 1, Number.POSITIVE_INFINITY, 2));
    expect([...gaps]).toEqual([2, 0, Number.POSITIVE_INFINITY, 1]);
    expect([...consensusWeights(gaps, Math.LN2)]).toEqual([0.25, 1, 0, 0.5]);
  });

  it('computes the effective sample size by hand', () => {
    // weights 1, 1/2, 1/4: (7/4)² / (1 + 1/4 + 1/16) = 7/3
    expect(effectiveSampleSize(Float64Array.of(0, 1, 2), Math.LN2)).toBeCloseTo(7 / 3, 12);
    expect(effectiveSampleSize(Float64Array.of(0, 1, 2), 0)).toBe(3);
  });

  it('finds the α of a target effective sample size, scaling as 1/(loss scale)', () => {
    const gaps = Float64Array.of(0, 1, 2);
    expect(essAlpha(gaps, 7 / 9)).toBeCloseTo(Math.LN2, 9);
    const small = Float64Array.of(0, 1e-6, 2e-6);
    expect(essAlpha(small, 7 / 9) * 1e-6).toBeCloseTo(Math.LN2, 9);
    expect(essAlpha(Float64Array.of(0, 0, 0), 0.5)).toBe(0);
    // Non-finite members neither count towards the target nor weigh anything.
    expect(essAlpha(Float64Array.of(0, 1, 2, Number.POSITIVE_INFINITY), 7 / 9)).toBeCloseTo(Math.LN2, 9);
  });

  it('tell uses the adaptive α for the consensus point and records it', () => {
    const s = evo.cbo({ popSize: 4, ess: 0.5 });
    const st = s.init(random.key(0), [0, 0]);
    const pop = s.ask(st, random.key(1));
    const f = [0.3, 0.1, 0.7, 0.2];
    const next = s.tell(st, pop, f);
    const gaps = Float64Array.from(f, (v) => v - 0.1);
    expect(effectiveSampleSize(gaps, next.alpha)).toBeCloseTo(2, 6);
    const w = f.map((v) => Math.exp(-next.alpha * (v - 0.1)));
    const total = w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < 2; j++) {
      const v = w.reduce((acc, wi, i) => acc + wi * pop.x[i * 2 + j]!, 0) / total;
      expect(next.consensus![j]).toBeCloseTo(v, 6);
    }
  });

  it('rejects alpha together with ess, and ess outside (0, 1]', () => {
    expect(() => evo.cbo({ alpha: 10, ess: 0.1 })).toThrow(RangeError);
    expect(() => evo.cbo({ ess: 0 })).toThrow(/ess/);
    expect(() => evo.cbo({ ess: 1.5 })).toThrow(/ess/);
  });

  it('the defaults solve a 10-d sphere to 1e-6 within 50,000 evaluations', async () => {
    const r = await evo.optimize(evo.functions.sphere, {
      strategy: 'cbo',
      x0: new Float32Array(10).fill(1),
      generations: 500,
      seed: 1,
      target: 1e-6,
    });
    expect(r.bestFitness).toBeLessThanOrEqual(1e-6);
  });
});

describe('openaiEs sigma decay', () => {
  const table = { data: Float32Array.from({ length: 16 }, (_, i) => (i - 7) / 4) };
  const rankOf = (k: number, n: number) => k / (n - 1) - 0.5;

  it('samples and estimates with the decayed σ, floored at sigmaLimit', () => {
    const s = evo.openaiEs({ popSize: 4, sigma: 0.5, sigmaDecay: 0.5, sigmaLimit: 0.2, lr: 0.1, noiseTable: table });
    const st = s.init(random.key(0), [0.25, -0.5]);
    expect(st.sigma).toBe(0.5);
    const st1 = s.tell(st, s.ask(st, random.key(1)), [1, 2, 3, 4]);
    expect(st1.sigma).toBe(0.25);
    const mean = Float32Array.from(st1.mean);
    const pop = s.ask(st1, random.key(2));
    const [i0, i1] = [pop.noiseIndex![0]!, pop.noiseIndex![1]!];
    const e0 = table.data.subarray(i0, i0 + 2);
    const e1 = table.data.subarray(i1, i1 + 2);
    expect(pop.x[0]).toBe(Math.fround(mean[0]! + Math.fround(0.25 * e0[0]!)));
    expect(pop.x[3]).toBe(Math.fround(mean[1]! - Math.fround(0.25 * e0[1]!)));
    // fitness [1, 2, 4, 3] → ranks [0, 1, 3, 2]; w_i = (s⁺ − s⁻)/(P σ) with P σ = 1
    const st2 = s.tell(st1, pop, [1, 2, 4, 3]);
    const w0 = rankOf(0, 4) - rankOf(1, 4);
    const w1 = rankOf(3, 4) - rankOf(2, 4);
    for (let j = 0; j < 2; j++) {
      const g = Math.fround(w0 * e0[j]! + w1 * e1[j]!);
      expect(st2.mean[j]).toBe(Math.fround(mean[j]! - Math.fround(Math.fround(0.1) * g)));
    }
    expect(st2.sigma).toBe(0.2);
  });

  it('rejects a sigmaDecay outside (0, 1]', () => {
    expect(() => evo.openaiEs({ sigmaDecay: 0 })).toThrow(/sigmaDecay/);
    expect(() => evo.openaiEs({ sigmaDecay: 1.1 })).toThrow(/sigmaDecay/);
  });
});
