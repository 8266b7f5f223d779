// metaRl.metaGradient: an online actor-critic agent whose meta-parameters η (γ, λ, entropy and
// value costs, learning rate) follow the meta-gradient of an outer objective during its single
// lifetime (Xu, van Hasselt, Silver 2018), through L inner updates (Bonnet et al. 2021), with the
// trace approximation (μ) of Xu et al., or bootstrapped (BMG, Flennerhag et al. 2022).
//
// One meta-update: from θ_0 with rollout τ_0, apply L inner updates θ_{k+1} = θ_k − P ⊙ ∇ℓ(τ_k,
// θ_k, η), collecting τ_{k+1} with θ_{k+1}; then the outer loss J'(τ_L, θ_L, η̄) (policy gradient
// with the reference γ̄, λ̄, entropy cost) or BMG's matching loss gives dJ'/dη through the L
// updates; Adam steps the raw η. The agent continues from θ_L with τ_L as its next τ_0.
import * as envs from '../../envs/index.js';
import type { MakeOptions } from '../../envs/specs.js';
import { adam } from '../../optim/index.js';
import * as random from '../../random/index.js';
import type { Policy } from '../../rl/policy.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkNumber } from '../../util/check.js';
import {
  type BmgOptions,
  backprop,
  bmgGradient,
  frozen,
  type InnerStep,
  innerUpdate,
  MetaTrace,
  outerGradient,
  type Preconditioner,
  rmsprop,
  sgd,
} from './meta_gradient.js';
import { checkMetaNames, type Hyper, META_NAMES, type MetaName, MetaSpace } from './meta_params.js';
import { AgentNets } from './nets.js';
import { collect, EpisodeLog, type Rollout } from './rollout.js';
import type { LossCoefficients } from './step_loss.js';

export type { BmgOptions } from './meta_gradient.js';
export type { Hyper, MetaName } from './meta_params.js';

/** The outer objective's fixed reference meta-parameters η̄. */
export interface MetaReference {
  /** γ̄ (default 0.99). */
  gamma?: number;
  /** λ̄ (default 1, Xu et al.). */
  lambda?: number;
  /** Entropy cost of the outer loss (default 0). */
  entropy?: number;
}

/** Options of {@link metaGradient}: the environment, which meta-parameters to learn, and the agent. */
export interface MetaGradientOptions {
  /** Environment id (discrete actions), e.g. 'Catch-v0'. */
  env: string;
  /** Env options other than numEnvs and seed (e.g. { swapEvery } for TwoColorGrid-v0). */
  envOptions?: Omit<MakeOptions, 'numEnvs' | 'seed'>;
  /** The meta-parameters to learn: any of 'gamma', 'lambda', 'entropy', 'value', 'lr'. */
  meta: readonly MetaName[];
  /** Initial (and, for those not learned, fixed) values: γ 0.99, λ 0.95, entropy 0.01, value 0.5, lr 3e-3. */
  init?: Partial<Hyper>;
  /** The outer objective's fixed reference η̄ (defaults in {@link MetaReference}). */
  reference?: MetaReference;
  /** Envs stepped together (default 16). */
  numEnvs?: number;
  /** Steps per rollout (default 10). */
  numSteps?: number;
  /** Hidden widths of actor and critic (default [64]). */
  hidden?: readonly number[];
  /** Inner optimizer: 'rmsprop' (default; its statistics are constants of the meta-gradient) or 'sgd'. */
  optimizer?: 'rmsprop' | 'sgd';
  /** Inner updates L differentiated per meta-update (default 1). */
  innerSteps?: number;
  /** Use Xu et al.'s trace z ← μz + ∂f/∂η with this μ ∈ [0, 1] instead of exact backprop (L must be 1). */
  trace?: number;
  /**
   * Bonnet et al.'s multi-step mixing: weights w_1 … w_L (length innerSteps) of the outer objective
   * after each inner step, J_mix = Σ_k w_k J'(τ_k, θ_k, η̄), τ_k the rollout collected with θ_k
   * (default: w_L = 1 only, the L-step meta-gradient).
   */
  mixing?: readonly number[];
  /** Bootstrapped meta-gradients instead of the outer objective's gradient. */
  bmg?: BmgOptions;
  /**
   * Cost of an outer value head (Bonnet et al. 2022): a second critic trained by the inner loss
   * on TD(λ̄) with the reference γ̄, whose values give the outer objective's advantages (default:
   * none; the outer objective uses the inner critic).
   */
  outerValue?: number;
  /**
   * Feed the learned η values to actor and critic as extra inputs (default false; Xu et al.'s
   * η-conditioning, embedding by the first layer). The meta-gradient flows through the update, not
   * through this input (a constant of each update: our choice; the paper's is unverified). The
   * reference η̄ is the input wherever the outer objective evaluates the agent.
   */
  condition?: boolean;
  /** Adam step size on the raw meta-parameters (default 1e-3). */
  metaLr?: number;
}

