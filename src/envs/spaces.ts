// Observation and action spaces of one env (Gymnasium's single_*_space).

/** A box of float32 values: every element lies in [low, high]. */
export interface BoxSpace {
  readonly type: 'box';
  readonly shape: readonly number[];
  readonly low: Float32Array;
  readonly high: Float32Array;
}

/** n discrete actions 0 .. n-1, passed as an Int32Array. */
export interface DiscreteSpace {
  readonly type: 'discrete';
  readonly n: number;
}

/** An observation or action space: a box of reals or a finite set of integers. */
export type Space = BoxSpace | DiscreteSpace;

/** Largest finite float32, Gymnasium's bound for unbounded float32 components. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function box(low: readonly number[], high: readonly number[]): BoxSpace {
  return { type: 'box', shape: [low.length], low: Float32Array.from(low), high: Float32Array.from(high) };
}
export function boxFill(dim: number, low: number, high: number): BoxSpace {
  return box(new Array(dim).fill(low), new Array(dim).fill(high));
}
export function discrete(n: number): DiscreteSpace {
  return { type: 'discrete', n };
}

/** Floats per row of a box space (1 for discrete: one Int32 per row). */
export function spaceDim(s: Space): number {
  return s.type === 'discrete' ? 1 : s.shape.reduce((a, b) => a * b, 1);
}
