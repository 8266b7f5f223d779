/**
 * Proximal Policy Optimization (Schulman et al. 2017) with GAE, in the shape of CleanRL's ppo.py,
 * with a pluggable policy objective:
 *   'clip'  PPO's clipped surrogate;
 *   'dpo'   Discovered Policy Optimisation (Lu et al. 2022): r·A minus the closed-form drift
 *           (α = 2, β = 0.6 by default);
 *   'mdpo'  on-policy Mirror Descent Policy Optimization (Tomar et al. 2022): r·A minus
 *           (1/t_k)·KL(π‖π_old) with t_k annealed linearly over the K updates (mdpoKlCoef),
 *           optimized by the same epochs × minibatches of SGD steps.
 * Each update: collect numSteps × numEnvs transitions, compute GAE, then updateEpochs passes of
 * numMinibatches shuffled minibatches. The objective kernel returns the loss gradient w.r.t. the
 * network outputs; the MLP's backward pass turns it into the parameter gradient; one Adam step
 * (after global-norm clipping) updates actor, critic and log-std together.
 *
 * @module
 */
import { getBackend } from '../backend/index.js';
import { type RlObjectiveOptions, RlPolicyStats } from '../backend/kernels/rl.js';
import type { Checkpoint } from '../io/checkpoint.js';
import { saveCheckpoint } from '../io/checkpoint.js';
import {
  type LpoObjective,
  lpoKernelOptions,
  splitLpoObjective,
  type WithLpoObjective,
} from '../learned/drift_objective.js';
import * as optim from '../optim/index.js';
import * as random from '../random/index.js';
import { type PpoConfig, type Resolved, resolvePpoConfig, type UpdateStats } from './config.js';
import {
  CONSTRAINED_KEYS,
  type ConstrainedConfig,
  type ResolvedConstraints,
  resolveConstraints,
} from './constraints.js';
import { LagrangianPenalty, type LagrangianStats } from './lagrangian.js';
import { gatherRows, MinibatchSums, permutation } from './minibatch.js';
import { ActorCriticWorkspace } from './model.js';
import { annealedLr, trainerOptimizer } from './optimizer.js';
import type { Policy } from './policy.js';
import { type RecurrentPpoConfig, type RecurrentTrainResult, trainRecurrent } from './recurrent/train.js';
import { TrainingSession } from './session.js';
import { isContinuous, setupTraining } from './setup.js';
import { checkResumedTotalSteps, loadTrainingState, mergeResumedConfig } from './train_state.js';

/**
 * MDPO's KL coefficient 1/t_k for update `update` (1-based) of `numUpdates`: the step size
 * t_k = 1 − (k − 1)/K with k = update − 1 the number of updates done, as in the authors' on-policy
 * code (Tomar et al., `lr_now`), so t runs from 1 + 1/K down to 2/K and the penalty grows.
 */
export function mdpoKlCoef(update: number, numUpdates: number): number {
  return 1 / (1 - (update - 2) / numUpdates);
}

/** The objective kernel's options for a config: the objective with the coefficients it uses. */
function objectiveOptions(c: Resolved<PpoConfig>, lpo: LpoObjective | undefined): RlObjectiveOptions {
  const common = { clipEps: c.clipCoef, entCoef: c.entCoef, normalizeAdv: c.normAdv };
  if (c.objective === 'lpo') return lpoKernelOptions(lpo as LpoObjective, common);
  if (c.objective === 'dpo') return { objective: 'dpo', ...common, dpoAlpha: c.dpoAlpha, dpoBeta: c.dpoBeta };
  if (c.objective === 'mdpo') return { objective: 'mdpo', ...common, klCoef: 0 }; // set each update
  return { objective: c.objective, ...common };
}

/** What training returns. */
export interface TrainResult {
  policy: Policy;
  /** One entry per update trained by this call (a resumed run's continue its update numbering). */
  history: UpdateStats[];
  /** True when the AbortSignal stopped training early. */
  aborted: boolean;
  /**
   * The policy and the training state at the end of the last update: pass it (or a file saved
   * from it) as `resume` to go on training. `policy.save` writes the policy alone.
   */
  checkpoint: Checkpoint;
  /** Writes `checkpoint` to `path` atomically. */
  save(path: string): Promise<void>;
  /** Constrained runs only: per update, the cost rates and the multipliers its policy step used. */
  lagrangian?: LagrangianStats[];
}

