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
