// The collector of vector envs the rollout kernel cannot step (the MuJoCo envs of
// envs.makeMujoco, or any env with the VectorEnv step/reset shape): each time step is one batched
// policy forward, one sampling call and one env.step from TypeScript. Its semantics are the
// rollout kernel's, so a kernel env gives the same rollout either way (test/rl_step_collector):
// - row i samples from fold(key, i) at block t·B of its stream (B = 1 for discrete actions,
//   ⌈actionDim/4⌉ for box ones), the same Philox words the kernel draws;
// - before each step the raw observations are folded into the running statistics, then the policy
//   sees (and the rollout stores) the normalized ones;
// - box actions are stored as sampled and clipped to the action box only when sent to the env;
// - truncated rows bootstrap from V(normalized finalObs); episode sums are float32, as the kernel's.
// Every buffer is allocated once; a step allocates nothing but the per-step views it reuses.
import { getBackend } from '../backend/index.js';
import type { Space, StepResult } from '../envs/index.js';
import * as random from '../random/index.js';
import { Collector, type CollectorOptions } from './collector.js';
import { type ActionSpec, ActorCritic, ActorCriticWorkspace } from './model.js';

/** What the collector needs of a policy besides its hooks: head width, action space and log-std. */
export interface PolicyShape {
  readonly policyDim: number;
  readonly spec: { readonly obsDim: number; readonly action: ActionSpec };
  logStd(params: Float32Array): Float32Array;
}

/**
 * The shape of a vector env the step-wise collector drives: `envs.VectorEnv` and
 * `envs.MujocoVectorEnv` both have it. `step` steps every row once with same-step autoreset and
 * returns views the env overwrites on its next step.
 */
export interface SteppableEnv {
  readonly id: string;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly actionSpace: Space;
  /** The current observations [numEnvs × obsDim] (a view). */
  readonly obs: Float32Array;
  /** Starts a new episode in every row (reseeding the rows' streams with `seed`); returns the observations. */
  reset(seed?: number): Float32Array;
  /** Steps every row once with same-step autoreset; the result's arrays are views. */
  step(actions: Int32Array | Float32Array): StepResult;
  /** Releases the env. */
  close(): void;
}

/** Per-step views of one time-major buffer [T × N × width], made once. */
function stepViews<T extends Float32Array | Int32Array>(buf: T, steps: number): T[] {
  const per = buf.length / steps;
  return Array.from({ length: steps }, (_, t) => buf.subarray(t * per, (t + 1) * per) as T);
}

/**
 * Steps any vector env from TypeScript with the rollout kernel's semantics. The policy is reached
 * through three hooks (forwardStep, bootstrapValues, finalValuesOf) that a recurrent collector
 * overrides to carry its hidden state.
 */
export class StepCollector extends Collector {
  private readonly ws: ActorCriticWorkspace | undefined;
  private readonly discrete: boolean;
  private readonly actDim: number;
  /** Philox blocks per row per step (the kernel's B). */
  private readonly blocks: number;
  private readonly rowKeys: Uint32Array[];
  private readonly draws: Float32Array;
  private readonly rowDraw: Float32Array;
  private readonly envActions: Float32Array;
  private readonly low: Float32Array;
  private readonly high: Float32Array;
  private readonly gathered: Float32Array;
  private readonly truncRows: Int32Array;
  private readonly truncValues: Float32Array;
  private readonly xs: Float32Array[];
  private readonly acts: (Int32Array | Float32Array)[];
  private readonly logps: Float32Array[];
  private readonly heads_: Float32Array[];
  private readonly values_: Float32Array[];
  private readonly logStdOf: (params: Float32Array) => Float32Array;

  /**
   * `model` is the feed-forward actor-critic the default hooks run, or (for a subclass with its
   * own hooks) just its policy-head width, action and log-std view.
   */
  constructor(
    readonly env: SteppableEnv,
    model: ActorCritic | PolicyShape,
    opts: CollectorOptions,
    seed: number,
  ) {
    super(env.numEnvs, model, opts);
    const N = env.numEnvs;
    const T = opts.numSteps;
    const space = env.actionSpace;
    this.discrete = space.type === 'discrete';
    this.actDim = space.type === 'box' ? env.actionDim : 1;
    this.blocks = this.discrete ? 1 : Math.ceil(this.actDim / 4);
    this.ws = model instanceof ActorCritic ? new ActorCriticWorkspace(model, N, false) : undefined;
    this.logStdOf = (p) => model.logStd(p);
    this.rowKeys = Array.from({ length: N }, () => new Uint32Array(2));
    this.draws = new Float32Array(N * this.actDim);
    this.rowDraw = new Float32Array(this.actDim);
    this.envActions = new Float32Array(this.discrete ? 0 : N * this.actDim);
    this.low = space.type === 'box' ? space.low : new Float32Array(0);
    this.high = space.type === 'box' ? space.high : new Float32Array(0);
    this.gathered = new Float32Array(N * this.obsDim);
    this.truncRows = new Int32Array(N);
    this.truncValues = new Float32Array(N);
    this.xs = stepViews(this.obs, T);
    this.acts = stepViews(this.actions, T);
    this.logps = stepViews(this.logp, T);
    this.heads_ = stepViews(this.heads, T);
    this.values_ = stepViews(this.values, T);
    env.reset(seed);
  }

