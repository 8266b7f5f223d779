// nn: every derivative against float64 central differences, per backend, for every activation
// and every loss, on shapes that include batch 1 and width 1.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import type { ActivationName, Loss, Mlp } from '../src/nn/index.js';
import * as nn from '../src/nn/index.js';
import { backends } from './helpers/backends.js';

const ACTS: ActivationName[] = ['identity', 'tanh', 'relu', 'leaky-relu', 'gelu', 'sigmoid', 'softplus'];
const SHAPES: [number[], number][] = [
  [[3, 5, 4, 2], 6],
  [[1, 1, 1], 1],
  [[2, 1, 3], 1],
  [[4, 7, 1], 5],
];

function det(seed: number, n: number, scale = 1): Float32Array {
  // Deterministic pseudo-random values without the RNG under test.
  const out = new Float32Array(n);
  let s = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = scale * (2 * (s / 2147483648) - 1);
  }
  return out;
}

/** uᵀ H v by a mixed central second difference of f in float64. */
function mixedSecond(
  f: (p: Float64Array) => number,
  p: Float32Array,
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  h: number,
): number {
  const q = new Float64Array(p.length);
  const at = (su: number, sv: number): number => {
    for (let i = 0; i < p.length; i++) q[i] = (p[i] as number) + su * h * (u[i] as number) + sv * h * (v[i] as number);
    return f(q);
  };
  return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
}

function scaleOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

const initial = backend.current();
afterAll(() => backend.use(initial));

describe.each(backends)('nn.mlp derivatives (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');

  for (const act of ACTS)
    for (const [sizes, batch] of SHAPES) {
      const title = `${act} ${sizes.join('-')} batch ${batch}`;
      // Keep pre-activations away from relu's kink so finite differences stay one-sided-free.
      const make = (): { net: Mlp; p: Float32Array; x: Float32Array } => {
        use();
        const net = nn.mlp({ sizes, activation: act, outputActivation: act === 'identity' ? 'identity' : 'tanh' });
        const p = det(sizes.length + batch, net.size, 0.8);
        const x = det(7 + batch, batch * (sizes[0] as number), 1.5);
        return { net, p, x };
      };

      it(`forward matches the float64 reference: ${title}`, () => {
        const { net, p, x } = make();
        const y = net.forward(p, x, batch);
        const ref = net.forward64(p, x, batch);
        for (let i = 0; i < y.length; i++) expect(Math.abs((y[i] as number) - (ref[i] as number))).toBeLessThan(2e-6);
      });

      it(`parameter and input gradients (vjp): ${title}`, () => {
        const { net, p, x } = make();
        const out = sizes[sizes.length - 1] as number;
        const dy = det(3, batch * out);
        const { params: gp, inputs: gx } = net.vjp(p, x, batch, dy);
        const fp = (q: Float64Array) => {
          const y = net.forward64(q, x, batch);
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (y[i] as number) * (dy[i] as number);
          return s;
        };
        const fx = (xx: Float64Array) => {
          const y = net.forward64(p, xx, batch);
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (y[i] as number) * (dy[i] as number);
          return s;
        };
        const cp = nn.checkGrad(fp, gp, p);
        const cx = nn.checkGrad(fx, gx, x);
        expect(cp.maxAbsError).toBeLessThan(1e-4 * Math.max(1, scaleOf(cp.numeric)));
        expect(cx.maxAbsError).toBeLessThan(1e-4 * Math.max(1, scaleOf(cx.numeric)));
      });

      it(`jvp is the directional derivative: ${title}`, () => {
        const { net, p, x } = make();
        const v = det(11, net.size);
        const ydot = net.jvp(p, x, batch, v);
        const h = 1e-6;
        const plus = net.forward64(
          Float64Array.from(p, (pi, i) => pi + h * (v[i] as number)),
          x,
          batch,
        );
        const minus = net.forward64(
          Float64Array.from(p, (pi, i) => pi - h * (v[i] as number)),
          x,
          batch,
        );
        for (let i = 0; i < ydot.length; i++) {
          const fd = ((plus[i] as number) - (minus[i] as number)) / (2 * h);
          expect(Math.abs((ydot[i] as number) - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
        }
      });

      it(`hvp (MSE) is exact, second derivatives of ${act} included: ${title}`, () => {
        const { net, p, x } = make();
        const out = sizes[sizes.length - 1] as number;
        const loss = nn.loss.mse(det(5, batch * out));
        const v = det(13, net.size);
        const hv = net.hvp(p, x, batch, loss, v);
        const f = (q: Float64Array) => loss.value(net.forward64(q, x, batch), batch);
        // Every coordinate: e_iᵀ H v by mixed differences.
        const e = new Float64Array(net.size);
        const tol = 2e-4 * Math.max(1, scaleOf(hv));
        for (let i = 0; i < net.size; i++) {
          e.fill(0);
          e[i] = 1;
          const fd = mixedSecond(f, p, e, v, 1e-3);
          expect(Math.abs((hv[i] as number) - fd)).toBeLessThan(tol);
        }
      });
    }
});

