// metaRl.sequencePrediction: memory-based meta-learning of a sequential predictor (Ortega et al.
// 2019; Mikulik et al. 2020). A GRU reads coin flips x_1, x_2, … of a coin p ~ Beta(α, β) drawn
// per sequence and is trained by log-loss to predict the next flip; its prediction is compared,
// step by step, with the Bayes predictor P(x_{t+1} = 1 | x_1..t) = (n₁ + α)/(t + α + β).
// The input at step t is [x_{t−1}, 1 if t > 0]: zeros at the first step.
import { gru as makeGru } from '../nn/gru.js';
import { chain } from '../optim/chain.js';
import { adam } from '../optim/rules/adam.js';
import { clipByGlobalNorm } from '../optim/transforms.js';
import { key as makeKey, split, uniform } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { checkPrior } from './baselines.js';
import { Rng } from './rng.js';
import type { BetaPrior } from './types.js';

/** Options of `sequencePrediction`. */
export interface SequencePredictionOptions {
  /** Prior of the coin (default Beta(1, 1)). */
  prior?: BetaPrior;
  /** Flips per sequence (default 20). */
  length?: number;
  /** GRU units (default 32). */
  hidden?: number;
  /** Sequences per Adam step (default 128). */
  batch?: number;
  /** Adam steps (default 2000). */
  iterations?: number;
  /** Adam step size, annealed linearly to lr / 10 (default 3e-3). */
  lr?: number;
  /** Held-out sequences for the comparison with the Bayes predictor (default 2000). */
  heldOut?: number;
  /** Seed of the initial parameters, training and held-out data (default 0). */
  seed?: number;
  /** Called every 100 steps with the mean training log-loss of the last 100. */
  onUpdate?: (u: { iteration: number; logLoss: number }) => void;
}

/** The comparison of a predictor with the Bayes predictor on held-out sequences. */
export interface PredictorComparison {
  /** Mean over sequences and steps of KL(Bayes ‖ predictor) in nats. */
  meanKl: number;
  /** Mean KL at every step t = 0 … length − 1. */
  klPerStep: Float64Array;
  /** Mean log-loss per flip of the predictor and of the Bayes predictor (nats). */
  logLoss: number;
  bayesLogLoss: number;
}

/** The result of `sequencePrediction`. */
export interface SequencePredictionResult {
  /** GRU parameters, then the read-out weights [hidden] and bias. */
  params: Float32Array;
  history: { iteration: number; logLoss: number }[];
  heldOut: PredictorComparison;
  /** P(x_t = 1 | x_<t) for `flips` [n × length] (0/1), as [n × length]. */
  predict(flips: ArrayLike<number>, n: number): Float64Array;
}

/** KL(q ‖ p) between Bernoulli(q) and Bernoulli(p), in nats. */
export function bernoulliKl(q: number, p: number): number {
  const a = q > 0 ? q * Math.log(q / p) : 0;
  const b = q < 1 ? (1 - q) * Math.log((1 - q) / (1 - p)) : 0;
  return a + b;
}

/** The Bayes predictions (n₁ + α)/(t + α + β) for `flips` [n × length]. */
export function bayesPredictions(flips: ArrayLike<number>, n: number, length: number, prior: BetaPrior): Float64Array {
  const out = new Float64Array(n * length);
  for (let s = 0; s < n; s++) {
    let ones = 0;
    for (let t = 0; t < length; t++) {
      out[s * length + t] = (ones + prior.alpha) / (t + prior.alpha + prior.beta);
      ones += flips[s * length + t] as number;
    }
  }
  return out;
}

function sampleFlips(rng: Rng, n: number, length: number, prior: BetaPrior): Uint8Array {
  const flips = new Uint8Array(n * length);
  for (let s = 0; s < n; s++) {
    const p = rng.beta(prior.alpha, prior.beta);
    for (let t = 0; t < length; t++) flips[s * length + t] = rng.uniform() < p ? 1 : 0;
  }
  return flips;
}

/**
 * Meta-trains a GRU predictor on Beta-Bernoulli sequences and compares it with the Bayes predictor.
 *
 * ```ts
 * const r = await metaRl.sequencePrediction({ prior: { alpha: 1, beta: 1 }, length: 20, seed: 0 });
 * r.heldOut.meanKl; // nats per step
 * ```
 */
