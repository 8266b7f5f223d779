// games: built-in games' products against finite differences, each solver against a reference
// written from its paper (sources named per test), and the equilibrium of a strongly-monotone game.
import { describe, expect, it } from 'vitest';
import type { Game, GameMethod } from '../src/games/index.js';
import { games, nn, random } from '../src/index.js';
import { solveDense } from './helpers/linalg.js';

const f32 = (...v: number[]) => new Float32Array(v);
const ALL: GameMethod[] = [
  'gda',
  'alternatingGda',
  'extragradient',
  'optimistic',
  'twoTimescaleEg',
  'cgd',
  'complexMomentum',
];

// A strongly-convex–strongly-concave quadratic (m = 3, n = 2) with linear terms.
function monotone(): Game {
  return games.quadratic({
    m: 3,
    n: 2,
    Axx: f32(2, 0.5, 0, 0.5, 1.5, 0.2, 0, 0.2, 1),
    Axy: f32(1, -0.5, 0.3, 0.8, -0.7, 0.2),
    Ayy: f32(-1.5, 0.3, 0.3, -1),
    bx: f32(0.4, -0.2, 0.1),
    by: f32(-0.3, 0.5),
  });
}

const denseSolve = (A: number[][], b: number[]): number[] => [...solveDense(A, b)];

describe('games: built-in games', () => {
  it('quadratic: gradient and all four products match central differences (exact for a quadratic)', () => {
    const g = monotone();
    const x = f32(0.3, -1.2, 0.7);
    const y = f32(-0.4, 0.9);
    // value vs its gradient (float64 central differences via nn.checkGrad)
    const gx = new Float32Array(3);
    const gy = new Float32Array(2);
    g.grad(x, y, gx, gy);
    const chk = nn.checkGrad(
      (z) => g.value(Float32Array.from(z.subarray(0, 3)), Float32Array.from(z.subarray(3))),
      [...gx, ...gy],
      [...x, ...y],
      { eps: 1e-2 },
    );
    expect(chk.relError).toBeLessThan(1e-5);
    // products vs differences of the gradient along unit steps (linear gradient: no truncation)
    const u = f32(0.5, -1, 0.25);
    const v = f32(1, -0.5);
    const at = (xx: Float32Array, yy: Float32Array) => {
      const a = new Float32Array(3);
      const b = new Float32Array(2);
      g.grad(xx, yy, a, b);
      return [a, b] as const;
    };
    const xp = x.map((xi, i) => xi + u[i]!);
    const xm = x.map((xi, i) => xi - u[i]!);
    const yp = y.map((yi, j) => yi + v[j]!);
    const ym = y.map((yi, j) => yi - v[j]!);
    const [gxXp, gyXp] = at(xp, y);
    const [gxXm, gyXm] = at(xm, y);
    const [gxYp, gyYp] = at(x, yp);
    const [gxYm, gyYm] = at(x, ym);
    const ox = new Float32Array(3);
    const oy = new Float32Array(2);
    g.dxx(x, y, u, ox);
    ox.forEach((o, i) => {
      expect(o).toBeCloseTo((gxXp[i]! - gxXm[i]!) / 2, 5);
    });
    g.dyx(x, y, u, oy);
    oy.forEach((o, j) => {
      expect(o).toBeCloseTo((gyXp[j]! - gyXm[j]!) / 2, 5);
    });
    g.dxy(x, y, v, ox);
    ox.forEach((o, i) => {
      expect(o).toBeCloseTo((gxYp[i]! - gxYm[i]!) / 2, 5);
    });
    g.dyy(x, y, v, oy);
    oy.forEach((o, j) => {
      expect(o).toBeCloseTo((gyYp[j]! - gyYm[j]!) / 2, 5);
    });
  });

  it('the equilibrium is stationary, and classify calls it local Nash and local minimax', () => {
    const g = monotone();
    const eq = g.equilibrium!;
    const c = games.classify(g, eq.x, eq.y);
    expect(c.gradNorm).toBeLessThan(1e-6);
    expect(c.localNash).toBe(true);
    expect(c.localMinimax).toBe(true);
  });

  it('Follow-the-Ridge toys (Wang, Zhang & Ba 2020): f₁ = −3x² − y² + 4xy is local minimax, not Nash; f₂ = 3x² + y² + 4xy neither', () => {
    const f1 = games.quadratic({ m: 1, n: 1, Axx: f32(-6), Axy: f32(4), Ayy: f32(-2) });
    const f2 = games.quadratic({ m: 1, n: 1, Axx: f32(6), Axy: f32(4), Ayy: f32(2) });
    const c1 = games.classify(f1, f32(0), f32(0));
    expect(c1).toMatchObject({ localNash: false, localMinimax: true });
    expect(c1.minEigSchur).toBeCloseTo(2, 6); // −6 − 4·(−½)·4
    expect(games.classify(f2, f32(0), f32(0))).toMatchObject({ localNash: false, localMinimax: false });
  });

  it('fromModel: gradient and mixed product of a network game against float64 differences', () => {
    const net = nn.mlp({ sizes: [2, 4, 1], activation: 'tanh' });
    const inputs = random.normal(random.key(1), 6);
    const loss = nn.loss.mse(random.normal(random.key(2), 3));
    const g = games.fromModel(net, loss, inputs, 3, { m: 8 });
    const p = net.init(0);
    const x = p.slice(0, 8);
    const y = p.slice(8);
    const gx = new Float32Array(8);
    const gy = new Float32Array(g.n);
    g.grad(x, y, gx, gy);
    const f64 = (z: Float64Array) => loss.value(net.forward64(z, inputs, 3), 3);
    expect(nn.checkGrad(f64, [...gx, ...gy], p).relError).toBeLessThan(1e-4);
    // D²ₓᵧ·e_j: differences of the float64 gradient are not available, so compare eᵢᵀ(D²ₓᵧ eⱼ)
    // with a mixed central difference of the value.
    const ej = new Float32Array(g.n);
    ej[2] = 1;
    const ox = new Float32Array(8);
    g.dxy(x, y, ej, ox);
    const h = 1e-3;
    const at = (a: number, b: number) => {
      const z = Float64Array.from(p);
      z[1]! += a * h;
      z[8 + 2]! += b * h;
      return f64(z);
    };
    const fd = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    expect(Math.abs(ox[1]! - fd)).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd)));
  });
});

