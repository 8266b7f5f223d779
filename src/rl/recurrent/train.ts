// Recurrent PPO: rl.ppo.train's loop when `recurrent` is set. The same update as the feed-forward
// PPO (objective kernels, value loss, Adam behind global-norm clipping, CleanRL's annealing and
// early stop at targetKl), with three differences: rollouts run a GRU actor-critic step by step
// and store its states (RecurrentCollector, for kernel and MuJoCo envs alike); each epoch shuffles
// whole segments of seqLen steps of one env, not single steps; the gradient runs BPTT through each
// segment (SegmentLoss). Checkpoints carry the collector's GRU states and pending resets besides
// the usual training state, so a resumed run goes on bit-identically (kernel and MuJoCo envs).
import { getBackend } from '../../backend/index.js';
import type { RlObjectiveOptions } from '../../backend/kernels/rl.js';
import { OuterloopError } from '../../errors.js';
import { type Checkpoint, type JsonValue, saveCheckpoint } from '../../io/checkpoint.js';
import * as optim from '../../optim/index.js';
import * as random from '../../random/index.js';
import type { PpoConfig, RecurrentOptions, Resolved, TrainingRun, UpdateStats } from '../config.js';
import { MinibatchSums, permutation } from '../minibatch.js';
import { RewardScaler, RunningMeanStd } from '../normalize.js';
import { annealedLr, trainerOptimizer } from '../optimizer.js';
import { TrainingSession } from '../session.js';
import { makeTrainingEnv } from '../setup.js';
import type { TrainingState } from '../train_state.js';
import { RecurrentCollector } from './collector.js';
import { RecurrentActorCritic } from './model.js';
import { RecurrentPolicy } from './policy.js';
import { SegmentBatch, SegmentLoss } from './segments.js';

/** What recurrent PPO training returns: TrainResult's fields with the recurrent policy. */
export interface RecurrentTrainResult {
  policy: RecurrentPolicy;
  history: UpdateStats[];
  aborted: boolean;
  /** The policy and the training state (kernel envs; `resume` continues from it exactly). */
  checkpoint: Checkpoint;
  /** Writes `checkpoint` to `path` atomically. */
  save(path: string): Promise<void>;
}

/** PPO's config with a recurrent policy: onUpdate receives the recurrent policy. */
export interface RecurrentPpoConfig extends Omit<PpoConfig, 'recurrent' | 'onUpdate'> {
  recurrent: RecurrentOptions;
  /** Called after every update with its statistics, the live recurrent policy and the run. */
  onUpdate?: (stats: UpdateStats, policy: RecurrentPolicy, run: TrainingRun) => void;
}

