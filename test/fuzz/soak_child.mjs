// Soak of the Promise-returning native kernels, run by test/soak.test.ts in a child process
// started with --expose-gc (a crash then fails the test instead of killing the runner).
//
// Every round launches a batch of concurrent async calls (rolloutRunAsync, esRolloutPoliciesAsync,
// randomUniformAsync, randomNormalAsync) on their own buffers and drops every reference to their
// input-only buffers, so only the addon's references keep those alive. While the calls run, the
// JS thread makes synchronous calls of the same kernels on copies of the same inputs (the
// reference results), plus other synchronous kernels (env steps, a meta-gradient batch, GAE),
// forces garbage collections and allocates garbage of the same sizes (a freed input buffer would
// be reused and change a result). When a batch settles, every async output must equal the
// synchronous output of the same inputs bit for bit, and the interleaved synchronous kernels
// must give the same results every round.
//
//   node --expose-gc test/fuzz/soak_child.mjs [rounds] [seed]
// Prints one JSON line: { seed, rounds, asyncCalls, syncCalls, gcs, mismatches }.
// OUTERLOOP_NATIVE_PATH picks the binary (the ASan build).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xorshift } from './xorshift.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const addon = process.env.OUTERLOOP_NATIVE_PATH
  ? require(process.env.OUTERLOOP_NATIVE_PATH)
  : require('node-gyp-build')(root);
const rounds = Number(process.argv[2] ?? 40);
const seed = Number(process.argv[3] ?? 20261203) >>> 0;
if (typeof globalThis.gc !== 'function') throw new Error('soak-child: run with node --expose-gc');

const rand = xorshift(seed);
const randInt = (n) => Math.floor(rand() * n);
function floats(n, lo = -1, hi = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rand();
  return a;
}
const key = () => new Uint32Array([randInt(2 ** 32), randInt(2 ** 32)]);
const copy = (a) => (ArrayBuffer.isView(a) ? new a.constructor(a) : a);
const paramCount = (sizes) => {
  let p = 0;
  for (let l = 1; l < sizes.length; l++) p += (sizes[l - 1] + 1) * sizes[l];
  return p;
};

const stats = { seed, rounds, asyncCalls: 0, syncCalls: 0, gcs: 0, mismatches: [] };
function gc() {
  globalThis.gc();
  stats.gcs++;
}
// Garbage of the sizes the calls use, filled with NaN: memory a call's freed input would occupy.
function garbage() {
  const keep = [];
  for (const n of [2, 4, 7, 64, 400, 4097, 30000]) keep.push(new Float32Array(n).fill(Number.NaN));
  return keep.length;
}

// Index of the first element where two arrays differ bitwise, or -1.
function firstDifference(a, b) {
  if (a.length !== b.length) return 0;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}
function compare(label, names, got, want) {
  if (got.length !== want.length) stats.mismatches.push(`${label}: ${got.length} outputs vs ${want.length}`);
  for (let k = 0; k < want.length; k++) {
    const i = firstDifference(got[k], want[k]);
    if (i < 0) continue;
    const name = names[k] ?? `output ${k}`;
    stats.mismatches.push(
      stats.mismatches.length < 20 ? `${label}: ${name}[${i}] is ${got[k][i]}, expected ${want[k][i]}` : label,
    );
  }
}

// An env batch of n rows, seeded and reset: { config, state, tasks, elapsed, rng, obs, dims }.
function envBatch(raw, n) {
  const config = new Int32Array(raw);
  const dims = new Int32Array(5);
  addon.envDims(config, dims);
  const [sd, od, , td] = dims;
  const tasks = new Float32Array(td * n);
  if (td > 0) addon.envSampleTasks(config, key(), tasks);
  const rng = new Uint32Array(4 * n);
  addon.envSeed(key(), rng);
  const env = { config, state: new Float32Array(sd * n), tasks, elapsed: new Int32Array(n), rng };
  env.obs = new Float32Array(od * n);
  addon.envReset(config, env.state, tasks, env.elapsed, rng, env.obs);
  return { ...env, dims };
}

