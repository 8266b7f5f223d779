// Command-line values, parsed one way for every command: integers, numbers, booleans, enums and
// comma-separated lists; and the flags of a registry (trainers, meta-learners, strategies), built
// from the entries' option tables: a setting `numEnvs` becomes `--num-envs <n>`, parsed and
// range-checked by its spec, and refused for an entry that does not take it.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { OptionSpec, OptionTable } from '../util/options.js';

/** `numEnvs` -> `num-envs`. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `numEnvs` -> `--num-envs`. */
export const flagOf = (key: string): string => `--${kebab(key)}`;

const range = (what: string, min: number, max: number): string =>
  Number.isFinite(min) && Number.isFinite(max)
    ? `${what} in [${min}, ${max}]`
    : Number.isFinite(min)
      ? `${what} >= ${min}`
      : Number.isFinite(max)
        ? `${what} <= ${max}`
        : what;

function toNumber(v: string): number {
  return v.trim() === '' ? Number.NaN : Number(v);
}

/** An integer in [min, max]. */
export function parseInteger(flag: string, min = -Infinity, max = Infinity): (v: string) => number {
  return (v) => {
    const n = toNumber(v);
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${flag}: expected ${range('an integer', min, max)}, got '${v}'`);
    return n;
  };
}

/** A finite number in [min, max]; with `nullable`, 'null' or 'none' give null (off). */
export function parseNumber(
  flag: string,
  min = -Infinity,
  max = Infinity,
  nullable = false,
): (v: string) => number | null {
  return (v) => {
    if (nullable && (v === 'null' || v === 'none')) return null;
    const n = toNumber(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(
        `${flag}: expected ${range('a number', min, max)}${nullable ? " or 'none'" : ''}, got '${v}'`,
      );
    return n;
  };
}

/** true/false (or 1/0). */
export function parseBoolean(flag: string): (v: string) => boolean {
  return (v) => {
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw new InvalidArgumentError(`${flag}: expected true or false, got '${v}'`);
  };
}

/** Comma-separated integers in [min, max], at least one (e.g. layer widths 64,64). */
export function parseIntegers(flag: string, min = -Infinity, max = Infinity): (v: string) => number[] {
  return (v) => {
    const xs = v.split(',').map(toNumber);
    if (xs.some((x) => !Number.isSafeInteger(x) || x < min || x > max))
      throw new InvalidArgumentError(
        `${flag}: expected comma-separated ${range('integers', min, max)} such as 64,64, got '${v}'`,
      );
    return xs;
  };
}

/** One of `values`. */
export function parseChoice<V extends string>(flag: string, values: readonly V[]): (v: string) => V {
  return (v) => {
    if (!(values as readonly string[]).includes(v))
      throw new InvalidArgumentError(`${flag}: expected one of ${values.join(', ')}, got '${v}'`);
    return v as V;
  };
}

/** Comma-separated distinct names out of `values`, at least one (e.g. gamma,lambda). */
export function parseNames<V extends string>(flag: string, values: readonly V[]): (v: string) => V[] {
  return (v) => {
    const xs = v.split(',').map((x) => x.trim());
    const bad = xs.find((x) => !(values as readonly string[]).includes(x));
    if (bad !== undefined)
      throw new InvalidArgumentError(`${flag}: unknown name '${bad}' in '${v}'; valid names: ${values.join(', ')}`);
    const twice = xs.find((x, i) => xs.indexOf(x) !== i);
    if (twice !== undefined) throw new InvalidArgumentError(`${flag}: '${twice}' listed twice in '${v}'`);
    return xs as V[];
  };
}

const PLACEHOLDER: Record<OptionSpec['kind'], string> = {
  integer: '<n>',
  number: '<x>',
  boolean: '<bool>',
  enum: '<name>',
  integers: '<list>',
  names: '<names>',
};

/** The parser of a setting's spec. */
export function parserFor(spec: OptionSpec, flag: string): (v: string) => unknown {
  switch (spec.kind) {
    case 'integer':
      return parseInteger(flag, spec.min, spec.max);
    case 'number':
      return parseNumber(flag, spec.min, spec.max, spec.nullable);
    case 'boolean':
      return parseBoolean(flag);
    case 'enum':
      return parseChoice(flag, spec.values);
    case 'integers':
      return parseIntegers(flag, spec.min, spec.max);
    case 'names':
      return parseNames(flag, spec.values);
  }
}

/** The commander option of setting `key`: `--kebab-key <placeholder>`, parsed by its spec. */
export function optionFor(key: string, spec: OptionSpec, description: string = spec.help): Option {
  const flag = flagOf(key);
  const opt = new Option(`${flag} ${PLACEHOLDER[spec.kind]}`, description);
  return spec.kind === 'enum' ? opt.choices(spec.values) : opt.argParser(parserFor(spec, flag));
}

/** Shows a default value in help: arrays as 64,64, null as none. */
export function showValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  if (v === null) return 'none';
  return String(v);
}

/** Canonical form of a name typed on the command line: 'cma-es', 'CMAES' and 'cmaEs' agree. */
export const looseName = (name: string): string => name.replace(/[-_]/g, '').toLowerCase();

/** A setting of some registry entries, with the entries that take it. */
export interface SharedSetting<N extends string> {
  readonly spec: OptionSpec;
  readonly takers: readonly N[];
}

/** The flags of a registry whose entries each have an option table. */
export interface RegistryFlags<N extends string> {
  /** Every setting, in table order, with the entries that take it. */
  readonly settings: ReadonlyMap<string, SharedSetting<N>>;
  /**
   * Adds one flag per setting to `cmd`. The help defaults to the spec's, prefixed with the entries
   * that take it when not all do.
   */
  addTo(cmd: Command, describe?: (key: string, setting: SharedSetting<N>) => string): void;
  /** The settings given for entry `name`; throws naming any flag given that `name` does not take. */
  given(name: N, values: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** The flags of `entries` (a setting several entries share must have one spec: one flag serves all). */
export function registryFlags<N extends string>(
  entries: Readonly<Record<N, { readonly options: OptionTable }>>,
  shownName: (name: N) => string = (name) => name,
): RegistryFlags<N> {
  const names = Object.keys(entries) as N[];
  const settings = new Map<string, { spec: OptionSpec; takers: N[] }>();
  for (const name of names)
    for (const [key, spec] of Object.entries(entries[name].options)) {
      const setting = settings.get(key);
      if (!setting) settings.set(key, { spec, takers: [name] });
      else if (JSON.stringify(setting.spec) === JSON.stringify(spec)) setting.takers.push(name);
      else
        throw new Error(
          `${flagOf(key)}: ${shownName(name)} and ${shownName(setting.takers[0] as N)} give it different specs`,
        );
    }
  const defaultHelp = (_key: string, s: SharedSetting<N>) =>
    `${s.takers.length === names.length ? '' : `${s.takers.map(shownName).join(', ')}: `}${s.spec.help}`;
  return {
    settings,
    addTo(cmd, describe = defaultHelp) {
      for (const [key, setting] of settings) cmd.addOption(optionFor(key, setting.spec, describe(key, setting)));
    },
    given(name, values) {
      const own = entries[name].options;
      const foreign = [...settings.keys()].filter((k) => !Object.hasOwn(own, k) && values[k] !== undefined);
      if (foreign.length > 0)
        throw new InvalidArgumentError(`${shownName(name)} does not take ${foreign.map(flagOf).join(', ')}`);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(own)) if (values[k] !== undefined) out[k] = values[k];
      return out;
    },
  };
}
