// The examples' command-line flags: `--name value` pairs read from process.argv.

const argv = process.argv.slice(2);

/** The number after `--name`, or `d` when the flag is absent; a value that is not a number throws. */
export function flag(name: string, d: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return d;
  const v = Number(argv[i + 1]);
  if (argv[i + 1] === undefined || Number.isNaN(v))
    throw new RangeError(`--${name}: expected a number, got '${argv[i + 1] ?? ''}'`);
  return v;
}

/** The text after `--name`, or undefined when the flag is absent; a missing value throws. */
export function textFlag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined) throw new RangeError(`--${name}: expected a value`);
  return v;
}

/** Whether the bare switch `--name` was given. */
export const hasFlag = (name: string): boolean => argv.includes(`--${name}`);