// ---- Async jobs: each returns { label, start(): { promise, outputs }, reference(): outputs, names }.
const ROLLOUT_OUTPUTS = [
  'state',
  'elapsed',
  'rng',
  'obs',
  'obsStats',
  'trajObs',
  'actions',
  'logProbs',
  'heads',
  'values',
  'rewards',
  'terminated',
  'truncated',
  'finalValues',
  'lastValues',
  'episodeReturn',
  'episodeLength',
  'doneReturn',
  'doneLength',
];
const ROLLOUT_VARIANTS = [
  { label: 'rollout cartpole head', config: [0, 40, 0, 0], n: 9, steps: 60, valueMode: 'head' },
  { label: 'rollout cartpole threaded', config: [0, 30, 0, 0], n: 300, steps: 24, valueMode: 'separate', stats: true },
  {
    label: 'rollout pendulum gaussian',
    config: [4, 8, 0, 0],
    n: 70,
    steps: 20,
    valueMode: 'none',
    box: true,
    heads: true,
    stats: true,
  },
  { label: 'rollout navigation2d', config: [7, 15, 0, 0], n: 5, steps: 25, valueMode: 'separate', heads: true },
  { label: 'rollout tabular mdp', config: [6, 10, 4, 3], n: 6, steps: 20, valueMode: 'head', heads: true },
];
function rolloutJob(v) {
  const env = envBatch(v.config, v.n);
  const [, od, ad, , disc] = env.dims;
  const k = disc > 0 ? disc : ad;
  const N = v.n;
  const TN = v.steps * N;
  const policySizes = new Int32Array([od, 16, k + (v.valueMode === 'head' ? 1 : 0)]);
  const valueSizes = new Int32Array([od, 8, 1]);
  const obsStats = new Float64Array(v.stats ? 1 + 2 * od : 0);
  if (v.stats) {
    obsStats[0] = 1e-4;
    obsStats.fill(1, 1 + od);
  }
  const base = {
    config: env.config,
    state: env.state,
    tasks: env.tasks,
    elapsed: env.elapsed,
    rng: env.rng,
    obs: env.obs,
    steps: v.steps,
    key: key(),
    counter: randInt(1e6),
    policySizes,
    policyHidden: randInt(7),
    policyParams: floats(paramCount(policySizes), -0.5, 0.5),
    logStd: floats(disc > 0 ? 0 : ad, -1, 0),
    valueMode: v.valueMode,
    valueSizes,
    valueHidden: 1,
    valueParams: floats(paramCount(valueSizes), -0.5, 0.5),
    actionLow: new Float32Array(v.box ? ad : 0).fill(-1),
    actionHigh: new Float32Array(v.box ? ad : 0).fill(1),
    obsStats,
    clipObs: 5,
    trajObs: new Float32Array(TN * od),
    actions: disc > 0 ? new Int32Array(TN) : new Float32Array(TN * ad),
    logProbs: new Float32Array(TN),
    heads: new Float32Array(v.heads ? TN * k : 0),
    values: new Float32Array(TN),
    rewards: new Float32Array(TN),
    terminated: new Uint8Array(TN),
    truncated: new Uint8Array(TN),
    finalValues: new Float32Array(TN),
    lastValues: new Float32Array(N),
    episodeReturn: new Float32Array(N),
    episodeLength: new Int32Array(N),
    doneReturn: new Float32Array(TN),
    doneLength: new Int32Array(TN),
  };
  const fresh = () => Object.fromEntries(Object.entries(base).map(([name, a]) => [name, copy(a)]));
  return {
    label: v.label,
    names: ROLLOUT_OUTPUTS,
    start() {
      // Only the frozen object (held by the addon) references the inputs once this returns.
      const args = Object.freeze(fresh());
      return { promise: addon.rolloutRunAsync(args), outputs: ROLLOUT_OUTPUTS.map((n) => args[n]) };
    },
    reference() {
      const args = fresh();
      addon.rolloutRun(args);
      return ROLLOUT_OUTPUTS.map((n) => args[n]);
    },
  };
}

const POPULATION_VARIANTS = [
  { label: 'population cartpole', config: [0, 200, 0, 0], members: 24, envs: 3, maxSteps: 200, common: true },
  { label: 'population pendulum', config: [4, 50, 0, 0], members: 5, envs: 2, maxSteps: 50, common: false },
  { label: 'population bandit', config: [5, 10, 6, 0], members: 7, envs: 4, maxSteps: 10, common: false },
];
function populationJob(v) {
  const dims = new Int32Array(5);
  const config = new Int32Array(v.config);
  addon.envDims(config, dims);
  const [, od, ad, td, disc] = dims;
  const sizes = new Int32Array([od, 8, disc > 0 ? disc : ad]);
  const params = floats(v.members * paramCount(sizes), -0.8, 0.8);
  const tasks = new Float32Array(td * v.envs);
  if (td > 0) addon.envSampleTasks(config, key(), tasks);
  const k = key();
  const scalars = {
    hidden: randInt(7),
    output: 0,
    envsPerMember: v.envs,
    maxSteps: v.maxSteps,
    commonEnvSeeds: v.common,
  };
  const outputs = () => [new Float64Array(v.members), new Int32Array(v.members), new Float32Array(v.members * od)];
  const call = (fn, out) => fn(copy(config), copy(sizes), copy(params), copy(k), copy(tasks), ...out, { ...scalars });
  return {
    label: v.label,
    names: ['returns', 'lengths', 'descriptors'],
    start() {
      const out = outputs();
      return { promise: call(addon.esRolloutPoliciesAsync, out), outputs: out };
    },
    reference() {
      const out = outputs();
      call(addon.esRolloutPolicies, out);
      return out;
    },
  };
}

// 70001 floats: the fill splits over the native pool; 1 and 7: vector tails.
function randomJob(kind, n) {
  const k = key();
  const counter = randInt(2 ** 40);
  const sync = kind === 'uniform' ? addon.randomUniform : addon.randomNormal;
  const async = kind === 'uniform' ? addon.randomUniformAsync : addon.randomNormalAsync;
  return {
    label: `random ${kind} n=${n}`,
    names: ['out'],
    start() {
      const out = new Float32Array(n);
      return { promise: async(copy(k), counter, out), outputs: [out] };
    },
    reference() {
      const out = new Float32Array(n);
      sync(copy(k), counter, out);
      return [out];
    },
  };
}

