// Why one MAML seed in five "diverges on 9 tasks" (issue 19): train second-order MAML on sine in
// Finn's setting (as examples/meta_sine_results.ts), adapt each of the 600 held-out tasks with 10
// plain SGD steps at α = 0.01, and measure the sharpness (top |eigenvalue| of the support-loss
// Hessian, power iteration on nn.mlp's exact HVPs) at θ and along the 10-step path. Plain GD on a
// task is unstable once the sharpness exceeds 2/α = 200: the script reports, per seed, the tasks
// that end worse than they started and the tasks whose path crosses 200, and their amplitudes.
//
//   npx tsx examples/maml_fidelity_sharpness.ts [--seeds 3] [--iterations 70000]
import { meta, nn } from '../src/index.js';
import { fold, key } from '../src/random/index.js';

const args = process.argv.slice(2);
const val = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const seeds = val('seeds', '3').split(',').map(Number);
const iterations = Number(val('iterations', '70000'));
const sizes = [1, 40, 40, 1];
const model = { sizes, activation: 'relu' as const };
const net = nn.mlp({ sizes, activation: 'relu' });
const tasks = meta.tasks.sine();
const alpha = 0.01;

function sharpness(theta: Float32Array, x: Float32Array, y: Float32Array): number {
  const loss = nn.loss.mse(y);
  let v: Float32Array = Float32Array.from({ length: theta.length }, (_, i) => Math.sin(1 + i));
  let rq = 0;
  for (let k = 0; k < 40; k++) {
    let n = 0;
    for (const a of v) n += a * a;
    n = Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
    const hv = net.hvp(theta, x, x.length, loss, v);
    rq = 0;
    for (let i = 0; i < v.length; i++) rq += (v[i] as number) * (hv[i] as number);
    v = hv;
  }
  return Math.abs(rq);
}

for (const seed of seeds) {
  const learner = meta.maml({ model, loss: 'mse', innerLr: alpha, innerSteps: 1 });
  const init = meta.truncatedNormalInit(sizes, key(seed), 0.01);
  const t0 = performance.now();
  const params = await learner.train({ tasks, iterations, metaBatch: 25, shots: 10, queries: 10, seed, init });
  const train = (performance.now() - t0) / 1000;
  const r = learner.evaluate(params, { tasks, count: 600, shots: 10, queries: 100, steps: 10, seed: 424242 });
  const b = tasks.sample(fold(key(424242), 0x6576616c), 600, 10, 100);
  const rows: { t: number; amp: number; s0: number; sMax: number; l0: number; l10: number }[] = [];
  for (let t = 0; t < 600; t++) {
    const x = b.supportX.subarray(t * 10, t * 10 + 10);
    const y = (b.supportY as Float32Array).subarray(t * 10, t * 10 + 10);
    let sMax = 0;
    let s0 = 0;
    for (let k = 0; k < 10; k++) {
      const phi = k === 0 ? params : learner.adapt(params, { x, y }, { steps: k, lr: alpha });
      if (!phi.every(Number.isFinite)) break;
      const s = sharpness(phi, x, y);
      if (k === 0) s0 = s;
      sMax = Math.max(sMax, s);
    }
    rows.push({
      t,
      amp: b.taskParams[2 * t] as number,
      s0,
      sMax,
      l0: r.losses[t * 11] as number,
      l10: r.losses[t * 11 + 10] as number,
    });
  }
  const worse = rows.filter((q) => !(q.l10 <= q.l0));
  const over = rows.filter((q) => q.sMax > 2 / alpha);
  const fmt = (q: (typeof rows)[number]) =>
    `task ${q.t}: A ${q.amp.toFixed(2)}, sharpness at θ ${q.s0.toFixed(0)}, max on path ${q.sMax.toFixed(0)}, loss ${q.l0.toFixed(2)} → ${q.l10.toPrecision(3)}`;
  const sorted = rows.map((q) => q.s0).sort((a, c) => a - c);
  console.log(
    JSON.stringify({
      seed,
      iterations,
      trainSeconds: Number(train.toFixed(0)),
      mse10: r.mean[10],
      median10: r.median[10],
      worse: worse.length,
      pathOver200: over.length,
      worseAndOver: worse.filter((q) => q.sMax > 2 / alpha).length,
      sharpnessAtTheta: {
        median: sorted[300]?.toFixed(0),
        p99: sorted[594]?.toFixed(0),
        max: sorted[599]?.toFixed(0),
      },
      meanAmpOver: over.length ? over.reduce((a, q) => a + q.amp, 0) / over.length : null,
    }),
  );
  for (const q of worse) console.log(`  worse: ${fmt(q)}`);
  for (const q of over.filter((z) => !worse.includes(z)).slice(0, 5)) console.log(`  over 200, not worse: ${fmt(q)}`);
}
