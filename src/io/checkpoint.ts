// The checkpoint format: one small versioned binary file per saved model.
//
//   bytes 0..7    magic "OLCKPT\r\n" (the \r\n catches text-mode mangling, as in PNG)
//   8..11         format version, u32 little-endian
//   12..15        header length H in bytes, u32 LE
//   16..23        payload length P in bytes, u64 LE
//   24..24+H      header: UTF-8 JSON { kind, meta, arrays: [{ name, dtype, length, offset }] }
//   padding       zeros up to a multiple of 8, so every array starts aligned
//   P bytes       the arrays, little-endian, each at its header offset (relative to payload start)
//   last 4 bytes  CRC-32 of everything before it
//
// The fixed prefix gives the exact file size before anything else is trusted, so a truncated
// file is reported as truncated; the CRC is checked before the header is parsed, so corruption
// anywhere is caught before any of it is used; arrays are copied out, never returned as views.
import * as fs from 'node:fs';
import { OuterloopError } from '../errors.js';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.js';
import { crc32 } from './crc32.js';

/** The format version this code writes and the newest it reads. */
export const CHECKPOINT_VERSION = 1;

const MAGIC = new Uint8Array([0x4f, 0x4c, 0x43, 0x4b, 0x50, 0x54, 0x0d, 0x0a]); // "OLCKPT\r\n"
const PREFIX_BYTES = 24;
const ALIGN = 8;

/** Typed arrays a checkpoint can hold. */
export type CheckpointArray = Float32Array | Float64Array | Int32Array | Uint32Array;

/** A JSON value (what `meta` may contain). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What a checkpoint holds: a kind tag, JSON metadata and named typed arrays. */
export interface Checkpoint {
  /** What the file is, e.g. 'rl.policy' or 'meta.maml'; loaders check it. */
  kind: string;
  /** Anything JSON: hyperparameters, layouts, spaces, step counts. */
  meta: { [key: string]: JsonValue };
  /** Named arrays: parameters, running statistics. */
  arrays: Record<string, CheckpointArray>;
}

type DType = 'float32' | 'float64' | 'int32' | 'uint32';

interface ArrayEntry {
  name: string;
  dtype: DType;
  length: number;
  offset: number;
}

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

function dtypeOf(a: CheckpointArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  throw new TypeError('checkpoint arrays: expected Float32Array, Float64Array, Int32Array or Uint32Array');
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** Serializes a checkpoint to bytes. */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  if (typeof ckpt.kind !== 'string' || ckpt.kind === '')
    throw new TypeError('checkpoint.kind: expected a non-empty string');
  const entries: ArrayEntry[] = [];
  let payloadBytes = 0;
  for (const [name, a] of Object.entries(ckpt.arrays)) {
    const dtype = dtypeOf(a);
    entries.push({ name, dtype, length: a.length, offset: payloadBytes });
    payloadBytes = alignUp(payloadBytes + a.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ kind: ckpt.kind, meta: ckpt.meta, arrays: entries }));
  const payloadStart = alignUp(PREFIX_BYTES + header.length);
  const total = payloadStart + payloadBytes + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, header.length, true);
  view.setBigUint64(16, BigInt(payloadBytes), true);
  out.set(header, PREFIX_BYTES);
  const names = Object.keys(ckpt.arrays);
  for (let i = 0; i < entries.length; i++) {
    const a = ckpt.arrays[names[i] as string] as CheckpointArray;
    const e = entries[i] as ArrayEntry;
    // Typed arrays are host-endian; every platform Node runs on is little-endian.
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), payloadStart + e.offset);
  }
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

function fail(source: string, what: string): never {
  throw new OuterloopError(`${source}: ${what}`);
}

function isEntry(x: unknown): x is ArrayEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.name === 'string' &&
    typeof e.dtype === 'string' &&
    Object.hasOwn(CTORS, e.dtype) &&
    Number.isInteger(e.length) &&
    Number.isInteger(e.offset)
  );
}

