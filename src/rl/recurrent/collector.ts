// Rollouts of a recurrent policy: the step-wise collector with its policy hooks carrying a GRU
// state (an LSTM's h and c) per env. The state entering each step is stored (hiddens, and cells
// for an LSTM) with a reset flag (resets: the
// step starts a new episode, so the GRU zeroes the state first), which is all a training segment
// needs to replay the rollout from its first step. The state and the pending resets carry over
// to the next rollout, as the env's episodes do.
// Bootstraps: V(finalObs) of a truncated row continues that row's episode one more step (its
// state after step t, fed finalObs); the last values continue every row, reset where it ended.
import type { CollectorOptions, CollectorState } from '../collector.js';
import { StepCollector, type SteppableEnv } from '../step_collector.js';
import type { RecurrentActorCritic, RecurrentNetWorkspace } from './model.js';

/** Collects rollouts of a recurrent actor-critic from any vector env. */
export class RecurrentCollector extends StepCollector {
  /** [numSteps × numEnvs × hidden] the GRU state entering each step (before its reset). */
  readonly hiddens: Float32Array;
  /** LSTM: [numSteps × numEnvs × hidden] the cell state c entering each step (empty for a GRU). */
  readonly cells: Float32Array;
  /** [numSteps × numEnvs] 1 where the step starts a new episode (the state is zeroed first). */
  readonly resets: Uint8Array;
  /** [numEnvs] the resets of the next rollout's first step. */
  private readonly pending: Uint8Array;
  private readonly rws: RecurrentNetWorkspace;
  private readonly boot: RecurrentNetWorkspace;
  private readonly bootH0: Float32Array;
  private readonly bootC0: Float32Array | null;
  private readonly bootX: Float32Array;
  private readonly resetViews: Uint8Array[];

  constructor(
    env: SteppableEnv,
    readonly net: RecurrentActorCritic,
    opts: CollectorOptions,
    seed: number,
  ) {
    super(env, net, opts, seed);
    const N = env.numEnvs;
    const T = opts.numSteps;
    const H = net.hiddenSize;
    this.hiddens = new Float32Array(T * N * H);
    this.cells = new Float32Array(net.lstm ? T * N * H : 0);
    this.resets = new Uint8Array(T * N);
    this.pending = new Uint8Array(N).fill(1);
    this.rws = net.net.workspace(1, N);
    this.boot = net.net.workspace(1, N);
    this.bootH0 = new Float32Array(N * H);
    this.bootC0 = net.lstm ? new Float32Array(N * H) : null;
    this.bootX = new Float32Array(N * net.spec.obsDim);
    this.resetViews = Array.from({ length: T }, (_, t) => this.resets.subarray(t * N, (t + 1) * N));
  }

  // gruState is the carried state: h [numEnvs × hidden], then (LSTM) c [numEnvs × hidden].
  override saveState(): CollectorState {
    return { ...super.saveState(), gruState: this.state.slice(), pendingResets: Int32Array.from(this.pending) };
  }

  override restoreState(s: CollectorState): void {
    const nh = this.numEnvs * this.net.hiddenSize;
    const n = this.net.lstm ? 2 * nh : nh;
    if (!(s.gruState instanceof Float32Array) || s.gruState.length !== n)
      throw new RangeError(`collector state: expected the recurrent state, a Float32Array of length ${n}`);
    if (!(s.pendingResets instanceof Int32Array) || s.pendingResets.length !== this.numEnvs)
      throw new RangeError(`collector state: expected the pending resets, an Int32Array of length ${this.numEnvs}`);
    super.restoreState(s);
    this.rws.gru.hs.set(s.gruState.subarray(0, nh));
    if (this.rws.cs) this.rws.cs.set(s.gruState.subarray(nh));
    for (let i = 0; i < this.numEnvs; i++) this.pending[i] = s.pendingResets[i] ? 1 : 0;
  }

  /**
   * The state after the last step (what the next rollout starts from): h [numEnvs × hidden], then
   * for an LSTM c [numEnvs × hidden] (a copy in that case).
   */
  get state(): Float32Array {
    const h = this.rws.gru.hs;
    if (!this.rws.cs) return h;
    const s = new Float32Array(2 * h.length);
    s.set(h, 0);
    s.set(this.rws.cs, h.length);
    return s;
  }

  protected override forwardStep(
    params: Float32Array,
    x: Float32Array,
    t: number,
    head: Float32Array,
    values: Float32Array,
  ): void {
    const N = this.numEnvs;
    const r = this.resetViews[t] as Uint8Array;
    if (t === 0) r.set(this.pending);
    else
      for (let i = 0; i < N; i++)
        r[i] = (this.terminated[(t - 1) * N + i] as number) | (this.truncated[(t - 1) * N + i] as number);
    const h = this.rws.gru.hs;
    this.hiddens.set(h, t * N * this.net.hiddenSize);
    const c = this.rws.cs;
    if (c) this.cells.set(c, t * N * this.net.hiddenSize);
    // One step in place: h0 (and c0) are the workspace's own state.
    const y = this.net.net.forwardInto(this.net.netParams(params), x, this.rws, {
      h0: h,
      c0: c,
      resets: r,
      record: false,
    });
    this.net.split(y, N, head, values);
  }

  protected override bootstrapValues(
    params: Float32Array,
    g: Float32Array,
    _t: number,
    rows: Int32Array,
    n: number,
    out: Float32Array,
  ): void {
    const H = this.net.hiddenSize;
    const d = this.obsDim;
    const h = this.rws.gru.hs;
    const c = this.rws.cs;
    this.bootH0.fill(0);
    this.bootC0?.fill(0);
    this.bootX.fill(0);
    for (let k = 0; k < n; k++) {
      const i = rows[k] as number;
      this.bootH0.set(h.subarray(i * H, (i + 1) * H), k * H);
      if (c) this.bootC0?.set(c.subarray(i * H, (i + 1) * H), k * H);
    }
    this.bootX.set(g.subarray(0, n * d));
    this.valuesFrom(params, n, out, null);
  }

  protected override finalValuesOf(params: Float32Array, x: Float32Array, out: Float32Array): void {
    const N = this.numEnvs;
    const last = (this.opts.numSteps - 1) * N;
    for (let i = 0; i < N; i++)
      this.pending[i] = (this.terminated[last + i] as number) | (this.truncated[last + i] as number);
    this.bootH0.set(this.rws.gru.hs);
    if (this.rws.cs) this.bootC0?.set(this.rws.cs);
    this.bootX.set(x);
    this.valuesFrom(params, N, out, this.pending);
  }

  // Values of one GRU step from bootH0 on bootX (rows 0..n), into out.
  private valuesFrom(params: Float32Array, n: number, out: Float32Array, resets: Uint8Array | null): void {
    const y = this.net.net.forwardInto(this.net.netParams(params), this.bootX, this.boot, {
      h0: this.bootH0,
      c0: this.bootC0,
      resets,
      record: false,
    });
    const w = this.net.policyDim + 1;
    for (let k = 0; k < n; k++) out[k] = y[k * w + w - 1] as number;
  }
}
