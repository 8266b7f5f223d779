// metaRl.rl2: RL² (Duan et al. 2016, "RL²: fast reinforcement learning via slow reinforcement
// learning"). A GRU policy is meta-trained across tasks; a trial is one task for
// `episodesPerTrial` episodes, the hidden state is kept across its episodes and reset between
// trials, and the outer learner is PPO with full BPTT over whole trials (minibatches of trials),
// advantages by GAE over the whole trial; the cell is a GRU (Duan et al.) or an LSTM. This is RL²'s own recurrent-PPO loop; the generic
// `rl.ppo.train({ recurrent })` of issue 15 is not built here.
import { chain } from '../../optim/chain.js';
import { adam } from '../../optim/rules/adam.js';
import { clipByGlobalNorm } from '../../optim/transforms.js';
import { fold, key as makeKey, split } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../../util/check.js';
import { Rng } from '../rng.js';
import { type Rl2EnvId, type Rl2EnvOptions, trialEnvFamily } from './env_setup.js';
import { trialGae } from './gae.js';
import { inputSize } from './inputs.js';
import { type Rl2Cell, rl2Model } from './model.js';
import { type Rl2Policy, rl2Policy } from './policy.js';
import { ppoLoss } from './ppo_loss.js';
import { collectTrials } from './rollout.js';

/** Options of `metaRl.rl2`. */
export interface Rl2Options {
  env: Rl2EnvId;
  envOptions?: Rl2EnvOptions;
  /** Episodes per trial in one task (default 1: a Bandit-v0 episode already is a trial of `pulls` pulls). */
  episodesPerTrial?: number;
  /** Recurrent cell: 'gru' (default, Duan et al.) or 'lstm' (nn.lstm; carries h and c). */
  cell?: Rl2Cell;
  /** Cell units (default 48). */
  hidden?: number;
  /** Trials per PPO update (default 128). */
  trialsPerUpdate?: number;
  /** PPO epochs per update (default 4). */
  epochs?: number;
  /** Minibatches (of whole trials) per epoch (default 4). */
  minibatches?: number;
  /** Adam step size, annealed linearly to `lrFinal` (default 1e-3 → 1e-4). */
  lr?: number;
  lrFinal?: number;
  /** Discount inside the trial (default 0.99, Duan et al.). */
  gamma?: number;
  /** GAE λ (default 0.3, the relearn replication). */
  lambda?: number;
  /** PPO clip ε (default 0.2). */
  clip?: number;
  /** Value-loss weight (default 0.5). */
  vfCoef?: number;
  /** Entropy bonus, annealed linearly to `entCoefFinal` (default 0.01 → 0). */
  entCoef?: number;
  entCoefFinal?: number;
  /** Global gradient-norm clip (default 0.5). */
  maxGradNorm?: number;
  /** Multiplies rewards in the returns and advantages only (the policy's input keeps the raw reward); default 1. */
  rewardScale?: number;
}

/** Options of `train`. */
export interface Rl2TrainOptions {
  /** Env steps in all (rounded up to whole updates). */
  totalSteps: number;
  /** Seed of the initial parameters, tasks, env draws, actions and minibatches (default 0). */
  seed?: number;
  /** Called after every update. */
  onUpdate?: (u: Rl2Update) => void;
  /** Stops after the current update; the result holds what was trained so far. */
  signal?: AbortSignal;
  /**
   * Starts from these parameters (e.g. a trained policy's `params`, same env and `hidden`) instead
   * of a fresh init: a second stage with other settings (larger batch, λ, step size) continues the
   * first. Tasks, env draws and actions still follow `seed`.
   */
  initParams?: ArrayLike<number>;
}

/** One update's diagnostics. */
export interface Rl2Update {
  update: number;
  steps: number;
  /** Mean total reward of the trials collected for this update. */
  meanTrialReturn: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
}

/** The result of `train`. */
export interface Rl2Result {
  policy: Rl2Policy;
  history: Rl2Update[];
}

/** An RL² learner. */
export interface Rl2 {
  readonly options: Readonly<Required<Omit<Rl2Options, 'envOptions'>>> & { envOptions: Rl2EnvOptions };
  /** Meta-trains from scratch for `options.totalSteps` env steps; deterministic per seed. */
  train(options: Rl2TrainOptions): Promise<Rl2Result>;
}

const KEYS = [
  'env',
  'envOptions',
  'episodesPerTrial',
  'cell',
  'hidden',
  'trialsPerUpdate',
  'epochs',
  'minibatches',
  'lr',
  'lrFinal',
  'gamma',
  'lambda',
  'clip',
  'vfCoef',
  'entCoef',
  'entCoefFinal',
  'maxGradNorm',
  'rewardScale',
] as const;

