// Bias and variance of multi-step meta-gradient estimators (Bonnet et al. 2021, "One Step at a
// Time") on Catch-v0: from one fixed agent state θ_0 (an A2C agent after `--warmup` steps), each
// trial collects fresh rollouts and takes L SGD inner updates (γ 0.9, λ 0.8, entropy 0.01 learned),
// giving the k-step meta-gradients dJ'(θ_k)/dη for k = 1 … L and the uniform mixture
// (1/L) Σ_k J'(θ_k) in one backward pass. The reference "true" L-step meta-gradient is the mean
// of the L-step estimator over `--reference` independent trials; each estimator's bias is
// ‖E[ĝ] − g_ref‖ and its variance tr Cov[ĝ], from `--trials` other trials.
//   nice -n 10 npx tsx examples/metagrad_mixing.ts [--trials 200] [--reference 1000] [--L 3]
import * as envs from '../src/envs/index.js';
import { backprop, type InnerStep, innerUpdate, outerGradient, sgd } from '../src/metarl/metagrad/meta_gradient.js';
import { type MetaName, MetaSpace } from '../src/metarl/metagrad/meta_params.js';
import { AgentNets } from '../src/metarl/metagrad/nets.js';
import { collect, EpisodeLog } from '../src/metarl/metagrad/rollout.js';
import * as random from '../src/random/index.js';
import { arg } from './metagrad_harness.js';

const L = Number(arg('L', '3'));
const trials = Number(arg('trials', '200'));
const reference = Number(arg('reference', '1000'));
const warmup = Number(arg('warmup', '8000'));
const NAMES: MetaName[] = ['gamma', 'lambda', 'entropy'];
const space = new MetaSpace(NAMES, { gamma: 0.9, lambda: 0.8, entropy: 0.01, value: 0.5, lr: 0.5 });
const slopes = { names: NAMES, slopes: NAMES.map((_n, j) => space.slope(j)) };
const REF = { gamma: 0.99, lambda: 1, entropy: 0, value: 0 };
const nets = new AgentNets(50, 3, [32], 0);

// θ_0: plain SGD actor-critic for `warmup` steps
const theta0 = nets.init(random.key(0));
{
  const env = envs.make('Catch-v0', { numEnvs: 16, seed: 0 });
  const log = new EpisodeLog(16);
  for (let u = 0; u * 160 < warmup; u++) {
    const roll = collect(nets, theta0, [], env, 10, random.fold(random.key(1), u), log);
    innerUpdate(nets, theta0, roll, space.hyper(), [], slopes, sgd);
  }
  console.log(`θ_0 after ${warmup} steps: mean return of the last 100 episodes ${log.meanReturn().toFixed(2)}`);
}

/** One trial from θ_0: the k-step meta-gradients (k = 1 … L) and the uniform mixture. */
function trial(seed: number): Float64Array[] {
  const env = envs.make('Catch-v0', { numEnvs: 16, seed: 10_000 + seed });
  const log = new EpisodeLog(16);
  const key = random.key(20_000 + seed);
  const theta = theta0.slice();
  let roll = collect(nets, theta, [], env, 10, random.fold(key, 0), log);
  const steps: InnerStep[] = [];
  const grads: Float32Array[] = [new Float32Array(nets.size)];
  for (let k = 0; k < L; k++) {
    steps.push(innerUpdate(nets, theta, roll, space.hyper(), [], slopes, sgd));
    roll = collect(nets, theta, [], env, 10, random.fold(key, k + 1), log);
    const g = new Float32Array(nets.size);
    outerGradient(nets, theta, roll, REF, [], g);
    grads.push(g);
  }
  const out = grads.slice(1).map((g, k) => backprop(steps.slice(0, k + 1), g, NAMES.length));
  const scaled = grads.map((g) => g.map((v) => v / L));
  out.push(backprop(steps, scaled[L] as Float32Array, NAMES.length, scaled.slice(0, L)));
  return out;
}

const refMean = new Float64Array(NAMES.length);
for (let s = 0; s < reference; s++) {
  const g = trial(s)[L - 1] as Float64Array;
  for (let j = 0; j < NAMES.length; j++) refMean[j] = (refMean[j] as number) + (g[j] as number) / reference;
}
const samples = Array.from({ length: trials }, (_, s) => trial(reference + s));
const labels = [...Array.from({ length: L }, (_, k) => `${k + 1}-step`), 'uniform mixture'];
console.log(
  `reference L-step meta-gradient (${reference} trials) d/d raw (${NAMES.join(', ')}): ${[...refMean].map((v) => v.toExponential(2)).join(', ')}`,
);
console.log(`estimator: bias ‖E ĝ − g_ref‖, std √tr Cov, rMSE (${trials} trials)`);
labels.forEach((label, e) => {
  const mean = new Float64Array(NAMES.length);
  for (const s of samples)
    for (let j = 0; j < NAMES.length; j++)
      mean[j] = (mean[j] as number) + ((s[e] as Float64Array)[j] as number) / trials;
  let bias2 = 0;
  let variance = 0;
  for (let j = 0; j < NAMES.length; j++) {
    bias2 += ((mean[j] as number) - (refMean[j] as number)) ** 2;
    for (const s of samples)
      variance += (((s[e] as Float64Array)[j] as number) - (mean[j] as number)) ** 2 / (trials - 1);
  }
  console.log(
    `  ${label.padEnd(16)} bias ${Math.sqrt(bias2).toExponential(2)}  std ${Math.sqrt(variance).toExponential(2)}  rMSE ${Math.sqrt(bias2 + variance).toExponential(2)}`,
  );
});
