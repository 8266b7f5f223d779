// MLP forward / gradient / Hessian-vector product: native (1 and 2 threads) vs js, with GFLOP/s
// counted from the matrix products each pass runs (2 flops per multiply-add). Reference rows are
// the anchors measured on this machine before the library existed (shared/reference/
// measured-here.md, section 2), quoted, not re-measured.
import { backend } from '../src/backend/index.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import type { BenchRow, BenchSuite } from './harness.js';
import { medianCpuMs } from './harness.js';

interface Case {
  label: string;
  sizes: number[];
  batch: number;
}

/** Multiply-adds of each pass, as the kernels compute them. */
function macs(sizes: number[], batch: number): { forward: number; grad: number; hvp: number } {
  let fwd = 0;
  let first = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const m = (sizes[l] as number) * (sizes[l + 1] as number);
    fwd += m;
    if (l === 0) first = m;
  }
  fwd *= batch;
  first *= batch;
  // grad: forward + weight gradients + input-side products of every layer but the first.
  const grad = 3 * fwd - first;
  // hvp: forward + tangent (a·V, ȧ·W), three backward row products, two parameter products
  // (first layer: no ȧ terms, no row products).
  const hvp = fwd + (2 * fwd - first) + 3 * (fwd - first) + (2 * fwd - first);
  return { forward: fwd, grad, hvp };
}

const REFERENCE: BenchRow[] = [
  { case: '64-256-256-1 b1024 grad', impl: 'torch-1.13 OpenBLAS 2thr (measured-here)', medianMs: 4.45 },
  { case: '64-256-256-1 b1024 grad', impl: 'torch-1.13 1 core (measured-here)', medianMs: 5.63 },
  { case: '64-256-256-1 b1024 grad', impl: 'tfjs-wasm (measured-here)', medianMs: 152 },
  { case: '64-256-256-1 b1024 hvp', impl: 'torch-1.13 OpenBLAS 2thr (measured-here)', medianMs: 12.15 },
  { case: '64-256-256-1 b1024 hvp', impl: 'torch-1.13 1 core (measured-here)', medianMs: 18.24 },
  { case: '64-256-256-1 b1024 hvp', impl: 'tfjs-wasm (measured-here)', medianMs: 418 },
];

const suite: BenchSuite = {
  name: 'nn',
  run(ctx) {
    const rows: BenchRow[] = [];
    const cases: Case[] = [
      { label: '64-256-256-1 b1024', sizes: [64, 256, 256, 1], batch: 1024 },
      { label: '4-64-64-2 b4096', sizes: [4, 64, 64, 2], batch: 4096 },
    ];
    const before = backend.current();
    const native = ctx.backends.find(([n]) => n === 'native')?.[1];
    const threadsBefore = native?.threads();
    for (const c of cases) {
      const net = nn.mlp({ sizes: c.sizes, activation: 'tanh' });
      const p = net.init(0);
      const inW = c.sizes[0] as number;
      const out = c.sizes[c.sizes.length - 1] as number;
      const x = random.normal(random.key(1), c.batch * inW);
      const loss = nn.loss.mse(random.normal(random.key(2), c.batch * out));
      const v = random.normal(random.key(3), net.size);
      const y = new Float32Array(c.batch * out);
      const g = new Float32Array(net.size);
      const hv = new Float32Array(net.size);
      const m = macs(c.sizes, c.batch);
      const runs: [string, 'native' | 'js', number][] = [];
      if (native) runs.push(['native 1thr', 'native', 1], ['native 2thr', 'native', 2]);
      runs.push(['js', 'js', 1]);
      for (const [impl, name, threads] of runs) {
        backend.use(name);
        if (name === 'native') native?.threads(threads);
        const slow = name === 'js';
        const passes: [string, () => void, number][] = [
          ['forward', () => net.forwardInto(p, x, c.batch, y), m.forward],
          ['grad', () => void net.gradInto(p, x, c.batch, loss, g), m.grad],
          ['hvp', () => void net.hvpInto(p, x, c.batch, loss, v, hv), m.hvp],
        ];
        for (const [pass, fn, n] of passes) {
          const ms = ctx.time(fn, { minRuns: slow ? 3 : 10, warmup: slow ? 1 : 3 });
          const cpu = medianCpuMs(fn, slow ? 3 : 15);
          rows.push({
            case: `${c.label} ${pass}`,
            impl: impl === 'js' ? 'js' : impl,
            medianMs: ms,
            rate: (2 * n) / (ms / 1e3),
            rateUnit: 'FLOP/s',
            extra: { threads, GFLOPs: (2 * n) / (ms / 1e3) / 1e9, cpuMsPerCall: cpu },
          });
        }
      }
    }
    backend.use(before);
    if (native && threadsBefore !== undefined) native.threads(threadsBefore);
    return [...rows, ...REFERENCE];
  },
};
export default suite;
