// games.gan: the minimax GAN game (Goodfellow et al. 2014, eq. 1) on a mixture of Gaussians. The
// value is recomputed here in float64 from the networks' float64 reference forwards; gradients and
// all four second-order blocks are checked against float64 central differences of that value.
import { describe, expect, it } from 'vitest';
import type { GanGame } from '../src/games/index.js';
import { games, nn, random } from '../src/index.js';

const softplus = (a: number): number => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a)));

// f(x, y) in float64, written from the paper's minimax value: E log D(r) + E log(1 − D(G(z))).
function value64(g: GanGame, x: ArrayLike<number>, y: ArrayLike<number>): number {
  const B = g.real.length / g.dim;
  const p = new Float64Array(g.m + g.n);
  p.set(x, 0);
  p.set(y, g.m);
  const dFake = g.joint.forward64(p, g.noise, B);
  const dReal = g.discriminator.forward64(y, g.real, B);
  let s = 0;
  for (let j = 0; j < B; j++) s += -softplus(dFake[j] as number) - softplus(-(dReal[j] as number));
  return s / B;
}

const small = (dim: 1 | 2 = 2): GanGame => games.gan({ dim, hidden: [6], latent: 2, batch: 24, seed: 3 });

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

// A unit random direction, so the difference step is h in every test.
function randVec(seed: number, n: number): Float32Array {
  const v = random.normal(random.key(seed), n);
  const s = Math.sqrt(dot(v, v));
  return v.map((e) => e / s);
}

// uᵀ ∂²f/∂a∂b w by the four-point mixed central difference in float64 (truncation O(h²)).
function mixedFd(
  g: GanGame,
  x: Float32Array,
  y: Float32Array,
  ux: Float32Array,
  uy: Float32Array,
  wx: Float32Array,
  wy: Float32Array,
): number {
  const h = 1e-3;
  const at = (a: number, b: number): number => {
    const xs = Float64Array.from(x, (v, i) => v + a * h * (ux[i] as number) + b * h * (wx[i] as number));
    const ys = Float64Array.from(y, (v, i) => v + a * h * (uy[i] as number) + b * h * (wy[i] as number));
    return value64(g, xs, ys);
  };
  return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
}

describe('games.gan: derivatives', () => {
  for (const dim of [1, 2] as const) {
    it(`${dim}-D: value and gradient match the float64 minimax value and its central differences`, () => {
      const g = small(dim);
      const { x, y } = g.init(5);
      expect(g.value(x, y)).toBeCloseTo(value64(g, x, y), 5);
      const gx = new Float32Array(g.m);
      const gy = new Float32Array(g.n);
      g.grad(x, y, gx, gy);
      const joint = new Float32Array(g.m + g.n);
      joint.set(gx, 0);
      joint.set(gy, g.m);
      const r = nn.checkGrad(
        (p) => value64(g, p.subarray(0, g.m), p.subarray(g.m)),
        joint,
        Float64Array.from([...x, ...y]),
      );
      expect(r.relError).toBeLessThan(2e-5);
    });

    it(`${dim}-D: D²xx, D²xy, D²yx, D²yy products match mixed float64 central differences`, () => {
      const g = small(dim);
      const { x, y } = g.init(7);
      const zx = new Float32Array(g.m);
      const zy = new Float32Array(g.n);
      for (let trial = 0; trial < 3; trial++) {
        const u = randVec(10 + trial, g.m);
        const v = randVec(20 + trial, g.n);
        const u2 = randVec(30 + trial, g.m);
        const v2 = randVec(40 + trial, g.n);
        const oxy = new Float32Array(g.m);
        const oyx = new Float32Array(g.n);
        const oxx = new Float32Array(g.m);
        const oyy = new Float32Array(g.n);
        g.dxy(x, y, v, oxy);
        g.dyx(x, y, u, oyx);
        g.dxx(x, y, u, oxx);
        g.dyy(x, y, v, oyy);
        const fdXY = mixedFd(g, x, y, u, zy, zx, v); // uᵀ D²xy v
        const fdXX = mixedFd(g, x, y, u2, zy, u, zy); // u2ᵀ D²xx u
        const fdYY = mixedFd(g, x, y, zx, v2, zx, v); // v2ᵀ D²yy v
        const scale = Math.max(Math.abs(fdXY), 1e-3);
        expect(Math.abs(dot(u, oxy) - fdXY) / scale).toBeLessThan(1e-4);
        expect(Math.abs(dot(v, oyx) - fdXY) / scale).toBeLessThan(1e-4);
        expect(Math.abs(dot(u2, oxx) - fdXX) / Math.max(Math.abs(fdXX), 1e-3)).toBeLessThan(1e-4);
        expect(Math.abs(dot(v2, oyy) - fdYY) / Math.max(Math.abs(fdYY), 1e-3)).toBeLessThan(1e-4);
      }
    });
  }

  it('a plausible wrong variant (Gauss-Newton instead of the Hessian for the fake term) fails the same check', () => {
    const g = small(2);
    const { x, y } = g.init(7);
    const u = randVec(10, g.m);
    const v = randVec(20, g.n);
    const B = g.real.length / g.dim;
    // The fake term's loss over logits, as the game uses it: mean −softplus(d).
    const sig = (a: number) => 1 / (1 + Math.exp(-a));
    const fakeLoss = nn.loss.custom({
      value: (d, b) => {
        let s = 0;
        for (let j = 0; j < b; j++) s -= softplus(d[j] as number);
        return s / b;
      },
      grad: (d, b, out) => {
        for (let j = 0; j < b; j++) out[j] = -sig(d[j] as number) / b;
      },
      hvp: (d, b, w, out) => {
        for (let j = 0; j < b; j++) out[j] = (-sig(d[j] as number) * (1 - sig(d[j] as number)) * (w[j] as number)) / b;
      },
    });
    const t = new Float32Array(g.m + g.n);
    t.set(v, g.m);
    const p = Float32Array.from([...x, ...y]);
    const wrong = nn.ggnvp(g.joint, p, g.noise, B, fakeLoss, t).subarray(0, g.m);
    const fd = mixedFd(g, x, y, u, new Float32Array(g.n), new Float32Array(g.m), v);
    expect(Math.abs(dot(u, wrong) - fd) / Math.abs(fd)).toBeGreaterThan(1e-2);
  });
});