/** Runs recurrent PPO for a resolved config (rl.ppo.train dispatches here when `recurrent` is set). */
export async function trainRecurrent(
  c: Resolved<PpoConfig>,
  objective: RlObjectiveOptions,
  klCoef: (update: number, numUpdates: number) => number,
  resumed?: TrainingState,
): Promise<RecurrentTrainResult> {
  const rec = c.recurrent as RecurrentOptions;
  const env = makeTrainingEnv(c.env, c.numEnvs, c.seed, c.envOptions);
  const space = env.actionSpace;
  const model = new RecurrentActorCritic({
    obsDim: env.obsDim,
    action: space.type === 'discrete' ? { type: 'discrete', n: space.n } : { type: 'box', dim: env.actionDim },
    recurrent: { cell: rec.cell, hidden: rec.hidden, encoder: rec.encoder ?? [64] },
  });
  const [initKey, collectKey, shuffleKey] = random.split(random.key(c.seed), 3) as [random.Key, random.Key, random.Key];
  if (resumed && !(resumed.policy instanceof RecurrentPolicy)) {
    env.close();
    throw new OuterloopError(`${resumed.source}: holds a feed-forward policy; resume it without recurrent`);
  }
  const saved = resumed?.policy as RecurrentPolicy | undefined;
  if (
    saved &&
    (saved.model.spec.obsDim !== env.obsDim || JSON.stringify(saved.model.spec) !== JSON.stringify(model.spec))
  ) {
    env.close();
    throw new OuterloopError(
      `${resumed?.source}: the saved recurrent policy does not fit ${c.env} with this recurrent option`,
    );
  }
  const params = saved ? saved.params : model.init(initKey);
  const obsRms = saved ? saved.obsRms : c.normalizeObs ? new RunningMeanStd(env.obsDim) : undefined;
  const policy =
    saved ??
    new RecurrentPolicy(
      model.spec,
      params,
      {
        env: c.env,
        algo: 'ppo',
        steps: 0,
        extra: {
          seed: c.seed,
          objective: c.objective,
          recurrent: { cell: rec.cell, hidden: rec.hidden, encoder: rec.encoder ?? [64] },
          ...(c.envOptions ? { envOptions: c.envOptions as JsonValue } : {}),
        },
      },
      obsRms,
      c.clipObs,
    );
  const collector = new RecurrentCollector(
    env,
    model,
    {
      numSteps: c.numSteps,
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
      obsRms,
      clipObs: c.clipObs,
      rewardScaler: c.normalizeReward ? new RewardScaler(c.numEnvs, c.gamma, c.clipReward) : undefined,
    },
    c.seed,
  );

  if (resumed) {
    try {
      env.restore(resumed.env);
      collector.restoreState(resumed.collector);
    } catch (e) {
      env.close();
      throw new OuterloopError(
        `${resumed.source}: not a valid training checkpoint (${e instanceof Error ? e.message : e})`,
      );
    }
  }
  const batchSize = c.numEnvs * c.numSteps;
  const numUpdates = Math.max(1, Math.floor(c.totalSteps / batchSize));
  const L = rec.seqLen ?? c.numSteps;
  const numSegs = batchSize / L;
  const mbSegs = Math.floor(numSegs / c.numMinibatches);

  let lr = c.lr;
  const { opt, optState } = trainerOptimizer(optim.adam({ lr: () => lr, eps: c.adamEps }), c, params, resumed);
  const session = new TrainingSession({ algo: 'ppo', config: c, policy, optState, env, collector }, batchSize, resumed);
  const mb = new SegmentBatch(model, L, mbSegs);
  const loss = new SegmentLoss(model, L, mbSegs);
  const grads = new Float32Array(model.size);
  const order = new Int32Array(numSegs);
  const oldLogStd = new Float32Array(model.spec.action.type === 'box' ? model.spec.action.dim : 0);
  const value = { clip: c.clipVloss ? c.clipCoef : 0, vfCoef: c.vfCoef };
  const b = getBackend();

  const history: UpdateStats[] = [];
  let aborted = false;
  for (let update = session.update + 1; update <= numUpdates; update++) {
    if (c.signal?.aborted) {
      aborted = true;
      break;
    }
    lr = annealedLr(c, update, numUpdates);
    if (objective.objective === 'mdpo') objective.klCoef = klCoef(update, numUpdates);
    collector.collect(params, random.fold(collectKey, update));
    if (oldLogStd.length > 0) oldLogStd.set(model.logStd(params));

    const sums = new MinibatchSums();
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      permutation(random.fold(shuffleKey, (update * 1009 + epoch) >>> 0), numSegs, order);
      let epochKl = 0;
      for (let m = 0; m < c.numMinibatches; m++) {
        mb.gather(collector, order, m * mbSegs);
        const s = loss.lossAndGrad(params, mb, objective, value, grads, oldLogStd);
        const gradNorm = Math.sqrt(b.sumSquares(grads));
        opt.step(params, grads, optState);
        sums.add(s.policy, s.valueLoss, gradNorm);
        epochKl = s.policy.approxKl;
      }
      if (c.targetKl !== null && epochKl > c.targetKl) break;
    }
    const stats = sums.record(update, update * batchSize, session.elapsed(), lr, collector);
    history.push(stats);
    policy.info.steps = stats.steps;
    session.completed(update, stats.seconds);
    (c.onUpdate as RecurrentPpoConfig['onUpdate'])?.(stats, policy, session);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const checkpoint = session.finish();
  env.close();
  return { policy, history, aborted, checkpoint, save: (path: string) => saveCheckpoint(path, checkpoint) };
}
