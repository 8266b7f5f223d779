// Curvature kernels, native vs js: the float64 inverse 4th root of a 256×256 factor (symmetric
// eigendecomposition + reconstruction), one Shampoo step on a 256×256 layer with its roots
// recomputed (updateEvery 1) and without (statistics + preconditioning only), and one
// Gauss-Newton-vector product of an MLP [64, 256, 256, 10] on a batch of 256 (cross-entropy).
import { type BackendName, use } from '../src/backend/index.js';
import { nn, optim } from '../src/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

function spd(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = Math.sin(i * 7 + j * 13) * 0.1 + (i === j ? n * 0.05 : 0);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

const suite: BenchSuite = {
  name: 'curvature',
  run(ctx) {
    const rows: BenchRow[] = [];
    const n = 256;
    const a = spd(n);
    const out = new Float64Array(n * n);
    for (const [impl, b] of ctx.backends) {
      const ms = ctx.time(() => b.optimInverseRoot(a, n, 4, 1e-6, out), { minRuns: impl === 'js' ? 3 : 5 });
      rows.push({ case: 'inverse 4th root 256×256 (f64)', impl, medianMs: ms, rate: 1000 / ms, rateUnit: 'roots/s' });
    }
    const layout = [{ name: 'w', offset: 0, shape: [n, n] }];
    const g = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i * 0.37) * 1e-2);
    for (const [every, label] of [
      [1, 'shampoo step 256×256, roots every step'],
      [1_000_000, 'shampoo step 256×256, cached roots'],
    ] as const) {
      for (const [impl] of ctx.backends) {
        use(impl as BackendName);
        const opt = optim.shampoo({ lr: 1e-3, layout, updateEvery: every });
        const p = new Float32Array(n * n);
        const st = opt.init(p);
        opt.step(p, g, st);
        const ms = ctx.time(() => opt.step(p, g, st), { minRuns: impl === 'js' ? 3 : 5 });
        rows.push({ case: label, impl, medianMs: ms, rate: 1000 / ms, rateUnit: 'steps/s' });
      }
    }
    const net = nn.mlp({ sizes: [64, 256, 256, 10], activation: 'tanh' });
    const batch = 256;
    const x = Float32Array.from({ length: batch * 64 }, (_, i) => Math.sin(i * 0.11));
    const loss = nn.loss.crossEntropy(
      Int32Array.from({ length: batch }, (_, i) => i % 10),
      10,
    );
    const params = net.init(0);
    const v = Float32Array.from({ length: net.size }, (_, i) => Math.cos(i));
    const res = new Float32Array(net.size);
    for (const [impl] of ctx.backends) {
      use(impl as BackendName);
      const ms = ctx.time(() => nn.ggnvp(net, params, x, batch, loss, v, res));
      rows.push({
        case: `ggnvp mlp [64,256,256,10] batch ${batch}`,
        impl,
        medianMs: ms,
        rate: 1000 / ms,
        rateUnit: 'products/s',
        extra: { params: net.size },
      });
    }
    use(ctx.backends[0]?.[0] as BackendName);
    return rows;
  },
};

export default suite;
