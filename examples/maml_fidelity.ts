// MAML fidelity (issue 19): our second-order MAML on sine against the PyTorch reference
// scripts/reference/maml_sine_torch.py from the SAME initialization on the SAME task stream.
//
//   npx tsx examples/maml_fidelity.ts --seed 3 --iterations 5000 --out /tmp/maml_fid
//   /usr/bin/python3 scripts/reference/maml_sine_torch.py /tmp/maml_fid
//
// This side writes (little-endian float32 unless noted) into --out:
//   meta.json        settings (Finn et al.: 1-40-40-1 ReLU, K = 10 support + 10 query, meta-batch 25,
//                    1 inner SGD step at 0.01, Adam 1e-3; Finn's truncated-normal init, std 0.01)
//   init.f32         θ_0, exactly what meta_sine_results.ts trains from
//   stream.f32       per iteration: supportX, supportY, queryX, queryY [25·10 each] — the batches
//                    GradientLearner.train draws (fold(fold(key(seed), 'task'), it))
//   eval.f32         100 held-out tasks (evaluate()'s tasks for seed 424242): per task 10 support
//                    x, 10 support y, 100 query x, 100 query y
//   ours_loss.f32    per iteration: mean query loss before and after the inner step [N × 2]
//   ours_grad.f32    per checkpoint: the meta-gradient at that iteration [C × P]
//   ours_params.f32  per checkpoint: θ before that iteration's update [C × P]; the last row is θ_N
// The loop below is GradientLearner.train's (one metaGradBatch kernel call and one optim.adam
// step per iteration); it is checked against train() itself before anything is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backend, meta, optim } from '../src/index.js';
import { metaKernels } from '../src/meta/kernels.js';
import { fold, key } from '../src/random/index.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const seed = Number(opt('seed', '3'));
const N = Number(opt('iterations', '5000'));
const out = opt('out', '/tmp/maml_fid');
const sizes = [1, 40, 40, 1];
const B = 25;
const K = 10;
const innerLr = 0.01;
const metaLr = 1e-3;
// Checkpoints: every iteration for the first 10, then a geometric ladder, then N (θ_N only).
const ckpts = [...new Set([0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 70000])]
  .filter((c) => c < N)
  .concat([N]);

mkdirSync(out, { recursive: true });
const model = { sizes, activation: 'relu' as const };
const tasks = meta.tasks.sine();
const init = meta.truncatedNormalInit(sizes, key(seed), 0.01);
const P = init.length;
const taskKey = fold(key(seed), 0x7461736b);
const batchAt = (it: number) => tasks.sample(fold(taskKey, it % 2 ** 32), B, K, K);

// The held-out tasks of evaluate() (first 100 of its 600: the sampler draws per task, so they are a prefix).
const ev = tasks.sample(fold(key(424242), 0x6576616c), 100, K, 100);
const evBuf = new Float32Array(100 * (2 * K + 200));
for (let t = 0; t < 100; t++) {
  const o = t * (2 * K + 200);
  evBuf.set(ev.supportX.subarray(t * K, (t + 1) * K), o);
  evBuf.set(ev.supportY.subarray(t * K, (t + 1) * K), o + K);
  evBuf.set(ev.queryX.subarray(t * 100, (t + 1) * 100), o + 2 * K);
  evBuf.set(ev.queryY.subarray(t * 100, (t + 1) * 100), o + 2 * K + 100);
}

const k = metaKernels();
const sizesI = Int32Array.from(sizes);
const lrs = new Float32Array([innerLr]);
const adam = optim.adam({ lr: metaLr });
const params = init.slice();
const state = adam.init(params);
const grad = new Float32Array(P);
const pre = new Float32Array(B);
const post = new Float32Array(B);
const scalars = {
  hidden: 2,
  output: 0,
  loss: 'mse' as const,
  steps: 1,
  lambda: 0,
  tasks: B,
  supportRows: K,
  queryRows: K,
  mode: 'secondOrder' as const,
  cgSteps: 0,
};
// Activation codes as the learner resolves them (relu hidden, identity output).
const probe = meta.maml({ model, loss: 'mse', innerLr, innerSteps: 1 }) as unknown as {
  hidden: number;
  output: number;
};
scalars.hidden = probe.hidden;
scalars.output = probe.output;

const stream = new Float32Array(N * 4 * B * K);
const losses = new Float32Array(N * 2);
const ckGrad = new Float32Array((ckpts.length - 1) * P);
const ckParams = new Float32Array(ckpts.length * P);
const t0 = performance.now();
for (let it = 0; it < N; it++) {
  const b = batchAt(it);
  const s = it * 4 * B * K;
  stream.set(b.supportX, s);
  stream.set(b.supportY as Float32Array, s + B * K);
  stream.set(b.queryX, s + 2 * B * K);
  stream.set(b.queryY as Float32Array, s + 3 * B * K);
  k.metaGradBatch(sizesI, params, lrs, b.supportX, b.supportY, b.queryX, b.queryY, grad, null, pre, post, scalars);
  let sp = 0;
  let sq = 0;
  for (let t = 0; t < B; t++) {
    sp += pre[t] as number;
    sq += post[t] as number;
  }
  losses[2 * it] = sp / B;
  losses[2 * it + 1] = sq / B;
  const c = ckpts.indexOf(it);
  if (c >= 0) {
    ckParams.set(params, c * P);
    ckGrad.set(grad, c * P);
  }
  adam.step(params, grad, state);
}
ckParams.set(params, (ckpts.length - 1) * P);
const seconds = (performance.now() - t0) / 1000;

// The loop must be train()'s: the same θ_N bit for bit.
const learner = meta.maml({ model, loss: 'mse', innerLr, innerSteps: 1, optimizer: optim.adam({ lr: metaLr }) });
const trained = await learner.train({ tasks, iterations: N, metaBatch: B, shots: K, queries: K, seed, init });
let same = true;
for (let i = 0; i < P; i++) if (trained[i] !== params[i]) same = false;
if (!same) throw new Error('the exported loop differs from GradientLearner.train');

const f32 = (name: string, a: Float32Array) =>
  writeFileSync(join(out, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
f32('init.f32', init);
f32('stream.f32', stream);
f32('eval.f32', evBuf);
f32('ours_loss.f32', losses);
f32('ours_grad.f32', ckGrad);
f32('ours_params.f32', ckParams);
const r = learner.evaluate(params, { tasks, count: 100, shots: K, queries: 100, steps: 10, seed: 424242 });
const info = {
  seed,
  iterations: N,
  sizes,
  metaBatch: B,
  shots: K,
  queries: K,
  innerLr,
  metaLr,
  checkpoints: ckpts,
  P,
  backend: backend.current(),
  seconds: Number(seconds.toFixed(1)),
  oursEval100: [0, 1, 10].map((j) => Number(r.mean[j]?.toFixed(4))),
};
writeFileSync(join(out, 'meta.json'), JSON.stringify(info, null, 1));
console.log(JSON.stringify(info));