/** One meta-update's record. */
export interface MetaGradientStats {
  /** Index of the meta-update (from 0). */
  update: number;
  /** Env steps so far. */
  steps: number;
  /** Seconds since training started. */
  seconds: number;
  /** Mean return of the last 100 finished episodes (NaN before any). */
  meanReturn: number;
  /** Mean length of the last 100 finished episodes (NaN before any). */
  meanLength: number;
  /** Episodes finished so far. */
  episodes: number;
  /** The inner learning rate this update used (η's lr, learned or fixed). */
  lr: number;
  /** Mean reward per step of the outer rollout (non-episodic envs). */
  meanReward: number;
  /** The learned meta-parameters after this update. */
  meta: Partial<Record<MetaName, number>>;
  /** dJ'/d raw η of this update. */
  metaGradient: number[];
}

/** Options of {@link MetaGradientAgent.train}. */
export interface MetaGradientTrainOptions {
  /** Env steps to train for (whole rollouts; the last may overshoot). */
  totalSteps: number;
  /** Seed of the network init, the envs and the sampling (default 0); same seed → same run. */
  seed?: number;
  /**
   * Called after every meta-update with its record; `run.policy()` builds the policy as of this
   * update (a copy, with the current η folded in when conditioned).
   */
  onUpdate?: (stats: MetaGradientStats, run: { policy(): Policy }) => void;
  /** Stops training after the current meta-update; the agent trained so far is returned. */
  signal?: AbortSignal;
}

/** What {@link MetaGradientAgent.train} resolves to. */
export interface MetaGradientResult {
  /** The trained policy (η folded in when conditioned); evaluates with rl.evaluate. */
  policy: Policy;
  /** One record per meta-update. */
  history: MetaGradientStats[];
  /** The final meta-parameter values (learned and fixed). */
  hyper: Hyper;
  /** True when the AbortSignal stopped training early. */
  aborted: boolean;
}

/** An online actor-critic agent whose meta-parameters η are learned by meta-gradients (made by {@link metaGradient}). */
export interface MetaGradientAgent {
  /** The options it was made with. */
  readonly options: Readonly<MetaGradientOptions>;
  /**
   * Trains from scratch for `totalSteps` env steps: each update takes L inner steps and then one
   * Adam step on the raw η along dJ'/dη. Rejects with a RangeError/TypeError naming a bad option.
   */
  train(options: MetaGradientTrainOptions): Promise<MetaGradientResult>;
}

const KEYS = [
  'env',
  'envOptions',
  'meta',
  'init',
  'reference',
  'numEnvs',
  'numSteps',
  'hidden',
  'optimizer',
  'innerSteps',
  'trace',
  'bmg',
  'mixing',
  'outerValue',
  'condition',
  'metaLr',
];
const DEFAULT_HYPER: Hyper = { gamma: 0.99, lambda: 0.95, entropy: 0.01, value: 0.5, lr: 3e-3 };

