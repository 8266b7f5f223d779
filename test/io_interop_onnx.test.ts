// ONNX export: ONNX Runtime (onnxruntime-web's CPU/wasm build, a dev dependency that installs
// without downloads; same operator kernels as onnxruntime-node) runs the exported graph and must
// match net.forward to float32 rounding, for every activation and with observation normalization.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { io, nn, random } from '../src/index.js';
import type { ActivationName } from '../src/nn/types.js';

ort.env.wasm.numThreads = 1;
const dir = mkdtempSync(join(tmpdir(), 'outerloop-onnx-'));

async function runOnnx(bytes: Uint8Array, x: Float32Array, batch: number, inW: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ obs: new ort.Tensor('float32', x, [batch, inW]) });
  const y = out.output;
  if (y === undefined) throw new Error('no output');
  await session.release();
  return y.data as Float32Array;
}

function maxRelErr(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / (1 + Math.abs(b[i] as number)));
  return m;
}

describe('exportOnnx', () => {
  const acts: [ActivationName, ActivationName][] = [
    ['tanh', 'identity'],
    ['relu', 'tanh'],
    ['leaky-relu', 'sigmoid'],
    ['gelu', 'softplus'],
  ];
  for (const [activation, outputActivation] of acts) {
    it(`matches net.forward (${activation} hidden, ${outputActivation} output)`, async () => {
      const net = nn.mlp({ sizes: [5, 16, 16, 3], activation, outputActivation });
      const params = net.init(1);
      const batch = 64;
      const x = random.normal(random.key(2), batch * 5);
      for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * 3;
      const file = join(dir, `${activation}.onnx`);
      await io.exportOnnx(net, params, file);
      const y = await runOnnx(new Uint8Array(readFileSync(file)), x, batch, 5);
      const ref = net.forward(params, x, batch);
      expect(y.length).toBe(ref.length);
      const err = maxRelErr(y, ref);
      if (process.env.OUTERLOOP_REPORT)
        console.log(`onnx ${activation}/${outputActivation}: max rel err ${err.toExponential(2)}`);
      expect(err).toBeLessThan(2e-6);
      // A wrong variant must fail: the float64 reference with the hidden activation swapped.
      const wrong = nn
        .mlp({ sizes: [5, 16, 16, 3], activation: activation === 'tanh' ? 'relu' : 'tanh', outputActivation })
        .forward(params, x, batch);
      expect(maxRelErr(y, wrong)).toBeGreaterThan(1e-3);
    });
  }

  it('applies observation normalization (Sub, Div, Clip) as RunningMeanStd does', async () => {
    const net = nn.mlp({ sizes: [4, 8, 2], activation: 'tanh' });
    const params = net.init(3);
    const mean = Float64Array.of(1, -2, 0.5, 100);
    const variance = Float64Array.of(4, 0.25, 1e-3, 9);
    const batch = 32;
    const x = random.normal(random.key(4), batch * 4);
    // Row 0 far out so the clip at ±5 acts.
    x[3] = 1e4;
    const bytes = io.encodeOnnx(net, params, { obsNorm: { mean, var: variance, clip: 5 } });
    const y = await runOnnx(bytes, x, batch, 4);
    const xn = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const j = i % 4;
      const v = ((x[i] as number) - (mean[j] as number)) / Math.sqrt((variance[j] as number) + 1e-8);
      xn[i] = Math.max(-5, Math.min(5, v));
    }
    const ref = net.forward(params, xn, batch);
    expect(maxRelErr(y, ref)).toBeLessThan(2e-6);
    expect(maxRelErr(y, net.forward(params, x, batch))).toBeGreaterThan(1e-2);
  });

  it('names initializers as the layout does and is deterministic', () => {
    const net = nn.mlp({ sizes: [2, 3, 1], activation: 'relu' });
    const params = net.init(0);
    const a = io.encodeOnnx(net, params);
    expect(a).toEqual(io.encodeOnnx(net, params.slice()));
    const text = new TextDecoder('latin1').decode(a);
    for (const s of net.layout) expect(text).toContain(s.name);
  });

  it('checks its arguments', () => {
    const net = nn.mlp({ sizes: [2, 3, 1], activation: 'relu' });
    expect(() => io.encodeOnnx(net, new Float32Array(3))).toThrow(RangeError);
    expect(() => io.encodeOnnx({} as never, new Float32Array(3))).toThrow(TypeError);
    expect(() => io.encodeOnnx(net, net.init(0), { obsNorm: { mean: [0], var: [1] } })).toThrow(/input width 2/);
    expect(() => io.encodeOnnx(net, net.init(0), { obsNorm: { mean: [0, 0], var: [1, 1], clip: 0 } })).toThrow(
      RangeError,
    );
  });
});
