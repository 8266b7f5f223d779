// A trained RL² policy as an agent of the meta-RL evaluations: a Bernoulli-bandit baseline
// (`metaRl.evaluateTrials`) and a tabular-MDP agent (`metaRl.evaluateMdpTrials`). It keeps one
// hidden state per row, reset at the trial's first step only.
import type { MdpActor, MdpAgent, MdpSetting } from '../mdp/types.js';
import type { Rng } from '../rng.js';
import type { BanditActor, BanditRewards, BanditSetting, Baseline } from '../types.js';
import { writeInput } from './inputs.js';
import type { Rl2Model } from './model.js';
import { sampleCategorical } from './rollout.js';

/** What the policy was trained on. */
export interface Rl2PolicyConfig {
  env: 'Bandit-v0' | 'TabularMDP-v0';
  obsDim: number;
  actions: number;
  episodeLength: number;
  episodesPerTrial: number;
  /** Bandit-v0's arms (absent: 'bernoulli'). */
  rewards?: BanditRewards;
}

/** A trained RL² policy. */
export interface Rl2Policy extends Baseline, Omit<MdpAgent, 'kind'> {
  readonly config: Readonly<Rl2PolicyConfig>;
  /** The flat parameters (a copy is kept; the model's layout: GRU, then the heads). */
  readonly params: Float32Array;
  readonly model: Rl2Model;
  /** The same policy acting on the mode of its action distribution instead of sampling it. */
  greedy(): Rl2Policy;
  /** A runner over `rows` trials in lockstep, for custom loops (the evaluations use it). */
  runner(rows: number): Rl2Runner;
}

/** Steps the policy over `rows` trials: `act` then `observe` each step; `reset` starts new trials. */
export class Rl2Runner {
  private h: Float64Array;
  private readonly x: Float64Array;
  private readonly prevA: Int32Array;
  private readonly prevR: Float64Array;
  private readonly prevD: Float64Array;
  /** [rows × actions] action probabilities of the last `act`. */
  readonly probs: Float64Array;

  constructor(
    private readonly model: Rl2Model,
    private readonly params: Float32Array,
    readonly rows: number,
    private readonly greedy: boolean,
  ) {
    this.h = new Float64Array(rows * model.stateSize);
    this.x = new Float64Array(rows * model.inputSize);
    this.prevA = new Int32Array(rows);
    this.prevR = new Float64Array(rows);
    this.prevD = new Float64Array(rows);
    this.probs = new Float64Array(rows * model.actions);
    this.reset();
  }

  /** Zeroes the hidden state and the previous action/reward/done inputs (a new trial). */
  reset(): void {
    this.h.fill(0);
    this.prevA.fill(-1);
    this.prevR.fill(0);
    this.prevD.fill(0);
  }

  /** Chooses every row's action from observations `obs` [rows × obsDim]. */
  act(obs: ArrayLike<number>, rng: Rng, out: Int32Array): void {
    const { model, rows } = this;
    const I = model.inputSize;
    const A = model.actions;
    const obsDim = I - A - 2;
    for (let b = 0; b < rows; b++)
      writeInput(
        this.x,
        b * I,
        obs,
        b * obsDim,
        obsDim,
        A,
        this.prevA[b] as number,
        this.prevR[b] as number,
        this.prevD[b] as number,
      );
    const f = model.forward(this.params, this.x, 1, rows, this.h);
    this.h = f.state;
    for (let b = 0; b < rows; b++) {
      let m = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let a = 0; a < A; a++) {
        const l = f.logits[b * A + a] as number;
        if (l > m) {
          m = l;
          arg = a;
        }
      }
      let z = 0;
      for (let a = 0; a < A; a++) z += Math.exp((f.logits[b * A + a] as number) - m);
      for (let a = 0; a < A; a++) this.probs[b * A + a] = Math.exp((f.logits[b * A + a] as number) - m) / z;
      out[b] = this.greedy ? arg : sampleCategorical(f.logits, b * A, A, rng.uniform())[0];
    }
  }

  /** Feeds back the step's actions, rewards and episode-end flags. */
  observe(actions: ArrayLike<number>, rewards: ArrayLike<number>, dones: ArrayLike<number>): void {
    for (let b = 0; b < this.rows; b++) {
      this.prevA[b] = actions[b] as number;
      this.prevR[b] = rewards[b] as number;
      this.prevD[b] = dones[b] as number;
    }
  }
}

