// Minibatches of whole sequence segments for recurrent PPO, and the loss gradient of one.
// A rollout of numSteps × numEnvs splits into segments of seqLen consecutive steps of one env
// (segment s = chunk ⌊s / numEnvs⌋ of env s mod numEnvs); a minibatch gathers `segs` of them
// time-major [seqLen × segs] with each segment's stored starting state and reset flags, so the
// GRU replays them from where the rollout was (the state is that of the rollout's policy, as in
// CleanRL's ppo_atari_lstm). The gradient is the PPO objective kernels' output gradients run
// back through the linear heads and the GRU (BPTT over the segment, stopping at resets).
import { getBackend } from '../../backend/index.js';
import { type RlObjectiveOptions, RlPolicyStats } from '../../backend/kernels/rl.js';
import { gatherRows } from '../minibatch.js';
import type { RecurrentCollector } from './collector.js';
import type { RecurrentActorCritic, RecurrentNetWorkspace } from './model.js';

const EMPTY = new Float32Array(0);

/** A minibatch of `segs` segments of `len` steps, time-major [len × segs] rows. */
export class SegmentBatch {
  readonly rows: number;
  /** Policy inputs [rows × obsDim]. */
  readonly xs: Float32Array;
  /** Starting GRU states [segs × hidden]. */
  readonly h0: Float32Array;
  /** LSTM: starting cell states [segs × hidden] (null for a GRU). */
  readonly c0: Float32Array | null;
  /** [rows] 1 where the step starts an episode (the state is zeroed before it). */
  readonly resets: Uint8Array;
  readonly actions: Int32Array | Float32Array;
  readonly logp: Float32Array;
  readonly adv: Float32Array;
  readonly returns: Float32Array;
  readonly values: Float32Array;
  /** Policy heads at collection time (MDPO's old policy) [rows × K]. */
  readonly oldHeads: Float32Array;
  /** The rollout rows each batch row came from. */
  readonly idx: Int32Array;

  constructor(
    readonly model: RecurrentActorCritic,
    readonly len: number,
    readonly segs: number,
  ) {
    const rows = len * segs;
    this.rows = rows;
    const a = model.spec.action;
    this.xs = new Float32Array(rows * model.spec.obsDim);
    this.h0 = new Float32Array(segs * model.hiddenSize);
    this.c0 = model.lstm ? new Float32Array(segs * model.hiddenSize) : null;
    this.resets = new Uint8Array(rows);
    this.actions = a.type === 'box' ? new Float32Array(rows * a.dim) : new Int32Array(rows);
    this.logp = new Float32Array(rows);
    this.adv = new Float32Array(rows);
    this.returns = new Float32Array(rows);
    this.values = new Float32Array(rows);
    this.oldHeads = new Float32Array(rows * model.policyDim);
    this.idx = new Int32Array(rows);
  }

  /**
   * Gathers segments order[start .. start + segs) of collector `col` (numEnvs envs; the rollout's
   * rows are t·numEnvs + env).
   */
  gather(col: RecurrentCollector, order: Int32Array, start: number): void {
    const N = col.numEnvs;
    const L = this.len;
    const S = this.segs;
    const H = this.model.hiddenSize;
    for (let j = 0; j < S; j++) {
      const s = order[start + j] as number;
      const env = s % N;
      const t0 = Math.floor(s / N) * L;
      for (let l = 0; l < L; l++) this.idx[l * S + j] = (t0 + l) * N + env;
      const h = (t0 * N + env) * H;
      this.h0.set(col.hiddens.subarray(h, h + H), j * H);
      if (this.c0) this.c0.set(col.cells.subarray(h, h + H), j * H);
    }
    const all = this.idx;
    gatherRows(col.obs, this.model.spec.obsDim, all, 0, this.rows, this.xs);
    gatherRows(col.logp, 1, all, 0, this.rows, this.logp);
    gatherRows(col.advantages, 1, all, 0, this.rows, this.adv);
    gatherRows(col.returns, 1, all, 0, this.rows, this.returns);
    gatherRows(col.values, 1, all, 0, this.rows, this.values);
    gatherRows(col.heads, this.model.policyDim, all, 0, this.rows, this.oldHeads);
    const box = this.actions instanceof Float32Array;
    if (box)
      gatherRows(col.actions as Float32Array, this.model.policyDim, all, 0, this.rows, this.actions as Float32Array);
    else gatherRows(col.actions as Int32Array, 1, all, 0, this.rows, this.actions as Int32Array);
    for (let r = 0; r < this.rows; r++) this.resets[r] = col.resets[all[r] as number] as number;
  }
}

