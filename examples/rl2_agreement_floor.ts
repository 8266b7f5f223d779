// Where RL²'s agreement with the exact Bayes-optimal action stalls (issue 15, Mikulik et al. 2020).
// On a 2-armed Beta(1, 1) Bernoulli bandit the Bayes-optimal action is the argmax of the DP's
// Q-values; many decisions where it is unique are near-ties (Q-gap ≪ the return's noise), which a
// policy trained from sampled returns cannot resolve. This script measures
//   1. the Q-gap distribution of the unique-Bayes decisions along the Bayes agent's own trajectories;
//   2. a calibration: the agreement and reward lost of "noisy Bayes" agents, argmax(Q + σ·N(0, 1));
//   3. for saved RL² parameters (examples/rl2_bandits.ts --save P): agreement of the sampled and of
//      the greedy action binned by Q-gap and by pull, the mean probability RL² puts on the Bayes
//      action, and the mean KL(π_Bayes ‖ π_RL²) with π_Bayes uniform over tied arms (Mikulik et al.'s
//      behavioural dissimilarity is a KL between the agents' action distributions).
//
//   npx tsx examples/rl2_agreement_floor.ts [--trials 20000] [/tmp/rl2w/k2n25_h48-seed0.json …]
import { readFileSync } from 'node:fs';
import { metaRl } from '../src/index.js';
import { inputSize } from '../src/metarl/rl2/inputs.js';
import { rl2Model } from '../src/metarl/rl2/model.js';
import { rl2Policy } from '../src/metarl/rl2/policy.js';
import { Rng } from '../src/metarl/rng.js';
import { key } from '../src/random/index.js';

const args = process.argv.slice(2);
const ti = args.indexOf('--trials');
const trials = ti >= 0 ? Number(args[ti + 1]) : 20000;
const files = args.filter((a, i) => a.endsWith('.json') && args[i - 1] !== '--trials');
const ARMS = 2;
const PULLS = 25;
const GAP_BINS = [1e-3, 1e-2, 0.02, 0.05, 0.1, Number.POSITIVE_INFINITY];
const TIE = 1e-9;

/** A decision-maker over one batch of trials in lockstep: returns every row's arm at pull t. */
type Chooser = (
  t: number,
  s: Int32Array,
  f: Int32Array,
  q: Float64Array[],
  out: Int32Array,
  probBayes: Float64Array,
) => void;

interface Tally {
  total: number;
  agree: number;
  agreeGreedy: number;
  pBayes: number;
  kl: number;
  qLoss: number;
  reward: number;
  byGap: { n: number; miss: number }[];
  byPull: { n: number; miss: number }[];
  /** per belief state "s0/f0 s1/f1": visits, misses of the sampled action, and the Bayes Q-gap */
  byState: Map<string, { n: number; miss: number; gap: number }>;
}

const newTally = (): Tally => ({
  total: 0,
  agree: 0,
  agreeGreedy: 0,
  pBayes: 0,
  kl: 0,
  qLoss: 0,
  reward: 0,
  byGap: GAP_BINS.map(() => ({ n: 0, miss: 0 })),
  byPull: Array.from({ length: PULLS }, () => ({ n: 0, miss: 0 })),
  byState: new Map(),
});