/** Wraps trained parameters as an agent. @internal */
export function rl2Policy(model: Rl2Model, params: Float32Array, config: Rl2PolicyConfig, greedy = false): Rl2Policy {
  const p = params.slice();
  const cfg = Object.freeze({ ...config });
  const name = greedy ? 'rl2(greedy)' : 'rl2';

  function bandit(setting: BanditSetting): BanditActor {
    if (cfg.env !== 'Bandit-v0') throw new RangeError(`policy: trained on ${cfg.env}, asked to play Bandit-v0`);
    if (setting.arms !== cfg.actions)
      throw new RangeError(`envOptions.arms: the policy was trained with ${cfg.actions} arms, got ${setting.arms}`);
    if ((setting.rewards ?? 'bernoulli') !== (cfg.rewards ?? 'bernoulli'))
      throw new RangeError(
        `envOptions.rewards: the policy was trained on ${cfg.rewards ?? 'bernoulli'} arms, got ${setting.rewards}`,
      );
    const L = cfg.episodeLength;
    if (setting.horizon % L !== 0)
      throw new RangeError(
        `envOptions.pulls: the trial of ${setting.horizon} pulls is not whole episodes of the trained ${L} pulls`,
      );
    const k = cfg.actions;
    let runner: Rl2Runner | undefined;
    let obs = new Float32Array(0);
    let acts = new Int32Array(0);
    let rew = new Float64Array(0);
    let done = new Uint8Array(0);
    return (view, out) => {
      if (!runner || runner.rows !== view.rows) {
        runner = new Rl2Runner(model, p, view.rows, greedy);
        obs = new Float32Array(view.rows * (k + 1));
        acts = new Int32Array(view.rows);
        rew = new Float64Array(view.rows);
        done = new Uint8Array(view.rows);
      }
      if (view.t === 0) {
        runner.reset();
        obs.fill(0);
      } else {
        const ended = view.t % L === 0;
        for (let r = 0; r < view.rows; r++) {
          acts[r] = view.lastAction[r] as number;
          rew[r] = view.lastReward[r] as number;
          done[r] = ended ? 1 : 0;
          // Bandit-v0's obs is [one-hot last action, last reward], zeros right after a reset.
          obs.fill(0, r * (k + 1), (r + 1) * (k + 1));
          if (!ended) {
            obs[r * (k + 1) + (acts[r] as number)] = 1;
            obs[r * (k + 1) + k] = rew[r] as number;
          }
        }
        runner.observe(acts, rew, done);
      }
      runner.act(obs, view.rng, out);
    };
  }

  function mdp(setting: MdpSetting, rows: number): MdpActor {
    if (cfg.env !== 'TabularMDP-v0') throw new RangeError(`policy: trained on ${cfg.env}, asked to play TabularMDP-v0`);
    if (setting.states !== cfg.obsDim || setting.actions !== cfg.actions)
      throw new RangeError(
        `setting: the policy was trained with ${cfg.obsDim} states × ${cfg.actions} actions, got ${setting.states} × ${setting.actions}`,
      );
    const runner = new Rl2Runner(model, p, rows, greedy);
    const obs = new Float32Array(rows * setting.states);
    return {
      act(view, out) {
        if (view.t === 0) runner.reset();
        obs.fill(0);
        for (let r = 0; r < rows; r++) obs[r * setting.states + (view.states[r] as number)] = 1;
        runner.act(obs, view.rng, out);
      },
      observe(tr) {
        runner.observe(tr.actions, tr.rewards, tr.done);
      },
    };
  }

  return {
    kind: 'metaRl.baseline',
    name,
    config: cfg,
    params: p,
    model,
    bandit,
    mdp,
    greedy: () => rl2Policy(model, p, cfg, true),
    runner: (rows) => new Rl2Runner(model, p, rows, greedy),
  };
}
