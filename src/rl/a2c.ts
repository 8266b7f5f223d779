/**
 * Synchronous Advantage Actor-Critic (A2C; Mnih et al. 2016, synchronous form), with
 * Stable-Baselines3's defaults: 8 envs × 5 steps per update, n-step returns (GAE with λ = 1),
 * one RMSprop step per rollout on −mean(log π(a|s)·A) − entCoef·H + vfCoef·½·mean((V − R)²),
 * global-norm clipping at 0.5. Built from the same collector, networks and kernels as PPO; the
 * policy objective is the vanilla policy gradient ('pg' in the objective kernel).
 *
 * @module
 */
import { getBackend } from '../backend/index.js';
import { type RlObjectiveOptions, RlPolicyStats } from '../backend/kernels/rl.js';
import { rmsprop } from '../optim/index.js';
import * as random from '../random/index.js';
import { type A2cConfig, resolveA2cConfig, type UpdateStats } from './config.js';
import { explainedVariance } from './minibatch.js';
import { ActorCriticWorkspace } from './model.js';
import { annealedLr, trainerOptimizer } from './optimizer.js';
import { finishTraining, type TrainResult, yieldToEventLoop } from './ppo.js';
import { TrainingSession } from './session.js';
import { setupTraining } from './setup.js';
import { checkResumedTotalSteps, loadTrainingState, mergeResumedConfig } from './train_state.js';

/**
 * Trains a policy with A2C; see A2cConfig for the options and their (SB3) defaults. With
 * `resume` it continues a saved run exactly where it stopped.
 */
export async function train(config: A2cConfig): Promise<TrainResult> {
  const fn = 'rl.a2c.train';
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  const resumed = config.resume === undefined ? undefined : await loadTrainingState(config.resume, fn);
  const c = resolveA2cConfig(resumed ? mergeResumedConfig(config, resumed, 'a2c', fn) : config);
  if (resumed) checkResumedTotalSteps(c, resumed, fn);
  const { env, policy, collector, collectKey } = setupTraining(c, 'a2c', {}, resumed);
  const b = getBackend();
  const model = policy.model;
  const params = policy.params;
  const action = model.spec.action;
  const batchSize = c.numEnvs * c.numSteps;
  const numUpdates = Math.max(1, Math.floor(c.totalSteps / batchSize));

  let lr = c.lr;
  const rms = rmsprop({ lr: () => lr, decay: c.rmsDecay, eps: c.rmsEps });
  const { opt, optState } = trainerOptimizer(rms, c, params, resumed);
  const session = new TrainingSession({ algo: 'a2c', config: c, policy, optState, env, collector }, batchSize, resumed);

  // The whole rollout is one batch.
  const ws = new ActorCriticWorkspace(model, batchSize, true);
  const grads = new Float32Array(model.size);
  const dLogStd = action.type === 'box' ? grads.subarray(model.logStdOffset, model.size) : new Float32Array(0);
  const none = new Float32Array(0);
  // clipEps only sets which ratios the reported clip fraction counts.
  const objective: RlObjectiveOptions = { objective: 'pg', clipEps: 0.2, entCoef: c.entCoef, normalizeAdv: c.normAdv };
  const pstats = new RlPolicyStats();

  const history: UpdateStats[] = [];
  let aborted = false;
  for (let update = session.update + 1; update <= numUpdates; update++) {
    if (c.signal?.aborted) {
      aborted = true;
      break;
    }
    lr = annealedLr(c, update, numUpdates);
    collector.collect(params, random.fold(collectKey, update));

    ws.forwardTape(params, collector.obs);
    if (action.type === 'discrete') {
      b.rlCategoricalObjective(
        ws.head,
        collector.actions as Int32Array,
        collector.logp,
        collector.advantages,
        none,
        ws.dHead,
        pstats,
        objective,
      );
    } else {
      b.rlGaussianObjective(
        ws.head,
        model.logStd(params),
        collector.actions as Float32Array,
        collector.logp,
        collector.advantages,
        none,
        none,
        ws.dHead,
        dLogStd,
        pstats,
        objective,
      );
    }
    const valueLoss = b.rlValueLoss(batchSize, ws.values, collector.values, collector.returns, 0, c.vfCoef, ws.dValues);
    ws.backward(params, collector.obs, grads);
    const gradNorm = Math.sqrt(b.sumSquares(grads));
    opt.step(params, grads, optState);

    const stats: UpdateStats = {
      update,
      steps: update * batchSize,
      seconds: session.elapsed(),
      meanReturn: collector.episodes.meanReturn(),
      meanLength: collector.episodes.meanLength(),
      episodes: collector.episodes.episodes,
      lr,
      policyLoss: pstats.policyLoss,
      valueLoss,
      entropy: pstats.entropy,
      approxKl: pstats.approxKl,
      clipFraction: pstats.clipFraction,
      klToOld: 0,
      gradNorm,
      explainedVariance: explainedVariance(collector.values, collector.returns),
    };
    history.push(stats);
    policy.info.steps = stats.steps;
    session.completed(update, stats.seconds);
    c.onUpdate?.(stats, policy, session);
    // Yielding every update costs ~5 µs × 12k updates; every 16th keeps Ctrl-C responsive.
    if (update % 16 === 0) await yieldToEventLoop();
  }
  return finishTraining(session, env, policy, history, aborted);
}
