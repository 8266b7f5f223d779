// VeLO's "steps Adam needs" metric with learned_optimization's normalizer (baselines/normalizers.py,
// ../shared/reference/meta-rl-and-learned-optimizers.md §11.3): lower envelope over learning rates,
// running minimum, first linearly interpolated step reaching a loss.
import { describe, expect, it } from 'vitest';
import { learned, optim, random } from '../src/index.js';

describe('learned speed-up normalizer', () => {
  it('the envelope is the pointwise minimum then a running minimum', () => {
    const env = learned.lowerEnvelope([
      [5, 4, 6, 1, 2],
      [6, 3, 7, 2, 0.5],
    ]);
    expect(Array.from(env)).toEqual([5, 3, 3, 1, 0.5]);
    // without the running minimum step 2 would read 6 (a plausible wrong variant)
    expect(() => learned.lowerEnvelope([[1, 2], [1]])).toThrow(/curves\[1\]/);
    expect(() => learned.lowerEnvelope([])).toThrow(/curves/);
  });

  it('returns the exact step on a synthetic monotone curve, interpolated between steps', () => {
    const curve = Float64Array.from({ length: 101 }, (_, t) => 100 / (t + 1));
    expect(learned.stepsToReach(curve, 10)).toBe(9); // 100/(9+1) = 10 exactly
    expect(learned.stepsToReach(curve, 100)).toBe(0);
    expect(learned.stepsToReach(curve, 0.5)).toBe(Number.POSITIVE_INFINITY);
    // between t = 3 (25) and t = 4 (20): 22.5 is half way
    expect(learned.stepsToReach(curve, 22.5)).toBeCloseTo(3.5, 12);
    expect(learned.stepsToReach([Number.POSITIVE_INFINITY, 1], 2)).toBe(1);
  });

  it("Adam at a grid learning rate scores ≤ 1 (the envelope is at least as good), 1 when it is the envelope's best", () => {
    const [task] = learned.tasks.quadratic({ dim: 4, minEig: 0.1, maxEig: 1 }).sample(random.key(3), 1);
    const lrs = [0.01, 0.1];
    const r = learned.adamSpeedup({ optimizer: optim.adam({ lr: 0.1 }), task: task!, horizon: 20, lrs, repeats: 1 });
    const lossAt = (lr: number, T: number) => learned.lossCurve(optim.adam({ lr }), task!, T)[T]!;
    expect(r.loss).toBe(lossAt(0.1, 20));
    expect(r.ratio).toBeLessThanOrEqual(1);
    const slow = learned.adamSpeedup({
      optimizer: optim.adam({ lr: 0.01 }),
      task: task!,
      horizon: 20,
      lrs,
      repeats: 1,
    });
    expect(slow.ratio).toBeLessThan(r.ratio);
    // a stronger optimizer (Adam at lr 0.1 scored against a grid holding only 0.01) is capped
    const capped = learned.adamSpeedup({
      optimizer: optim.adam({ lr: 0.1 }),
      task: task!,
      horizon: 20,
      lrs: [0.001],
      repeats: 1,
      cap: 2,
    });
    expect(capped.ratio).toBe(2);
    expect(() => learned.adamSpeedup({ optimizer: optim.adam({ lr: 0.1 }), task: task!, horizon: 0 })).toThrow(
      /horizon/,
    );
  });
});
