// Episode bookkeeping for vectorized training. The rollout kernel sums each env's return and
// length as it steps (into `ret` and `len`) and reports every episode that ends; the tracker keeps
// the most recent finished episodes for "recent mean return" in progress reports.

/** An EpisodeTracker's carried state (copies), for resuming training exactly. */
export interface EpisodeTrackerState {
  /** Return and length of each env's episode in progress. */
  ret: Float32Array;
  len: Int32Array;
  /** The finished episodes in the running window, oldest first. */
  recentReturns: Float64Array;
  recentLengths: Float64Array;
  episodes: number;
}

export class EpisodeTracker {
  /** Return and length of each env's episode in progress: the rollout kernel's episodeReturn/episodeLength. */
  readonly ret: Float32Array;
  readonly len: Int32Array;
  private readonly recentReturns: number[] = [];
  private readonly recentLengths: number[] = [];
  /** Episodes finished so far. */
  episodes = 0;

  constructor(
    numEnvs: number,
    /** How many finished episodes the running mean covers (default 100). */
    readonly window = 100,
  ) {
    this.ret = new Float32Array(numEnvs);
    this.len = new Int32Array(numEnvs);
  }

  /**
   * Takes the episodes a rollout reports, in (step, env) order: doneLength[k] > 0 marks an
   * episode that ended at k with return doneReturn[k].
   */
  record(doneReturn: Float32Array, doneLength: Int32Array): void {
    for (let k = 0; k < doneLength.length; k++) {
      const len = doneLength[k] as number;
      if (len === 0) continue;
      this.recentReturns.push(doneReturn[k] as number);
      this.recentLengths.push(len);
      if (this.recentReturns.length > this.window) {
        this.recentReturns.shift();
        this.recentLengths.shift();
      }
      this.episodes++;
    }
  }

  /** Mean return of the last `window` episodes (NaN before the first ends). */
  meanReturn(): number {
    const r = this.recentReturns;
    return r.length === 0 ? Number.NaN : r.reduce((s, x) => s + x, 0) / r.length;
  }

  /** Mean length of the last `window` episodes (NaN before the first ends). */
  meanLength(): number {
    const l = this.recentLengths;
    return l.length === 0 ? Number.NaN : l.reduce((s, x) => s + x, 0) / l.length;
  }

  /** A copy of everything that determines future means and counts. */
  saveState(): EpisodeTrackerState {
    return {
      ret: this.ret.slice(),
      len: this.len.slice(),
      recentReturns: Float64Array.from(this.recentReturns),
      recentLengths: Float64Array.from(this.recentLengths),
      episodes: this.episodes,
    };
  }

  /** Restores `saveState()` of a tracker over the same number of envs and window. */
  restoreState(s: EpisodeTrackerState): void {
    if (s.ret.length !== this.ret.length || s.len.length !== this.len.length)
      throw new RangeError(`episode state: expected ${this.ret.length} envs, got ${s.ret.length}`);
    if (s.recentReturns.length !== s.recentLengths.length || s.recentReturns.length > this.window)
      throw new RangeError(
        `episode state: expected at most ${this.window} recent episodes of matching returns and lengths`,
      );
    if (!Number.isSafeInteger(s.episodes) || s.episodes < s.recentReturns.length)
      throw new RangeError('episode state: episodes must be an integer count of at least the recent episodes');
    this.ret.set(s.ret);
    this.len.set(s.len);
    this.recentReturns.length = 0;
    this.recentLengths.length = 0;
    for (const r of s.recentReturns) this.recentReturns.push(r);
    for (const l of s.recentLengths) this.recentLengths.push(l);
    this.episodes = s.episodes;
  }
}
