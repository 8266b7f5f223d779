// One step of each solver of games.solve, for min_x max_y f. Each factory binds the game and its
// scratch buffers and returns step(x, y), which moves (x, y) in place.
import { cg } from '../nn/cg.js';
import { complexMomentum } from '../optim/index.js';
import type { Game } from './types.js';

export type Step = (x: Float32Array, y: Float32Array) => void;

export interface StepSettings {
  lr: number;
  timescale: number;
  momentum: number;
  angle: number;
  cgIters: number;
  cgTol: number;
}

/** Simultaneous GDA: both players step from the same point. */
export function gdaStep(g: Game, s: StepSettings): Step {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  return (x, y) => {
    g.grad(x, y, gx, gy);
    axpy(x, -s.lr, gx);
    axpy(y, s.lr, gy);
  };
}

/** Alternating GDA: x steps, then y steps against the new x. */
export function alternatingGdaStep(g: Game, s: StepSettings): Step {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  return (x, y) => {
    g.grad(x, y, gx, gy);
    axpy(x, -s.lr, gx);
    g.grad(x, y, gx, gy);
    axpy(y, s.lr, gy);
  };
}

/**
 * Extragradient (Korpelevich 1976): look ahead to z½ = z − ηₚξ(z), then step from z with ξ(z½).
 * With `ratio` τ the min player takes η/τ (two-timescale EG, Chae, Kim & Kim 2023, §4.18 of the
 * reference notes); τ = 1 is plain EG.
 */
export function extragradientStep(g: Game, s: StepSettings, ratio: number): Step {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  const xh = new Float32Array(g.m);
  const yh = new Float32Array(g.n);
  const lx = s.lr / ratio;
  return (x, y) => {
    g.grad(x, y, gx, gy);
    xh.set(x);
    yh.set(y);
    axpy(xh, -lx, gx);
    axpy(yh, s.lr, gy);
    g.grad(xh, yh, gx, gy);
    axpy(x, -lx, gx);
    axpy(y, s.lr, gy);
  };
}

/** Optimistic GDA: z ← z − η(2ξ(z_t) − ξ(z_{t−1})), with ξ(z_{−1}) = ξ(z_0). */
export function optimisticStep(g: Game, s: StepSettings): Step {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  const px = new Float32Array(g.m);
  const py = new Float32Array(g.n);
  let first = true;
  return (x, y) => {
    g.grad(x, y, gx, gy);
    if (first) {
      px.set(gx);
      py.set(gy);
      first = false;
    }
    for (let i = 0; i < g.m; i++) x[i] = (x[i] as number) - s.lr * (2 * (gx[i] as number) - (px[i] as number));
    for (let j = 0; j < g.n; j++) y[j] = (y[j] as number) + s.lr * (2 * (gy[j] as number) - (py[j] as number));
    px.set(gx);
    py.set(gy);
  };
}

/**
 * Competitive gradient descent (Schäfer & Anandkumar 2019), zero-sum form: the Nash equilibrium of
 * the regularized local bilinear game solves [[I, ηD²ₓᵧf], [−ηD²ᵧₓf, I]](Δx, Δy) = −η(∇ₓf, −∇ᵧf).
 * Eliminating Δy gives the SPD system (I + η²D²ₓᵧf D²ᵧₓf)Δx = −η(∇ₓf + ηD²ₓᵧf ∇ᵧf), solved by
 * nn.cg (damping 1 is the identity), warm-started from the last Δx as cgds-package does; then
 * Δy = η(∇ᵧf + D²ᵧₓf Δx) from the second row, so one CG solve per step.
 */
export function cgdStep(g: Game, s: StepSettings): Step {
  const { m, n } = g;
  const gx = new Float32Array(m);
  const gy = new Float32Array(n);
  const b = new Float32Array(m);
  const tn = new Float32Array(n);
  const eta = s.lr;
  let warm: Float32Array | undefined;
  return (x, y) => {
    g.grad(x, y, gx, gy);
    g.dxy(x, y, gy, b);
    for (let i = 0; i < m; i++) b[i] = -eta * ((gx[i] as number) + eta * (b[i] as number));
    const matvec = (u: Float32Array, out: Float32Array): void => {
      g.dyx(x, y, u, tn);
      g.dxy(x, y, tn, out);
      for (let i = 0; i < m; i++) out[i] = eta * eta * (out[i] as number);
    };
    const dx = cg(matvec, b, { iters: s.cgIters, tol: s.cgTol, damping: 1, ...(warm ? { x0: warm } : {}) }).x;
    g.dyx(x, y, dx, tn);
    for (let j = 0; j < n; j++) y[j] = (y[j] as number) + eta * ((gy[j] as number) + (tn[j] as number));
    for (let i = 0; i < m; i++) x[i] = (x[i] as number) + (dx[i] as number);
    warm = dx;
  };
}

/**
 * Complex momentum (Lorraine et al. 2022) with simultaneous gradients: each player runs
 * optim.complexMomentum on its own descent gradient (∇ₓf for x, −∇ᵧf for y).
 */
export function complexMomentumStep(g: Game, s: StepSettings): Step {
  const gx = new Float32Array(g.m);
  const gy = new Float32Array(g.n);
  const rule = complexMomentum({ lr: s.lr, momentum: s.momentum, angle: s.angle });
  let states: ReturnType<typeof rule.init>[] | undefined;
  return (x, y) => {
    states ??= [rule.init(x), rule.init(y)];
    g.grad(x, y, gx, gy);
    for (let j = 0; j < g.n; j++) gy[j] = -(gy[j] as number);
    rule.step(x, gx, states[0] as ReturnType<typeof rule.init>);
    rule.step(y, gy, states[1] as ReturnType<typeof rule.init>);
  };
}

function axpy(y: Float32Array, a: number, x: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}
