// The meta-parameters η an agent may learn and how each is parametrized: γ and λ through a
// sigmoid onto (0, 1) (Xu et al. 2018; the §9 code of Bonnet et al. does the same), the loss
// coefficients and the learning rate through exp (positive, scale-free Adam steps). Every
// meta-gradient is taken w.r.t. the raw (unconstrained) values.

/** Names of the meta-parameters: discount, λ-return mixing, entropy and value-loss costs, inner learning rate. */
export type MetaName = 'gamma' | 'lambda' | 'entropy' | 'value' | 'lr';

/** One value for each meta-parameter of the inner update. */
export interface Hyper {
  gamma: number;
  lambda: number;
  entropy: number;
  value: number;
  lr: number;
}

export const META_NAMES: readonly MetaName[] = ['gamma', 'lambda', 'entropy', 'value', 'lr'];
const SIGMOID: ReadonlySet<MetaName> = new Set(['gamma', 'lambda']);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The constrained value of raw x for `name`. */
export function metaValue(name: MetaName, x: number): number {
  return SIGMOID.has(name) ? sigmoid(x) : Math.exp(x);
}

/** d value / d raw at raw x. */
export function metaSlope(name: MetaName, x: number): number {
  if (!SIGMOID.has(name)) return Math.exp(x);
  const s = sigmoid(x);
  return s * (1 - s);
}

/** The raw value of a constrained value (inverse of metaValue); RangeError when out of range. */
export function metaRaw(name: MetaName, v: number, what: string): number {
  if (SIGMOID.has(name)) {
    if (!(v > 0 && v < 1)) throw new RangeError(`${what}: expected a number in (0, 1), got ${v}`);
    return Math.log(v / (1 - v));
  }
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${what}: expected a positive number, got ${v}`);
  return Math.log(v);
}

/** Checks a list of meta-parameter names: known, distinct, at least one. */
export function checkMetaNames(meta: unknown, fn: string): readonly MetaName[] {
  if (!Array.isArray(meta)) throw new TypeError(`${fn}: meta: expected an array of names (${META_NAMES.join(', ')})`);
  if (meta.length === 0) throw new RangeError(`${fn}: meta: expected at least one name (${META_NAMES.join(', ')})`);
  const seen = new Set<string>();
  for (const [i, m] of meta.entries()) {
    if (typeof m !== 'string' || !(META_NAMES as readonly string[]).includes(m))
      throw new RangeError(
        `${fn}: meta[${i}]: unknown meta-parameter '${String(m)}' (known: ${META_NAMES.join(', ')})`,
      );
    if (seen.has(m)) throw new RangeError(`${fn}: meta[${i}]: '${m}' listed twice`);
    seen.add(m);
  }
  return meta as MetaName[];
}

/**
 * The learned meta-parameters (raw values) over a base Hyper: `hyper()` gives the values the
 * inner update uses; `slope(j)` is d value_j / d raw_j.
 */
export class MetaSpace {
  readonly raw: Float64Array;
  constructor(
    readonly names: readonly MetaName[],
    readonly base: Hyper,
  ) {
    this.raw = Float64Array.from(names, (n) => metaRaw(n, base[n], `init.${n}`));
  }
  hyper(): Hyper {
    const h = { ...this.base };
    this.names.forEach((n, j) => {
      h[n] = metaValue(n, this.raw[j] as number);
    });
    return h;
  }
  slope(j: number): number {
    return metaSlope(this.names[j] as MetaName, this.raw[j] as number);
  }
  /** The learned values (what history records and the policy keeps). */
  values(): Partial<Record<MetaName, number>> {
    const h = this.hyper();
    return Object.fromEntries(this.names.map((n) => [n, h[n]]));
  }
}
