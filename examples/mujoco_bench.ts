// Steps per second of the MuJoCo HalfCheetah (native backend, libmujoco 2.2.2 loaded with dlopen)
// with 1, 64 and 256 envs on 1 and 2 threads: env steps through `env.step` (the TS observation,
// reward and autoreset included) and raw engine steps (`mujocoStep` alone). One env step is 5
// physics steps (frame_skip 5), so physics frames/s = 5 × env steps/s, the unit of EnvPool's
// published MuJoCo table (Ant-v3; e.g. a for-loop of 12,861 frames/s on a 12-core laptop): a rough
// reference line, other model, other machine. Random torques in [-1, 1], fixed seed.
//
//   npx tsx examples/mujoco_bench.ts [seconds per cell=2]

import { getBackend } from '../src/backend/index.js';
import { backend, envs } from '../src/index.js';
import { key, uniform } from '../src/random/index.js';

function measure(seconds: number, step: () => void, stepsPerCall: number): number {
  for (let i = 0; i < 20; i++) step(); // warm-up (JIT, pool threads)
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    step();
    calls++;
  }
  return (calls * stepsPerCall) / ((performance.now() - t0) / 1000);
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 2);
  backend.use('native');
  const info = backend.info();
  console.log(`engine: ${info.physics ?? 'none'}; outerloop ${info.version}; simd ${info.simd}`);
  if (info.physics === null) throw new Error('no MuJoCo engine (see the error of envs.makeMujoco)');
  const before = backend.threads();
  const rows: string[] = [
    '| envs | threads | env steps/s (env.step) | frames/s | engine-only env steps/s |',
    '|---|---|---|---|---|',
  ];
  for (const n of [1, 64, 256]) {
    for (const threads of [1, 2]) {
      backend.threads(threads);
      const env = envs.makeMujoco('HalfCheetah-v5', { numEnvs: n, seed: 0 });
      const actions = Float32Array.from(uniform(key(1), n * env.actionDim), (u) => 2 * u - 1);
      const full = measure(seconds, () => env.step(actions), n);
      // The engine alone: the same model and rows, no TS work around the kernel call.
      const b = getBackend();
      const sim = b.mujocoOpen(envs.modelPath('half_cheetah.xml'), n);
      const f = b.mujocoFacts(sim);
      for (let i = 0; i < n; i++) b.mujocoSetState(sim, i, Float64Array.from(f.qpos0), new Float64Array(f.nv));
      const ctrl = Float64Array.from(actions);
      const qpos = new Float64Array(n * f.nq);
      const qvel = new Float64Array(n * f.nv);
      const raw = measure(seconds, () => b.mujocoStep(sim, ctrl, 5, qpos, qvel), n);
      rows.push(`| ${n} | ${threads} | ${full.toFixed(0)} | ${(5 * full).toFixed(0)} | ${raw.toFixed(0)} |`);
      console.log(rows[rows.length - 1]);
    }
  }
  backend.threads(before);
  console.log(`\n${rows.join('\n')}`);
}

main();
