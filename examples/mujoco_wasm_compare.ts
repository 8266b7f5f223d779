// The two MuJoCo engines the issue asks to weigh, on our half-cheetah (native/core/mujoco/models/
// half_cheetah.xml): `mujoco-js`, DeepMind's WebAssembly build from the npm registry (no system
// dependency), beside our native bridge (libmujoco loaded with dlopen, rows on the thread pool).
// It prints what the WASM package is (MuJoCo version, license, size), env steps/s (5 physics
// steps each, controls written and qpos/qvel read back every step, as an env needs) for one env
// stepped from JS on each engine and for 64/256 native rows, and the trajectory difference over
// 100 env steps from the same state and controls (the versions differ: 2.2.2 here, 3.x in the
// package, so this measures the version gap, not a bug).
//
// mujoco-js is not a dependency of outerloop. Install it in a scratch folder and pass the folder:
//   mkdir -p /tmp/mjwasm && cd /tmp/mjwasm && npm init -y && npm install mujoco-js
//   npx tsx examples/mujoco_wasm_compare.ts /tmp/mjwasm [seconds per cell=2]
// Without it the script says so and exits 0.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getBackend } from '../src/backend/index.js';
import { backend, envs } from '../src/index.js';
import { key, normal, uniform } from '../src/random/index.js';

// The slice of mujoco-js's API used here (its own .d.ts is not on our type path).
interface WasmModel {
  nq: number;
  nv: number;
  nu: number;
  delete(): void;
}
interface WasmData {
  readonly qpos: Float64Array;
  readonly qvel: Float64Array;
  readonly ctrl: Float64Array;
  delete(): void;
}
interface WasmMujoco {
  FS: { mkdir(p: string): void; writeFile(p: string, s: string): void };
  MjModel: { loadFromXML(p: string): WasmModel };
  MjData: new (m: WasmModel) => WasmData;
  mj_versionString(): string;
  mj_step(m: WasmModel, d: WasmData): void;
  mj_resetData(m: WasmModel, d: WasmData): void;
  mj_forward(m: WasmModel, d: WasmData): void;
}

const FRAME_SKIP = 5;
const STEPS = 100;

async function loadWasm(dir: string | undefined): Promise<{ mj: WasmMujoco; pkg: string; file: string } | null> {
  const candidates = [
    ...(dir ? [join(dir, 'node_modules', 'mujoco-js'), dir] : []),
    join(process.cwd(), 'node_modules', 'mujoco-js'),
  ];
  for (const root of candidates) {
    const file = join(root, 'dist', 'mujoco_wasm.js');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { default: () => Promise<WasmMujoco> };
    return { mj: await mod.default(), pkg: join(root, 'package.json'), file };
  }
  return null;
}

function measure(seconds: number, step: () => void, stepsPerCall: number): number {
  for (let i = 0; i < 500; i++) step(); // warm-up: JIT tiers, pool threads
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    step();
    calls++;
  }
  return (calls * stepsPerCall) / ((performance.now() - t0) / 1000);
}

// The same start (qpos0 + U[-0.1, 0.1], qvel 0.1·N(0, 1)) and controls for both engines.
function start(qpos0: number[], nv: number): { qpos: Float64Array; qvel: Float64Array } {
  const u = uniform(key(3), qpos0.length);
  const z = normal(key(4), nv);
  return {
    qpos: Float64Array.from(qpos0, (q, j) => q + 0.1 * (2 * (u[j] as number) - 1)),
    qvel: Float64Array.from(z, (v) => 0.1 * v),
  };
}
const controls = (t: number, nu: number): Float64Array =>
  Float64Array.from(uniform(key(100 + t), nu), (u) => 2 * u - 1);

