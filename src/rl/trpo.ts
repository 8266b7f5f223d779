/**
 * Trust Region Policy Optimization (Schulman et al. 2015) with GAE advantages (Schulman et al.
 * 2016), in the single-path form of baselines' trpo_mpi and Stable-Baselines3-contrib's TRPO.
 * Each update:
 *   1. collect numSteps × numEnvs transitions with the current policy (the rollout collector PPO
 *      and A2C use), GAE advantages normalized over the batch;
 *   2. g = ∇ of the surrogate mean(r·Â) (+ entCoef·entropy) at θ_old w.r.t. the policy weights
 *      (actor and log-std; the critic is apart);
 *   3. the natural step: conjugate gradient (nn.cg) on (F + λI)s = g, F·v the exact Hessian of the
 *      mean KL(π_old‖π_θ) at θ_old (the actor's Gauss-Newton product nn.ggnvp plus the log-std
 *      block), scaled to ½Δᵀ(F + λI)Δ = maxKl;
 *   4. backtracking line search on θ_old + f·Δ: the first f with a positive surrogate gain and a
 *      measured mean KL ≤ maxKl is kept, otherwise θ_old;
 *   5. the critic regressed onto the GAE returns by vfEpochs × vfMinibatches Adam steps.
 * Collect keys, shuffles and the saved training state are PPO's, so runs resume bit-identically.
 *
 * @module
 */
import * as nn from '../nn/index.js';
import * as optim from '../optim/index.js';
import * as random from '../random/index.js';
import type { UpdateStats } from './config.js';
import { explainedVariance, gatherRows, permutation } from './minibatch.js';
import { annealedLr, trainerOptimizer } from './optimizer.js';
import { finishTraining, type TrainResult, yieldToEventLoop } from './ppo.js';
import { TrainingSession } from './session.js';
import { isContinuous, setupTraining } from './setup.js';
import { checkResumedTotalSteps, loadTrainingState, mergeResumedConfig } from './train_state.js';
import { resolveTrpoConfig, type TrpoConfig } from './trpo/config.js';
import type { SurrogateBatch } from './trpo/dist.js';
import { PolicyView } from './trpo/policy_view.js';
import { backtrack, naturalStep } from './trpo/step.js';

export type { TrpoConfig } from './trpo/config.js';
export { TRPO_CONTINUOUS_DEFAULTS, TRPO_DISCRETE_DEFAULTS, TRPO_OPTIONS } from './trpo/config.js';

/**
 * An update's statistics: PPO's fields (approxKl and klToOld both hold the measured mean
 * KL(π_old‖π_new) of the step taken, clipFraction is 0, lr and valueLoss are the critic's) plus
 * the natural step's and the line search's.
 */
export interface TrpoUpdateStats extends UpdateStats {
  /** The accepted fraction of the full step (0: every trial failed, the policy kept). */
  stepFraction: number;
  /** Line-search trials evaluated. */
  lineSearchTrials: number;
  /** Measured surrogate gain of the step taken. */
  surrogateGain: number;
  /** gᵀΔ: the gain the linear model predicts for the full step. */
  expectedGain: number;
  /** CG iterations run and the final residual ‖g − (F + λI)s‖. */
  cgIters: number;
  cgResidual: number;
}

/** What rl.trpo.train returns: PPO's result with TRPO's statistics. */
export interface TrpoTrainResult extends TrainResult {
  history: TrpoUpdateStats[];
}

/** Advantages as float64, normalized over the batch (unbiased std, + 1e-8) when asked. */
function batchAdvantages(adv: Float32Array, normalize: boolean, out: Float64Array): void {
  const n = adv.length;
  let m = 0;
  let inv = 1;
  if (normalize && n > 1) {
    let s = 0;
    for (let i = 0; i < n; i++) s += adv[i] as number;
    m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((adv[i] as number) - m) ** 2;
    inv = 1 / (Math.sqrt(ss / (n - 1)) + 1e-8);
  }
  for (let i = 0; i < n; i++) out[i] = ((adv[i] as number) - m) * inv;
}

const norm = (x: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
};

/**
 * Trains a policy with TRPO; see TrpoConfig for the options and their defaults. With `resume` it
 * continues a saved run exactly where it stopped. The policy evaluates with `rl.evaluate`.
 */