/** The value-loss settings of PPO's update. */
export interface ValueLossOptions {
  /** Clip range of the clipped value loss (0: unclipped). */
  clip: number;
  vfCoef: number;
}

/** What one minibatch's loss reports (the objective kernel's statistics and the value loss). */
export interface SegmentLossStats {
  policy: RlPolicyStats;
  valueLoss: number;
}

/**
 * The PPO loss of segment minibatches and its gradient w.r.t. every parameter (GRU, heads,
 * log-std): buffers for one minibatch shape, allocated once.
 */
export class SegmentLoss {
  readonly ws: RecurrentNetWorkspace;
  readonly head: Float32Array;
  readonly values: Float32Array;
  readonly dHead: Float32Array;
  readonly dValues: Float32Array;
  /** ∂L/∂(net outputs) [rows × (K + 1)] of the last lossAndGrad. */
  readonly dy: Float32Array;
  private readonly oldLogStd: Float32Array;
  readonly stats = new RlPolicyStats();

  constructor(
    readonly model: RecurrentActorCritic,
    readonly len: number,
    readonly segs: number,
  ) {
    const rows = len * segs;
    const K = model.policyDim;
    this.ws = model.net.workspace(len, segs);
    this.head = new Float32Array(rows * K);
    this.values = new Float32Array(rows);
    this.dHead = new Float32Array(rows * K);
    this.dValues = new Float32Array(rows);
    this.dy = new Float32Array(rows * (K + 1));
    this.oldLogStd = new Float32Array(model.spec.action.type === 'box' ? model.spec.action.dim : 0);
  }

  /**
   * Loss statistics of batch `mb` under `params`, and the gradient into `grads` (overwritten,
   * length model.size). `oldLogStd` is the rollout policy's log-std (read only by 'mdpo').
   */
  lossAndGrad(
    params: Float32Array,
    mb: SegmentBatch,
    objective: RlObjectiveOptions,
    value: ValueLossOptions,
    grads: Float32Array,
    oldLogStd: Float32Array = this.oldLogStd,
  ): SegmentLossStats {
    const b = getBackend();
    const m = this.model;
    const K = m.policyDim;
    const rows = mb.rows;
    const np = m.netParams(params);
    const y = m.net.forwardInto(np, mb.xs, this.ws, { h0: mb.h0, c0: mb.c0, resets: mb.resets });
    m.split(y, rows, this.head, this.values);
    const useOld = objective.objective === 'mdpo';
    const old = useOld ? mb.oldHeads : EMPTY;
    if (m.spec.action.type === 'discrete')
      b.rlCategoricalObjective(
        this.head,
        mb.actions as Int32Array,
        mb.logp,
        mb.adv,
        old,
        this.dHead,
        this.stats,
        objective,
      );
    else
      b.rlGaussianObjective(
        this.head,
        m.logStd(params),
        mb.actions as Float32Array,
        mb.logp,
        mb.adv,
        old,
        useOld ? oldLogStd : EMPTY,
        this.dHead,
        grads.subarray(m.net.size, m.size),
        this.stats,
        objective,
      );
    const valueLoss = b.rlValueLoss(rows, this.values, mb.values, mb.returns, value.clip, value.vfCoef, this.dValues);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < K; j++) this.dy[i * (K + 1) + j] = this.dHead[i * K + j] as number;
      this.dy[i * (K + 1) + K] = this.dValues[i] as number;
    }
    const g = m.net.backwardInto(np, mb.xs, this.ws, this.dy, { resets: mb.resets });
    grads.set(g, 0);
    return { policy: this.stats, valueLoss };
  }
}
