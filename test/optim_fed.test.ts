// Federated server optimizers (optim.federated) against a float64 reference written from
// "Adaptive Federated Optimization" (Reddi et al., ICLR 2021), Algorithm 2: m, v without bias
// correction, τ added outside √v, v_{−1} = τ² by default. Tolerance: float32 state, so 1e-5 relative.
import { describe, expect, it } from 'vitest';
import { optim } from '../src/index.js';

const { fedAdam, fedYogi, fedAdagrad, fedAvg, meanDelta } = optim.federated;

type Kind = 'adam' | 'yogi' | 'adagrad';
interface Variant {
  tauInside?: boolean;
  biasCorrection?: boolean;
}

/** Algorithm 2 in float64; `variant` switches on the plausible mistakes the test must catch. */
function reference(
  kind: Kind,
  x0: number[],
  deltas: number[][],
  o: { lr: number; b1: number; b2: number; tau: number },
  variant: Variant = {},
): number[] {
  const x = [...x0];
  const m = x0.map(() => 0);
  const v = x0.map(() => o.tau * o.tau);
  deltas.forEach((d, t) => {
    for (let i = 0; i < x.length; i++) {
      const di = d[i]!;
      m[i] = o.b1 * m[i]! + (1 - o.b1) * di;
      const vi = v[i]!;
      if (kind === 'adagrad') v[i] = vi + di * di;
      else if (kind === 'adam') v[i] = o.b2 * vi + (1 - o.b2) * di * di;
      else v[i] = vi - (1 - o.b2) * di * di * Math.sign(vi - di * di);
      let mh = m[i]!;
      let vh = v[i]!;
      if (variant.biasCorrection) {
        mh /= 1 - o.b1 ** (t + 1);
        vh /= 1 - o.b2 ** (t + 1);
      }
      const denom = variant.tauInside ? Math.sqrt(vh + o.tau) : Math.sqrt(vh) + o.tau;
      x[i] = x[i]! + (o.lr * mh) / denom;
    }
  });
  return x;
}

function seq(rounds: number, n: number, seed: number): number[][] {
  let s = seed;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  // Deltas of shrinking size with a drift, so the sign in Yogi's update takes both values.
  return Array.from({ length: rounds }, (_, t) => Array.from({ length: n }, (_, i) => (r() + 0.1 * i) * 2 ** -(t % 4)));
}

function run(opt: ReturnType<typeof fedAdam>, x0: number[], deltas: number[][]): Float32Array {
  const x = Float32Array.from(x0);
  const state = opt.init(x);
  for (const d of deltas) opt.step(x, Float32Array.from(d), state);
  return x;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return d;
}

// τ large enough that placing it inside the square root changes the trajectory measurably.
const settings = { lr: 0.05, b1: 0.9, b2: 0.99, tau: 0.05 };
const makers = { adam: fedAdam, yogi: fedYogi, adagrad: fedAdagrad } as const;

describe('optim.federated adaptive server optimizers', () => {
  for (const kind of ['adam', 'yogi', 'adagrad'] as const) {
    it(`${kind} matches Algorithm 2 over 30 rounds; τ inside √ and bias correction are caught`, () => {
      const x0 = [0.5, -1, 2, 0, 3, -0.25];
      const deltas = seq(30, x0.length, 11);
      const got = run(makers[kind](settings), x0, deltas);
      const ref = reference(kind, x0, deltas, settings);
      expect(relErr(got, ref)).toBeLessThan(1e-5);
      expect(relErr(got, reference(kind, x0, deltas, settings, { tauInside: true }))).toBeGreaterThan(1e-3);
      if (kind !== 'adagrad')
        expect(relErr(got, reference(kind, x0, deltas, settings, { biasCorrection: true }))).toBeGreaterThan(1e-3);
    });
  }

  it('a hand-computed first FedAdam round', () => {
    // Δ = 1, v_{−1} = τ² = 1e-6: m = 0.1, v = 0.99e-6 + 0.01, x = η m / (√v + τ).
    const x = run(fedAdam({ lr: 1, b1: 0.9, b2: 0.99, tau: 1e-3 }), [0], [[1]]);
    expect(x[0]).toBeCloseTo(0.1 / (Math.sqrt(0.01000099) + 1e-3), 6);
    // The same round with flower's v_{−1} = 0.
    const y = run(fedAdam({ lr: 1, b1: 0.9, b2: 0.99, tau: 1e-3, v0: 0 }), [0], [[1]]);
    expect(y[0]).toBeCloseTo(0.1 / (0.1 + 1e-3), 6);
  });

  it("Yogi's second moment never becomes negative", () => {
    const opt = fedYogi({ ...settings, v0: 0 });
    const x = new Float32Array(6);
    const state = opt.init(x);
    for (const d of seq(50, 6, 3)) {
      opt.step(x, Float32Array.from(d), state);
      for (const v of state.buffers.v!) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it('FedAvg with lr 1 adds the weighted mean delta; meanDelta weights by examples', () => {
    const d = meanDelta([Float32Array.of(1, 2), Float32Array.of(4, -1)], [1, 2]);
    expect([...d]).toEqual([3, 0]);
    const x = Float32Array.of(1, 1);
    const opt = fedAvg();
    opt.step(x, d, opt.init(x));
    expect([...x]).toEqual([4, 1]);
  });

  it('is deterministic and its state saves and restores exactly', () => {
    const deltas = seq(10, 4, 5);
    const a = run(fedYogi(settings), [1, 2, 3, 4], deltas);
    const b = run(fedYogi(settings), [1, 2, 3, 4], deltas);
    expect([...a]).toEqual([...b]);
    // Stop after 5 rounds, save, restore into a fresh optimizer, finish: same bits.
    const opt = fedYogi(settings);
    const x = Float32Array.of(1, 2, 3, 4);
    let state = opt.init(x);
    deltas.forEach((d, t) => {
      if (t === 5) state = optim.restoreState(fedYogi(settings), x, optim.saveState(state));
      opt.step(x, Float32Array.from(d), state);
    });
    expect([...x]).toEqual([...a]);
  });

  it('errors name the argument', () => {
    expect(() => fedAdam({ tau: 0 })).toThrow(/tau/);
    expect(() => fedYogi({ b2: 1 })).toThrow(/b2/);
    expect(() => fedAdagrad({ v0: -1 })).toThrow(/v0/);
    expect(() => fedAdam({ lrr: 1 } as unknown as { lr: number })).toThrow(/lrr/);
    expect(() => meanDelta([])).toThrow(/deltas/);
    expect(() => meanDelta([new Float32Array(2), new Float32Array(3)])).toThrow(/deltas\[1\]/);
    expect(() => meanDelta([new Float32Array(2)], [0])).toThrow(/weights/);
    const opt = fedAdam();
    expect(() => opt.step(new Float32Array(2), new Float32Array(3), opt.init(new Float32Array(2)))).toThrow(RangeError);
  });
});