/** Resolved options (checked). */
interface Resolved {
  env: string;
  envOptions: Omit<MakeOptions, 'numEnvs' | 'seed'>;
  meta: readonly MetaName[];
  init: Hyper;
  reference: Required<MetaReference>;
  numEnvs: number;
  numSteps: number;
  hidden: readonly number[];
  optimizer: 'rmsprop' | 'sgd';
  innerSteps: number;
  trace: number | undefined;
  bmg: BmgOptions | undefined;
  mixing: readonly number[] | undefined;
  outerValue: number | undefined;
  condition: boolean;
  metaLr: number;
}

function resolve(o: MetaGradientOptions): Resolved {
  const fn = 'metaRl.metaGradient';
  if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: expected an options object`);
  checkKnownKeys(o, KEYS, fn);
  if (typeof o.env !== 'string') throw new TypeError(`${fn}: env: expected an environment id string`);
  const meta = checkMetaNames(o.meta, fn);
  const init = { ...DEFAULT_HYPER };
  if (o.init !== undefined) {
    checkKnownKeys(o.init, META_NAMES, `${fn}: init`);
    for (const [k, v] of Object.entries(o.init)) {
      checkNumber(v, `${fn}: init.${k}`);
      init[k as MetaName] = v as number;
    }
  }
  const ref = { gamma: 0.99, lambda: 1, entropy: 0, ...(o.reference ?? {}) };
  checkKnownKeys(ref, ['gamma', 'lambda', 'entropy'], `${fn}: reference`);
  for (const k of ['gamma', 'lambda'] as const)
    if (!(ref[k] >= 0 && ref[k] <= 1))
      throw new RangeError(`${fn}: reference.${k}: expected a number in [0, 1], got ${ref[k]}`);
  if (!(ref.entropy >= 0)) throw new RangeError(`${fn}: reference.entropy: expected a number ≥ 0, got ${ref.entropy}`);
  const r: Resolved = {
    env: o.env,
    envOptions: o.envOptions ?? {},
    meta,
    init,
    reference: ref,
    numEnvs: o.numEnvs ?? 16,
    numSteps: o.numSteps ?? 10,
    hidden: o.hidden ?? [64],
    optimizer: o.optimizer ?? 'rmsprop',
    innerSteps: o.innerSteps ?? 1,
    trace: o.trace,
    bmg: o.bmg,
    mixing: o.mixing,
    outerValue: o.outerValue,
    condition: o.condition ?? false,
    metaLr: o.metaLr ?? 1e-3,
  };
  checkInteger(r.numEnvs, `${fn}: numEnvs`, 1, 1 << 16);
  checkInteger(r.numSteps, `${fn}: numSteps`, 1, 1 << 16);
  checkInteger(r.innerSteps, `${fn}: innerSteps`, 1, 64);
  if (!Array.isArray(r.hidden) || r.hidden.length === 0)
    throw new TypeError(`${fn}: hidden: expected an array of widths`);
  r.hidden.forEach((h, i) => {
    checkInteger(h, `${fn}: hidden[${i}]`, 1, 1 << 14);
  });
  if (r.optimizer !== 'rmsprop' && r.optimizer !== 'sgd')
    throw new RangeError(`${fn}: optimizer: expected 'rmsprop' or 'sgd', got '${String(r.optimizer)}'`);
  checkBoolean(r.condition, `${fn}: condition`);
  checkNumber(r.metaLr, `${fn}: metaLr`);
  if (r.trace !== undefined) {
    checkNumber(r.trace, `${fn}: trace`);
    if (!(r.trace >= 0 && r.trace <= 1)) throw new RangeError(`${fn}: trace: expected μ in [0, 1], got ${r.trace}`);
    if (r.innerSteps !== 1) throw new RangeError(`${fn}: trace: needs innerSteps 1 (the trace replaces unrolling)`);
    if (r.bmg !== undefined) throw new RangeError(`${fn}: trace: cannot be combined with bmg`);
  }
  if (r.bmg !== undefined) {
    if (typeof r.bmg !== 'object' || r.bmg === null) throw new TypeError(`${fn}: bmg: expected { steps, match }`);
    checkKnownKeys(r.bmg, ['steps', 'match', 'targetLr'], `${fn}: bmg`);
    checkInteger(r.bmg.steps, `${fn}: bmg.steps`, 0, 64);
    if (r.bmg.match !== 'kl' && r.bmg.match !== 'l2')
      throw new RangeError(`${fn}: bmg.match: expected 'kl' or 'l2', got '${String(r.bmg.match)}'`);
    if (r.bmg.targetLr !== undefined) checkNumber(r.bmg.targetLr, `${fn}: bmg.targetLr`);
  }
  if (r.mixing !== undefined) {
    if (!Array.isArray(r.mixing) || r.mixing.length !== r.innerSteps)
      throw new RangeError(`${fn}: mixing: expected ${r.innerSteps} weights (one per inner step)`);
    r.mixing.forEach((w, i) => {
      checkNumber(w, `${fn}: mixing[${i}]`);
    });
    if (r.bmg !== undefined || r.trace !== undefined) throw new RangeError(`${fn}: mixing: not with bmg or trace`);
  }
  if (r.outerValue !== undefined) {
    checkNumber(r.outerValue, `${fn}: outerValue`);
    if (!(r.outerValue > 0)) throw new RangeError(`${fn}: outerValue: expected a positive cost, got ${r.outerValue}`);
  }
  // checks the initial values of the learned names against their ranges
  new MetaSpace(meta, init);
  const spec = envs.spec(r.env, r.envOptions);
  if (spec.actionSpace.type !== 'discrete')
    throw new RangeError(`${fn}: env: '${r.env}' has box actions; the meta-gradient agent needs discrete actions`);
  return r;
}

/** The loss coefficients of the inner update from the current η. */
function innerCoef(h: Hyper): LossCoefficients & { lr: number } {
  return { gamma: h.gamma, lambda: h.lambda, entropy: h.entropy, value: h.value, lr: h.lr };
}

/** An online meta-gradient agent; see MetaGradientOptions. */
export function metaGradient(options: MetaGradientOptions): MetaGradientAgent {
  const c = resolve(options);
  return { options: Object.freeze({ ...options }), train: (t) => train(c, t) };
}

async function train(c: Resolved, t: MetaGradientTrainOptions): Promise<MetaGradientResult> {
  const fn = 'metaGradient.train';
  if (typeof t !== 'object' || t === null) throw new TypeError(`${fn}: expected { totalSteps, seed }`);
  checkKnownKeys(t, ['totalSteps', 'seed', 'onUpdate', 'signal'], fn);
  checkInteger(t.totalSteps, `${fn}: totalSteps`, 1);
  const seed = t.seed ?? 0;
  checkInteger(seed, `${fn}: seed`, 0, 2 ** 32 - 1);
  const root = random.key(seed);
  const [kInit, kRoll] = random.split(root, 2) as [random.Key, random.Key];
  const env = envs.make(c.env, { ...c.envOptions, numEnvs: c.numEnvs, seed });
  const m = c.meta.length;
  const space = new MetaSpace(c.meta, c.init);
  const nets = new AgentNets(
    env.obsDim,
    (env.actionSpace as { n: number }).n,
    c.hidden,
    c.condition ? m : 0,
    c.outerValue !== undefined,
  );
  const outerHead =
    c.outerValue === undefined
      ? undefined
      : { gamma: c.reference.gamma, lambda: c.reference.lambda, cost: c.outerValue };
  const theta = nets.init(kInit);
  const pre: Preconditioner = c.optimizer === 'sgd' ? sgd : rmsprop(nets.size, 0.99, 1e-5);
  const metaOpt = adam({ lr: c.metaLr });
  const raw32 = Float32Array.from(space.raw);
  const metaState = metaOpt.init(raw32);
  const trace = c.trace === undefined ? undefined : new MetaTrace(nets.size, m, c.trace);
  const refCoef: LossCoefficients = { ...c.reference, value: 0 };
  const cond = (): number[] => (c.condition ? c.meta.map((n) => space.hyper()[n]) : []);
  const refCond = (): number[] =>
    c.condition
      ? c.meta.map((n) => (n === 'gamma' || n === 'lambda' || n === 'entropy' ? c.reference[n] : space.hyper()[n]))
      : [];
  const log = new EpisodeLog(c.numEnvs);
  const perRollout = c.numEnvs * c.numSteps;
  let rollouts = 0;
  const next = (): Rollout => collect(nets, theta, cond(), env, c.numSteps, random.fold(kRoll, rollouts++), log);

  const history: MetaGradientStats[] = [];
  const t0 = performance.now();
  const policyNow = (): Policy =>
    nets.toPolicy(theta.slice(), cond(), {
      env: c.env,
      algo: 'metagrad',
      steps: rollouts * perRollout,
      extra: { meta: space.values(), hyper: { ...space.hyper() } },
    });
  let aborted = false;
  let roll = next();
  const g = new Float32Array(nets.size);
  try {
    for (let update = 1; rollouts * perRollout < t.totalSteps; update++) {
      if (t.signal?.aborted) {
        aborted = true;
        break;
      }
      const h = space.hyper();
      const slopes = { names: c.meta, slopes: c.meta.map((_n, j) => space.slope(j)) };
      const steps: InnerStep[] = [];
      const along: (Float32Array | undefined)[] = [];
      for (let k = 0; k < c.innerSteps; k++) {
        const s = innerUpdate(nets, theta, roll, innerCoef(h), cond(), slopes, pre, outerHead);
        if (trace) trace.accumulate(s);
        else steps.push(s);
        roll = next();
        // J'(τ_{k+1}, θ_{k+1}) of the mixture enters the backward pass at θ_{k+1}
        const w = c.mixing?.[k] ?? 0;
        if (k + 1 < c.innerSteps && w !== 0) {
          const a = new Float32Array(nets.size);
          outerGradient(nets, theta, roll, refCoef, refCond(), a);
          for (let i = 0; i < a.length; i++) a[i] = w * (a[i] as number);
          along[k + 1] = a;
        }
      }
      if (c.bmg) {
        const last = steps[steps.length - 1] as InnerStep;
        bmgGradient(
          nets,
          theta,
          roll,
          innerCoef(h),
          refCoef,
          cond(),
          refCond(),
          c.bmg,
          frozen(last.step),
          g,
          outerHead,
        );
      } else {
        outerGradient(nets, theta, roll, refCoef, refCond(), g);
        const wL = c.mixing?.[c.innerSteps - 1] ?? 1;
        for (let i = 0; i < g.length; i++) g[i] = wL * (g[i] as number);
      }
      const mg = trace ? trace.metaGradient(g) : backprop(steps, g, m, along);
      // Adam on the raw values (float32 state; the few meta-parameters ride one small buffer)
      raw32.set(space.raw);
      if (mg.every(Number.isFinite)) metaOpt.step(raw32, Float32Array.from(mg), metaState);
      space.raw.set(raw32);
      let rew = 0;
      for (const r of roll.rewards) rew += r;
      const stats: MetaGradientStats = {
        update,
        steps: rollouts * perRollout,
        seconds: (performance.now() - t0) / 1000,
        meanReturn: log.meanReturn(),
        meanLength: log.meanLength(),
        episodes: log.finished.length,
        lr: h.lr,
        meanReward: rew / roll.rewards.length,
        meta: space.values(),
        metaGradient: [...mg],
      };
      history.push(stats);
      t.onUpdate?.(stats, { policy: policyNow });
      if (update % 32 === 0) await new Promise((res) => setImmediate(res));
    }
  } finally {
    env.close();
  }
  return { policy: policyNow(), history, hyper: space.hyper(), aborted };
}
