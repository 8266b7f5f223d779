// Interop formats (safetensors, .npy, .npz): round trips keep names, shapes and values bit for
// bit; the bytes follow the published formats (checked field by field here, and against numpy in
// io_interop_python.test.ts); damaged or foreign files fail with an error naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { OuterloopError } from '../src/errors.js';
import { io, nn, random } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'outerloop-interop-'));
const net = nn.mlp({ sizes: [3, 5, 2], activation: 'tanh' });
const params = net.init(7);
// Values a lossy or wrongly-ordered encoder would not keep: subnormal, negative zero, huge, NaN.
params[0] = 1e-45;
params[1] = -0;
params[2] = 3.4e38;

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('safetensors', () => {
  it('round-trips parameters, names, shapes and order through a file', async () => {
    const file = join(dir, 'p.safetensors');
    await io.exportSafetensors(params, net.layout, file);
    const back = await io.importSafetensors(file);
    expect(sameBits(back.params, params)).toBe(true);
    expect(back.layout).toEqual(net.layout);
  });

  it('writes the published layout: u64 header length, JSON header padded to 8, F32 little-endian data', () => {
    const bytes = io.encodeSafetensors(params, net.layout, { metadata: { format: 'pt' } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['dense0.w']).toEqual({ dtype: 'F32', shape: [3, 5], data_offsets: [0, 60] });
    expect(header['dense1.b']).toEqual({ dtype: 'F32', shape: [2], data_offsets: [4 * 30, 4 * 32] });
    const data = new DataView(bytes.buffer, 8 + n);
    expect(data.getFloat32(4 * 2, true)).toBe(params[2]);
    expect(bytes.length).toBe(8 + n + 4 * params.length);
  });

  it('reads a file written in another order and in float64 (as other writers do)', () => {
    // Tensors sorted by name (the reference writer's order), dense1.b first in the data.
    const header = JSON.stringify({
      b: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
      a: { dtype: 'F32', shape: [1, 2], data_offsets: [16, 24] },
    });
    const h = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + h.length + 24);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, BigInt(h.length), true);
    bytes.set(h, 8);
    v.setFloat64(8 + h.length, 0.5, true);
    v.setFloat64(8 + h.length + 8, -2, true);
    v.setFloat32(8 + h.length + 16, 3, true);
    v.setFloat32(8 + h.length + 20, 4, true);
    const r = io.decodeSafetensors(bytes);
    expect(r.layout.map((s) => [s.name, s.shape, s.offset])).toEqual([
      ['b', [2], 0],
      ['a', [1, 2], 2],
    ]);
    expect([...r.params]).toEqual([0.5, -2, 3, 4]);
  });

  it('rejects truncated, corrupted and foreign files with an OuterloopError naming the file', async () => {
    const good = io.encodeSafetensors(params, net.layout);
    const file = join(dir, 'bad.safetensors');
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 4), /truncated/],
      [good.subarray(0, 5), /shorter than the 8-byte/],
      [new TextEncoder().encode('\x89PNG\r\n\x1a\n and then some image bytes'), /header length/],
      [Uint8Array.from([...good.subarray(0, 8), 0x7b, 0x7b, ...good.subarray(10)]), /not UTF-8 JSON/],
    ];
    // A header whose tensors leave a gap in the data.
    const gap = new TextEncoder().encode('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}');
    const gapFile = new Uint8Array(8 + gap.length + 8);
    new DataView(gapFile.buffer).setBigUint64(0, BigInt(gap.length), true);
    gapFile.set(gap, 8);
    cases.push([gapFile, /gap or overlap/]);
    const int = new TextEncoder().encode('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}');
    const intFile = new Uint8Array(8 + int.length + 8);
    new DataView(intFile.buffer).setBigUint64(0, BigInt(int.length), true);
    intFile.set(int, 8);
    cases.push([intFile, /dtype I64/]);
    for (const [bytes, msg] of cases) {
      writeFileSync(file, bytes);
      const err = await io.importSafetensors(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OuterloopError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('checks its arguments', async () => {
    expect(() => io.encodeSafetensors(new Float32Array(3), net.layout)).toThrow(
      /layout covers 32 values but params has 3/,
    );
    expect(() => io.encodeSafetensors(params.slice(1), net.layout.slice(1))).toThrow(RangeError);
    const dup = [net.layout[0], { ...net.layout[0], offset: 15 }];
    expect(() => io.encodeSafetensors(new Float32Array(30), dup as never)).toThrow(/appears twice/);
    expect(() => io.encodeSafetensors([1] as never, net.layout)).toThrow(TypeError);
    await expect(io.exportSafetensors(params, net.layout, '')).rejects.toThrow(TypeError);
  });
});

