/**
 * nn.curvature: the curvature of a model's loss as products, for second-order optimizers and for
 * Hessian-subspace diagnostics.
 *   - oracle: the `{ hvp, ggnvp }` a second-order optim rule reads from step's `extra.curvature`;
 *   - krylov: a Lanczos basis from a given start vector (saddle-free Newton starts it at g);
 *   - gradientFraction / subspaceOverlap: Gur-Ari et al.'s measures ("Gradient Descent Happens in
 *     a Tiny Subspace"): ‖P_k g‖²/‖g‖² and ‖V₁ᵀV₂‖_F²/k (1 = same subspace, k/n = random);
 *   - analyze: top-k Hessian eigenpairs (nn.hessianEigs) and the gradient's fraction inside them.
 *
 * @module
 */
import type { CurvatureOracle } from '../optim/types.js';
import { checkFloat32, checkInteger } from '../util/check.js';
import { ggnvp } from './ggn.js';
import { type HessianEigsOptions, hessianEigs } from './lanczos.js';
import type { HessianEigs, Loss, Mlp } from './types.js';

/** A symmetric operator given by products: out ← A·v. */
export type Product = (v: Float32Array, out: Float32Array) => void;

/**
 * The curvature oracle of `loss` over `net` on `batch` rows of `x` at `params`. The products read
 * `params` when called, so an oracle built once follows the parameters an optimizer updates in place.
 */
export function oracle(
  net: Mlp,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  loss: Loss,
): Required<CurvatureOracle> {
  if (typeof net?.hvpInto !== 'function') throw new TypeError('nn.curvature.oracle: net: expected an nn.mlp model');
  checkFloat32(params, 'nn.curvature.oracle: params', net.size);
  checkInteger(batch, 'nn.curvature.oracle: batch', 1);
  return {
    hvp: (v, out) => {
      net.hvpInto(params, x, batch, loss, v, out);
    },
    ggnvp: (v, out) => {
      ggnvp(net, params, x, batch, loss, v, out);
    },
  };
}

/** A Lanczos basis: orthonormal q_0..q_{m−1} (float64) with QᵀAQ = tridiag(beta, alpha, beta). */
export interface Krylov {
  basis: Float64Array[];
  /** Diagonal of the projected matrix (m entries). */
  alpha: Float64Array;
  /** Off-diagonal (m − 1 entries). */
  beta: Float64Array;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Up to `steps` Lanczos vectors of A from `start` (q_0 = start/‖start‖), fully reorthogonalized
 * (twice) in float64; stops early when the Krylov space is invariant (β ≤ 1e-10·scale), so the
 * basis may be shorter. With steps = n the projected matrix has A's spectrum.
 */
export function krylov(product: Product, start: Float32Array, steps: number): Krylov {
  if (typeof product !== 'function') throw new TypeError('nn.curvature.krylov: product: expected a function');
  checkFloat32(start, 'nn.curvature.krylov: start');
  const n = start.length;
  checkInteger(steps, 'nn.curvature.krylov: steps', 1, Math.max(n, 1));
  const s0 = Float64Array.from(start);
  const norm = Math.sqrt(dot(s0, s0));
  if (!(norm > 0) || !Number.isFinite(norm))
    throw new RangeError('nn.curvature.krylov: start: expected a finite, nonzero vector');
  const basis: Float64Array[] = [s0.map((x) => x / norm)];
  const alpha: number[] = [];
  const beta: number[] = [];
  const v32 = new Float32Array(n);
  const w32 = new Float32Array(n);
  let scale = 0;
  for (let j = 0; j < steps; j++) {
    const q = basis[j] as Float64Array;
    for (let i = 0; i < n; i++) v32[i] = q[i] as number;
    product(v32, w32);
    const w = Float64Array.from(w32);
    alpha.push(dot(w, q));
    for (let pass = 0; pass < 2; pass++)
      for (const u of basis) {
        const d = dot(w, u);
        for (let i = 0; i < n; i++) w[i] = (w[i] as number) - d * (u[i] as number);
      }
    const b = Math.sqrt(dot(w, w));
    scale = Math.max(scale, Math.abs(alpha[j] as number), b);
    if (j + 1 === steps || !(b > 1e-10 * scale)) break;
    beta.push(b);
    basis.push(w.map((x) => x / b));
  }
  return { basis, alpha: Float64Array.from(alpha), beta: Float64Array.from(beta) };
}

/** ‖P g‖² / ‖g‖² for the projector P onto orthonormal `vectors` (0 for g = 0). */
export function gradientFraction(vectors: readonly Float32Array[], g: Float32Array): number {
  checkFloat32(g, 'nn.curvature.gradientFraction: g');
  const gg = dot(g, g);
  if (gg === 0) return 0;
  let s = 0;
  vectors.forEach((v, i) => {
    checkFloat32(v, `nn.curvature.gradientFraction: vectors[${i}]`, g.length);
    s += dot(v, g) ** 2;
  });
  return s / gg;
}

/** Subspace overlap ‖AᵀB‖_F² / k of two orthonormal k-frames (Gur-Ari et al.; Schneider et al.). */
export function subspaceOverlap(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || a.length !== b.length)
    throw new RangeError(
      `nn.curvature.subspaceOverlap: expected two non-empty frames of the same size, got ${a?.length} and ${b?.length}`,
    );
  const n = (a[0] as Float32Array).length;
  let s = 0;
  for (const [i, u] of a.entries()) {
    checkFloat32(u, `nn.curvature.subspaceOverlap: a[${i}]`, n);
    for (const [j, v] of b.entries()) {
      checkFloat32(v, `nn.curvature.subspaceOverlap: b[${j}]`, n);
      s += dot(u, v) ** 2;
    }
  }
  return s / a.length;
}

/** What `analyze` reports. */
export interface SubspaceReport extends HessianEigs {
  /** ‖P_k g‖²/‖g‖² of the gradient at the same parameters. */
  gradientFraction: number;
  /** The gradient. */
  grad: Float32Array;
}

/**
 * Top-k Hessian eigenpairs of `loss` over `net` at `params` (Lanczos on exact HVPs) and the
 * fraction of the gradient inside their span.
 */
export function analyze(
  source: { net: Mlp; params: Float32Array; x: Float32Array; batch: number; loss: Loss },
  options: Omit<HessianEigsOptions, 'dim'> = {},
): SubspaceReport {
  const eig = hessianEigs(source, options);
  const { net, params, x, batch, loss } = source;
  const grad = new Float32Array(net.size);
  net.gradInto(params, x, batch, loss, grad);
  return { ...eig, gradientFraction: gradientFraction(eig.vectors, grad), grad };
}
