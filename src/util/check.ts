// Argument checks for the TypeScript layer. They throw the same kinds of errors as the native
// boundary (TypeError for a wrong type, RangeError for a wrong value), naming the argument.

/** Any typed array outerloop passes to kernels. */
export type NumericArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  if (Array.isArray(x)) return 'Array';
  return typeof x;
}

export function checkFloat32(x: unknown, name: string, length?: number): asserts x is Float32Array {
  if (!(x instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array, got ${typeName(x)}`);
  if (length !== undefined && x.length !== length)
    throw new RangeError(`${name}: expected length ${length}, got ${x.length}`);
}

export function checkInt32(x: unknown, name: string, length?: number): asserts x is Int32Array {
  if (!(x instanceof Int32Array)) throw new TypeError(`${name}: expected an Int32Array, got ${typeName(x)}`);
  if (length !== undefined && x.length !== length)
    throw new RangeError(`${name}: expected length ${length}, got ${x.length}`);
}

export function checkUint32(x: unknown, name: string, length?: number): asserts x is Uint32Array {
  if (!(x instanceof Uint32Array)) throw new TypeError(`${name}: expected a Uint32Array, got ${typeName(x)}`);
  if (length !== undefined && x.length !== length)
    throw new RangeError(`${name}: expected length ${length}, got ${x.length}`);
}

/** A finite number. */
export function checkBoolean(x: unknown, name: string): asserts x is boolean {
  if (typeof x !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${typeName(x)}`);
}

export function checkNumber(x: unknown, name: string): asserts x is number {
  if (typeof x !== 'number') throw new TypeError(`${name}: expected a number, got ${typeName(x)}`);
  if (!Number.isFinite(x)) throw new RangeError(`${name}: expected a finite number, got ${x}`);
}

/** An integer in [min, max]. */
export function checkInteger(x: unknown, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): asserts x is number {
  if (typeof x !== 'number') throw new TypeError(`${name}: expected an integer, got ${typeName(x)}`);
  if (!Number.isInteger(x)) throw new RangeError(`${name}: expected an integer, got ${x}`);
  if (x < min || x > max) throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${x}`);
}

/** A finite number in [min, max]. */
export function checkRange(x: unknown, name: string, min: number, max: number): asserts x is number {
  checkNumber(x, name);
  if (x < min || x > max) throw new RangeError(`${name}: expected a number in [${min}, ${max}], got ${x}`);
}

/** Rejects option keys that a function does not know (catches typos such as `learningRate`). */
export function checkKnownKeys(options: object, known: readonly string[], name: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${name}: expected an options object, got ${typeName(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${name}: unknown option '${key}' (known: ${known.join(', ')})`);
  }
}
