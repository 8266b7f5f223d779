// DvD (Parker-Holder et al. 2020; jparkerholder/DvD_ES, reference §6.1): det K of the RBF kernel
// K_ab = exp(−‖φ_a − φ_b‖²/e) and its analytic gradient against central finite differences, the
// reference's sanity cases (1 for far-apart embeddings, 0 for duplicates), and the ES step with
// λ = 1 and a constant reward increasing the agents' diversity.
import { describe, expect, it } from 'vitest';
import { evo, random } from '../src/index.js';

describe('evo.dvdDeterminant', () => {
  it('is 1 for far-apart embeddings and 0 for duplicates', () => {
    expect(evo.dvdDeterminant(Float64Array.from([0, 0, 100, 0, 0, 100]), 3).det).toBeCloseTo(1, 12);
    expect(evo.dvdDeterminant(Float64Array.from([1, 2, 1, 2, 3, 4]), 3).det).toBeCloseTo(0, 12);
  });

  it('its gradient matches central finite differences (float64)', () => {
    const phi = Float64Array.from(random.normal(random.key(3), 4 * 3));
    const { det, grad } = evo.dvdDeterminant(phi, 4);
    expect(det).toBeGreaterThan(1e-3);
    const h = 1e-6;
    const fd = new Float64Array(phi.length);
    for (let i = 0; i < phi.length; i++) {
      const p = Float64Array.from(phi);
      p[i] = (p[i] as number) + h;
      const up = evo.dvdDeterminant(p, 4).det;
      p[i] = (p[i] as number) - 2 * h;
      const down = evo.dvdDeterminant(p, 4).det;
      fd[i] = (up - down) / (2 * h);
      expect(grad[i]).toBeCloseTo(fd[i] as number, 7);
    }
    // A plausible slip — the factor 2/e of ∂K/∂φ counted once instead of twice (K symmetric) — misses FD.
    const wrong = grad.map((g) => g / 2);
    expect(Math.max(...wrong.map((w, i) => Math.abs(w - (fd[i] as number))))).toBeGreaterThan(1e-4);
  });
});

describe('evo.dvd', () => {
  const embedding = (x: Float32Array) => x;
  it('with λ = 1 and a constant reward, steps increase the determinant of the agents', () => {
    const s = evo.dvd({ agents: 3, directions: 10, sigma: 0.05, lr: 0.05, lambda: 1, initSigma: 0.3, embedding });
    let st = s.init(random.key(1), new Float32Array(2));
    const detOf = (agents: Float32Array) => evo.dvdDeterminant(Float64Array.from(agents), 3).det;
    const before = detOf(st.agents);
    for (let g = 0; g < 20; g++) {
      const pop = s.ask(st, random.key(g + 10));
      st = s.tell(st, pop, new Float64Array(pop.popSize).fill(1));
    }
    expect(detOf(st.agents)).toBeGreaterThan(before + 0.1);
  });

  it('with λ = 0 climbs the reward, is deterministic, and checks its input', async () => {
    const run = () =>
      evo.optimize((x) => (x[0] as number) ** 2 + (x[1] as number) ** 2, {
        strategy: evo.dvd({ agents: 3, directions: 8, lambda: 0, embedding }),
        x0: [2, 2],
        generations: 60,
        seed: 5,
      });
    const a = await run();
    const b = await run();
    expect(a.bestFitness).toBeLessThan(0.5);
    expect(a.history).toEqual(b.history);
    const s = evo.dvd({ agents: 2, directions: 2 });
    const st = s.init(random.key(0), new Float32Array(2));
    const pop = s.ask(st, random.key(1));
    expect(() => s.tell(st, pop, new Float64Array(pop.popSize))).toThrow(/expected embeddings/);
    expect(() => evo.dvd({ agents: 1 })).toThrow(RangeError);
    expect(() => evo.dvd({ lambda: 2 })).toThrow(/lambda/);
  });
});