describe('games.solve: each method against its reference', () => {
  it('extragradient on f = xy from (1, 1), η = 0.1, matches the hand computation (Korpelevich)', () => {
    // ξ(1,1) = (y, x) = (1, 1): z½ = (0.9, 1.1); ∇ at z½ = (1.1, 0.9); z₁ = (1 − 0.11, 1 + 0.09).
    const g = games.bilinear(f32(1), { m: 1, n: 1 });
    const r = games.solve(g, { method: 'extragradient', lr: 0.1, steps: 1, x0: f32(1), y0: f32(1) });
    expect(r.x[0]).toBeCloseTo(0.89, 6);
    expect(r.y[0]).toBeCloseTo(1.09, 6);
    // a wrong variant (stepping from z½ instead of z) would give x = 0.79
    expect(Math.abs(r.x[0]! - 0.79)).toBeGreaterThan(0.05);
  });

  it('CGD on a bilinear game equals its closed-form step (Schäfer & Anandkumar 2019, eq. for zero-sum)', () => {
    const m = 3;
    const n = 2;
    const A = [
      [1, -0.5],
      [0.3, 0.8],
      [-0.7, 0.2],
    ];
    const x = [0.5, -1, 0.25];
    const y = [1, -0.5];
    const eta = 0.3;
    // Δx = −η(I + η²AAᵀ)⁻¹(Ay + ηAAᵀx), Δy = η(I + η²AᵀA)⁻¹(Aᵀx − ηAᵀAy)
    const Ay = A.map((r) => r[0]! * y[0]! + r[1]! * y[1]!);
    const Atx = [0, 1].map((j) => A.reduce((s, r, i) => s + r[j]! * x[i]!, 0));
    const AAt = A.map((ri) => A.map((rk) => ri[0]! * rk[0]! + ri[1]! * rk[1]!));
    const AtA = [0, 1].map((j) => [0, 1].map((k) => A.reduce((s, r) => s + r[j]! * r[k]!, 0)));
    const AAtx = AAt.map((r) => r.reduce((s, a, k) => s + a * x[k]!, 0));
    const AtAy = AtA.map((r) => r.reduce((s, a, k) => s + a * y[k]!, 0));
    const dx = denseSolve(
      AAt.map((r, i) => r.map((a, k) => eta * eta * a + (i === k ? 1 : 0))),
      Ay.map((v, i) => -eta * (v + eta * AAtx[i]!)),
    );
    const dy = denseSolve(
      AtA.map((r, i) => r.map((a, k) => eta * eta * a + (i === k ? 1 : 0))),
      Atx.map((v, j) => eta * (v - eta * AtAy[j]!)),
    );
    const g = games.bilinear(Float32Array.from(A.flat()), { m, n });
    const r = games.solve(g, { method: 'cgd', lr: eta, steps: 1, x0: Float32Array.from(x), y0: Float32Array.from(y) });
    r.x.forEach((v, i) => {
      expect(Math.abs(v - (x[i]! + dx[i]!))).toBeLessThan(2e-7);
    });
    r.y.forEach((v, j) => {
      expect(Math.abs(v - (y[j]! + dy[j]!))).toBeLessThan(2e-7);
    });
    // GDA's step (the α → 0 limit) is a plausible wrong variant and differs by far more
    const gda = games.solve(g, {
      method: 'gda',
      lr: eta,
      steps: 1,
      x0: Float32Array.from(x),
      y0: Float32Array.from(y),
    });
    expect(Math.abs(gda.x[0]! - r.x[0]!)).toBeGreaterThan(1e-2);
  });

  it('CGD on f = xy with η = 0.2 contracts ‖(x, y)‖ every step (reference notes §4.2)', () => {
    const g = games.bilinear(f32(1), { m: 1, n: 1 });
    const r = games.solve(g, { method: 'cgd', lr: 0.2, steps: 50, x0: f32(1), y0: f32(-2) });
    for (let t = 1; t < r.history.length; t++)
      expect(r.history[t]!.distance!).toBeLessThan(r.history[t - 1]!.distance!);
  });

  it('optimistic GDA: z₁ = z₀ − ηξ(z₀), then z₂ = z₁ − η(2ξ(z₁) − ξ(z₀)) on f = xy', () => {
    const g = games.bilinear(f32(1), { m: 1, n: 1 });
    const r = games.solve(g, { method: 'optimistic', lr: 0.1, steps: 2, x0: f32(1), y0: f32(1) });
    // z₁ = (0.9, 1.1); ξ(z₀) = (1, −1), ξ(z₁) = (1.1, −0.9): x₂ = 0.9 − 0.1(2.2 − 1) = 0.78, y₂ = 1.1 + 0.1(1.8 − 1) = 1.18
    expect(r.x[0]).toBeCloseTo(0.78, 6);
    expect(r.y[0]).toBeCloseTo(1.18, 6);
  });

  it('complex momentum equals a complex-arithmetic reference (Lorraine et al. 2022: μ ← βμ − ĝ, ω ← ω + α·Re μ)', () => {
    const g = games.bilinear(f32(1), { m: 1, n: 1 });
    const beta = { re: 0.8 * Math.cos(Math.PI / 4), im: 0.8 * Math.sin(Math.PI / 4) };
    const r = games.solve(g, {
      method: 'complexMomentum',
      lr: 0.2,
      steps: 5,
      x0: f32(1),
      y0: f32(1),
      momentum: 0.8,
      angle: Math.PI / 4,
    });
    let [x, y] = [1, 1];
    let mx = { re: 0, im: 0 };
    let my = { re: 0, im: 0 };
    const mul = (a: typeof beta, b: typeof beta) => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
    for (let t = 0; t < 5; t++) {
      const [gx, gy] = [y, -x]; // descent gradients of f = xy for x and of −f for y
      mx = mul(beta, mx);
      mx.re -= gx;
      my = mul(beta, my);
      my.re -= gy;
      x += 0.2 * mx.re;
      y += 0.2 * my.re;
    }
    expect(Math.abs(r.x[0]! - x)).toBeLessThan(1e-6);
    expect(Math.abs(r.y[0]! - y)).toBeLessThan(1e-6);
  });

  it('two-timescale EG (Chae, Kim & Kim 2023): τ = 4 reaches the local minimax of f₁ from (5, 7); GDA does not', () => {
    const f1 = games.quadratic({ m: 1, n: 1, Axx: f32(-6), Axy: f32(4), Ayy: f32(-2) });
    const start = { x0: f32(5), y0: f32(7) };
    const eg = games.solve(f1, { method: 'twoTimescaleEg', lr: 0.05, timescale: 4, steps: 2000, ...start });
    expect(eg.history.at(-1)!.distance!).toBeLessThan(1e-5);
    const gda = games.solve(f1, { method: 'gda', lr: 0.05, steps: 2000, ...start });
    expect(gda.history.at(-1)!.distance ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1);
    // continuous-time Jacobian [[6, −4], [4τ, −2τ]] is stable iff τ > 3: τ = 2 must not converge
    const slow = games.solve(f1, { method: 'twoTimescaleEg', lr: 0.05, timescale: 2, steps: 2000, ...start });
    expect(slow.history.at(-1)!.distance ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1);
  });

  it('two-timescale EG on f₂ = 3x² + y² + 4xy: τ = 1 converges to the non-minimax (0, 0), τ = 4 does not', () => {
    const f2 = games.quadratic({ m: 1, n: 1, Axx: f32(6), Axy: f32(4), Ayy: f32(2) });
    const start = { x0: f32(6), y0: f32(5) };
    const t1 = games.solve(f2, { method: 'twoTimescaleEg', lr: 0.05, timescale: 1, steps: 2000, ...start });
    expect(t1.history.at(-1)!.distance!).toBeLessThan(1e-5);
    const t4 = games.solve(f2, { method: 'twoTimescaleEg', lr: 0.05, timescale: 4, steps: 2000, ...start });
    expect(t4.history.at(-1)!.distance ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1);
  });
});