describe('.npy and .npz', () => {
  it('writes the .npy bytes numpy writes (v1.0 header padded to 64, <f4, C order)', () => {
    const bytes = io.encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const hlen = new DataView(bytes.buffer).getUint16(8, true);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    expect((10 + hlen) % 64).toBe(0);
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }   ")).toBe(true);
    expect(header.endsWith(' \n')).toBe(true);
    expect(bytes.length).toBe(10 + hlen + 24);
    expect(new DataView(bytes.buffer).getFloat32(10 + hlen + 4 * 5, true)).toBe(6);
    expect(new TextDecoder().decode(io.encodeNpy(Float32Array.of(1), [1]).subarray(10, 128))).toContain(
      "'shape': (1,)",
    );
    expect(new TextDecoder().decode(io.encodeNpy(Float32Array.of(1), []).subarray(10, 64))).toContain("'shape': ()");
    expect(io.decodeNpy(bytes)).toEqual({ data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] });
  });

  it('round-trips one array and a whole parameter vector (npz) through files', async () => {
    await io.exportNpy(params.subarray(0, 15), [3, 5], join(dir, 'w.npy'));
    const a = await io.importNpy(join(dir, 'w.npy'));
    expect(a.shape).toEqual([3, 5]);
    expect(sameBits(a.data, params.subarray(0, 15))).toBe(true);
    await io.exportNpz(params, net.layout, join(dir, 'p.npz'));
    const back = await io.importNpz(join(dir, 'p.npz'));
    expect(sameBits(back.params, params)).toBe(true);
    expect(back.layout).toEqual(net.layout);
    // Deterministic bytes: same parameters, same file.
    expect(io.encodeNpz(params, net.layout)).toEqual(io.encodeNpz(params.slice(), net.layout));
  });

  it('reads float64 and deflated entries (np.savez_compressed)', () => {
    // A float64 .npy as numpy writes one (header padded to 64 bytes), built by hand.
    const dict = `${"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".padEnd(117)}\n`;
    const f8 = new Uint8Array(128 + 8);
    f8.set([0x93, 78, 85, 77, 80, 89, 1, 0, 118, 0]);
    f8.set(new TextEncoder().encode(dict), 10);
    new DataView(f8.buffer).setFloat64(128, 1.5, true);
    const z = zipSync({ 'x.npy': f8 }, { level: 6 });
    expect(io.decodeNpz(z)).toMatchObject({ params: Float32Array.of(1.5), layout: [{ name: 'x', shape: [1] }] });
  });

  it('rejects damaged and foreign files with an OuterloopError naming the file', async () => {
    const good = io.encodeNpy(Float32Array.of(1, 2, 3), [3]);
    const bigEndian = good.slice();
    bigEndian.set(new TextEncoder().encode('>f4'), 10 + "{'descr': '".length);
    const fortran = good.slice();
    fortran.set(new TextEncoder().encode('True '), 10 + "{'descr': '<f4', 'fortran_order': ".length);
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 1), /needs 12 data bytes/],
      [good.subarray(0, 20), /truncated/],
      [new TextEncoder().encode('PK\x03\x04 not npy'), /magic/],
      [bigEndian, /dtype >f4/],
      [fortran, /Fortran/],
    ];
    const file = join(dir, 'bad.npy');
    for (const [bytes, msg] of cases) {
      writeFileSync(file, bytes);
      const err = await io.importNpy(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OuterloopError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(msg);
    }
    const z = io.encodeNpz(params, net.layout);
    const npz = join(dir, 'bad.npz');
    for (const [bytes, msg] of [
      [z.subarray(0, z.length - 30), /not a valid .npz/],
      [good, /not a valid .npz/],
      [zipSync({ 'readme.txt': new Uint8Array(3) }), /not an .npy file/],
      [Uint8Array.from(z, (b, i) => (i === 200 ? b ^ 1 : b)), /dense0.w.npy' fails its CRC-32 check/],
    ] as [Uint8Array, RegExp][]) {
      writeFileSync(npz, bytes);
      await expect(io.importNpz(npz)).rejects.toThrow(msg);
    }
    expect(readFileSync(join(dir, 'p.npz')).length).toBeGreaterThan(0);
  });
});

describe('decoders on damaged bytes', () => {
  it('every truncation and random byte flip either decodes or throws OuterloopError (never another error)', () => {
    const st = io.encodeSafetensors(params, net.layout, { metadata: { format: 'pt' } });
    const npy = io.encodeNpy(params, [params.length]);
    const npz = io.encodeNpz(params, net.layout);
    const decoders: [Uint8Array, (b: Uint8Array) => unknown][] = [
      [st, (b) => io.decodeSafetensors(b)],
      [npy, (b) => io.decodeNpy(b)],
      [npz, (b) => io.decodeNpz(b)],
    ];
    const u = random.uniform(random.key(11), 3 * 400 * 2);
    let k = 0;
    for (const [good, decode] of decoders) {
      for (let cut = 0; cut < good.length; cut += 3) {
        expect(() => decode(good.subarray(0, cut))).toThrow(OuterloopError);
      }
      for (let t = 0; t < 400; t++) {
        const b = good.slice();
        b[Math.floor((u[k++] as number) * b.length)] = Math.floor((u[k++] as number) * 256);
        try {
          decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(OuterloopError);
        }
      }
    }
  });
});