describe('games.gan: solvers, coverage, determinism, errors', () => {
  it('gda, extragradient and cgd run on the GAN game through games.solve, deterministically', () => {
    const g = small(2);
    const { x, y } = g.init(1);
    for (const method of ['gda', 'extragradient', 'cgd'] as const) {
      const a = games.solve(g, { method, lr: 0.05, steps: 5, x0: x, y0: y, cgIters: 5 });
      const b = games.solve(g, { method, lr: 0.05, steps: 5, x0: x, y0: y, cgIters: 5 });
      expect(a.history).toHaveLength(6);
      expect(a.x).toEqual(b.x);
      expect(a.y).toEqual(b.y);
      expect(Number.isFinite(a.history[5]?.gradNorm)).toBe(true);
      expect(a.x).not.toEqual(x);
    }
  });

  it('the same seed gives the same game; a different seed a different real batch', () => {
    const a = games.gan({ seed: 4, batch: 16 });
    const b = games.gan({ seed: 4, batch: 16 });
    const c = games.gan({ seed: 5, batch: 16 });
    expect(a.real).toEqual(b.real);
    expect(a.noise).toEqual(b.noise);
    expect(a.real).not.toEqual(c.real);
    expect(a.init(2).x).toEqual(b.init(2).x);
  });

  it('real samples lie near the ring of modes; coverage counts 3σ balls', () => {
    const g = games.gan({ batch: 512 });
    expect(g.centers).toHaveLength(16);
    const cov = games.coverageOf(g.real, 512, 2, g.centers, 8, g.std, 1 / 32);
    expect(cov.covered).toBe(8);
    expect(cov.quality).toBeGreaterThan(0.97); // 3σ in 2-D holds 1 − e^{−4.5} ≈ 98.9%
    // All points on one centre: one mode covered, quality 1; all at the origin: nothing.
    const one = new Float32Array(20);
    for (let i = 0; i < 10; i++) one.set(g.centers.subarray(2, 4), 2 * i);
    expect(games.coverageOf(one, 10, 2, g.centers, 8, g.std, 1 / 32)).toMatchObject({ covered: 1, quality: 1 });
    expect(games.coverageOf(new Float32Array(20), 10, 2, g.centers, 8, g.std, 1 / 32).covered).toBe(0);
  });

  it('bad options and mismatched player sizes throw errors naming the argument', () => {
    expect(() => games.gan({ dim: 3 as 2 })).toThrow(/dim/);
    expect(() => games.gan({ std: -1 })).toThrow(RangeError);
    expect(() => games.gan({ hidden: [] })).toThrow(/hidden/);
    expect(() => games.gan({ bogus: 1 } as never)).toThrow(/bogus/);
    const g = small(2);
    const { x, y } = g.init(0);
    expect(() => g.value(new Float32Array(g.m + 1), y)).toThrow(/x \(the generator has m = /);
    expect(() => g.grad(x, new Float32Array(3), new Float32Array(g.m), new Float32Array(g.n))).toThrow(/y/);
    expect(() => games.solve(g, { method: 'gda', lr: 0.1, steps: 1, x0: y })).toThrow(/x0/);
  });
});