// The adaptive λ of DvD-ES: the authors' Thompson-sampling bandit (jparkerholder/DvD_ES bandits.py,
// reference §6.1) — posterior counts against a hand-computed trace, and the strategy's use of it.
describe('evo.dvd adaptive λ', () => {
  it('posterior counts match a hand-computed trace (feedback sign(R_i − max R_{i−6..i−2}), rows i ≥ 6)', () => {
    const choices = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const rewards = [1, 2, 3, 4, 5, 6, 7, 3, 8, 7];
    // i=6: 7 vs max(1..5)=5 → 1 (arm 0); i=7: 3 vs max(2..6)=6 → 0 (arm 1); i=8: 8 vs max(3..7)=7 → 1
    // (arm 0); i=9: 7 vs max(4,5,6,7,3)=7 → a tie, ½ (arm 1).
    expect(evo.dvdBanditPosterior(choices, rewards, 2)).toEqual({ a: [3, 1.5], b: [1, 2.5] });
    // A plausible slip — comparing with the max of the five rewards just before (R_{i−5..i−1}) —
    // turns i=9 into 7 vs 8 → 0 and gives other counts.
    const slip = { a: [3, 1], b: [1, 3] };
    expect(evo.dvdBanditPosterior(choices, rewards, 2)).not.toEqual(slip);
    // Only the last 50 rows count: 70 generations of rising reward on arm 1 → a = 1 + 50.
    const up = Array.from({ length: 70 }, (_, i) => i);
    expect(evo.dvdBanditPosterior(new Array(70).fill(1), up, 2)).toEqual({ a: [1, 51], b: [1, 1] });
  });

  it('arm 0 first, uniform arms up to generation 5, then the Beta draws from the key', () => {
    const k = random.key(3);
    expect(evo.dvdBanditArm(k, [], [], 2)).toBe(0);
    const choices = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const rewards = [1, 2, 3, 4, 5, 6, 7, 3, 8, 7];
    // Arm 0 has 2 of 2 improvements, arm 1 half of 2: over many keys arm 0 wins most draws.
    let zero = 0;
    for (let s = 0; s < 200; s++) if (evo.dvdBanditArm(random.key(s), choices, rewards, 2) === 0) zero++;
    expect(zero).toBeGreaterThan(120);
    expect(evo.dvdBanditArm(k, choices, rewards, 2)).toBe(evo.dvdBanditArm(k, choices, rewards, 2));
  });

  it('records its arms and rewards; one arm [0.5] equals the fixed λ = 0.5 run bit for bit', async () => {
    const embedding = (x: Float32Array) => x;
    const f = (x: Float32Array) => (x[0] as number) ** 2 + (x[1] as number) ** 2;
    const base = { x0: [2, 2], generations: 12, seed: 5 };
    const ad = await evo.optimize(f, {
      ...base,
      strategy: evo.dvd({ agents: 3, directions: 4, lambda: 'adaptive', embedding }),
    });
    const st = ad.state as evo.DvdState;
    expect(st.bandit.choices.length).toBe(12);
    expect(st.bandit.choices[0]).toBe(0);
    expect(st.bandit.choices.every((c) => c === 0 || c === 1)).toBe(true);
    expect(st.bandit.rewards.length).toBe(12);
    const one = await evo.optimize(f, {
      ...base,
      strategy: evo.dvd({ agents: 3, directions: 4, lambda: 'adaptive', lambdaArms: [0.5], embedding }),
    });
    const fixed = await evo.optimize(f, {
      ...base,
      strategy: evo.dvd({ agents: 3, directions: 4, lambda: 0.5, embedding }),
    });
    expect(one.history).toEqual(fixed.history);
    expect(Array.from((one.state as evo.DvdState).agents)).toEqual(Array.from((fixed.state as evo.DvdState).agents));
    expect(() => evo.dvd({ lambda: 0.5, lambdaArms: [0, 1] })).toThrow(/lambdaArms: only with lambda: 'adaptive'/);
    expect(() => evo.dvd({ lambda: 'adaptive', lambdaArms: [2] })).toThrow(/lambdaArms\[0\]/);
  });
});
