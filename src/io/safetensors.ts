// safetensors (Hugging Face's tensor file format, read by PyTorch, JAX and numpy alike): an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__": {string: string}}, then the tensors' bytes back to back. The format is this
// small and fully specified, and no npm package for it is both well kept and dependency-free, so
// it is written here by hand. Tensors are written in ParamLayout order, so sorting a file's
// entries by offset gives the layout back.
import { readFile } from 'node:fs/promises';
import { OuterloopError } from '../errors.js';
import type { ParamLayout, ParamSegment } from '../nn/types.js';
import { writeFileAtomic } from './atomic.js';

/** Flat float32 parameters with their named segments: what the interop importers return. */
export interface NamedParams {
  params: Float32Array;
  layout: ParamLayout;
}

/** Options of `exportSafetensors`. */
export interface SafetensorsOptions {
  /** String pairs stored under `__metadata__` (e.g. `{ format: 'pt' }`, which `exportSafetensors` sets by default). */
  metadata?: Readonly<Record<string, string>>;
}

// Far above any real header (safetensors itself refuses headers over 100 MB): a corrupt length
// field must not make us allocate gigabytes.
const MAX_HEADER = 100_000_000;
const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

/**
 * Checks that `layout` names segments that cover `params` exactly, in order, with shapes whose
 * product is their size; throws TypeError/RangeError naming the argument otherwise.
 */
export function checkLayout(params: unknown, layout: unknown, where: string): asserts params is Float32Array {
  if (!(params instanceof Float32Array)) throw new TypeError(`${where}: params: expected a Float32Array`);
  if (!Array.isArray(layout))
    throw new TypeError(`${where}: layout: expected an array of { name, shape, offset, size }`);
  const seen = new Set<string>();
  let offset = 0;
  layout.forEach((s: ParamSegment, i) => {
    const at = `${where}: layout[${i}]`;
    if (typeof s !== 'object' || s === null) throw new TypeError(`${at}: expected { name, shape, offset, size }`);
    if (typeof s.name !== 'string' || s.name === '' || s.name === '__metadata__')
      throw new TypeError(`${at}.name: expected a non-empty string other than __metadata__`);
    if (seen.has(s.name)) throw new RangeError(`${at}.name: '${s.name}' appears twice`);
    seen.add(s.name);
    if (!Array.isArray(s.shape)) throw new TypeError(`${at}.shape: expected an array of dimensions`);
    let n = 1;
    for (const d of s.shape) {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`${at}.shape: expected non-negative integers`);
      n *= d;
    }
    if (s.size !== n) throw new RangeError(`${at}.size: ${s.size} is not the product of shape [${s.shape}] (${n})`);
    if (s.offset !== offset) throw new RangeError(`${at}.offset: expected ${offset} (segments in order, no gaps)`);
    offset += n;
  });
  if (offset !== params.length)
    throw new RangeError(`${where}: layout covers ${offset} values but params has ${params.length}`);
}

