// The interop files as Python sees them: numpy (with the safetensors header parsed by json, the
// way the format is specified, so the `safetensors` package is not needed) loads our safetensors,
// .npz and .npy files, runs the MLP forward in float64 from the loaded weights, and must match
// net.forward; names and shapes must come through; np.save must write the very bytes encodeNpy
// writes; and an np.savez file must import here. Skipped, with the reason printed, where
// /usr/bin/python3 has no numpy (Debian: apt-get install python3-numpy).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io, nn, random } from '../src/index.js';

const PY = '/usr/bin/python3';
const probe = spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' });
const skipReason =
  probe.error !== undefined
    ? `${PY} not found`
    : probe.status !== 0
      ? `${PY} cannot import numpy (apt-get install python3-numpy)`
      : undefined;
if (skipReason !== undefined) console.warn(`io-interop-python: skipped: ${skipReason}`);

const SCRIPT = `
import json, struct, sys
import numpy as np
d = sys.argv[1]
def load_safetensors(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n])
    meta = h.pop('__metadata__', {})
    assert all(v['dtype'] == 'F32' for v in h.values())
    out = {k: np.frombuffer(b[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], '<f4').reshape(v['shape'])
           for k, v in sorted(h.items(), key=lambda kv: kv[1]['data_offsets'][0])}
    return out, meta
def forward(w, x):
    layers = len(w) // 2
    h = x.astype(np.float64)
    for l in range(layers):
        h = h @ w['dense%d.w' % l].astype(np.float64) + w['dense%d.b' % l].astype(np.float64)
        if l < layers - 1: h = np.tanh(h)
    return h
x = np.load(d + '/x.npy')
st, meta = load_safetensors(d + '/p.safetensors')
npz = dict(np.load(d + '/p.npz'))
np.save(d + '/y_st.npy', forward(st, x).astype(np.float32))
np.save(d + '/y_npz.npy', forward(npz, x).astype(np.float32))
np.save(d + '/numpy_saved.npy', np.arange(6, dtype='<f4').reshape(2, 3))
np.savez(d + '/numpy_saved.npz', first=np.float32([[1.5, 2]]), second=np.float64([-3]))
print(json.dumps({'meta': meta,
                  'safetensors': [[k, list(v.shape)] for k, v in st.items()],
                  'npz': [[k, list(v.shape)] for k, v in np.load(d + '/p.npz').items()]}))
`;

describe.skipIf(skipReason !== undefined)('interop files read by numpy', () => {
  it('numpy loads the same names, shapes and values, and its forward matches net.forward', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outerloop-py-'));
    const net = nn.mlp({ sizes: [4, 8, 8, 2], activation: 'tanh' });
    const params = net.init(5);
    const batch = 16;
    const x = random.normal(random.key(6), batch * 4);
    await io.exportSafetensors(params, net.layout, join(dir, 'p.safetensors'));
    await io.exportNpz(params, net.layout, join(dir, 'p.npz'));
    await io.exportNpy(x, [batch, 4], join(dir, 'x.npy'));
    const r = spawnSync(PY, ['-c', SCRIPT, dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const seen = JSON.parse(r.stdout) as { meta: object; safetensors: unknown; npz: unknown };
    const names = net.layout.map((s) => [s.name, [...s.shape]]);
    expect(seen.safetensors).toEqual(names);
    expect(seen.npz).toEqual(names);
    expect(seen.meta).toEqual({ format: 'pt' });
    const ref = net.forward(params, x, batch);
    for (const f of ['y_st.npy', 'y_npz.npy']) {
      const y = await io.importNpy(join(dir, f));
      expect(y.shape).toEqual([batch, 2]);
      for (let i = 0; i < ref.length; i++) expect(y.data[i]).toBeCloseTo(ref[i] as number, 5);
    }
    // np.save writes byte for byte what encodeNpy writes.
    const ours = io.encodeNpy(Float32Array.of(0, 1, 2, 3, 4, 5), [2, 3]);
    expect(new Uint8Array(readFileSync(join(dir, 'numpy_saved.npy')))).toEqual(ours);
    // And np.savez's archive (float32 and float64 entries, numpy's own zip) imports here.
    const back = await io.importNpz(join(dir, 'numpy_saved.npz'));
    expect(back.layout.map((s) => [s.name, s.shape])).toEqual([
      ['first', [1, 2]],
      ['second', [1]],
    ]);
    expect([...back.params]).toEqual([1.5, 2, -3]);
  });
});