export async function sequencePrediction(options: SequencePredictionOptions = {}): Promise<SequencePredictionResult> {
  checkKnownKeys(
    options,
    ['prior', 'length', 'hidden', 'batch', 'iterations', 'lr', 'heldOut', 'seed', 'onUpdate'],
    'options',
  );
  if (options.prior !== undefined) checkPrior(options.prior, 'options.prior');
  const prior = options.prior ?? { alpha: 1, beta: 1 };
  const T = options.length ?? 20;
  const H = options.hidden ?? 32;
  const B = options.batch ?? 128;
  const iterations = options.iterations ?? 2000;
  const lr = options.lr ?? 3e-3;
  const nHeld = options.heldOut ?? 2000;
  const seed = options.seed ?? 0;
  checkInteger(T, 'options.length', 1, 1 << 16);
  checkInteger(H, 'options.hidden', 1, 4096);
  checkInteger(B, 'options.batch', 1, 1 << 20);
  checkInteger(iterations, 'options.iterations', 0, 1 << 30);
  checkRange(lr, 'options.lr', 0, 10);
  checkInteger(nHeld, 'options.heldOut', 1, 1 << 24);
  checkInteger(seed, 'options.seed', 0, 2 ** 32 - 1);
  if (options.onUpdate !== undefined && typeof options.onUpdate !== 'function')
    throw new TypeError('options.onUpdate: expected a function');

  const g = makeGru({ inputSize: 2, hiddenSize: H });
  const size = g.size + H + 1;
  const [initKey, dataKey, heldKey] = split(makeKey(seed), 3) as [Uint32Array, Uint32Array, Uint32Array];
  const params = new Float32Array(size);
  params.set(g.init(initKey[0] as number));
  const u = uniform(initKey, H);
  for (let k = 0; k < H; k++) params[g.size + k] = ((2 * (u[k] as number) - 1) * 0.1) / Math.sqrt(H);

  // Time-major inputs of n sequences: row (t, s) = [x_{t−1}, t > 0].
  function inputs(flips: ArrayLike<number>, n: number): Float64Array {
    const xs = new Float64Array(T * n * 2);
    for (let t = 1; t < T; t++)
      for (let s = 0; s < n; s++) {
        xs[(t * n + s) * 2] = flips[s * T + t - 1] as number;
        xs[(t * n + s) * 2 + 1] = 1;
      }
    return xs;
  }

  // Logits [n × T] (sequence-major) and the forward pass.
  function forward(p: Float32Array, flips: ArrayLike<number>, n: number) {
    const f = g.forward(p.subarray(0, g.size), { xs: inputs(flips, n), steps: T, batch: n });
    const logits = new Float64Array(n * T);
    for (let t = 0; t < T; t++)
      for (let s = 0; s < n; s++) {
        let z = p[size - 1] as number;
        for (let k = 0; k < H; k++) z += (p[g.size + k] as number) * (f.hs[(t * n + s) * H + k] as number);
        logits[s * T + t] = z;
      }
    return { f, logits };
  }

  const opt = chain(clipByGlobalNorm(1), adam({ lr: (c) => lr * (1 - (0.9 * c) / Math.max(1, iterations)) }));
  const state = opt.init(params);
  const rng = new Rng(dataKey);
  const grads = new Float32Array(size);
  const history: { iteration: number; logLoss: number }[] = [];
  let acc = 0;
  for (let it = 0; it < iterations; it++) {
    const flips = sampleFlips(rng, B, T, prior);
    const { f, logits } = forward(params, flips, B);
    const dHs = new Float64Array(T * B * H);
    grads.fill(0);
    let loss = 0;
    for (let t = 0; t < T; t++)
      for (let s = 0; s < B; s++) {
        const z = logits[s * T + t] as number;
        const x = flips[s * T + t] as number;
        // log-loss of a Bernoulli with logit z: softplus(z) − x z; d/dz = σ(z) − x
        loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - x * z;
        const dz = (1 / (1 + Math.exp(-z)) - x) / (B * T);
        grads[size - 1] = (grads[size - 1] as number) + dz;
        for (let k = 0; k < H; k++) {
          const row = (t * B + s) * H + k;
          grads[g.size + k] = (grads[g.size + k] as number) + dz * (f.hs[row] as number);
          dHs[row] = dz * (params[g.size + k] as number);
        }
      }
    const dg = g.backward(params.subarray(0, g.size), f, dHs).dParams;
    for (let i = 0; i < g.size; i++) grads[i] = dg[i] as number;
    opt.step(params, grads, state);
    acc += loss / (B * T);
    if ((it + 1) % 100 === 0) {
      const rec = { iteration: it + 1, logLoss: acc / 100 };
      history.push(rec);
      options.onUpdate?.(rec);
      acc = 0;
    }
  }

  const finalParams = params.slice();
  function predict(flips: ArrayLike<number>, n: number): Float64Array {
    checkInteger(n, 'n', 1);
    if (flips.length !== n * T) throw new RangeError(`flips: expected length ${n * T}, got ${flips.length}`);
    const { logits } = forward(finalParams, flips, n);
    return logits.map((z) => 1 / (1 + Math.exp(-z)));
  }

  const held = sampleFlips(new Rng(heldKey), nHeld, T, prior);
  const p = predict(held, nHeld);
  const q = bayesPredictions(held, nHeld, T, prior);
  const klPerStep = new Float64Array(T);
  let ll = 0;
  let bll = 0;
  for (let s = 0; s < nHeld; s++)
    for (let t = 0; t < T; t++) {
      const i = s * T + t;
      const x = held[i] as number;
      klPerStep[t] = (klPerStep[t] as number) + bernoulliKl(q[i] as number, p[i] as number) / nHeld;
      ll -= Math.log(x ? (p[i] as number) : 1 - (p[i] as number));
      bll -= Math.log(x ? (q[i] as number) : 1 - (q[i] as number));
    }
  const meanKl = klPerStep.reduce((a, b) => a + b, 0) / T;
  return {
    params: finalParams,
    history,
    heldOut: { meanKl, klPerStep, logLoss: ll / (nHeld * T), bayesLogLoss: bll / (nHeld * T) },
    predict,
  };
}
