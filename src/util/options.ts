// Option tables: each setting of a configurable thing (a trainer's hyperparameters, a strategy's
// or a meta-learner's options) declared once with its kind, range and a one-line help. Key lists,
// argument checks and the CLI's flags are all derived from the table, so a new setting is one line.
import { checkBoolean, checkInteger, checkRange } from './check.js';

/** How a setting's value is checked (and, on the command line, parsed). */
export type OptionSpec<T = unknown> = (
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly nullable?: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'integers'; readonly min: number; readonly max: number }
  | { readonly kind: 'names'; readonly values: readonly string[] }
) & {
  /** One line saying what the setting does (the CLI flag's help). */
  readonly help: string;
  /** Type-level only (never set): the values the spec accepts, so a table can be checked against an interface. */
  readonly value?: T;
};

/** A table of settings by name. */
export type OptionTable = { readonly [key: string]: OptionSpec };

/** A table covering exactly the settings of T, each spec accepting only values T allows. */
export type OptionTableOf<T> = { readonly [K in keyof T]-?: OptionSpec<Exclude<T[K], undefined>> };

/** Defaults for every setting of T (arrays read-only, so a shared defaults object cannot be changed). */
export type DefaultsOf<T> = {
  readonly [K in keyof T]-?: Exclude<T[K], undefined> extends (infer E)[] ? readonly E[] : Exclude<T[K], undefined>;
};

/** The upper bound of settings that have none. */
export const NO_MAX = Number.MAX_SAFE_INTEGER;

/** Spec constructors: `option.integer(1, 1 << 20, 'parallel environments')`. */
export const option = {
  integer: (min: number, max: number, help: string): OptionSpec<number> => ({ kind: 'integer', min, max, help }),
  /** A finite number in [min, max]. */
  number: (min: number, max: number, help: string): OptionSpec<number> => ({ kind: 'number', min, max, help }),
  /** A finite number in [min, max], or null (off). */
  numberOrNull: (min: number, max: number, help: string): OptionSpec<number | null> => ({
    kind: 'number',
    min,
    max,
    nullable: true,
    help,
  }),
  /** An integer the consumer checks itself (its range lives with the code that uses it). */
  anyInteger: (help: string): OptionSpec<number> => ({ kind: 'integer', min: -Infinity, max: Infinity, help }),
  /** A finite number the consumer checks itself. */
  anyNumber: (help: string): OptionSpec<number> => ({ kind: 'number', min: -Infinity, max: Infinity, help }),
  boolean: (help: string): OptionSpec<boolean> => ({ kind: 'boolean', help }),
  oneOf: <const V extends string>(values: readonly V[], help: string): OptionSpec<V> => ({
    kind: 'enum',
    values,
    help,
  }),
  /** A non-empty list of integers in [min, max] (layer widths). */
  integers: (min: number, max: number, help: string): OptionSpec<number[]> => ({ kind: 'integers', min, max, help }),
  /** A non-empty list of distinct names out of `values` (e.g. the meta-parameters to learn). */
  names: <const V extends string>(values: readonly V[], help: string): OptionSpec<V[]> => ({
    kind: 'names',
    values,
    help,
  }),
} as const;

/** Checks one value against its spec; the error names `name` (TypeError for a wrong type, RangeError for a wrong value). */
export function checkOption(spec: OptionSpec, value: unknown, name: string): void {
  switch (spec.kind) {
    case 'integer':
      checkInteger(value, name, spec.min, spec.max);
      return;
    case 'number':
      if (value === null && spec.nullable) return;
      checkRange(value, name, spec.min, spec.max);
      return;
    case 'boolean':
      checkBoolean(value, name);
      return;
    case 'enum':
      if (!spec.values.includes(value as string))
        throw new RangeError(
          `${name}: expected ${spec.values.map((v) => `'${v}'`).join(' or ')}, got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
        );
      return;
    case 'integers':
      if (!Array.isArray(value) || value.length === 0)
        throw new TypeError(`${name}: expected a non-empty array of integers (e.g. layer widths)`);
      for (const v of value) checkInteger(v, name, spec.min, spec.max);
      return;
    case 'names':
      checkNames(spec.values, value, name);
      return;
  }
}

/** A non-empty array of distinct names out of `values`; the error lists the valid names. */
function checkNames(values: readonly string[], value: unknown, name: string): void {
  const valid = `(valid: ${values.join(', ')})`;
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(`${name}: expected a non-empty array of names ${valid}`);
  value.forEach((v, i) => {
    if (!values.includes(v as string))
      throw new RangeError(`${name}[${i}]: unknown name ${typeof v === 'string' ? `'${v}'` : String(v)} ${valid}`);
    if (value.indexOf(v) !== i) throw new RangeError(`${name}[${i}]: '${String(v)}' listed twice`);
  });
}

/** Checks every setting of `table` in `values` (all must be present). */
export function checkOptions(table: OptionTable, values: Readonly<Record<string, unknown>>, fn: string): void {
  for (const [key, spec] of Object.entries(table)) checkOption(spec, values[key], `${fn}: ${key}`);
}

/** The defaults with the given values over them (undefined counts as not given; default arrays copied). */
export function withDefaults<D extends object, G extends object>(defaults: D, given: G): D & G {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = Array.isArray(v) ? [...v] : v;
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out as D & G;
}
