/**
 * Benchmark objectives for tests and examples, in any dimension, computed in float64. Each has
 * its global minimum 0: sphere, Rastrigin and Ackley at the origin, Rosenbrock at (1, …, 1).
 *
 * @module
 */

/** A point: any array-like of numbers (Array, Float32Array, Float64Array), read as float64. */
export type Vector = ArrayLike<number>;

/** Σ x_i² */
export function sphere(x: Vector): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (x[i] as number);
  return s;
}

/** Σ_{i<n−1} 100 (x_{i+1} − x_i²)² + (1 − x_i)² */
export function rosenbrock(x: Vector): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i] as number;
    const b = x[i + 1] as number;
    s += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
  }
  return s;
}

/** 10 n + Σ x_i² − 10 cos(2π x_i) */
export function rastrigin(x: Vector): number {
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    s += v * v - 10 * Math.cos(2 * Math.PI * v);
  }
  return s;
}

/** −20 exp(−0.2 √(Σx²/n)) − exp(Σcos(2πx)/n) + 20 + e */
export function ackley(x: Vector): number {
  const n = Math.max(x.length, 1);
  let s2 = 0;
  let sc = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    s2 += v * v;
    sc += Math.cos(2 * Math.PI * v);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s2 / n)) - Math.exp(sc / n) + 20 + Math.E;
}