describe('games.solve: convergence and diagnostics', () => {
  it('every method reaches the known equilibrium of a strongly-monotone game', () => {
    const g = monotone();
    const eq = g.equilibrium!;
    for (const method of ALL) {
      const r = games.solve(g, { method, lr: 0.05, steps: 3000, x0: f32(1, 1, 1), y0: f32(-1, 1), momentum: 0.5 });
      r.x.forEach((v, i) => {
        expect(Math.abs(v - eq.x[i]!), method).toBeLessThan(1e-5);
      });
      r.y.forEach((v, j) => {
        expect(Math.abs(v - eq.y[j]!), method).toBeLessThan(1e-5);
      });
    }
  });

  it('bilinear xᵀAy: GDA spirals out; EG, optimistic, CGD and complex momentum (β = 0.8e^{iπ/4}) converge', () => {
    const g = games.bilinear(f32(1, 0.5, -0.3, 1.2), { m: 2, n: 2 });
    const start = { x0: f32(1, -1), y0: f32(0.5, 1), lr: 0.2, steps: 1500 };
    const d0 = Math.hypot(1, 1, 0.5, 1);
    expect(games.solve(g, { method: 'gda', ...start }).history.at(-1)!.distance!).toBeGreaterThan(10 * d0);
    for (const method of ['extragradient', 'optimistic', 'cgd'] as const)
      expect(games.solve(g, { method, ...start }).history.at(-1)!.distance!, method).toBeLessThan(1e-5);
    const cm = games.solve(g, { method: 'complexMomentum', momentum: 0.8, angle: Math.PI / 4, ...start });
    expect(cm.history.at(-1)!.distance!).toBeLessThan(1e-5);
    // real momentum β = 0.9 (angle 0) does not converge under simultaneous updates
    const real = games.solve(g, { method: 'complexMomentum', momentum: 0.9, angle: 0, ...start });
    expect(real.history.at(-1)!.distance ?? Number.POSITIVE_INFINITY).toBeGreaterThan(d0);
  });

  it('records the Jacobian eigenvalues: ±i for f = xy (purely rotational, so GDA is unstable)', () => {
    const g = games.bilinear(f32(1), { m: 1, n: 1 });
    const r = games.solve(g, { method: 'gda', lr: 0.1, steps: 1, x0: f32(1), y0: f32(1), eigenvalues: true });
    const e = r.history[0]!.eigenvalues!;
    expect([...e.re].map(Math.abs)).toEqual([expect.closeTo(0, 12), expect.closeTo(0, 12)]);
    expect([...e.im].sort()).toEqual([expect.closeTo(-1, 12), expect.closeTo(1, 12)]);
    // a 3 × 3 non-symmetric matrix with eigenvalues 2 and 1 ± 2i (companion of (λ−2)(λ²−2λ+5))
    const ev = games.eigenvalues(new Float64Array([4, -9, 10, 1, 0, 0, 0, 1, 0]), 3);
    const got = [...ev.re].map((re, i) => [re, ev.im[i]!]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(got.flat().map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, -2, 1, 2, 2, 0]);
  });

  it('is deterministic and records every `every` steps plus the last', () => {
    const g = monotone();
    const a = games.solve(g, { method: 'cgd', lr: 0.1, steps: 25, every: 10 });
    const b = games.solve(g, { method: 'cgd', lr: 0.1, steps: 25, every: 10 });
    expect(a.history.map((h) => h.step)).toEqual([0, 10, 20, 25]);
    expect(a).toEqual(b);
  });

  it('refuses bad input with errors that name the argument', () => {
    const g = monotone();
    expect(() => games.solve(g, { method: 'gda', lr: 0.1, steps: 1, x0: f32(1, 2) })).toThrow(
      /x0 .*m = 3.*expected length 3, got 2/,
    );
    expect(() => games.solve(g, { method: 'gda', lr: 0.1, steps: 1, y0: f32(1) })).toThrow(/y0 .*n = 2/);
    expect(() => games.solve(g, { method: 'sgd' as GameMethod, lr: 0.1, steps: 1 })).toThrow(/method: expected one of/);
    expect(() => games.solve(g, { method: 'gda', lr: 0, steps: 1 })).toThrow(/lr/);
    expect(() => games.solve(g, { method: 'gda', lr: 0.1, steps: 1.5 })).toThrow(/steps/);
    expect(() => games.solve(g, { method: 'gda', lr: 0.1, steps: 1, lrr: 1 } as never)).toThrow(/lrr/);
    expect(() => games.solve({} as Game, { method: 'gda', lr: 0.1, steps: 1 })).toThrow(TypeError);
    expect(() => games.bilinear(f32(1, 2, 3), { m: 2, n: 2 })).toThrow(/A \(m × n = 2 × 2\): expected length 4, got 3/);
    expect(() => games.bilinear(f32(1, 2), { m: 1, n: 2, bx: f32(1, 2) })).toThrow(/bx: expected length 1/);
    expect(() => games.quadratic({ m: 2, n: 1, Axx: f32(1, 2, 3, 1), Axy: f32(1, 1) })).toThrow(
      /Axx: expected a symmetric/,
    );
    const gx = new Float32Array(3);
    expect(() => g.grad(f32(1, 2, 3), f32(1, 2, 3), gx, new Float32Array(2))).toThrow(/grad: y: expected length 2/);
  });
});