// A small net and, for each loss, outputs of the right width.
interface LossCase {
  title: string;
  out: number;
  make(batch: number): Loss;
}
const LOSSES: LossCase[] = [
  { title: 'mse', out: 3, make: (b) => nn.loss.mse(det(21, b * 3)) },
  {
    title: 'crossEntropy',
    out: 4,
    make: (b) =>
      nn.loss.crossEntropy(
        Int32Array.from({ length: b }, (_, i) => (i * 3 + 1) % 4),
        4,
      ),
  },
  { title: 'gaussianNll (learned log std)', out: 4, make: (b) => nn.loss.gaussianNll(det(23, b * 2)) },
  {
    title: 'gaussianNll (fixed log std)',
    out: 2,
    make: (b) => nn.loss.gaussianNll(det(24, b * 2), { logStd: new Float32Array([-0.3, 0.2]) }),
  },
  {
    title: 'custom (Σ y⁴ / 4)',
    out: 2,
    make: () =>
      nn.loss.custom({
        value: (y) => {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (y[i] as number) ** 4 / 4;
          return s;
        },
        grad: (y, _b, out) => {
          for (let i = 0; i < y.length; i++) out[i] = (y[i] as number) ** 3;
        },
        hvp: (y, _b, v, out) => {
          for (let i = 0; i < y.length; i++) out[i] = 3 * (y[i] as number) ** 2 * (v[i] as number);
        },
      }),
  },
];

describe.each(backends)('nn losses (%s)', (name) => {
  for (const lc of LOSSES)
    for (const batch of [1, 5]) {
      it(`${lc.title}, batch ${batch}: gradient and Hessian-vector product w.r.t. y`, () => {
        const loss = lc.make(batch);
        const y = det(31 + batch, batch * lc.out, 1.2);
        const g = new Float32Array(y.length);
        const value = loss.grad(y, batch, g);
        expect(value).toBeCloseTo(loss.value(y, batch), 6);
        const c = nn.checkGrad((yy) => loss.value(yy, batch), g, y);
        expect(c.relError).toBeLessThan(1e-5);
        const v = det(37, y.length);
        const hy = new Float32Array(y.length);
        loss.hvp?.(y, batch, v, hy);
        const e = new Float64Array(y.length);
        const f = (yy: Float64Array) => loss.value(yy, batch);
        for (let i = 0; i < y.length; i++) {
          e.fill(0);
          e[i] = 1;
          const fd = mixedSecond(f, y, e, v, 1e-3);
          expect(Math.abs((hy[i] as number) - fd)).toBeLessThan(1e-4 * Math.max(1, scaleOf(hy)));
        }
      });

      it(`${lc.title}, batch ${batch}: model gradient and HVP through a tanh MLP`, () => {
        backend.use(name as 'native' | 'js');
        const net = nn.mlp({ sizes: [3, 6, lc.out], activation: 'tanh' });
        const p = net.init(batch);
        const x = det(41, batch * 3);
        const loss = lc.make(batch);
        const { value, grad } = nn.valueAndGrad(net, loss)(p, x, batch);
        const f = (q: Float64Array) => loss.value(net.forward64(q, x, batch), batch);
        expect(value).toBeCloseTo(f(Float64Array.from(p)), 5);
        const c = nn.checkGrad(f, grad, p);
        expect(c.maxAbsError).toBeLessThan(1e-4 * Math.max(1, scaleOf(c.numeric)));
        const v = det(43, net.size);
        const hv = net.hvp(p, x, batch, loss, v);
        const e = new Float64Array(net.size);
        for (let i = 0; i < net.size; i++) {
          e.fill(0);
          e[i] = 1;
          const fd = mixedSecond(f, p, e, v, 1e-3);
          expect(Math.abs((hv[i] as number) - fd)).toBeLessThan(3e-4 * Math.max(1, scaleOf(hv)));
        }
      });
    }
});
