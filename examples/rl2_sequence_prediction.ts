// Sequence prediction (Ortega et al. 2019; Mikulik et al. 2020; issue 15): a GRU meta-trained by
// log-loss on coin-flip sequences with p ~ Beta(α, β) should predict like the Bayes predictor
// (n₁ + α)/(t + α + β). Reports the per-step KL(Bayes ‖ GRU) on held-out sequences (target < 0.01
// nats on average) for a few priors.
//
//   nice -n 10 npx tsx examples/rl2_sequence_prediction.ts [--iterations 2000] [--seeds 2]
import { metaRl } from '../src/index.js';
import { flag } from './flags.js';

const iterations = flag('iterations', 2000);
const seeds = flag('seeds', 2);
const length = flag('length', 20);
const hidden = flag('hidden', 32);
const priors = [
  { alpha: 1, beta: 1 },
  { alpha: 0.5, beta: 0.5 },
  { alpha: 2, beta: 5 },
];
console.log(
  `# GRU(${hidden}) predictor vs Bayes, ${length} flips, ${iterations} Adam steps of 128 sequences, 2000 held-out`,
);
console.log('| prior | seed | mean KL (nats) | KL at t = 0, 1, 5, 10, last | log-loss GRU | log-loss Bayes |');
console.log('|---|---|---|---|---|---|');
for (const prior of priors) {
  for (let seed = 0; seed < seeds; seed++) {
    const r = await metaRl.sequencePrediction({ prior, length, hidden, iterations, seed });
    const k = r.heldOut.klPerStep;
    const at = [0, 1, 5, 10, length - 1].map((t) => (k[t] ?? Number.NaN).toExponential(1)).join(', ');
    console.log(
      `| Beta(${prior.alpha}, ${prior.beta}) | ${seed} | ${r.heldOut.meanKl.toExponential(2)} | ${at} | ${r.heldOut.logLoss.toFixed(4)} | ${r.heldOut.bayesLogLoss.toFixed(4)} |`,
    );
  }
}
