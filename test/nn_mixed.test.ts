// nn.blockHessian / nn.modelBlockHessian: the four Hessian blocks of loss(mlp((x, y), inputs)),
// read off the model's R-operator HVP, against float64 mixed central differences of the loss
// through the independent float64 forward (src/nn/reference.ts): uᵀ(D²ₓᵧf·v) ≈
// [f(z+ha+hb) − f(z+ha−hb) − f(z−ha+hb) + f(z−ha−hb)]/4h², a = (u, 0), b = (0, v).
import { describe, expect, it } from 'vitest';
import { nn, random } from '../src/index.js';

const net = nn.mlp({ sizes: [3, 5, 2], activation: 'tanh' });
const batch = 4;
const inputs = random.normal(random.key(1), batch * 3);
const loss = nn.loss.mse(random.normal(random.key(2), batch * 2));
const m = 11; // the first 11 weights of dense0.w are x, the other 21 + … parameters are y
const n = net.size - m;
const z = net.init(3);
const x = z.slice(0, m);
const y = z.slice(m);
const f64 = (p: Float64Array): number => loss.value(net.forward64(p, inputs, batch), batch);

// uᵀ H w by float64 mixed central differences, with ua/wb the full-length tangents.
function mixedFd(a: Float64Array, b: Float64Array, h = 1e-3): number {
  const at = (sa: number, sb: number): number =>
    f64(Float64Array.from(z, (zi, i) => zi + sa * h * (a[i] as number) + sb * h * (b[i] as number)));
  return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
}

function embed(v: Float32Array, from: number): Float64Array {
  const out = new Float64Array(m + n);
  out.set(v, from);
  return out;
}

function dotv(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

describe('nn.modelBlockHessian', () => {
  const H = nn.modelBlockHessian(net, loss, inputs, batch, m);
  const u = random.normal(random.key(4), m);
  const v = random.normal(random.key(5), n);
  const u2 = random.normal(random.key(6), m);
  const v2 = random.normal(random.key(7), n);

  it('each block matches float64 mixed differences of the loss', () => {
    const ox = new Float32Array(m);
    const oy = new Float32Array(n);
    const cases: [string, number, number][] = [];
    H.xy(x, y, v, ox);
    cases.push(['xy', dotv(u, ox), mixedFd(embed(u, 0), embed(v, m))]);
    H.yx(x, y, u, oy);
    cases.push(['yx', dotv(v, oy), mixedFd(embed(v, m), embed(u, 0))]);
    H.xx(x, y, u, ox);
    cases.push(['xx', dotv(u2, ox), mixedFd(embed(u2, 0), embed(u, 0))]);
    H.yy(x, y, v, oy);
    cases.push(['yy', dotv(v2, oy), mixedFd(embed(v2, m), embed(v, m))]);
    for (const [name, got, want] of cases) {
      expect(Math.abs(got - want), name).toBeLessThan(2e-5 * Math.max(1, Math.abs(want)));
    }
  });

  it('a swapped block (D²ₓₓ where D²ₓᵧ belongs) is caught by the same check', () => {
    const ox = new Float32Array(m);
    const uy = random.normal(random.key(8), m);
    H.xx(x, y, uy, ox); // wrong: tangent in the x block
    const want = mixedFd(embed(u, 0), embed(v, m));
    expect(Math.abs(dotv(u, ox) - want)).toBeGreaterThan(1e-2);
  });

  it('is symmetric: uᵀ(D²ₓᵧ v) = vᵀ(D²ᵧₓ u)', () => {
    const ox = new Float32Array(m);
    const oy = new Float32Array(n);
    H.xy(x, y, v, ox);
    H.yx(x, y, u, oy);
    expect(Math.abs(dotv(u, ox) - dotv(v, oy))).toBeLessThan(1e-5 * Math.max(1, Math.abs(dotv(u, ox))));
  });

  it('refuses mismatched sizes, naming the argument', () => {
    const ox = new Float32Array(m);
    expect(() => H.xy(x, y, new Float32Array(m), ox)).toThrow(/xy: v: expected length/);
    expect(() => H.yx(y, y, new Float32Array(m), new Float32Array(n))).toThrow(/yx: x: expected length/);
    expect(() => nn.modelBlockHessian(net, loss, inputs, batch, net.size)).toThrow(RangeError);
    expect(() =>
      nn
        .blockHessian(() => new Float32Array(3), 2, 2)
        .xx(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2)),
    ).toThrow(/hvp: expected a Float32Array of length 4/);
  });
});
