// "Gradient Descent Happens in a Tiny Subspace" (Gur-Ari, Roberts, Dyer 2018) on the spirals MLP
// (4 classes, 512 points). Training: minibatch SGD (batch 64, momentum 0.9, lr 0.1), or with --full-batch
// full-batch SGD with momentum 0.9, lr 0.3. Every 25 steps, Lanczos on exact full-batch HVPs gives
// the top-k Hessian eigenvectors (k = 4 = classes); we record the fraction of the gradient inside
// them ‖P_k g‖²/‖g‖² (g the full-batch gradient; f_mb for the minibatch gradient of the step), the
// same for the top k−1 and for a random k-dimensional subspace (≈ k/n), and the subspace overlap
// ‖V_tᵀV_ref‖²/k with the subspace at step 100 and with the previous checkpoint. 5 seeds
// (mean ± 95% CI at a few steps); curve of seed 0 as SVG.
//
//   nice -n 10 npx tsx examples/curvature_subspace.ts [--full-batch]
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeLineChart } from '../src/cli/plot.js';
import { nn, optim, random } from '../src/index.js';
import { classification, meanCi } from './curvature_harness.js';

const FULL = process.argv.includes('--full-batch');
const [STEPS, EVERY, REF, SEEDS, MB] = [FULL ? 600 : 1200, 25, 100, 5, 64];
const task = classification();
const { net, x, batch, loss } = task;
const k = task.classes as number;

function randomFrame(seed: number): Float32Array[] {
  // Gram-Schmidt on Gaussian vectors.
  const out: Float32Array[] = [];
  for (let i = 0; i < k; i++) {
    const v = Float64Array.from(random.normal(random.key(seed * 100 + i), net.size));
    for (const u of out) {
      let d = 0;
      for (let j = 0; j < v.length; j++) d += (v[j] as number) * (u[j] as number);
      for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) - d * (u[j] as number);
    }
    let n = 0;
    for (const a of v) n += a * a;
    out.push(Float32Array.from(v, (a) => a / Math.sqrt(n)));
  }
  return out;
}

interface Row {
  step: number;
  loss: number;
  top: number;
  topMinus1: number;
  minibatch: number;
  random: number;
  overlapRef: number;
  overlapPrev: number;
  lambda1: number;
}

const all: Row[][] = [];
for (let seed = 0; seed < SEEDS; seed++) {
  const params = net.init(seed);
  const opt = optim.momentum({ lr: FULL ? 0.3 : 0.1 });
  const mbGrad = new Float32Array(net.size);
  const order = Array.from({ length: batch }, (_, i) => i);
  const shuffle = random.uniform(random.key(1000 + seed), STEPS * 8);
  const labels = task.labels as Int32Array;
  const st = opt.init(params);
  const grad = new Float32Array(net.size);
  const rand = randomFrame(seed + 1);
  let ref: Float32Array[] | undefined;
  let prev: Float32Array[] | undefined;
  const rows: Row[] = [];
  for (let t = 0; t <= STEPS; t++) {
    const value = net.gradInto(params, x, batch, loss, grad);
    // The step's minibatch: MB rows of a reshuffled order (a fresh permutation each epoch).
    let stepGrad = grad;
    if (!FULL) {
      const epochStart = (t * MB) % batch;
      if (epochStart === 0)
        for (let i = batch - 1; i > 0; i--) {
          const j = Math.floor((shuffle[(t * 8 + i) % shuffle.length] as number) * (i + 1));
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
      const rows = order.slice(epochStart, epochStart + MB);
      const xb = new Float32Array(MB * 2);
      rows.forEach((r, i) => {
        xb.set(x.subarray(r * 2, r * 2 + 2), i * 2);
      });
      const lb = Int32Array.from(rows, (r) => labels[r] as number);
      net.gradInto(params, xb, MB, nn.loss.crossEntropy(lb, k), mbGrad);
      stepGrad = mbGrad;
    }
    if (t % EVERY === 0) {
      const r = nn.curvature.analyze({ net, params, x, batch, loss }, { k, iterations: 40, seed });
      if (t === REF) ref = r.vectors;
      rows.push({
        step: t,
        loss: value,
        top: r.gradientFraction,
        topMinus1: nn.curvature.gradientFraction(r.vectors.slice(0, k - 1), grad),
        minibatch: nn.curvature.gradientFraction(r.vectors, stepGrad),
        random: nn.curvature.gradientFraction(rand, grad),
        overlapRef: ref ? nn.curvature.subspaceOverlap(ref, r.vectors) : Number.NaN,
        overlapPrev: prev ? nn.curvature.subspaceOverlap(prev, r.vectors) : Number.NaN,
        lambda1: r.values[0] as number,
      });
      prev = r.vectors;
    }
    opt.step(params, stepGrad, st);
  }
  all.push(rows);
  process.stderr.write(`seed ${seed}: final loss ${rows[rows.length - 1]?.loss.toFixed(4)}\n`);
}

const lines = [
  `k = ${k}, ${net.size} params (random k-subspace expectation k/n = ${(k / net.size).toExponential(1)})`,
  `${FULL ? 'full-batch momentum SGD' : `minibatch momentum SGD (batch ${MB}, lr 0.1)`}: k = ${k}, ${net.size} params`,
  '| step | loss | f_top(k) | f_mb(k) | f_top(k−1) | f_random(k) | overlap with step 100 | overlap with previous | λ₁ |',
  '|---|---|---|---|---|---|---|---|---|',
];
const fmt = (xs: number[], d = 3) => {
  const [m, c] = meanCi(xs.filter((v) => Number.isFinite(v)));
  return Number.isFinite(m) ? `${m.toFixed(d)} ± ${c.toFixed(d)}` : '—';
};
for (const step of FULL ? [0, 25, 50, 100, 200, 300, 400, 500, 600] : [0, 50, 100, 200, 400, 600, 800, 1000, 1200]) {
  const at = all.map((rows) => rows.find((r) => r.step === step) as Row);
  lines.push(
    `| ${step} | ${fmt(at.map((r) => r.loss))} | ${fmt(at.map((r) => r.top))} | ${fmt(at.map((r) => r.minibatch))} | ${fmt(at.map((r) => r.topMinus1))} | ${fmt(
      at.map((r) => r.random),
      4,
    )} | ${fmt(at.map((r) => r.overlapRef))} | ${fmt(at.map((r) => r.overlapPrev))} | ${fmt(
      at.map((r) => r.lambda1),
      2,
    )} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
const out = 'runs/curvature';
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/subspace${FULL ? '_full' : ''}.json`, JSON.stringify(all, null, 1));
await writeLineChart(
  `${out}/subspace_fraction${FULL ? '_full' : ''}.svg`,
  all[0] as unknown as Record<string, unknown>[],
  {
    x: 'step',
    y: ['top', 'minibatch', 'topMinus1', 'random', 'overlapRef'],
    title: `gradient fraction in the top-${k} Hessian subspace (spirals MLP, seed 0)`,
    yTitle: 'fraction / overlap',
  },
);
