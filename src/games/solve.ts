// games.solve: runs one solver on a game and records per-step diagnostics (gradient norm,
// distance to the known equilibrium, optionally the Jacobian's eigenvalues).
import { checkBoolean, checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { gameJacobian } from './dense.js';
import { eigenvalues } from './eigenvalues.js';
import {
  alternatingGdaStep,
  cgdStep,
  complexMomentumStep,
  extragradientStep,
  gdaStep,
  optimisticStep,
  type Step,
  type StepSettings,
} from './steps.js';
import type { Game, GameMethod, HistoryEntry, SolveOptions, SolveResult } from './types.js';

const METHODS: readonly GameMethod[] = [
  'gda',
  'alternatingGda',
  'extragradient',
  'optimistic',
  'twoTimescaleEg',
  'cgd',
  'complexMomentum',
];

const KEYS = [
  'method',
  'lr',
  'steps',
  'x0',
  'y0',
  'timescale',
  'momentum',
  'angle',
  'cgIters',
  'cgTol',
  'every',
  'eigenvalues',
];

/** The largest game whose Jacobian eigenvalues solve will compute (dense, O((m+n)³) per point). */
export const MAX_EIGEN_SIZE = 64;

/** Checks that `game` has the Game shape; throws a TypeError naming what is missing. */
export function checkGame(game: unknown, name: string): asserts game is Game {
  if (typeof game !== 'object' || game === null) throw new TypeError(`${name}: expected a game (games.bilinear, …)`);
  const g = game as Record<string, unknown>;
  for (const k of ['m', 'n']) checkInteger(g[k], `${name}.${k}`, 1);
  for (const k of ['value', 'grad', 'dxx', 'dxy', 'dyx', 'dyy'])
    if (typeof g[k] !== 'function') throw new TypeError(`${name}.${k}: expected a function`);
}

/** Runs `method` for `steps` steps from (x0, y0) on min_x max_y f; returns the last iterate and its history. */
export function solve(game: Game, options: SolveOptions): SolveResult {
  checkGame(game, 'games.solve: game');
  checkKnownKeys(options, KEYS, 'games.solve');
  const { m, n } = game;
  const { method } = options;
  if (!METHODS.includes(method))
    throw new RangeError(`games.solve: method: expected one of ${METHODS.join(', ')}, got ${String(method)}`);
  checkRange(options.lr, 'games.solve: lr', Number.MIN_VALUE, Number.MAX_VALUE);
  checkInteger(options.steps, 'games.solve: steps', 0);
  const every = options.every ?? 1;
  checkInteger(every, 'games.solve: every', 1);
  if (options.x0 !== undefined) checkFloat32(options.x0, `games.solve: x0 (the min player has m = ${m} entries)`, m);
  if (options.y0 !== undefined) checkFloat32(options.y0, `games.solve: y0 (the max player has n = ${n} entries)`, n);
  const withEigs = options.eigenvalues ?? false;
  checkBoolean(withEigs, 'games.solve: eigenvalues');
  if (withEigs && m + n > MAX_EIGEN_SIZE)
    throw new RangeError(`games.solve: eigenvalues: needs m + n ≤ ${MAX_EIGEN_SIZE}, got ${m + n}`);
  const s: StepSettings = {
    lr: options.lr,
    timescale: options.timescale ?? 4,
    momentum: options.momentum ?? 0.9,
    angle: options.angle ?? Math.PI / 8,
    cgIters: options.cgIters ?? Math.min(m, 100),
    cgTol: options.cgTol ?? 1e-7,
  };
  checkRange(s.timescale, 'games.solve: timescale', 1, Number.MAX_VALUE);
  checkRange(s.momentum, 'games.solve: momentum', 0, 1 - Number.EPSILON);
  checkRange(s.angle, 'games.solve: angle', -Math.PI, Math.PI);
  checkInteger(s.cgIters, 'games.solve: cgIters', 1);
  checkRange(s.cgTol, 'games.solve: cgTol', 0, 1);

  const step = makeStep(game, method, s);
  const x = options.x0 ? options.x0.slice() : new Float32Array(m);
  const y = options.y0 ? options.y0.slice() : new Float32Array(n);
  const gx = new Float32Array(m);
  const gy = new Float32Array(n);
  const history: HistoryEntry[] = [];
  const record = (t: number): void => {
    game.grad(x, y, gx, gy);
    const entry: HistoryEntry = { step: t, gradNorm: Math.hypot(norm(gx), norm(gy)) };
    const eq = game.equilibrium;
    if (eq) entry.distance = Math.hypot(dist(x, eq.x), dist(y, eq.y));
    if (withEigs) entry.eigenvalues = eigenvalues(gameJacobian(game, x, y), m + n);
    history.push(entry);
  };
  record(0);
  for (let t = 1; t <= options.steps; t++) {
    step(x, y);
    const finite = allFinite(x) && allFinite(y);
    if (t % every === 0 || t === options.steps || !finite) record(t);
    if (!finite) break; // diverged: later steps would only carry NaN
  }
  return { x, y, history };
}

function makeStep(g: Game, method: GameMethod, s: StepSettings): Step {
  switch (method) {
    case 'gda':
      return gdaStep(g, s);
    case 'alternatingGda':
      return alternatingGdaStep(g, s);
    case 'extragradient':
      return extragradientStep(g, s, 1);
    case 'twoTimescaleEg':
      return extragradientStep(g, s, s.timescale);
    case 'optimistic':
      return optimisticStep(g, s);
    case 'cgd':
      return cgdStep(g, s);
    case 'complexMomentum':
      return complexMomentumStep(g, s);
  }
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

function dist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