/** The result of a run once its loop has ended: takes the final state, then closes the env. */
export function finishTraining(
  session: TrainingSession,
  env: { close(): void },
  policy: Policy,
  history: UpdateStats[],
  aborted: boolean,
): TrainResult {
  const checkpoint = session.finish();
  env.close();
  return { policy, history, aborted, checkpoint, save: (path: string) => saveCheckpoint(path, checkpoint) };
}

/** Lets timers, signal handlers and AbortSignals run between updates. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains a policy with PPO; see PpoConfig for the options and their (CleanRL) defaults. With
 * `resume` it continues a saved run exactly where it stopped.
 */
export function train(config: RecurrentPpoConfig): Promise<RecurrentTrainResult>;
export function train(config: WithLpoObjective<PpoConfig> & ConstrainedConfig): Promise<TrainResult>;
export async function train(
  config: (WithLpoObjective<PpoConfig> & ConstrainedConfig) | RecurrentPpoConfig,
): Promise<TrainResult | RecurrentTrainResult> {
  if (typeof config !== 'object' || config === null) throw new TypeError('rl.ppo.train: expected a config object');
  // A learned drift (objective: { drift, net }) is split off: the run resolves and saves objective 'lpo'.
  const { config: named, lpo } = splitLpoObjective(config as WithLpoObjective<PpoConfig>, 'rl.ppo.train');
  return trainNamed(named as PpoConfig & ConstrainedConfig, lpo);
}

