// Running statistics for observation and reward normalization, as Gymnasium's NormalizeObservation
// and NormalizeReward wrappers (which CleanRL's continuous PPO uses): a parallel Welford update
// of mean and variance, kept in float64 and saved with the policy so evaluation sees the same
// scaling as training.

/** Running mean and variance of vectors of a fixed dimension. */
export class RunningMeanStd {
  /**
   * count, mean and var packed [1 + 2·dim], the layout the rollout kernel updates in place
   * (RolloutArgs.obsStats) and the checkpoint stores.
   */
  readonly data: Float64Array;
  readonly mean: Float64Array;
  readonly var: Float64Array;

  constructor(readonly dim: number) {
    this.data = new Float64Array(1 + 2 * dim);
    this.mean = this.data.subarray(1, 1 + dim);
    this.var = this.data.subarray(1 + dim);
    this.var.fill(1);
    // A tiny starting count (1e-4) as in Gymnasium, so the first batch dominates.
    this.data[0] = 1e-4;
  }

  get count(): number {
    return this.data[0] as number;
  }

  set count(c: number) {
    this.data[0] = c;
  }

  /** Folds in `rows` vectors laid out [rows × dim] (the rollout kernel's foldStats, for observations). */
  update(x: Float32Array | Float64Array, rows: number): void {
    const d = this.dim;
    const count = this.count;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += x[i * d + j] as number;
      const bMean = s / rows;
      let ss = 0;
      for (let i = 0; i < rows; i++) {
        const e = (x[i * d + j] as number) - bMean;
        ss += e * e;
      }
      const bVar = ss / rows;
      const delta = bMean - (this.mean[j] as number);
      const total = count + rows;
      this.mean[j] = (this.mean[j] as number) + (delta * rows) / total;
      const m2 = (this.var[j] as number) * count + bVar * rows + (delta * delta * count * rows) / total;
      this.var[j] = m2 / total;
    }
    this.count = count + rows;
  }

  /** out = clip((x − mean) / sqrt(var + 1e-8), ±clip), row by row. */
  normalize(x: Float32Array, rows: number, out: Float32Array, clip: number): void {
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      const m = this.mean[j] as number;
      const inv = 1 / Math.sqrt((this.var[j] as number) + 1e-8);
      for (let i = 0; i < rows; i++) {
        const v = ((x[i * d + j] as number) - m) * inv;
        out[i * d + j] = v > clip ? clip : Math.max(v, -clip);
      }
    }
  }

  /** A copy of `data` for a checkpoint: [count, mean..., var...]. */
  toArray(): Float64Array {
    return this.data.slice();
  }

  static fromArray(a: Float64Array): RunningMeanStd {
    const r = new RunningMeanStd((a.length - 1) / 2);
    r.data.set(a);
    return r;
  }
}

/**
 * NormalizeReward: rewards are divided by the running std of the discounted return (not of the
 * reward), which keeps value targets near unit scale; the return resets where an episode ends.
 */
export class RewardScaler {
  readonly stats = new RunningMeanStd(1);
  private readonly ret: Float64Array;
  private readonly buf: Float64Array;

  constructor(
    readonly numEnvs: number,
    readonly gamma: number,
    readonly clip: number,
  ) {
    this.ret = new Float64Array(numEnvs);
    this.buf = new Float64Array(numEnvs);
  }

  /**
   * Scales `steps` consecutive vector steps of rewards in place, time-major [steps × numEnvs];
   * `done` marks the rows whose episode ended at that step.
   */
  scale(reward: Float32Array, done: Uint8Array, steps: number): void {
    const n = this.numEnvs;
    for (let t = 0; t < steps; t++) {
      const o = t * n;
      for (let i = 0; i < n; i++) {
        this.ret[i] = (this.ret[i] as number) * this.gamma + (reward[o + i] as number);
        this.buf[i] = this.ret[i] as number;
      }
      this.stats.update(this.buf, n);
      const inv = 1 / Math.sqrt((this.stats.var[0] as number) + 1e-8);
      for (let i = 0; i < n; i++) {
        const v = (reward[o + i] as number) * inv;
        reward[o + i] = v > this.clip ? this.clip : Math.max(v, -this.clip);
        if (done[o + i]) this.ret[i] = 0;
      }
    }
  }

  /** The running statistics and each env's discounted return, packed: [stats.toArray() | ret]. */
  saveState(): Float64Array {
    const stats = this.stats.toArray();
    const out = new Float64Array(stats.length + this.numEnvs);
    out.set(stats);
    out.set(this.ret, stats.length);
    return out;
  }

  /** Restores `saveState()` of a scaler over the same number of envs. */
  restoreState(a: Float64Array): void {
    if (!(a instanceof Float64Array) || a.length !== 3 + this.numEnvs)
      throw new RangeError(`reward scaler state: expected a Float64Array of length ${3 + this.numEnvs}`);
    this.stats.count = a[0] as number;
    this.stats.mean[0] = a[1] as number;
    this.stats.var[0] = a[2] as number;
    this.ret.set(a.subarray(3));
  }
}