/** The safetensors bytes of `params` named by `layout` (float32, little-endian). */
export function encodeSafetensors(
  params: Float32Array,
  layout: ParamLayout,
  options: SafetensorsOptions = {},
): Uint8Array {
  checkLayout(params, layout, 'encodeSafetensors');
  const header: Record<string, unknown> = {};
  if (options.metadata !== undefined) {
    for (const [k, v] of Object.entries(options.metadata))
      if (typeof v !== 'string') throw new TypeError(`encodeSafetensors: metadata.${k}: expected a string`);
    header.__metadata__ = { ...options.metadata };
  }
  for (const s of layout)
    header[s.name] = { dtype: 'F32', shape: [...s.shape], data_offsets: [s.offset * 4, (s.offset + s.size) * 4] };
  // Pad the header with spaces to a multiple of 8 so the data starts aligned (as the reference
  // writer does; readers that map the file can then view float64 data in place).
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  json += ' '.repeat((8 - ((8 + raw.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + params.length * 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  const data = new DataView(out.buffer, 8 + head.length);
  for (let i = 0; i < params.length; i++) data.setFloat32(i * 4, params[i] as number, true);
  return out;
}

function corrupt(source: string, what: string): never {
  throw new OuterloopError(`${source}: not a valid safetensors file: ${what}`);
}

/** An IEEE half-precision bit pattern as a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Parses safetensors bytes into float32 parameters and their layout (segments in data order).
 * F32 is read exactly; F64, F16 and BF16 are converted to float32. Throws OuterloopError naming
 * `source` for a truncated, corrupted or foreign file, or one holding integer tensors.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors bytes'): NamedParams {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeSafetensors: bytes: expected a Uint8Array');
  if (bytes.length < 8) corrupt(source, `${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8)))
    corrupt(source, `header length ${n} exceeds the ${bytes.length - 8} bytes after it (truncated or foreign file)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n))));
  } catch (e) {
    corrupt(source, `header is not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    corrupt(source, 'header is not a JSON object');
  const dataStart = 8 + Number(n);
  const dataLen = bytes.length - dataStart;
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const t = e as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null || typeof t.dtype !== 'string') corrupt(source, `'${name}' has no dtype`);
    const width = DTYPE_BYTES[t.dtype];
    if (width === undefined)
      corrupt(source, `'${name}' has dtype ${t.dtype}; only F32, F64, F16 and BF16 parameters can be imported`);
    const shape = t.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      corrupt(source, `'${name}' has no valid shape`);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1])
      corrupt(source, `'${name}' has no valid data_offsets`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== count * width)
      corrupt(
        source,
        `'${name}' spans ${off[1] - off[0]} bytes but shape [${shape}] of ${t.dtype} needs ${count * width}`,
      );
    entries.push({ name, dtype: t.dtype, shape: shape as number[], begin: off[0], end: off[1] });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  // Tensors must tile the data exactly: a gap, an overlap or a short buffer means a damaged file.
  let pos = 0;
  for (const e of entries) {
    if (e.begin !== pos) corrupt(source, `'${e.name}' starts at byte ${e.begin}, expected ${pos} (gap or overlap)`);
    pos = e.end;
  }
  if (pos !== dataLen) corrupt(source, `tensors cover ${pos} data bytes but the file has ${dataLen} (truncated?)`);

  const total = entries.reduce((a, e) => a + e.shape.reduce((x, y) => x * y, 1), 0);
  const params = new Float32Array(total);
  const layout: ParamSegment[] = [];
  const data = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataLen);
  let offset = 0;
  for (const e of entries) {
    const size = e.shape.reduce((x, y) => x * y, 1);
    for (let i = 0; i < size; i++) {
      const b = e.begin;
      let v: number;
      if (e.dtype === 'F32') v = data.getFloat32(b + 4 * i, true);
      else if (e.dtype === 'F64') v = data.getFloat64(b + 8 * i, true);
      else if (e.dtype === 'F16') v = halfToFloat(data.getUint16(b + 2 * i, true));
      else v = new Float32Array(new Uint32Array([data.getUint16(b + 2 * i, true) << 16]).buffer)[0] as number;
      params[offset + i] = v;
    }
    layout.push(Object.freeze({ name: e.name, shape: Object.freeze([...e.shape]), offset, size }));
    offset += size;
  }
  return { params, layout: Object.freeze(layout) };
}

/**
 * Writes `params` named by `layout` as a safetensors file at `path` (atomically: a reader sees the
 * old file or the new one). Loads in Python with `safetensors.numpy.load_file` or
 * `safetensors.torch.load_file`; note that `dense{l}.w` is [in, out], the transpose of a
 * `torch.nn.Linear` weight.
 */
export async function exportSafetensors(
  params: Float32Array,
  layout: ParamLayout,
  path: string,
  options: SafetensorsOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('exportSafetensors: path: expected a file path');
  const metadata = { format: 'pt', ...options.metadata };
  await writeFileAtomic(path, encodeSafetensors(params, layout, { metadata }));
}

/** Reads a safetensors file into float32 parameters and their layout (see `decodeSafetensors`). */
export async function importSafetensors(path: string): Promise<NamedParams> {
  if (typeof path !== 'string' || path === '') throw new TypeError('importSafetensors: path: expected a file path');
  const bytes = await readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
