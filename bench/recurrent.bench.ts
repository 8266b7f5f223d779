// Recurrent cells: GRU and LSTM forward and forward + BPTT over batch 256 × T 100 × hidden 64 (input 8),
// native (1 and 2 threads) vs js through nn.gru's allocation-free forms, and PyTorch's nn.GRU / nn.LSTM on
// one core (bench/reference/gru_torch.py, run only when /usr/bin/python3 imports torch; skipped
// with a note otherwise). CPU time per call is kept beside the wall time: on the shared machine
// the 1-thread CPU time is the undisturbed figure.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backend } from '../src/backend/index.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import type { BenchRow, BenchSuite } from './harness.js';
import { median, medianCpuMs } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

interface TorchTimes {
  torch: string;
  fwd_ms: number[];
  fwdbwd_ms: number[];
  fwd_cpu_ms: number[];
  fwdbwd_cpu_ms: number[];
}

/** PyTorch's timings, or the reason there are none. */
function torchTimes(shape: number[], repeats: number, cell: string): TorchTimes | string {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} with torch not found`;
  }
  const script = join(here, 'reference', 'gru_torch.py');
  const out = execFileSync(PYTHON, [script, ...shape.map(String), String(repeats), cell], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as TorchTimes;
}

/** The passes a cell needs here: nn.gru and nn.lstm share these forms. */
interface Cell {
  init(seed: number): Float32Array;
  workspace(steps: number, batch: number): unknown;
  forwardInto(p: Float32Array, xs: Float32Array, ws: never, o: { resets: Uint8Array; record?: boolean }): unknown;
  backwardInto(p: Float32Array, xs: Float32Array, ws: never, dHs: Float32Array, o: { resets: Uint8Array }): void;
}

const suite: BenchSuite = {
  name: 'recurrent',
  run(ctx) {
    const rows: BenchRow[] = [];
    const [B, T, H, I] = [256, 100, 64, 8];
    const before = backend.current();
    const native = ctx.backends.find(([n]) => n === 'native')?.[1];
    const threadsBefore = native?.threads();
    for (const [name, gates] of [
      ['gru', 3],
      ['lstm', 4],
    ] as const) {
      const label = `${name} b${B} T${T} H${H} I${I}`;
      // Multiply-adds: forward x·Wi and h·Wh per row; BPTT adds dA·Whᵀ, the two weight gradients and dA·Wiᵀ.
      const fwdMacs = T * B * (I + H) * gates * H;
      const bothMacs = fwdMacs + T * B * gates * H * (2 * H + 2 * I);
      const cell = (name === 'gru' ? nn.gru : nn.lstm)({ inputSize: I, hiddenSize: H }) as unknown as Cell;
      const p = cell.init(0);
      const xs = random.normal(random.key(1), T * B * I);
      const dHs = random.normal(random.key(2), T * B * H);
      const resets = new Uint8Array(T * B);
      const ws = cell.workspace(T, B) as never;
      const runs: [string, 'native' | 'js', number][] = [];
      if (native) runs.push(['native 1thr', 'native', 1], ['native 2thr', 'native', 2]);
      runs.push(['js', 'js', 1]);
      for (const [impl, bk, threads] of runs) {
        backend.use(bk);
        if (bk === 'native') native?.threads(threads);
        const slow = bk === 'js';
        const passes: [string, () => void, number][] = [
          ['forward', () => void cell.forwardInto(p, xs, ws, { resets, record: false }), fwdMacs],
          [
            'forward+BPTT',
            () => {
              cell.forwardInto(p, xs, ws, { resets });
              cell.backwardInto(p, xs, ws, dHs, { resets });
            },
            bothMacs,
          ],
        ];
        for (const [pass, fn, n] of passes) {
          const opts = slow ? { minRuns: ctx.quick ? 1 : 3, warmup: ctx.quick ? 0 : 1 } : { minRuns: 10, warmup: 2 };
          const ms = ctx.time(fn, opts);
          const cpu = slow ? ms : medianCpuMs(fn, ctx.quick ? 3 : 9);
          rows.push({
            case: `${label} ${pass}`,
            impl,
            medianMs: ms,
            rate: (2 * n) / (ms / 1e3),
            rateUnit: 'FLOP/s',
            extra: { threads, GFLOPs: (2 * n) / (ms / 1e3) / 1e9, cpuMsPerCall: cpu },
          });
        }
      }
      const torch = torchTimes([B, T, H, I], ctx.quick ? 3 : 7, name);
      if (typeof torch === 'string') {
        process.stderr.write(`recurrent: PyTorch reference skipped (${torch})\n`);
      } else {
        const impl = `torch-${torch.torch} nn.${name.toUpperCase()} 1 core`;
        for (const [pass, wall, cpu, n] of [
          ['forward', torch.fwd_ms, torch.fwd_cpu_ms, fwdMacs],
          ['forward+BPTT', torch.fwdbwd_ms, torch.fwdbwd_cpu_ms, bothMacs],
        ] as const) {
          const ms = median(wall);
          rows.push({
            case: `${label} ${pass}`,
            impl,
            medianMs: ms,
            rate: (2 * n) / (ms / 1e3),
            rateUnit: 'FLOP/s',
            extra: { threads: 1, GFLOPs: (2 * n) / (ms / 1e3) / 1e9, cpuMsPerCall: median(cpu) },
          });
        }
      }
    }
    backend.use(before);
    if (native && threadsBefore !== undefined) native.threads(threadsBefore);
    return rows;
  },
};
export default suite;
