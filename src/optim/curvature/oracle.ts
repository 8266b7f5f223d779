// The curvature products a second-order rule needs, read from step's `extra.curvature`, with an
// error that says how to give them.
import type { StepExtra } from '../types.js';

/** out ← M·v. */
export type Product = (v: Float32Array, out: Float32Array) => void;

/** The oracle's `kind` product, or a TypeError naming the rule and the missing product. */
export function curvatureProduct(name: string, extra: StepExtra | undefined, kind: 'hvp' | 'ggnvp'): Product {
  const c = extra?.curvature;
  const f = c?.[kind];
  if (typeof f !== 'function')
    throw new TypeError(
      `${name}: extra.curvature.${kind}: required (step(params, grads, state, { curvature: nn.curvature.oracle(net, params, x, batch, loss) }))`,
    );
  return f.bind(c);
}

/** Σ_i a_i·b_i in double. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
