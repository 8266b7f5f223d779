import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OuterloopError } from '../src/errors.js';
import {
  type Checkpoint,
  crc32,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  writeFileAtomic,
} from '../src/io/index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outerloop-io-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sample(): Checkpoint {
  return {
    kind: 'test.model',
    meta: { sizes: [4, 64, 2], name: 'π', nested: { a: 1, b: null } },
    arrays: {
      params: new Float32Array([1.5, -2, 3.25, Number.NaN, 1e-30]),
      mean: new Float64Array([0.1, 0.2, 0.3]),
      counts: new Int32Array([-7, 9]),
      key: new Uint32Array([0xdeadbeef, 1]),
      empty: new Float32Array(0),
    },
  };
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('checkpoint format', () => {
  it('round-trips kind, meta and every array type bit for bit', () => {
    const c = sample();
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back.kind).toBe(c.kind);
    expect(back.meta).toEqual(c.meta);
    for (const [name, a] of Object.entries(c.arrays)) {
      const b = back.arrays[name];
      expect(b?.constructor).toBe(a.constructor);
      expect(new Uint8Array(b?.buffer as ArrayBuffer)).toEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
  });

  it('returns copies, not views of the file bytes', () => {
    const bytes = encodeCheckpoint(sample());
    const back = decodeCheckpoint(bytes);
    (back.arrays.params as Float32Array)[0] = 99;
    expect((decodeCheckpoint(bytes).arrays.params as Float32Array)[0]).toBe(1.5);
  });

  it('rejects every truncation with a clear error', () => {
    const bytes = encodeCheckpoint(sample());
    for (let n = 0; n < bytes.length; n += 7) {
      expect(() => decodeCheckpoint(bytes.subarray(0, n))).toThrow(OuterloopError);
    }
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });

  it('rejects a flipped bit anywhere', () => {
    const bytes = encodeCheckpoint(sample());
    for (let i = 0; i < bytes.length; i += 3) {
      const bad = bytes.slice();
      bad[i] = (bad[i] as number) ^ 0x10;
      expect(() => decodeCheckpoint(bad), `byte ${i}`).toThrow(OuterloopError);
    }
  });

  it('rejects foreign files, trailing bytes, newer versions and the wrong kind', () => {
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"not":"a checkpoint"}'))).toThrow(
      /not an outerloop checkpoint/,
    );
    const bytes = encodeCheckpoint(sample());
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => decodeCheckpoint(longer)).toThrow(/trailing/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 99, true);
    expect(() => decodeCheckpoint(newer)).toThrow(/newer/);
    expect(() => decodeCheckpoint(bytes, { kind: 'rl.policy' })).toThrow(
      /'test.model' checkpoint, expected 'rl.policy'/,
    );
  });
});

describe('files', () => {
  it('saves and loads through an atomic write, leaving no temp files', async () => {
    const file = path.join(tmp, 'sub', 'a.olck');
    await saveCheckpoint(file, sample());
    await saveCheckpoint(file, sample()); // overwrite in place
    const back = await loadCheckpoint(file, { kind: 'test.model' });
    expect(back.meta.name).toBe('π');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.olck']);
  });

  it('names the file in errors and reports missing files', async () => {
    const file = path.join(tmp, 'cut.olck');
    const bytes = encodeCheckpoint(sample());
    fs.writeFileSync(file, bytes.subarray(0, 40));
    await expect(loadCheckpoint(file)).rejects.toThrow(`${file}: truncated`);
    await expect(loadCheckpoint(path.join(tmp, 'missing.olck'))).rejects.toThrow(/no such checkpoint/);
  });

  it('writeFileAtomic keeps the old content when the write fails', async () => {
    const file = path.join(tmp, 'keep.txt');
    await writeFileAtomic(file, 'old');
    // Data that throws when read stands in for a write failing halfway (a full disk).
    const bad = {
      get length(): number {
        throw new Error('disk full');
      },
    } as unknown as Uint8Array;
    await expect(writeFileAtomic(file, bad)).rejects.toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