  /** Policy heads [N × K] and values [N] of step t's policy inputs x [N × obsDim]. */
  protected forwardStep(
    params: Float32Array,
    x: Float32Array,
    _t: number,
    head: Float32Array,
    values: Float32Array,
  ): void {
    const ws = this.ws as ActorCriticWorkspace;
    ws.forward(params, x, this.numEnvs, true);
    head.set(ws.head.subarray(0, head.length));
    values.set(ws.values.subarray(0, values.length));
  }

  /**
   * Values of the normalized final observations g [n × obsDim] of the rows `rows[0..n)` truncated
   * at step t, into out[0..n).
   */
  protected bootstrapValues(
    params: Float32Array,
    g: Float32Array,
    _t: number,
    _rows: Int32Array,
    n: number,
    out: Float32Array,
  ): void {
    // g is the [N × obsDim] gather buffer; only its first n rows are this step's (a critic kernel
    // checks the length, so fewer truncated rows than envs must pass just those).
    const rows = g.subarray(0, n * this.obsDim);
    out.set((this.ws as ActorCriticWorkspace).valuesOnly(params, rows, n).subarray(0, n));
  }

  /** Values of the normalized observations x [N × obsDim] after the last step, into out [N]. */
  protected finalValuesOf(params: Float32Array, x: Float32Array, out: Float32Array): void {
    this.bootstrapValues(params, x, this.opts.numSteps, this.truncRows, this.numEnvs, out);
  }

  protected runSteps(params: Float32Array, key: random.Key): void {
    const b = getBackend();
    const N = this.numEnvs;
    const T = this.opts.numSteps;
    const od = this.obsDim;
    const K = this.shape.policyDim;
    const ad = this.actDim;
    const rms = this.opts.obsRms;
    const clip = this.opts.clipObs;
    const logStd = this.logStdOf(params);
    const ret = this.episodes.ret;
    const len = this.episodes.len;
    for (let i = 0; i < N; i++) this.rowKeys[i]?.set(random.fold(key, i));
    for (let t = 0; t < T; t++) {
      const o = t * N;
      const x = this.xs[t] as Float32Array;
      const raw = this.env.obs;
      if (rms) {
        rms.update(raw, N);
        rms.normalize(raw, N, x, clip);
      } else x.set(raw);
      const head = this.heads_[t] as Float32Array;
      this.forwardStep(params, x, t, head, this.values_[t] as Float32Array);
      // Row i's draws: block t·B of fold(key, i), as the kernel reads them.
      for (let i = 0; i < N; i++) {
        const k = this.rowKeys[i] as Uint32Array;
        if (this.discrete) b.randomUniform(k, t * this.blocks, this.rowDraw);
        else b.randomNormal(k, t * this.blocks, this.rowDraw);
        this.draws.set(this.rowDraw, i * ad);
      }
      const act = this.acts[t] as Int32Array | Float32Array;
      const lp = this.logps[t] as Float32Array;
      let sent: Int32Array | Float32Array = act;
      if (this.discrete) b.rlCategoricalSample(N, K, head, this.draws, act as Int32Array, lp);
      else {
        b.rlGaussianSample(N, ad, head, logStd, this.draws, act as Float32Array, lp);
        const e = this.envActions;
        for (let j = 0; j < N * ad; j++) {
          const v = act[j] as number;
          const lo = this.low[j % ad] as number;
          e[j] = v < lo ? lo : Math.min(v, this.high[j % ad] as number);
        }
        sent = e;
      }
      const r = this.env.step(sent);
      let nTrunc = 0;
      for (let i = 0; i < N; i++) {
        const rew = r.reward[i] as number;
        const term = r.terminated[i] as number;
        const trunc = r.truncated[i] as number;
        this.rewards[o + i] = rew;
        this.terminated[o + i] = term;
        this.truncated[o + i] = trunc;
        this.finalValues[o + i] = 0;
        if (trunc && !term) {
          this.gathered.set(r.finalObs.subarray(i * od, (i + 1) * od), nTrunc * od);
          this.truncRows[nTrunc++] = i;
        }
        const sum = Math.fround((ret[i] as number) + rew);
        const n = (len[i] as number) + 1;
        const done = term | trunc;
        this.doneReturn[o + i] = done ? sum : 0;
        this.doneLength[o + i] = done ? n : 0;
        ret[i] = done ? 0 : sum;
        len[i] = done ? 0 : n;
      }
      if (nTrunc > 0) {
        const g = this.gathered;
        if (rms) rms.normalize(g, nTrunc, g, clip);
        const v = this.truncValues;
        this.bootstrapValues(params, g, t, this.truncRows, nTrunc, v);
        for (let r2 = 0; r2 < nTrunc; r2++) this.finalValues[o + (this.truncRows[r2] as number)] = v[r2] as number;
      }
    }
    const g = this.gathered;
    if (rms) rms.normalize(this.env.obs, N, g, clip);
    else g.set(this.env.obs);
    this.finalValuesOf(params, g, this.lastValues);
  }
}
