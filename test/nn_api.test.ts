// nn public API: layout, initializers, bad input and NaN propagation, per backend.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { mlpTapeSize } from '../src/backend/kernels/nn.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { backends, nativeBackend } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

describe('nn.mlp layout and init', () => {
  it('lays out dense{l}.w [in, out] then dense{l}.b [out], covering the vector', () => {
    const net = nn.mlp({ sizes: [4, 64, 64, 2], activation: 'tanh' });
    expect(net.size).toBe(4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
    expect(net.layout.map((s) => [s.name, [...s.shape], s.offset, s.size])).toEqual([
      ['dense0.w', [4, 64], 0, 256],
      ['dense0.b', [64], 256, 64],
      ['dense1.w', [64, 64], 320, 4096],
      ['dense1.b', [64], 4416, 64],
      ['dense2.w', [64, 2], 4480, 128],
      ['dense2.b', [2], 4608, 2],
    ]);
  });

  it('orthogonal init: WᵀW = gain²·I (tall) or WWᵀ = gain²·I (wide), zero biases, deterministic', () => {
    const net = nn.mlp({ sizes: [12, 5, 30], activation: 'tanh', init: { scheme: 'orthogonal', outputGain: 0.01 } });
    const p = net.init(3);
    expect(net.init(3)).toEqual(p);
    expect(net.init(4)).not.toEqual(p);
    const check = (w: Float32Array, rows: number, cols: number, gain: number) => {
      const tall = rows >= cols;
      const k = tall ? cols : rows;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          let s = 0;
          for (let t = 0; t < (tall ? rows : cols); t++)
            s += tall
              ? (w[t * cols + a] as number) * (w[t * cols + b] as number)
              : (w[a * cols + t] as number) * (w[b * cols + t] as number);
          expect(Math.abs(s - (a === b ? gain * gain : 0))).toBeLessThan(1e-5 * Math.max(1, gain * gain));
        }
    };
    const [w0, b0, w1, b1] = net.layout.map((s) => p.subarray(s.offset, s.offset + s.size)) as Float32Array[];
    check(w0 as Float32Array, 12, 5, Math.SQRT2);
    check(w1 as Float32Array, 5, 30, 0.01);
    expect((b0 as Float32Array).every((v) => v === 0) && (b1 as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it('xavier, he, torch and normal inits have the right ranges and scales', () => {
    const sizes = [200, 300];
    const stats = (scheme: 'xavier' | 'he' | 'torch' | 'normal') => {
      const net = nn.mlp({ sizes, activation: 'relu', init: scheme });
      const w = net.init(1).subarray(0, 200 * 300);
      let s2 = 0;
      let m = 0;
      for (const v of w) {
        s2 += v * v;
        m = Math.max(m, Math.abs(v));
      }
      return { std: Math.sqrt(s2 / w.length), max: m };
    };
    const x = stats('xavier');
    expect(x.max).toBeLessThanOrEqual(Math.sqrt(6 / 500));
    expect(x.std).toBeCloseTo(Math.sqrt(2 / 500), 3);
    expect(stats('he').std).toBeCloseTo(Math.sqrt(2 / 200), 3);
    expect(stats('torch').max).toBeLessThanOrEqual(1 / Math.sqrt(200));
    expect(stats('normal').std).toBeCloseTo(0.01, 3);
  });

  it('init accepts a key', () => {
    const net = nn.mlp({ sizes: [3, 4], activation: 'tanh', init: 'he' });
    expect(net.init(random.key(9))).toEqual(net.init(9));
  });
});

describe.each(backends)('nn bad input (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');
  const net = nn.mlp({ sizes: [3, 8, 2], activation: 'tanh' });

  it('rejects bad options with errors that name the argument', () => {
    expect(() => nn.mlp({ sizes: [3], activation: 'tanh' })).toThrow(/sizes/);
    expect(() => nn.mlp({ sizes: [3, 0], activation: 'tanh' })).toThrow(RangeError);
    expect(() => nn.mlp({ sizes: [3, 2.5], activation: 'tanh' })).toThrow(/sizes\[1\]/);
    expect(() => nn.mlp({ sizes: [3, 2], activation: 'swish' as 'tanh' })).toThrow(/activation/);
    expect(() => nn.mlp({ sizes: [3, 2], activation: 'tanh', init: 'glorot' as 'xavier' })).toThrow(/init/);
    expect(() => nn.mlp({ sizes: [3, 2], activation: 'tanh', lr: 1 } as never)).toThrow(/unknown option 'lr'/);
  });

  it('rejects mismatched lengths, batch 0 and wrong types', () => {
    use();
    const p = net.init(0);
    const x = new Float32Array(6);
    expect(() => net.forward(p, x, 0)).toThrow(/batch/);
    expect(() => net.forward(p, x, 3)).toThrow(/x: expected length 9/);
    expect(() => net.forward(p.subarray(1), x, 2)).toThrow(/params: expected length/);
    expect(() => net.forward(Array.from(p) as never, x, 2)).toThrow(TypeError);
    expect(() => net.vjp(p, x, 2, new Float32Array(3))).toThrow(/dy/);
    expect(() => net.jvp(p, x, 2, new Float32Array(5))).toThrow(/v: expected length/);
    expect(() => net.hvp(p, x, 2, nn.loss.mse(new Float32Array(5)), p)).toThrow(/mse: target/);
    expect(() => net.hvp(p, x, 2, {} as never, p)).toThrow(/loss/);
  });

  it('rejects labels out of range and a wrong class count', () => {
    use();
    const p = net.init(0);
    const x = new Float32Array(6);
    const g = new Float32Array(net.size);
    expect(() => net.gradInto(p, x, 2, nn.loss.crossEntropy(new Int32Array([0, 2])), g)).toThrow(/labels\[1\] = 2/);
    expect(() => net.gradInto(p, x, 2, nn.loss.crossEntropy(new Int32Array([0, -1])), g)).toThrow(RangeError);
    expect(() => net.gradInto(p, x, 2, nn.loss.crossEntropy(new Int32Array([0])), g)).toThrow(
      /labels: expected length 2/,
    );
    expect(() => net.gradInto(p, x, 2, nn.loss.crossEntropy(new Int32Array([0, 1]), 3), g)).toThrow(/numClasses/);
    expect(() => nn.loss.crossEntropy(new Float32Array(2) as never)).toThrow(TypeError);
  });

  it('propagates NaN in parameters to outputs and derivatives without crashing', () => {
    use();
    const p = net.init(0);
    p[0] = Number.NaN; // dense0.w[0, 0]: reaches every output through the hidden layer
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(net.forward(p, x, 2).every(Number.isNaN)).toBe(true);
    const { value, grad } = nn.valueAndGrad(net, nn.loss.mse(new Float32Array(4)))(p, x, 2);
    expect(Number.isNaN(value)).toBe(true);
    expect(grad.some(Number.isNaN)).toBe(true);
    const hv = net.hvp(p, x, 2, nn.loss.mse(new Float32Array(4)), net.init(1));
    expect(hv.some(Number.isNaN)).toBe(true);
  });

  it('says when a custom loss has no Hessian-vector product', () => {
    use();
    const loss = nn.loss.custom({ value: () => 0, grad: (_y, _b, out) => out.fill(0) });
    const p = net.init(0);
    expect(() => net.hvp(p, new Float32Array(3), 1, loss, p)).toThrow(/no Hessian-vector product/);
  });
});

describe.skipIf(!nativeBackend)('nn native boundary checks', () => {
  const b = nativeBackend as NonNullable<typeof nativeBackend>;
  const sz = new Int32Array([3, 8, 2]);
  const p = new Float32Array(3 * 8 + 8 + 8 * 2 + 2);
  it('throws TypeError/RangeError naming the argument', () => {
    const x = new Float32Array(6);
    const y = new Float32Array(4);
    expect(() => b.mlpForward(sz, 1, 0, p, x, 2, y)).not.toThrow();
    expect(() => b.mlpForward(sz, 9, 0, p, x, 2, y)).toThrow(/hidden/);
    expect(() => b.mlpForward(new Int32Array([3]), 1, 0, p, x, 2, y)).toThrow(/sizes/);
    expect(() => b.mlpForward(new Int32Array([3, 0, 2]), 1, 0, p, x, 2, y)).toThrow(/sizes\[1\]/);
    expect(() => b.mlpForward(sz, 1, 0, p, x, 0, y)).toThrow(/batch/);
    expect(() => b.mlpForward(sz, 1, 0, p, x, 3, y)).toThrow(/x: expected length 9/);
    expect(() => b.mlpForward(sz, 1, 0, new Float64Array(p.length) as never, x, 2, y)).toThrow(TypeError);
    expect(() => b.mlpVjp(sz, 1, 0, p, x, 2, y, p, new Float32Array(5))).toThrow(/gInputs/);
    const s = { hidden: 1, output: 0, batch: 2 };
    const tape = new Float32Array(mlpTapeSize(sz, 2, false));
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, s)).not.toThrow();
    expect(() => b.mlpBackwardTape(sz, p, x, new Float32Array(3), y, p, null, s)).toThrow(/tape/);
    // The ten-or-more-argument kernels take their scalars as one object, each field checked.
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, 2 as never)).toThrow(/scalars: expected an object/);
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, { ...s, hidden: 9 })).toThrow(/scalars\.hidden/);
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, { ...s, batch: 1.5 })).toThrow(/scalars\.batch/);
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, { ...s, batch: 3 })).toThrow(/x: expected length 9/);
    const { batch: _b, ...noBatch } = s;
    expect(() => b.mlpBackwardTape(sz, p, x, tape, y, p, null, noBatch as never)).toThrow(/scalars\.batch/);
    // A getter may detach a buffer: the scalars are read before any buffer is held.
    const pd = new Float32Array(p.length);
    const detaching = {
      hidden: 1,
      output: 0,
      get batch() {
        structuredClone(pd.buffer, { transfer: [pd.buffer] });
        return 2;
      },
    };
    expect(() => b.mlpBackwardTape(sz, pd, x, tape, y, p, null, detaching)).toThrow(/params: expected length/);
    const tt = new Float32Array(mlpTapeSize(sz, 2, true));
    expect(() => b.mlpHvpBackwardTape(sz, p, x, p, tt, y, y, p, null, { ...s, output: -1 })).toThrow(/scalars\.output/);
    const rs = new Int32Array([0, 1, 2]);
    const p2 = new Float32Array(2 * p.length);
    const bs = { hidden: 1, output: 0, tasks: 2 };
    expect(() => b.mlpVjpBatched(sz, p2, x, rs, y, p2, null, bs)).not.toThrow();
    expect(() => b.mlpVjpBatched(sz, p2, x, rs, y, p2, null, { ...bs, tasks: 0 })).toThrow(/scalars\.tasks/);
    expect(() => b.mlpVjpBatched(sz, p2, x, rs, y, p2, null, { ...bs, tasks: 3 })).toThrow(/params: expected length/);
    expect(() =>
      b.mlpForwardBatched(sz, 1, 0, 2, new Float32Array(2 * p.length), x, new Int32Array([0, 2, 1]), y),
    ).toThrow(/non-decreasing/);
    expect(() =>
      b.mlpForwardBatched(sz, 1, 0, 2, new Float32Array(2 * p.length), x, new Int32Array([1, 2, 2]), y),
    ).toThrow(/rowStart\[0\]/);
  });
});

