// iMAML as in the paper on sine (issue 19): meta.imaml({ innerSolver: 'gd' }) — plain GD on the
// proximal objective, implicit meta-gradient by bilevel CG — next to second-order MAML from the
// same init on the same task stream, both evaluated by the SAME plain SGD steps (lr 0.01) on the
// same 600 held-out tasks. The loop is GradientLearner.train's (imamlGdBatch + optim.adam), with
// diagnostics train() does not expose: every `--every` iterations the top |eigenvalue| (signed
// Rayleigh quotient) of task 0's support-loss Hessian at θ, the meta-gradient norm, and tasks
// whose plain inner loop diverged (innerLr·(sharpness + λ) > 2 is the GD stability limit).
//
// With `--eval-every E` iMAML is also evaluated every E iterations (a long run reports what it
// reached even when stopped); `--only imaml|maml` trains one learner (run the two in parallel).
//
//   npx tsx examples/imaml_sine.ts [--iterations 10000] [--seed 0] [--lambda 2] [--inner-steps 10]
//                                  [--cg-steps 5] [--inner-lr 0.01] [--every 250] [--eval-every 0]
//                                  [--only imaml|maml]
import { meta, nn, optim } from '../src/index.js';
import { imamlGdBatch } from '../src/meta/imaml_gd.js';
import { fold, key } from '../src/random/index.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('iterations', 10_000);
const seed = opt('seed', 0);
const lambda = opt('lambda', 2);
const innerSteps = opt('inner-steps', 10);
const cgSteps = opt('cg-steps', 5);
const innerLr = opt('inner-lr', 0.01);
const every = opt('every', 250);
const evalEvery = opt('eval-every', 0);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const sizes = [1, 40, 40, 1];
const model = { sizes, activation: 'relu' as const };
const tasks = meta.tasks.sine();
const init = meta.truncatedNormalInit(sizes, key(seed), 0.01);
const net = nn.mlp({ sizes, activation: 'relu' });
const taskKey = fold(key(seed), 0x7461736b);

/** Signed Rayleigh quotient of power iteration on task 0's support-loss Hessian at θ. */
function sharpness(theta: Float32Array, b: meta.TaskBatch): number {
  const x = b.supportX.subarray(0, b.supportRows);
  const loss = nn.loss.mse((b.supportY as Float32Array).subarray(0, b.supportRows));
  let v: Float32Array = Float32Array.from({ length: theta.length }, (_, i) => Math.sin(1 + i));
  let rq = 0;
  for (let k = 0; k < 30; k++) {
    let n = 0;
    for (const a of v) n += a * a;
    n = Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
    const hv = net.hvp(theta, x, b.supportRows, loss, v);
    rq = 0;
    for (let i = 0; i < v.length; i++) rq += (v[i] as number) * (hv[i] as number);
    v = hv;
  }
  return rq;
}

const ev = { tasks, count: 600, shots: 10, queries: 100, steps: 10, seed: 424242 };
const imaml = meta.imaml({ model, innerLr, innerSteps, lambda, cgSteps, innerSolver: 'gd' });
const row = (name: string, r: meta.EvaluateResult) => {
  let worse = 0;
  for (let t = 0; t < r.count; t++) if (!((r.losses[t * 11 + 10] as number) <= (r.losses[t * 11] as number))) worse++;
  return {
    learner: name,
    mse0: Number(r.mean[0]?.toFixed(3)),
    mse1: `${r.mean[1]?.toFixed(3)} ± ${r.ci95[1]?.toFixed(3)}`,
    mse10: `${r.mean[10]?.toFixed(3)} ± ${r.ci95[10]?.toFixed(3)}`,
    median10: Number(r.median[10]?.toFixed(3)),
    worse,
  };
};
const params = init.slice();
const adam = optim.adam({ lr: 1e-3 });
const state = adam.init(params);
const grad = new Float32Array(params.length);
const pre = new Float32Array(25);
const post = new Float32Array(25);
let divergedTasks = 0;
let firstDiverged = -1;
const t0 = performance.now();
for (let it = 0; it < N; it++) {
  const b = tasks.sample(fold(taskKey, it % 2 ** 32), 25, 10, 10);
  const r = imamlGdBatch(
    net,
    params,
    b,
    { lambda, steps: innerSteps, lr: innerLr, cgSteps, loss: 'mse' },
    grad,
    pre,
    post,
  );
  if (r.diverged > 0) {
    divergedTasks += r.diverged;
    if (firstDiverged < 0) firstDiverged = it;
  }
  if (it % every === 0 || it === N - 1) {
    let gn = 0;
    for (const g of grad) gn += g * g;
    let sp = 0;
    let sq = 0;
    let fin = 0;
    for (let t = 0; t < 25; t++) {
      sp += pre[t] as number;
      if (Number.isFinite(post[t])) {
        sq += post[t] as number;
        fin++;
      }
    }
    const s = sharpness(params, b);
    console.log(
      JSON.stringify({
        it,
        pre: Number((sp / 25).toFixed(3)),
        post: Number((sq / Math.max(fin, 1)).toFixed(3)),
        gradNorm: Number(Math.sqrt(gn).toExponential(2)),
        sharpness0: Number(s.toFixed(1)),
        gdLimit: Number((2 / innerLr - lambda).toFixed(1)),
        divergedSoFar: divergedTasks,
        s: Number(((performance.now() - t0) / 1000).toFixed(0)),
      }),
    );
  }
  adam.step(params, grad, state);
  if (evalEvery > 0 && (it + 1) % evalEvery === 0 && it + 1 < N)
    console.log(JSON.stringify({ at: it + 1, ...row('imaml-gd', imaml.evaluate(params, ev)) }));
  if (only === 'maml') break;
}
const trainSeconds = (performance.now() - t0) / 1000;

// Same init, same stream, same budget: second-order MAML (1 inner step at 0.01).
const maml = meta.maml({ model, loss: 'mse', innerLr: 0.01, innerSteps: 1 });
const mamlParams =
  only === 'imaml'
    ? undefined
    : await maml.train({ tasks, iterations: N, metaBatch: 25, shots: 10, queries: 10, seed, init });
console.log(
  JSON.stringify({
    iterations: N,
    seed,
    lambda,
    innerSteps,
    cgSteps,
    innerLr,
    trainSeconds: Number(trainSeconds.toFixed(0)),
    divergedTasks,
    firstDiverged,
  }),
);
if (only !== 'maml') console.log(JSON.stringify(row('imaml-gd', imaml.evaluate(params, ev))));
if (mamlParams) console.log(JSON.stringify(row('maml', maml.evaluate(mamlParams, ev))));
