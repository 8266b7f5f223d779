// Bayes-optimal agents as fixed points of meta-training (Mikulik et al. 2020, issue 15): distil
// the RL² network (the same GRU and heads `metaRl.rl2` trains) into the exact Bayes-optimal agent
// of the 2-armed Beta(1, 1) bandit by supervised learning on the Bayes agent's own trajectories —
// cross-entropy to the Bayes action (uniform over tied arms) and squared error to the DP value —
// then save the parameters so that RL² meta-training can start from them and show whether its
// behaviour drifts away from Bayes:
//
//   npx tsx examples/rl2_fixed_point.ts --steps 3000 --out /tmp/bayes-distilled.json
//   npx tsx examples/rl2_agreement_floor.ts /tmp/bayes-distilled.json          # agreement before
//   npx tsx examples/rl2_bandits.ts --arms 2 --pulls 25 --hidden 48 --init /tmp/bayes-distilled.json \
//     --steps 5000000 --batch 256 --lr 1e-3 --ent 0 --lambda 0.5 --save /tmp/fp   # after meta-training
import { writeFileSync } from 'node:fs';
import { metaRl } from '../src/index.js';
import { inputSize, writeInput } from '../src/metarl/rl2/inputs.js';
import { rl2Model } from '../src/metarl/rl2/model.js';
import { Rng } from '../src/metarl/rng.js';
import { chain } from '../src/optim/chain.js';
import { adam } from '../src/optim/rules/adam.js';
import { clipByGlobalNorm } from '../src/optim/transforms.js';
import { key } from '../src/random/index.js';
import { flag, textFlag } from './flags.js';

const out = textFlag('out') ?? '/tmp/bayes-distilled.json';
const ARMS = 2;
const PULLS = flag('pulls', 25);
const hidden = flag('hidden', 48);
const steps = flag('steps', 4000);
const batch = flag('batch', 256);
const lr = flag('lr', 1e-3);
const seed = flag('seed', 0);
// The value error (targets up to `PULLS`) is down-weighted so that it does not swamp the policy's
// cross-entropy in the shared GRU's gradient.
const vfCoef = flag('vf', 0.01);
const TIE = 1e-9;

const dp = new metaRl.BetaBernoulliDp(ARMS, PULLS, 1, 1);
const obsDim = ARMS + 1; // Bandit-v0's observation: one-hot last arm, last reward
const model = rl2Model(inputSize(obsDim, ARMS), hidden, ARMS);
const I = model.inputSize;
const params = model.init(seed);
const opt = chain(clipByGlobalNorm(5), adam({ lr: (c) => lr * (1 - (0.9 * c) / steps) }));
const state = opt.init(params);
const rng = new Rng(key(seed + 1));

const n = PULLS * batch;
const xs = new Float64Array(n * I);
const target = new Float64Array(n * ARMS);
const valueTarget = new Float64Array(n);
const grads = new Float32Array(model.size);
const dLogits = new Float64Array(n * ARMS);
const dValues = new Float64Array(n);
const s = new Int32Array(batch * ARMS);
const f = new Int32Array(batch * ARMS);
const p = new Float64Array(batch * ARMS);
const prevA = new Int32Array(batch);
const prevR = new Float64Array(batch);
const obs = new Float64Array(obsDim);
const q = new Float64Array(ARMS);

// One batch of Bayes-agent trials, step-major like the RL² trainer ([pull × trial] rows).
function sampleBatch(): void {
  s.fill(0);
  f.fill(0);
  for (let i = 0; i < p.length; i++) p[i] = rng.uniform();
  for (let t = 0; t < PULLS; t++)
    for (let r = 0; r < batch; r++) {
      obs.fill(0);
      if (t > 0) {
        obs[prevA[r] as number] = 1;
        obs[ARMS] = prevR[r] as number;
      }
      const row = t * batch + r;
      const first = t === 0;
      writeInput(
        xs,
        row * I,
        obs,
        0,
        obsDim,
        ARMS,
        first ? -1 : (prevA[r] as number),
        first ? 0 : (prevR[r] as number),
        0,
      );
      dp.qValues(s.subarray(r * ARMS, r * ARMS + ARMS), f.subarray(r * ARMS, r * ARMS + ARMS), q);
      const tie = Math.abs((q[0] as number) - (q[1] as number)) <= TIE;
      const best = (q[0] as number) >= (q[1] as number) ? 0 : 1;
      target[row * ARMS] = tie ? 0.5 : best === 0 ? 1 : 0;
      target[row * ARMS + 1] = tie ? 0.5 : best === 1 ? 1 : 0;
      valueTarget[row] = Math.max(q[0] as number, q[1] as number);
      const a = tie ? (rng.uniform() < 0.5 ? 0 : 1) : best;
      const win = rng.uniform() < (p[r * ARMS + a] as number);
      if (win) s[r * ARMS + a] = (s[r * ARMS + a] as number) + 1;
      else f[r * ARMS + a] = (f[r * ARMS + a] as number) + 1;
      prevA[r] = a;
      prevR[r] = win ? 1 : 0;
    }
}

const t0 = Date.now();
for (let it = 0; it < steps; it++) {
  sampleBatch();
  const fw = model.forward(params, xs, PULLS, batch);
  let ce = 0;
  let agree = 0;
  let decided = 0;
  let vErr = 0;
  for (let i = 0; i < n; i++) {
    const l0 = fw.logits[i * ARMS] as number;
    const l1 = fw.logits[i * ARMS + 1] as number;
    const m = Math.max(l0, l1);
    const lz = m + Math.log(Math.exp(l0 - m) + Math.exp(l1 - m));
    for (let a = 0; a < ARMS; a++) {
      const pa = Math.exp((fw.logits[i * ARMS + a] as number) - lz);
      const ta = target[i * ARMS + a] as number;
      dLogits[i * ARMS + a] = (pa - ta) / n;
      if (ta > 0) ce -= (ta * ((fw.logits[i * ARMS + a] as number) - lz)) / n;
    }
    if (target[i * ARMS] !== 0.5) {
      decided++;
      if ((l0 >= l1 ? 1 : 0) === target[i * ARMS]) agree++;
    }
    const dv = (fw.values[i] as number) - (valueTarget[i] as number);
    vErr += (dv * dv) / n;
    dValues[i] = (vfCoef * dv) / n;
  }
  const d = model.backward(params, fw, dLogits, dValues);
  for (let i = 0; i < d.length; i++) grads[i] = d[i] as number;
  opt.step(params, grads, state);
  if (it % 250 === 0 || it === steps - 1)
    console.log(
      `step ${it}: cross-entropy ${ce.toFixed(4)}, greedy agreement ${((100 * agree) / decided).toFixed(2)}%, value MSE ${vErr.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
}
writeFileSync(out, JSON.stringify({ arms: ARMS, pulls: PULLS, alpha: 1, beta: 1, hidden, params: Array.from(params) }));
console.log(`saved ${out}`);