async function trainNamed(
  config: PpoConfig & ConstrainedConfig,
  lpo: LpoObjective | undefined,
): Promise<TrainResult | RecurrentTrainResult> {
  const fn = 'rl.ppo.train';
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  // Constraints (Lagrangian PPO) are split off here; without them `config` goes on untouched.
  const constrained = CONSTRAINED_KEYS.some((k) => k in config);
  let lagrangianSpec: ResolvedConstraints | undefined;
  if (constrained) {
    lagrangianSpec = resolveConstraints(config, fn);
    if (config.resume !== undefined)
      throw new TypeError(`${fn}: resume: constrained runs cannot be resumed yet (the multipliers are not saved)`);
    const rest: Record<string, unknown> = { ...config };
    for (const k of CONSTRAINED_KEYS) delete rest[k];
    config = rest as unknown as PpoConfig;
  }
  const resumed = config.resume === undefined ? undefined : await loadTrainingState(config.resume, fn);
  const given = resumed ? mergeResumedConfig(config, resumed, 'ppo', fn) : config;
  const c = resolvePpoConfig(given, isContinuous(given.env));
  if (resumed) checkResumedTotalSteps(c, resumed, fn);
  if (c.recurrent !== undefined) {
    if (lagrangianSpec)
      throw new RangeError(`${fn}: recurrent: constraints are not available with a recurrent policy yet`);
    return trainRecurrent(c, objectiveOptions(c, lpo), mdpoKlCoef, resumed);
  }
  if (lagrangianSpec && c.normalizeObs)
    throw new RangeError(`${fn}: constraints: costs are computed from raw observations; set normalizeObs: false`);
  const { env, policy, collector, collectKey, shuffleKey } = setupTraining(
    c,
    'ppo',
    { objective: c.objective },
    resumed,
  );
  const b = getBackend();
  const model = policy.model;
  const params = policy.params;
  const action = model.spec.action;
  const K = model.policyDim;
  const actDim = action.type === 'box' ? action.dim : 1;

  const batchSize = c.numEnvs * c.numSteps;
  const numUpdates = Math.max(1, Math.floor(c.totalSteps / batchSize));
  const mbSize = Math.floor(batchSize / c.numMinibatches);

  // The learning rate is set once per update (CleanRL's linear annealing), read by Adam each step.
  let lr = c.lr;
  const { opt, optState } = trainerOptimizer(optim.adam({ lr: () => lr, eps: c.adamEps }), c, params, resumed);
  const session = new TrainingSession({ algo: 'ppo', config: c, policy, optState, env, collector }, batchSize, resumed);

  // Minibatch buffers, reused across the whole run.
  const ws = new ActorCriticWorkspace(model, mbSize, true);
  const grads = new Float32Array(model.size);
  const order = new Int32Array(batchSize);
  const mbObs = new Float32Array(mbSize * model.spec.obsDim);
  const mbActionsInt = new Int32Array(action.type === 'discrete' ? mbSize : 0);
  const mbActionsBox = new Float32Array(action.type === 'box' ? mbSize * actDim : 0);
  const mbLogp = new Float32Array(mbSize);
  const mbAdv = new Float32Array(mbSize);
  const mbReturns = new Float32Array(mbSize);
  const mbValues = new Float32Array(mbSize);
  const useOld = c.objective === 'mdpo';
  const mbOldHeads = new Float32Array(useOld ? mbSize * K : 0);
  const oldLogStd = new Float32Array(useOld && action.type === 'box' ? actDim : 0);
  const dLogStd = action.type === 'box' ? grads.subarray(model.logStdOffset, model.size) : new Float32Array(0);
  const objective = objectiveOptions(c, lpo);
  const pstats = new RlPolicyStats();

  const history: UpdateStats[] = [];
  let aborted = false;
  const penalty = lagrangianSpec ? new LagrangianPenalty(lagrangianSpec, batchSize, c.gamma) : undefined;
  const lagrangianHistory: LagrangianStats[] = [];

  for (let update = session.update + 1; update <= numUpdates; update++) {
    if (c.signal?.aborted) {
      aborted = true;
      break;
    }
    lr = annealedLr(c, update, numUpdates);
    if (objective.objective === 'mdpo') objective.klCoef = mdpoKlCoef(update, numUpdates);
    if (objective.objective === 'lpo') objective.driftProgress = (update - 1) / numUpdates; // TA-LPO's n/N

    collector.collect(params, random.fold(collectKey, update));
    const lagrangian = penalty?.apply(collector);
    if (oldLogStd.length > 0) oldLogStd.set(model.logStd(params));

    const sums = new MinibatchSums();
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      permutation(random.fold(shuffleKey, (update * 1009 + epoch) >>> 0), batchSize, order);
      let epochKl = 0;
      for (let m = 0; m < c.numMinibatches; m++) {
        const s = m * mbSize;
        gatherRows(collector.obs, model.spec.obsDim, order, s, mbSize, mbObs);
        gatherRows(collector.logp, 1, order, s, mbSize, mbLogp);
        gatherRows(collector.advantages, 1, order, s, mbSize, mbAdv);
        gatherRows(collector.returns, 1, order, s, mbSize, mbReturns);
        gatherRows(collector.values, 1, order, s, mbSize, mbValues);
        if (useOld) gatherRows(collector.heads, K, order, s, mbSize, mbOldHeads);

        ws.forwardTape(params, mbObs);
        if (action.type === 'discrete') {
          gatherRows(collector.actions as Int32Array, 1, order, s, mbSize, mbActionsInt);
          b.rlCategoricalObjective(ws.head, mbActionsInt, mbLogp, mbAdv, mbOldHeads, ws.dHead, pstats, objective);
        } else {
          gatherRows(collector.actions as Float32Array, actDim, order, s, mbSize, mbActionsBox);
          b.rlGaussianObjective(
            ws.head,
            model.logStd(params),
            mbActionsBox,
            mbLogp,
            mbAdv,
            mbOldHeads,
            oldLogStd,
            ws.dHead,
            dLogStd,
            pstats,
            objective,
          );
        }
        const valueLoss = b.rlValueLoss(
          mbSize,
          ws.values,
          mbValues,
          mbReturns,
          c.clipVloss ? c.clipCoef : 0,
          c.vfCoef,
          ws.dValues,
        );
        ws.backward(params, mbObs, grads);
        const gradNorm = Math.sqrt(b.sumSquares(grads));
        opt.step(params, grads, optState);

        sums.add(pstats, valueLoss, gradNorm);
        epochKl = pstats.approxKl;
      }
      if (c.targetKl !== null && epochKl > c.targetKl) break;
    }

    const stats = sums.record(update, update * batchSize, session.elapsed(), lr, collector);
    if (lagrangian) lagrangianHistory.push(lagrangian);
    history.push(stats);
    policy.info.steps = stats.steps;
    session.completed(update, stats.seconds);
    c.onUpdate?.(stats, policy, session);
    await yieldToEventLoop();
  }
  const result = finishTraining(session, env, policy, history, aborted);
  return penalty ? { ...result, lagrangian: lagrangianHistory } : result;
}

export { restoreOptimizer } from './optimizer.js';