function makeJobs() {
  const jobs = [];
  for (const v of ROLLOUT_VARIANTS) jobs.push(rolloutJob(v));
  for (const v of POPULATION_VARIANTS) jobs.push(populationJob(v));
  for (const n of [1, 7, 4097, 70001]) {
    jobs.push(randomJob('uniform', n));
    jobs.push(randomJob('normal', n));
  }
  return jobs;
}

// ---- Synchronous kernels interleaved with the async calls; each must repeat its first result.
function syncWork() {
  const work = [];
  {
    // A meta-gradient batch (MAML, second order): threads over tasks on the native pool.
    const sizes = new Int32Array([2, 12, 1]);
    const P = paramCount(sizes);
    const T = 6;
    const args = [
      sizes,
      floats(P, -0.5, 0.5),
      new Float32Array([0.05]),
      floats(T * 5 * 2),
      floats(T * 5),
      floats(T * 4 * 2),
      floats(T * 4),
    ];
    const scalars = {
      hidden: 1,
      output: 0,
      loss: 'mse',
      steps: 2,
      lambda: 0,
      tasks: T,
      supportRows: 5,
      queryRows: 4,
      mode: 'secondOrder',
      cgSteps: 0,
    };
    work.push({
      label: 'metaGradBatch',
      run() {
        const grad = new Float32Array(P);
        const post = new Float32Array(T);
        addon.metaGradBatch(...args, grad, null, null, post, scalars);
        return [grad, post];
      },
    });
  }
  {
    // Env steps of a fresh batch (4097 rows: threaded), a fixed action sequence.
    const raw = [1, 20, 0, 0];
    const n = 4097;
    const actions = Array.from({ length: 6 }, () => Int32Array.from({ length: n }, () => randInt(3)));
    const seedKey = key();
    work.push({
      label: 'envStep acrobot',
      run() {
        const config = new Int32Array(raw);
        const dims = new Int32Array(5);
        addon.envDims(config, dims);
        const [sd, od] = dims;
        const st = new Float32Array(sd * n);
        const el = new Int32Array(n);
        const rng = new Uint32Array(4 * n);
        const obs = new Float32Array(od * n);
        const fin = new Float32Array(od * n);
        const rew = new Float32Array(n);
        const te = new Uint8Array(n);
        const tr = new Uint8Array(n);
        addon.envSeed(copy(seedKey), rng);
        addon.envReset(config, st, new Float32Array(0), el, rng, obs);
        for (const a of actions) addon.envStep(config, st, new Float32Array(0), el, rng, a, obs, rew, te, tr, fin);
        return [st, obs, fin, rew, te, tr, rng];
      },
    });
  }
  {
    const T = 16;
    const N = 300;
    const inputs = [
      floats(T * N),
      floats(T * N),
      Uint8Array.from({ length: T * N }, () => (rand() < 0.05 ? 1 : 0)),
      Uint8Array.from({ length: T * N }, () => (rand() < 0.05 ? 1 : 0)),
      floats(T * N),
      floats(N),
    ];
    work.push({
      label: 'gae',
      run() {
        const adv = new Float32Array(T * N);
        const ret = new Float32Array(T * N);
        addon.gae(...inputs, adv, ret, { gamma: 0.99, lambda: 0.95 });
        return [adv, ret];
      },
    });
  }
  return work;
}

const jobs = makeJobs();
// The reference of every job once, up front (they are also recomputed inside the rounds).
const references = jobs.map((j) => j.reference());
const work = syncWork();
const firstSync = work.map((w) => w.run());

for (let round = 0; round < rounds; round++) {
  // A different subset and order of jobs each round; some jobs twice at once.
  const batch = [];
  for (let i = 0; i < 12; i++) batch.push(randInt(jobs.length));
  const pending = batch.map((j) => {
    const { promise, outputs } = jobs[j].start();
    stats.asyncCalls++;
    return { j, outputs, promise };
  });
  // While they run: synchronous references, other synchronous kernels, GCs and garbage.
  for (const { j } of pending.slice(0, 3)) {
    compare(`${jobs[j].label} (sync reference, round ${round})`, jobs[j].names, jobs[j].reference(), references[j]);
    stats.syncCalls++;
    gc();
    garbage();
  }
  const w = round % work.length;
  compare(`${work[w].label} (sync, round ${round})`, [], work[w].run(), firstSync[w]);
  stats.syncCalls++;
  gc();
  const settled = await Promise.allSettled(pending.map((p) => p.promise));
  gc();
  garbage();
  settled.forEach((s, i) => {
    const { j, outputs } = pending[i];
    if (s.status === 'rejected') stats.mismatches.push(`${jobs[j].label}: rejected: ${s.reason}`);
    else compare(`${jobs[j].label} (async, round ${round})`, jobs[j].names, outputs, references[j]);
  });
}

process.stdout.write(`${JSON.stringify(stats)}\n`);