/**
 * RL² with a GRU policy and a PPO outer learner.
 *
 * ```ts
 * const learner = metaRl.rl2({ env: 'Bandit-v0', envOptions: { arms: 2, pulls: 25 }, hidden: 48 });
 * const { policy } = await learner.train({ totalSteps: 2_000_000, seed: 0 });
 * const r = await metaRl.evaluateTrials(policy, { env: 'Bandit-v0', envOptions: { arms: 2, pulls: 25 } });
 * ```
 */
export function rl2(options: Rl2Options): Rl2 {
  if (typeof options !== 'object' || options === null) throw new TypeError('options: expected an object');
  checkKnownKeys(options, KEYS, 'options');
  const family = trialEnvFamily(options.env, options.envOptions, 'options.envOptions');
  if (options.cell !== undefined && options.cell !== 'gru' && options.cell !== 'lstm')
    throw new RangeError(`options.cell: expected 'gru' or 'lstm', got ${String(options.cell)}`);
  const o = {
    env: family.id,
    envOptions: { ...(options.envOptions ?? {}) },
    episodesPerTrial: options.episodesPerTrial ?? 1,
    cell: options.cell ?? 'gru',
    hidden: options.hidden ?? 48,
    trialsPerUpdate: options.trialsPerUpdate ?? 128,
    epochs: options.epochs ?? 4,
    minibatches: options.minibatches ?? 4,
    lr: options.lr ?? 1e-3,
    lrFinal: options.lrFinal ?? 1e-4,
    gamma: options.gamma ?? 0.99,
    lambda: options.lambda ?? 0.3,
    clip: options.clip ?? 0.2,
    vfCoef: options.vfCoef ?? 0.5,
    entCoef: options.entCoef ?? 0.01,
    entCoefFinal: options.entCoefFinal ?? 0,
    maxGradNorm: options.maxGradNorm ?? 0.5,
    rewardScale: options.rewardScale ?? 1,
  };
  checkInteger(o.episodesPerTrial, 'options.episodesPerTrial', 1, 2 ** 16);
  checkInteger(o.hidden, 'options.hidden', 1, 4096);
  checkInteger(o.trialsPerUpdate, 'options.trialsPerUpdate', 1, 2 ** 20);
  checkInteger(o.epochs, 'options.epochs', 1, 1000);
  checkInteger(o.minibatches, 'options.minibatches', 1, o.trialsPerUpdate);
  checkRange(o.lr, 'options.lr', 0, 10);
  checkRange(o.lrFinal, 'options.lrFinal', 0, 10);
  checkRange(o.gamma, 'options.gamma', 0, 1);
  checkRange(o.lambda, 'options.lambda', 0, 1);
  checkRange(o.clip, 'options.clip', 0, 10);
  checkRange(o.vfCoef, 'options.vfCoef', 0, 1e6);
  checkRange(o.entCoef, 'options.entCoef', 0, 1e6);
  checkRange(o.entCoefFinal, 'options.entCoefFinal', 0, 1e6);
  checkRange(o.maxGradNorm, 'options.maxGradNorm', Number.MIN_VALUE, Number.MAX_VALUE);
  checkRange(o.rewardScale, 'options.rewardScale', Number.MIN_VALUE, Number.MAX_VALUE);

  const steps = o.episodesPerTrial * family.episodeLength;
  const model = rl2Model(inputSize(family.obsDim, family.actions), o.hidden, family.actions, o.cell);

  async function train(t: Rl2TrainOptions): Promise<Rl2Result> {
    if (typeof t !== 'object' || t === null) throw new TypeError('options: expected an object');
    checkKnownKeys(t, ['totalSteps', 'seed', 'onUpdate', 'signal', 'initParams'], 'options');
    checkInteger(t.totalSteps, 'options.totalSteps', 1);
    const seed = t.seed ?? 0;
    checkInteger(seed, 'options.seed', 0, 2 ** 32 - 1);
    if (t.onUpdate !== undefined && typeof t.onUpdate !== 'function')
      throw new TypeError('options.onUpdate: expected a function');
    if (t.initParams !== undefined) {
      if (typeof t.initParams !== 'object' || t.initParams === null || typeof t.initParams.length !== 'number')
        throw new TypeError('options.initParams: expected an array of numbers');
      if (t.initParams.length !== model.size)
        throw new RangeError(`options.initParams: expected ${model.size} parameters, got ${t.initParams.length}`);
      for (let i = 0; i < model.size; i++)
        if (!Number.isFinite(t.initParams[i]))
          throw new RangeError(`options.initParams: element ${i} is not a finite number`);
    }
    const B = o.trialsPerUpdate;
    const updates = Math.ceil(t.totalSteps / (B * steps));
    const [initKey, taskKey, envKey, actKey, mbKey] = split(makeKey(seed), 5) as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    const params = t.initParams === undefined ? model.init(initKey[0] as number) : Float32Array.from(t.initParams);
    const total = updates * o.epochs * o.minibatches;
    const frac = (c: number): number => Math.min(1, c / Math.max(1, total));
    const opt = chain(clipByGlobalNorm(o.maxGradNorm), adam({ lr: (c) => o.lr + (o.lrFinal - o.lr) * frac(c) }));
    const state = opt.init(params);
    const actRng = new Rng(actKey);
    const mbRng = new Rng(mbKey);
    const env = family.create(B, envKey[0] as number);
    const history: Rl2Update[] = [];
    const I = model.inputSize;
    const A = model.actions;
    const grads = new Float32Array(model.size);
    try {
      for (let u = 0; u < updates; u++) {
        if (t.signal?.aborted) break;
        env.setTasks(family.sampleTasks(env, fold(taskKey, u), B));
        const batch = collectTrials(model, params, env, steps, actRng);
        const n = steps * B;
        const adv = new Float64Array(n);
        const ret = new Float64Array(n);
        const scaled = o.rewardScale === 1 ? batch.rewards : batch.rewards.map((r) => r * o.rewardScale);
        trialGae(scaled, batch.values, steps, B, o.gamma, o.lambda, adv, ret);
        const entCoef = o.entCoef + (o.entCoefFinal - o.entCoef) * (u / Math.max(1, updates - 1));
        let stats = { policyLoss: 0, valueLoss: 0, entropy: 0, approxKl: 0, clipFraction: 0 };
        let count = 0;
        const order = Array.from({ length: B }, (_, i) => i);
        for (let e = 0; e < o.epochs; e++) {
          // Fisher–Yates on the trial indices: minibatches are sets of whole trials.
          for (let i = B - 1; i > 0; i--) {
            const j = Math.min(i, Math.floor(mbRng.uniform() * (i + 1)));
            const tmp = order[i] as number;
            order[i] = order[j] as number;
            order[j] = tmp;
          }
          for (let m = 0; m < o.minibatches; m++) {
            const lo = Math.floor((m * B) / o.minibatches);
            const hi = Math.floor(((m + 1) * B) / o.minibatches);
            const rows = order.slice(lo, hi);
            const b = rows.length;
            const xs = new Float64Array(steps * b * I);
            const acts = new Int32Array(steps * b);
            const oldLogp = new Float64Array(steps * b);
            const mAdv = new Float64Array(steps * b);
            const mRet = new Float64Array(steps * b);
            for (let s = 0; s < steps; s++)
              for (let r = 0; r < b; r++) {
                const src = s * B + (rows[r] as number);
                const dst = s * b + r;
                xs.set(batch.xs.subarray(src * I, src * I + I), dst * I);
                acts[dst] = batch.actions[src] as number;
                oldLogp[dst] = batch.logp[src] as number;
                mAdv[dst] = adv[src] as number;
                mRet[dst] = ret[src] as number;
              }
            normalize(mAdv);
            const f = model.forward(params, xs, steps, b);
            const L = ppoLoss({
              logits: f.logits,
              values: f.values,
              actions: acts,
              oldLogp,
              adv: mAdv,
              returns: mRet,
              numActions: A,
              clip: o.clip,
              vfCoef: o.vfCoef,
              entCoef,
            });
            const d = model.backward(params, f, L.dLogits, L.dValues);
            for (let i = 0; i < d.length; i++) grads[i] = d[i] as number;
            opt.step(params, grads, state);
            stats = {
              policyLoss: stats.policyLoss + L.policyLoss,
              valueLoss: stats.valueLoss + L.valueLoss,
              entropy: stats.entropy + L.entropy,
              approxKl: stats.approxKl + L.approxKl,
              clipFraction: stats.clipFraction + L.clipFraction,
            };
            count++;
          }
        }
        let mean = 0;
        for (const x of batch.trialReturns) mean += x;
        const rec: Rl2Update = {
          update: u,
          steps: (u + 1) * B * steps,
          meanTrialReturn: mean / B,
          policyLoss: stats.policyLoss / count,
          valueLoss: stats.valueLoss / count,
          entropy: stats.entropy / count,
          approxKl: stats.approxKl / count,
          clipFraction: stats.clipFraction / count,
        };
        history.push(rec);
        t.onUpdate?.(rec);
        // Lets an AbortSignal fired from a timer or another task be seen between updates.
        if (t.signal) await new Promise((r) => setImmediate(r));
      }
    } finally {
      env.close();
    }
    return {
      policy: rl2Policy(model, params, {
        env: family.id,
        obsDim: family.obsDim,
        actions: family.actions,
        episodeLength: family.episodeLength,
        episodesPerTrial: o.episodesPerTrial,
        ...(family.rewards === 'gaussian' ? { rewards: family.rewards } : {}),
      }),
      history,
    };
  }

  return { options: o, train };
}

function normalize(x: Float64Array): void {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  const sd = Math.sqrt(s / x.length) + 1e-8;
  for (let i = 0; i < x.length; i++) x[i] = ((x[i] as number) - m) / sd;
}