export async function train(config: TrpoConfig): Promise<TrpoTrainResult> {
  const fn = 'rl.trpo.train';
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  const resumed = config.resume === undefined ? undefined : await loadTrainingState(config.resume, fn);
  const given = resumed ? mergeResumedConfig(config, resumed, 'trpo', fn) : config;
  const c = resolveTrpoConfig(given, isContinuous(given.env));
  if (resumed) checkResumedTotalSteps(c, resumed, fn);
  const { env, policy, collector, collectKey, shuffleKey } = setupTraining(c, 'trpo', {}, resumed);
  const model = policy.model;
  const params = policy.params;
  const critic = model.critic;
  if (!critic) throw new RangeError(`${fn}: network: TRPO needs a separate critic`);
  const criticParams = model.criticParams(params) as Float32Array;
  const obsDim = model.spec.obsDim;
  const K = model.policyDim;

  const batchSize = c.numEnvs * c.numSteps;
  const numUpdates = Math.max(1, Math.floor(c.totalSteps / batchSize));
  const mbSize = Math.floor(batchSize / c.vfMinibatches);

  // The critic's optimizer; its state is what the checkpoint's optimizer section holds.
  let lr = c.lr;
  const { opt, optState } = trainerOptimizer(optim.adam({ lr: () => lr, eps: c.adamEps }), c, criticParams, resumed);
  const session = new TrainingSession(
    { algo: 'trpo', config: c, policy, optState, env, collector },
    batchSize,
    resumed,
  );

  const view = new PolicyView(model, batchSize);
  const dist = view.dist;
  const oldHeads = new Float32Array(batchSize * K);
  const newHeads = new Float32Array(batchSize * K);
  const oldLogStd = new Float32Array(view.logStdSize);
  const base = new Float32Array(view.size);
  const g = new Float32Array(view.size);
  const batch: SurrogateBatch = {
    n: batchSize,
    actions: collector.actions,
    logpOld: new Float64Array(batchSize),
    adv: new Float64Array(batchSize),
    entCoef: c.entCoef,
  };
  // Value regression buffers; the mse loss reads mbReturns as refilled per minibatch.
  const order = new Int32Array(batchSize);
  const mbObs = new Float32Array(mbSize * obsDim);
  const mbReturns = new Float32Array(mbSize);
  const vfLoss = nn.loss.mse(mbReturns);
  const vfGrad = new Float32Array(critic.mlp.size);

  const history: TrpoUpdateStats[] = [];
  let aborted = false;
  for (let update = session.update + 1; update <= numUpdates; update++) {
    if (c.signal?.aborted) {
      aborted = true;
      break;
    }
    lr = annealedLr(c, update, numUpdates);
    collector.collect(params, random.fold(collectKey, update));
    const obs = collector.obs;

    // The old policy, recomputed here so the ratio is exactly 1 at θ_old.
    view.gather(params, base);
    oldLogStd.set(model.logStd(params));
    batchAdvantages(collector.advantages, c.normAdv, batch.adv);
    view.heads(params, obs, batchSize, oldHeads);
    dist.logProb(oldHeads, oldLogStd, collector.actions, batchSize, batch.logpOld);
    const before = view.gradient(params, obs, batch, newHeads, g);

    const fvp = (v: Float32Array, out: Float32Array) => view.fvp(params, obs, batchSize, oldHeads, v, out);
    const ns = naturalStep(g, fvp, { maxKl: c.maxKl, cgIters: c.cgIters, cgDamping: c.cgDamping });
    const ls = backtrack(
      (f) => {
        view.setFrom(params, base, ns.step, f);
        view.heads(params, obs, batchSize, newHeads);
        const logStd = model.logStd(params);
        const after = dist.surrogate(newHeads, logStd, batch);
        return { gain: after.value - before.value, kl: dist.meanKl(oldHeads, oldLogStd, newHeads, logStd, batchSize) };
      },
      { maxKl: c.maxKl, steps: c.lineSearchSteps, ratio: c.lineSearchRatio },
    );
    // The accepted step, or exactly θ_old (even when the step held NaN).
    if (ls.fraction > 0) view.setFrom(params, base, ns.step, ls.fraction);
    else view.scatter(params, base);

    // The critic, regressed onto the GAE returns: vfCoef·½·mean((V − R)²) per minibatch.
    let valueLoss = 0;
    let n = 0;
    for (let epoch = 0; epoch < c.vfEpochs; epoch++) {
      permutation(random.fold(shuffleKey, (update * 1009 + epoch) >>> 0), batchSize, order);
      for (let m = 0; m < c.vfMinibatches; m++) {
        gatherRows(obs, obsDim, order, m * mbSize, mbSize, mbObs);
        gatherRows(collector.returns, 1, order, m * mbSize, mbSize, mbReturns);
        const mse = critic.mlp.gradInto(criticParams, mbObs, mbSize, vfLoss, vfGrad);
        const scale = 0.5 * c.vfCoef;
        for (let i = 0; i < vfGrad.length; i++) vfGrad[i] = (vfGrad[i] as number) * scale;
        opt.step(criticParams, vfGrad, optState);
        valueLoss += scale * mse;
        n++;
      }
    }

    const stats: TrpoUpdateStats = {
      update,
      steps: update * batchSize,
      seconds: session.elapsed(),
      meanReturn: collector.episodes.meanReturn(),
      meanLength: collector.episodes.meanLength(),
      episodes: collector.episodes.episodes,
      lr,
      policyLoss: -(before.value + ls.gain),
      valueLoss: valueLoss / n,
      entropy: before.entropy,
      approxKl: ls.kl,
      clipFraction: 0,
      klToOld: ls.kl,
      gradNorm: norm(g),
      explainedVariance: explainedVariance(collector.values, collector.returns),
      stepFraction: ls.fraction,
      lineSearchTrials: ls.trials,
      surrogateGain: ls.gain,
      expectedGain: ns.expectedGain,
      cgIters: ns.cgIters,
      cgResidual: ns.cgResidual,
    };
    history.push(stats);
    policy.info.steps = stats.steps;
    session.completed(update, stats.seconds);
    c.onUpdate?.(stats, policy, session);
    await yieldToEventLoop();
  }
  return { ...finishTraining(session, env, policy, history, aborted), history };
}
