// Episode bookkeeping for vectorized training: accumulates each env's return and length, and
// keeps the most recent finished episodes for "recent mean return" in progress reports.

/** An EpisodeTracker's carried state (copies), for resuming training exactly. */
export interface EpisodeTrackerState {
  /** Return and length of each env's episode in progress. */
  ret: Float64Array;
  len: Int32Array;
  /** The finished episodes in the running window, oldest first. */
  recentReturns: Float64Array;
  recentLengths: Float64Array;
  episodes: number;
}

export class EpisodeTracker {
  private readonly ret: Float64Array;
  private readonly len: Int32Array;
  private readonly recentReturns: number[] = [];
  private readonly recentLengths: number[] = [];
  /** Episodes finished so far. */
  episodes = 0;

  constructor(
    numEnvs: number,
    /** How many finished episodes the running mean covers (default 100). */
    readonly window = 100,
  ) {
    this.ret = new Float64Array(numEnvs);
    this.len = new Int32Array(numEnvs);
  }

  /** Adds one vector step's raw rewards; `done[i]` ends row i's episode. */
  step(reward: Float32Array, terminated: Uint8Array, truncated: Uint8Array): void {
    for (let i = 0; i < this.ret.length; i++) {
      this.ret[i] = (this.ret[i] as number) + (reward[i] as number);
      this.len[i] = (this.len[i] as number) + 1;
      if (terminated[i] || truncated[i]) {
        this.recentReturns.push(this.ret[i] as number);
        this.recentLengths.push(this.len[i] as number);
        if (this.recentReturns.length > this.window) {
          this.recentReturns.shift();
          this.recentLengths.shift();
        }
        this.episodes++;
        this.ret[i] = 0;
        this.len[i] = 0;
      }
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
