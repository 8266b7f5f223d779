// numpy's .npy (one array) and .npz (a zip of .npy files, one per name) formats. An .npy file is
// the magic "\x93NUMPY", a version, a little-endian header length, a Python dict literal
// {'descr', 'fortran_order', 'shape'} padded to a 64-byte boundary, then the raw data. Writing it
// is a few lines, and the npm readers (npyjs) only read, so .npy is written here by hand; the zip
// container of .npz comes from fflate (well kept, no dependencies), stored uncompressed so numpy
// can memory-map it.
import { readFile } from 'node:fs/promises';
import { unzipSync, zipSync } from 'fflate';
import { OuterloopError } from '../errors.js';
import type { ParamLayout, ParamSegment } from '../nn/types.js';
import { writeFileAtomic } from './atomic.js';
import { crc32 } from './crc32.js';
import { checkLayout, halfToFloat, type NamedParams } from './safetensors.js';

/** One array read from an .npy file, as float32, with its shape (C order). */
export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR_BYTES: Record<string, number> = { '<f4': 4, '<f8': 8, '<f2': 2 };

function checkShape(data: Float32Array, shape: unknown, where: string): asserts shape is readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape: expected an array of dimensions`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${where}: shape: expected non-negative integers`);
    n *= d;
  }
  if (n !== data.length) throw new RangeError(`${where}: shape [${shape}] holds ${n} values, data has ${data.length}`);
}

/** The .npy (version 1.0, little-endian float32, C order) bytes of `data` with `shape`. */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (!(data instanceof Float32Array)) throw new TypeError('encodeNpy: data: expected a Float32Array');
  checkShape(data, shape, 'encodeNpy');
  // Python tuple syntax: () for a scalar, (n,) for one dimension.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  // As numpy: room for the first dimension to grow to 21 digits in place (appending writers
  // rewrite the shape), then spaces to a 64-byte boundary and a '\n'. Same bytes as np.save.
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  const total = 10 + dict.length + 1;
  dict += `${' '.repeat((64 - (total % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + dict.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + dict.length);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}

function corrupt(source: string, what: string): never {
  throw new OuterloopError(`${source}: not a valid .npy file: ${what}`);
}

/**
 * Parses .npy bytes (versions 1–3; little-endian float32, float64 or float16; C order) into a
 * float32 array and its shape. Throws OuterloopError naming `source` for anything else.
 */
export function decodeNpy(bytes: Uint8Array, source = '.npy bytes'): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeNpy: bytes: expected a Uint8Array');
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) corrupt(source, 'no \\x93NUMPY magic');
  const major = bytes[6] as number;
  if (major < 1 || major > 3) corrupt(source, `unknown format version ${major}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) corrupt(source, 'truncated header');
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + hlen;
  if (start > bytes.length) corrupt(source, `header of ${hlen} bytes runs past the end (truncated)`);
  const dict = new TextDecoder().decode(bytes.subarray(8 + lenBytes, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(dict)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    corrupt(source, 'header lacks descr, fortran_order or shape');
  const width = DESCR_BYTES[descr === '|f4' ? '<f4' : descr];
  if (width === undefined) corrupt(source, `dtype ${descr}; only little-endian f4, f8 and f2 can be imported`);
  if (fortran === 'True') corrupt(source, 'Fortran-order arrays are not supported (save with np.ascontiguousarray)');
  const parts = shapeText.split(',').map((s) => s.trim());
  const shape = parts.filter((s) => s !== '').map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) corrupt(source, `bad shape (${shapeText})`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== n * width)
    corrupt(source, `shape (${shapeText}) needs ${n * width} data bytes, the file has ${bytes.length - start}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = start + i * width;
    data[i] =
      width === 4
        ? view.getFloat32(at, true)
        : width === 8
          ? view.getFloat64(at, true)
          : halfToFloat(view.getUint16(at, true));
  }
  return { data, shape };
}

/** Writes one array as an .npy file (atomically). */
export async function exportNpy(data: Float32Array, shape: readonly number[], path: string): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('exportNpy: path: expected a file path');
  await writeFileAtomic(path, encodeNpy(data, shape));
}

/** Reads an .npy file (see `decodeNpy`). */
export async function importNpy(path: string): Promise<NpyArray> {
  if (typeof path !== 'string' || path === '') throw new TypeError('importNpy: path: expected a file path');
  const b = await readFile(path);
  return decodeNpy(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
}

/** The .npz bytes of `params`: one `<name>.npy` entry per layout segment, in layout order, uncompressed. */
export function encodeNpz(params: Float32Array, layout: ParamLayout): Uint8Array {
  checkLayout(params, layout, 'encodeNpz');
  const files: Record<string, Uint8Array> = {};
  for (const s of layout) files[`${s.name}.npy`] = encodeNpy(params.subarray(s.offset, s.offset + s.size), s.shape);
  // A fixed timestamp keeps the bytes a function of the parameters alone (same seed, same file).
  return zipSync(files, { level: 0, mtime: new Date(1980, 0, 1) });
}

/**
 * Parses .npz bytes into float32 parameters and a layout with one segment per array, in the
 * archive's order (an npz written by `encodeNpz` or by `np.savez` keeps its arrays' order).
 */
export function decodeNpz(bytes: Uint8Array, source = '.npz bytes'): NamedParams {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeNpz: bytes: expected a Uint8Array');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new OuterloopError(`${source}: not a valid .npz (zip) file: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkCrcs(bytes, files, source);
  const arrays: NpyArray[] = [];
  const layout: ParamSegment[] = [];
  let offset = 0;
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.npy')) throw new OuterloopError(`${source}: entry '${file}' is not an .npy file`);
    const a = decodeNpy(content, `${source}: ${file}`);
    arrays.push(a);
    layout.push(Object.freeze({ name: file.slice(0, -4), shape: Object.freeze(a.shape), offset, size: a.data.length }));
    offset += a.data.length;
  }
  const params = new Float32Array(offset);
  for (let i = 0; i < arrays.length; i++) params.set((arrays[i] as NpyArray).data, (layout[i] as ParamSegment).offset);
  return { params, layout: Object.freeze(layout) };
}

/**
 * fflate does not check the entries' CRC-32s, so a flipped data bit would go unnoticed: compare
 * each entry with the CRC its central-directory record carries (fflate has already validated
 * the directory's structure, so the records are where the end-of-directory record says).
 */
function checkCrcs(bytes: Uint8Array, files: Record<string, Uint8Array>, source: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new OuterloopError(`${source}: not a valid .npz (zip) file: no end-of-directory record`);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  for (let i = 0; i < count && at !== 0xffffffff; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw new OuterloopError(`${source}: not a valid .npz (zip) file: damaged central directory`);
    const nameLen = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    const content = files[name];
    if (content !== undefined && crc32(content) !== view.getUint32(at + 16, true))
      throw new OuterloopError(`${source}: entry '${name}' fails its CRC-32 check (corrupted file)`);
    at += 46 + nameLen + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
}

/** Writes `params` named by `layout` as an .npz file (atomically); `np.load(path)[name]` gives each segment. */
export async function exportNpz(params: Float32Array, layout: ParamLayout, path: string): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('exportNpz: path: expected a file path');
  await writeFileAtomic(path, encodeNpz(params, layout));
}

/** Reads an .npz file into float32 parameters and their layout (see `decodeNpz`). */
export async function importNpz(path: string): Promise<NamedParams> {
  if (typeof path !== 'string' || path === '') throw new TypeError('importNpz: path: expected a file path');
  const b = await readFile(path);
  return decodeNpz(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
}