describe('nn.checkGrad and nn.hessianEigs arguments', () => {
  it('checkGrad flags a wrong gradient and passes the right one', () => {
    const f = (x: Float64Array) => (x[0] as number) ** 3 + Math.sin(x[1] as number);
    const at = new Float32Array([0.7, -1.2]);
    const good = [3 * 0.7 ** 2, Math.cos(-1.2)];
    expect(nn.checkGrad(f, good, at).relError).toBeLessThan(1e-6);
    const bad = [good[0] as number, 1.1 * (good[1] as number)];
    expect(nn.checkGrad(f, bad, at).relError).toBeGreaterThan(1e-2);
    expect(nn.checkGrad(f, good, at, { indices: [1] }).indices).toEqual([1]);
    expect(() => nn.checkGrad(f, [1], at)).toThrow(/grad: expected length 2/);
    expect(() => nn.checkGrad(f, good, at, { eps: 0 })).toThrow(/eps/);
  });

  it('hessianEigs checks its source and options', () => {
    expect(() => nn.hessianEigs(() => undefined)).toThrow(/dim/);
    expect(() => nn.hessianEigs(() => undefined, { dim: 3, k: 4 })).toThrow(/k/);
    expect(() => nn.hessianEigs({} as never)).toThrow(TypeError);
    expect(() => nn.hessianEigs(() => undefined, { dim: 3, which: 'smallest' as 'largest' })).toThrow(/which/);
  });
});
