// Where one MAML-TRPO meta-iteration's time goes (Navigation2D-v0, pytorch-maml-rl's settings):
// wall and process-CPU seconds per phase (sampling, inner adaptation, meta-gradient, Fisher
// products, line search), found by wrapping the phases' methods with timers.
//
//   npx tsx examples/maml_rl_profile.ts [iterations=3] [backend=native]
import { backend, metaRl } from '../src/index.js';
import * as mb from '../src/metarl/maml/meta_batch.js';
import { TaskObjectives } from '../src/metarl/maml/objectives.js';

const totals = new Map<string, { wall: number; cpu: number; calls: number }>();
function wrap(obj: Record<string, unknown>, name: string, label: string): void {
  const f = obj[name] as (...a: unknown[]) => unknown;
  obj[name] = function (this: unknown, ...a: unknown[]) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    try {
      return f.apply(this, a);
    } finally {
      const e = totals.get(label) ?? { wall: 0, cpu: 0, calls: 0 };
      e.wall += performance.now() - t;
      const cu = process.cpuUsage(c0);
      e.cpu += (cu.user + cu.system) / 1000;
      e.calls++;
      totals.set(label, e);
    }
  };
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 3);
  backend.use((process.argv[3] ?? 'native') as 'native' | 'js');
  const m = metaRl.maml({ env: 'Navigation2D-v0' });
  await m.train({ iterations: 1, seed: 0 }); // warm-up
  const MB = mb.MetaBatch.prototype as unknown as Record<string, unknown>;
  wrap(MB, 'objective', 'MetaBatch.objective (surrogate+KL[+metagrad])');
  wrap(MB, 'fvp', 'MetaBatch.fvp');
  wrap(MB, 'pathsFrom', 'MetaBatch.pathsFrom (re-adapt)');
  const TO = TaskObjectives.prototype as unknown as Record<string, unknown>;
  for (const k of ['innerGrad', 'innerHvp', 'surrogate', 'kl', 'fvp', 'logProb', 'means'])
    wrap(TO, k, `TaskObjectives.${k}`);
  const S = mb.MetaBatch as unknown as Record<string, unknown>;
  wrap(S, 'sample', 'MetaBatch.sample (sampling + inner adaptation)');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await m.train({ iterations, seed: 1 });
  const wall = (performance.now() - t0) / 1000 / iterations;
  const cu = process.cpuUsage(c0);
  console.log(
    JSON.stringify({ backend: backend.current(), wallPerIt: wall, cpuPerIt: (cu.user + cu.system) / 1e6 / iterations }),
  );
  for (const [k, v] of [...totals].sort((a, b) => b[1].wall - a[1].wall))
    console.log(
      `${k.padEnd(52)} wall ${(v.wall / 1000 / iterations).toFixed(3)} s/it  cpu ${(v.cpu / 1000 / iterations).toFixed(3)} s/it  ${(v.calls / iterations).toFixed(0)} calls/it`,
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