// Plays `trials` trials (rows of 1000) with `choose`; `greedyOut`/`probs` come back from the chooser.
function play(choose: Chooser, seed: number, probsOf?: (row: number) => [number, number]): Tally {
  const dp = new metaRl.BetaBernoulliDp(ARMS, PULLS, 1, 1);
  const rng = new Rng(key(seed));
  const tally = newTally();
  const rows = 1000;
  const q = Array.from({ length: rows }, () => new Float64Array(ARMS));
  const out = new Int32Array(rows);
  const greedy = new Float64Array(rows);
  for (let done = 0; done < trials; done += rows) {
    const p = Float64Array.from({ length: rows * ARMS }, () => rng.uniform());
    const s = new Int32Array(rows * ARMS);
    const f = new Int32Array(rows * ARMS);
    for (let t = 0; t < PULLS; t++) {
      for (let r = 0; r < rows; r++)
        dp.qValues(s.subarray(r * ARMS, r * ARMS + ARMS), f.subarray(r * ARMS, r * ARMS + ARMS), q[r] as Float64Array);
      choose(t, s, f, q, out, greedy);
      for (let r = 0; r < rows; r++) {
        const qr = q[r] as Float64Array;
        const a = out[r] as number;
        const best = Math.max(qr[0] as number, qr[1] as number);
        const gap = Math.abs((qr[0] as number) - (qr[1] as number));
        tally.qLoss += best - (qr[a] as number);
        const bayes = (qr[0] as number) >= (qr[1] as number) ? 0 : 1;
        if (probsOf) {
          const pr = probsOf(r);
          // π_Bayes: uniform over tied arms, else all mass on the unique argmax.
          if (gap <= TIE) tally.kl += -Math.log(2) - 0.5 * (Math.log(pr[0]) + Math.log(pr[1]));
          else tally.kl += -Math.log(Math.max(pr[bayes], 1e-300));
        }
        if (gap > TIE) {
          tally.total++;
          const hit = a === bayes;
          if (hit) tally.agree++;
          if (greedy[r] === bayes) tally.agreeGreedy++;
          if (probsOf) tally.pBayes += (probsOf(r) as [number, number])[bayes];
          const bin = GAP_BINS.findIndex((g) => gap < g);
          const gb = tally.byGap[bin] as { n: number; miss: number };
          gb.n++;
          const pb = tally.byPull[t] as { n: number; miss: number };
          pb.n++;
          const id = `${s[r * ARMS]}/${f[r * ARMS]} ${s[r * ARMS + 1]}/${f[r * ARMS + 1]}`;
          let st = tally.byState.get(id);
          if (st === undefined) {
            st = { n: 0, miss: 0, gap };
            tally.byState.set(id, st);
          }
          st.n++;
          if (!hit) {
            gb.miss++;
            pb.miss++;
            st.miss++;
          }
        }
        const win = rng.uniform() < (p[r * ARMS + a] as number);
        tally.reward += win ? 1 : 0;
        const j = r * ARMS + a;
        if (win) s[j] = (s[j] as number) + 1;
        else f[j] = (f[j] as number) + 1;
      }
    }
  }
  return tally;
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(2)}%`;
function report(name: string, t: Tally, withProbs: boolean): void {
  const decisions = trials * PULLS;
  console.log(
    `${name}: reward ${(t.reward / trials).toFixed(3)}, unique-Bayes decisions ${pct(t.total, decisions)} of all, agreement ${pct(t.agree, t.total)}` +
      (withProbs
        ? ` (greedy ${pct(t.agreeGreedy, t.total)}), mean π(a_Bayes) ${(t.pBayes / t.total).toFixed(4)}, KL(π_Bayes‖π) ${(t.kl / decisions).toFixed(4)} nats/decision`
        : '') +
      `, Q-loss/trial ${(t.qLoss / trials).toFixed(4)}`,
  );
  let lo = 0;
  const bins = t.byGap.map((b, i) => {
    const hi = GAP_BINS[i] as number;
    const s = `[${lo}, ${hi}): ${pct(b.n, t.total)} of decisions, agree ${pct(b.n - b.miss, b.n)}`;
    lo = hi;
    return s;
  });
  console.log(`  by Q-gap: ${bins.join('; ')}`);
  const misses = t.byPull.reduce((a, b) => a + b.miss, 0);
  console.log(
    `  share of misses by pull: ${t.byPull.map((b) => ((100 * b.miss) / Math.max(1, misses)).toFixed(0)).join(' ')}`,
  );
  if (!withProbs) return;
  // Whether the misses are a few systematic belief states (bias) or spread thin (noise).
  const top = [...t.byState.entries()].sort((a, b) => b[1].miss - a[1].miss).slice(0, 12);
  console.log(
    `  top belief states by misses (successes/failures per arm: visits, missed, Q-gap): ${top
      .map(([id, v]) => `${id}: ${v.n}, ${pct(v.miss, v.n)}, ${v.gap.toFixed(4)}`)
      .join('; ')}`,
  );
}

console.log(`# 2-armed Beta(1, 1) bandit, ${PULLS} pulls, ${trials} trials; Bayes action unique iff |Q₀ − Q₁| > 1e-9`);
const bayes = play((_t, _s, _f, q, out, g) => {
  for (let r = 0; r < out.length; r++) {
    const qr = q[r] as Float64Array;
    out[r] = (qr[0] as number) >= (qr[1] as number) ? 0 : 1;
    g[r] = out[r] as number;
  }
}, 1);
report('bayes-optimal', bayes, false);
for (const sigma of [0.005, 0.01, 0.02, 0.03, 0.05, 0.1]) {
  const noise = new Rng(key(7));
  const t = play((_t, _s, _f, q, out, g) => {
    for (let r = 0; r < out.length; r++) {
      const qr = q[r] as Float64Array;
      const z0 = (qr[0] as number) + sigma * noise.normal();
      const z1 = (qr[1] as number) + sigma * noise.normal();
      out[r] = z0 >= z1 ? 0 : 1;
      g[r] = out[r] as number;
    }
  }, 1);
  report(`noisy Bayes σ=${sigma}`, t, false);
}

for (const file of files) {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    arms: number;
    pulls: number;
    hidden: number;
    params: number[];
  };
  if (saved.arms !== ARMS || saved.pulls !== PULLS) throw new RangeError(`${file}: expected a 2-arm, 25-pull policy`);
  const model = rl2Model(inputSize(ARMS + 1, ARMS), saved.hidden, ARMS);
  const policy = rl2Policy(model, Float32Array.from(saved.params), {
    env: 'Bandit-v0',
    obsDim: ARMS + 1,
    actions: ARMS,
    episodeLength: PULLS,
    episodesPerTrial: 1,
  });
  const runner = policy.runner(1000);
  const actRng = new Rng(key(99));
  const obs = new Float32Array(1000 * (ARMS + 1));
  const prev = new Int32Array(1000);
  const prevS = new Int32Array(1000 * ARMS);
  const t = play(
    (t, s, _f, _q, out, g) => {
      if (t === 0) {
        runner.reset();
        obs.fill(0);
        prevS.fill(0);
      } else {
        const rew = new Float64Array(1000);
        for (let r = 0; r < 1000; r++) {
          const a = prev[r] as number;
          // The reward of the last pull: did arm a's success count go up?
          rew[r] = (s[r * ARMS + a] as number) > (prevS[r * ARMS + a] as number) ? 1 : 0;
          obs.fill(0, r * (ARMS + 1), (r + 1) * (ARMS + 1));
          obs[r * (ARMS + 1) + a] = 1;
          obs[r * (ARMS + 1) + ARMS] = rew[r] as number;
        }
        runner.observe(prev, rew, new Uint8Array(1000));
        prevS.set(s);
      }
      runner.act(obs, actRng, out);
      for (let r = 0; r < 1000; r++) {
        g[r] = (runner.probs[r * ARMS] as number) >= (runner.probs[r * ARMS + 1] as number) ? 0 : 1;
        prev[r] = out[r] as number;
      }
    },
    1,
    (r) => [runner.probs[r * ARMS] as number, runner.probs[r * ARMS + 1] as number],
  );
  report(`rl2 ${file}`, t, true);
}