/** Options for decoding and loading. */
export interface DecodeOptions {
  /** Reject a checkpoint of another kind. */
  kind?: string;
  /** Names the source in error messages (a path). */
  source?: string;
}

/**
 * Parses checkpoint bytes; throws OuterloopError for a foreign, truncated, corrupted, newer or
 * wrong-kind file. The returned arrays are fresh copies.
 */
export function decodeCheckpoint(bytes: Uint8Array, options: DecodeOptions = {}): Checkpoint {
  const source = options.source ?? 'checkpoint';
  if (bytes.length < MAGIC.length || MAGIC.some((m, i) => bytes[i] !== m)) {
    fail(source, 'not an outerloop checkpoint (bad magic bytes)');
  }
  if (bytes.length < PREFIX_BYTES + 4) fail(source, `truncated (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > CHECKPOINT_VERSION)
    fail(source, `format version ${version} is newer than this outerloop reads (${CHECKPOINT_VERSION})`);
  if (version < 1) fail(source, `corrupted (format version ${version})`);
  const headerBytes = view.getUint32(12, true);
  const payloadBytes = Number(view.getBigUint64(16, true));
  const payloadStart = alignUp(PREFIX_BYTES + headerBytes);
  const expected = payloadStart + payloadBytes + 4;
  if (!Number.isSafeInteger(expected) || bytes.length < expected)
    fail(source, `truncated (expected ${expected} bytes, got ${bytes.length})`);
  if (bytes.length > expected) fail(source, `corrupted (${bytes.length - expected} unexpected trailing bytes)`);
  const stored = view.getUint32(expected - 4, true);
  const actual = crc32(bytes.subarray(0, expected - 4));
  if (stored !== actual)
    fail(source, `corrupted (CRC-32 mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)})`);

  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)),
    );
  } catch {
    fail(source, 'corrupted (unreadable header)');
  }
  const h = header as { kind?: unknown; meta?: unknown; arrays?: unknown };
  if (typeof h.kind !== 'string' || typeof h.meta !== 'object' || h.meta === null || !Array.isArray(h.arrays))
    fail(source, 'corrupted (header lacks kind, meta or arrays)');
  if (options.kind !== undefined && h.kind !== options.kind)
    fail(source, `is a '${h.kind}' checkpoint, expected '${options.kind}'`);

  const arrays: Record<string, CheckpointArray> = {};
  for (const e of h.arrays) {
    if (!isEntry(e)) fail(source, 'corrupted (bad array entry in header)');
    const Ctor = CTORS[e.dtype];
    const byteLength = e.length * Ctor.BYTES_PER_ELEMENT;
    if (e.length < 0 || e.offset < 0 || e.offset % ALIGN !== 0 || e.offset + byteLength > payloadBytes)
      fail(source, `corrupted (array '${e.name}' lies outside the payload)`);
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(payloadStart + e.offset, payloadStart + e.offset + byteLength));
    arrays[e.name] = new Ctor(copy.buffer);
  }
  return { kind: h.kind, meta: h.meta as Checkpoint['meta'], arrays };
}

/** Writes a checkpoint atomically (temp file + rename): readers never see half a file. */
export async function saveCheckpoint(file: string, ckpt: Checkpoint): Promise<void> {
  await writeFileAtomic(file, encodeCheckpoint(ckpt));
}

/** Synchronous `saveCheckpoint`, for exit paths that cannot await. */
export function saveCheckpointSync(file: string, ckpt: Checkpoint): void {
  writeFileAtomicSync(file, encodeCheckpoint(ckpt));
}

async function readOrFail(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.promises.readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, 'no such checkpoint file');
    if (code === 'EISDIR') fail(file, 'is a folder, not a checkpoint file');
    throw e;
  }
}

/** Reads and validates a checkpoint; throws OuterloopError for anything but a whole, intact file. */
export async function loadCheckpoint(file: string, options: Omit<DecodeOptions, 'source'> = {}): Promise<Checkpoint> {
  return decodeCheckpoint(await readOrFail(file), { ...options, source: file });
}