async function main(): Promise<void> {
  const dir = process.argv[2];
  const seconds = Number(process.argv[3] ?? 2);
  const wasm = await loadWasm(dir);
  if (wasm === null) {
    console.log(
      'mujoco-js is not installed (it is not an outerloop dependency). To run this comparison:\n' +
        '  mkdir -p /tmp/mjwasm && cd /tmp/mjwasm && npm init -y && npm install mujoco-js\n' +
        '  npx tsx examples/mujoco_wasm_compare.ts /tmp/mjwasm',
    );
    return;
  }
  backend.use('native');
  const info = backend.info();
  if (info.physics === null) {
    console.log('no native MuJoCo engine here (see envs.makeMujoco): nothing to compare against');
    return;
  }
  const { mj } = wasm;
  const pkg = JSON.parse(readFileSync(wasm.pkg, 'utf8')) as { version: string; license: string };
  const mb = (statSync(wasm.file).size / 2 ** 20).toFixed(1);
  console.log(
    `mujoco-js ${pkg.version}: MuJoCo ${mj.mj_versionString()}, license ${pkg.license}, ${mb} MiB (wasm inlined in one .js)`,
  );
  console.log(`native: ${info.physics}; threads ${backend.threads()}`);

  // WASM, one env stepped from JS.
  const xml = readFileSync(envs.modelPath('half_cheetah.xml'), 'utf8');
  mj.FS.mkdir('/ol');
  mj.FS.writeFile('/ol/half_cheetah.xml', xml);
  const m = mj.MjModel.loadFromXML('/ol/half_cheetah.xml');
  const d = new mj.MjData(m);
  const b = getBackend();
  const sim = b.mujocoOpen(envs.modelPath('half_cheetah.xml'), 1);
  const f = b.mujocoFacts(sim);
  const s0 = start(f.qpos0, f.nv);
  const setWasm = (): void => {
    mj.mj_resetData(m, d);
    d.qpos.set(s0.qpos);
    d.qvel.set(s0.qvel);
    mj.mj_forward(m, d);
  };
  setWasm();
  const ctrl1 = controls(0, f.nu);
  const outPos = new Float64Array(f.nq);
  const outVel = new Float64Array(f.nv);
  // The data's typed-array getters build a new view on every access; an env would hold them once.
  const view = { ctrl: d.ctrl, qpos: d.qpos, qvel: d.qvel };
  const wasmRate = measure(
    seconds,
    () => {
      view.ctrl.set(ctrl1);
      for (let k = 0; k < FRAME_SKIP; k++) mj.mj_step(m, d);
      outPos.set(view.qpos);
      outVel.set(view.qvel);
    },
    1,
  );
  const wasmGetter = measure(
    seconds,
    () => {
      d.ctrl.set(ctrl1);
      for (let k = 0; k < FRAME_SKIP; k++) mj.mj_step(m, d);
      outPos.set(d.qpos);
      outVel.set(d.qvel);
    },
    1,
  );
  const rows = ['| engine | envs | env steps/s (raw engine call) | env steps/s (env.step) |', '|---|---|---|---|'];
  rows.push(
    `| mujoco-js ${mj.mj_versionString()} (WASM) | 1 | ${wasmRate.toFixed(0)} (${wasmGetter.toFixed(0)} re-reading the views) | – |`,
  );
  console.log(rows[rows.length - 1]);
  for (const n of [1, 64, 256]) {
    const s = b.mujocoOpen(envs.modelPath('half_cheetah.xml'), n);
    for (let i = 0; i < n; i++) b.mujocoSetState(s, i, s0.qpos, s0.qvel);
    const ctrl = new Float64Array(n * f.nu);
    for (let i = 0; i < n; i++) ctrl.set(ctrl1, i * f.nu);
    const qpos = new Float64Array(n * f.nq);
    const qvel = new Float64Array(n * f.nv);
    const raw = measure(seconds, () => b.mujocoStep(s, ctrl, FRAME_SKIP, qpos, qvel), n);
    const env = envs.makeMujoco('HalfCheetah-v5', { numEnvs: n, seed: 0 });
    const a = Float32Array.from(uniform(key(1), n * env.actionDim), (u) => 2 * u - 1);
    const full = measure(seconds, () => env.step(a), n);
    rows.push(`| ${info.physics} | ${n} | ${raw.toFixed(0)} | ${full.toFixed(0)} |`);
    console.log(rows[rows.length - 1]);
  }

  // The same 100 env steps on both engines.
  setWasm();
  b.mujocoSetState(sim, 0, s0.qpos, s0.qvel);
  const qpos = new Float64Array(f.nq);
  const qvel = new Float64Array(f.nv);
  const diffs: string[] = [];
  for (let t = 1; t <= STEPS; t++) {
    const c = controls(t, f.nu);
    b.mujocoStep(sim, c, FRAME_SKIP, qpos, qvel);
    d.ctrl.set(c);
    for (let k = 0; k < FRAME_SKIP; k++) mj.mj_step(m, d);
    if (t === 1 || t === 10 || t === STEPS) {
      const wp = d.qpos;
      const wv = d.qvel;
      let dp = 0;
      let dv = 0;
      for (let j = 0; j < f.nq; j++) dp = Math.max(dp, Math.abs((wp[j] as number) - (qpos[j] as number)));
      for (let j = 0; j < f.nv; j++) dv = Math.max(dv, Math.abs((wv[j] as number) - (qvel[j] as number)));
      diffs.push(
        `| ${t} | ${dp.toExponential(2)} | ${dv.toExponential(2)} | ${(qpos[0] as number).toFixed(4)} | ${(wp[0] as number).toFixed(4)} |`,
      );
    }
  }
  console.log(`\n${rows.join('\n')}`);
  console.log(
    `\nSame start and controls, native ${info.physics} vs WASM ${mj.mj_versionString()}:\n` +
      '| env steps | max |Δqpos| | max |Δqvel| | x native | x wasm |\n|---|---|---|---|---|\n' +
      diffs.join('\n'),
  );
  d.delete();
  m.delete();
}

await main();
