// The unrolled inner optimizer — SGD, heavy-ball momentum or Adam (PyTorch's update rules) — with
// its exact reverse (adjoint) and forward (tangent) steps. The forward step here is the one that
// is differentiated, so the hypergradient is that of exactly these dynamics.
import type { Direction } from './direction.js';
import type { InnerOptimizer } from './types.js';

export interface InnerConfig {
  kind: InnerOptimizer;
  lr: number;
  momentum: number;
  b1: number;
  b2: number;
  eps: number;
}

/** Optimizer state: w, and the moments the rule keeps (length 0 when unused). */
export interface InnerState {
  w: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export function initState(cfg: InnerConfig, w0: Float32Array): InnerState {
  const n = w0.length;
  return {
    w: w0.slice(),
    m: new Float32Array(cfg.kind === 'sgd' ? 0 : n),
    v: new Float32Array(cfg.kind === 'adam' ? n : 0),
  };
}

/** Adam's bias corrections at step t (1-based). */
function corrections(cfg: InnerConfig, t: number): [number, number] {
  return [1 - cfg.b1 ** t, 1 - cfg.b2 ** t];
}

/** One inner step t (1-based) in place; `g` receives d_t(w_{t−1}). */
export function step(cfg: InnerConfig, dir: Direction, s: InnerState, t: number, g: Float32Array): void {
  dir.grad(s.w, t, g);
  const { w, m, v } = s;
  const n = w.length;
  const lr = cfg.lr;
  if (cfg.kind === 'sgd') {
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) - lr * (g[i] as number);
  } else if (cfg.kind === 'momentum') {
    const mu = cfg.momentum;
    for (let i = 0; i < n; i++) {
      m[i] = mu * (m[i] as number) + (g[i] as number);
      w[i] = (w[i] as number) - lr * (m[i] as number);
    }
  } else {
    const { b1, b2, eps } = cfg;
    const [c1, c2] = corrections(cfg, t);
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      m[i] = b1 * (m[i] as number) + (1 - b1) * gi;
      v[i] = b2 * (v[i] as number) + (1 - b2) * gi * gi;
      const mi = m[i] as number;
      const vi = v[i] as number;
      w[i] = (w[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  }
}

/** What the adjoint of step t needs: w_{t−1}, and for Adam g_t and the moments after the step. */
export interface StepRecord {
  w: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

const EMPTY = new Float32Array(0);

/** Records step t from the state before it (w_{t−1}); completed by `completeRecord` after it. */
export function beginRecord(s: InnerState): StepRecord {
  return { w: s.w.slice(), g: EMPTY, m: EMPTY, v: EMPTY };
}

export function completeRecord(cfg: InnerConfig, rec: StepRecord, s: InnerState, g: Float32Array): void {
  if (cfg.kind !== 'adam') return;
  rec.g = g.slice();
  rec.m = s.m.slice();
  rec.v = s.v.slice();
}

export function recordFloats(cfg: InnerConfig, n: number): number {
  return cfg.kind === 'adam' ? 4 * n : n;
}

/** Adam: ∂w_t/∂m_t and ∂w_t/∂v_t for coordinate i (elementwise), from the moments after step t. */
function adamPartials(cfg: InnerConfig, t: number, mi: number, vi: number): [number, number] {
  const [c1, c2] = corrections(cfg, t);
  const vh = vi / c2;
  const root = Math.sqrt(vh);
  const denom = root + cfg.eps;
  const dm = -cfg.lr / (c1 * denom);
  // d/dv of −lr·m̂/(√v̂ + ε); √ has no derivative at 0, where m̂ is 0 too: take 0.
  const dv = root > 0 ? (cfg.lr * (mi / c1)) / (denom * denom) / (2 * root * c2) : 0;
  return [dm, dv];
}

/** Adjoints carried backwards: of w_t, and of the moments m_t, v_t. */
export interface Adjoint {
  w: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * The adjoint of step t: turns the adjoint of the state after step t into that before it, and
 * adds step t's contribution (∂state_t/∂λ)ᵀ·adjoint into `lamBar`.
 */
export function adjointStep(
  cfg: InnerConfig,
  dir: Direction,
  rec: StepRecord,
  t: number,
  adj: Adjoint,
  lamBar: Float64Array,
  scratch: { gBar: Float32Array; hv: Float32Array; lam: Float32Array },
): void {
  const { gBar, hv, lam } = scratch;
  const n = adj.w.length;
  if (cfg.kind === 'sgd') {
    for (let i = 0; i < n; i++) gBar[i] = -cfg.lr * (adj.w[i] as number);
  } else if (cfg.kind === 'momentum') {
    const mu = cfg.momentum;
    for (let i = 0; i < n; i++) {
      const mTot = (adj.m[i] as number) - cfg.lr * (adj.w[i] as number);
      gBar[i] = mTot;
      adj.m[i] = mu * mTot;
    }
  } else {
    const { b1, b2 } = cfg;
    for (let i = 0; i < n; i++) {
      const [dm, dv] = adamPartials(cfg, t, rec.m[i] as number, rec.v[i] as number);
      const wb = adj.w[i] as number;
      const mTot = (adj.m[i] as number) + wb * dm;
      const vTot = (adj.v[i] as number) + wb * dv;
      gBar[i] = (1 - b1) * mTot + 2 * (1 - b2) * (rec.g[i] as number) * vTot;
      adj.m[i] = b1 * mTot;
      adj.v[i] = b2 * vTot;
    }
  }
  dir.hvp(rec.w, t, gBar, hv);
  for (let i = 0; i < n; i++) adj.w[i] = (adj.w[i] as number) + (hv[i] as number);
  dir.mixedVjp(rec.w, t, gBar, lam);
  for (let j = 0; j < lamBar.length; j++) lamBar[j] = (lamBar[j] as number) + (lam[j] as number);
}

/** Tangents of the state along one λ direction. */
export interface Tangent {
  w: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * The tangent of step t given ġ = d(d_t)/dλ·e (computed by the caller at w_{t−1}), the gradient
 * g_t and the state after the step.
 */
export function tangentStep(
  cfg: InnerConfig,
  t: number,
  tan: Tangent,
  gDot: Float32Array,
  g: Float32Array,
  after: InnerState,
): void {
  const n = tan.w.length;
  if (cfg.kind === 'sgd') {
    for (let i = 0; i < n; i++) tan.w[i] = (tan.w[i] as number) - cfg.lr * (gDot[i] as number);
  } else if (cfg.kind === 'momentum') {
    for (let i = 0; i < n; i++) {
      tan.m[i] = cfg.momentum * (tan.m[i] as number) + (gDot[i] as number);
      tan.w[i] = (tan.w[i] as number) - cfg.lr * (tan.m[i] as number);
    }
  } else {
    const { b1, b2 } = cfg;
    for (let i = 0; i < n; i++) {
      const gd = gDot[i] as number;
      tan.m[i] = b1 * (tan.m[i] as number) + (1 - b1) * gd;
      tan.v[i] = b2 * (tan.v[i] as number) + 2 * (1 - b2) * (g[i] as number) * gd;
      const [dm, dv] = adamPartials(cfg, t, after.m[i] as number, after.v[i] as number);
      tan.w[i] = (tan.w[i] as number) + dm * (tan.m[i] as number) + dv * (tan.v[i] as number);
    }
  }
}
