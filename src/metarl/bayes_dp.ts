// The exact finite-horizon Bayes-optimal policy for Bernoulli bandits with independent Beta(α, β)
// priors: backward induction over posterior counts (reference §5.3),
//   V(b) = max_i [ p_i (1 + V(b, s_i + 1)) + (1 − p_i) V(b, f_i + 1) ],  p_i = (α + s_i)/(α + β + s_i + f_i),
// with V = 0 once the horizon is spent. Arms are exchangeable under the prior, so a belief is the
// sorted multiset of arm codes; values are memoized lazily, so only visited beliefs cost anything.
import { ArmCodes, armCode } from './arm_codes.js';

/** Exact Q-values and values of the Beta-Bernoulli bandit belief MDP for a fixed horizon. */
export class BetaBernoulliDp {
  private readonly memo = new Map<string, number>();
  private readonly codes: ArmCodes;

  constructor(
    readonly arms: number,
    readonly horizon: number,
    readonly alpha: number,
    readonly beta: number,
  ) {
    this.codes = new ArmCodes(horizon);
  }

  /** Beliefs memoized so far. */
  get size(): number {
    return this.memo.size;
  }

  /** The Bayes-optimal expected total reward of the whole horizon from the prior. */
  rootValue(): number {
    return this.valueOf(new Array<number>(this.arms).fill(0), this.horizon);
  }

  /**
   * Q-values of every arm at counts (s, f) (each of length `arms`): expected reward of pulling it
   * now and acting Bayes-optimally for the rest of the horizon. Needs Σ(s + f) < horizon.
   */
  qValues(s: ArrayLike<number>, f: ArrayLike<number>, out: Float64Array): void {
    const codes = new Array<number>(this.arms);
    let used = 0;
    for (let i = 0; i < this.arms; i++) {
      codes[i] = armCode(s[i] as number, f[i] as number);
      used += (s[i] as number) + (f[i] as number);
    }
    if (used >= this.horizon) throw new RangeError(`counts: ${used} pulls used of a horizon of ${this.horizon}`);
    for (let i = 0; i < this.arms; i++) out[i] = this.q(codes, i, this.horizon - used);
  }

  private q(codes: number[], i: number, remaining: number): number {
    const c = codes[i] as number;
    const s = this.codes.s[c] as number;
    const f = this.codes.f[c] as number;
    const p = (this.alpha + s) / (this.alpha + this.beta + s + f);
    if (remaining === 1) return p;
    const n1 = s + f + 1;
    const row = (n1 * (n1 + 1)) / 2;
    codes[i] = row + s + 1;
    const win = this.valueOf(codes, remaining - 1);
    codes[i] = row + s;
    const lose = this.valueOf(codes, remaining - 1);
    codes[i] = c;
    return p * (1 + win) + (1 - p) * lose;
  }

  private valueOf(codes: number[], remaining: number): number {
    if (remaining === 0) return 0;
    const sorted = codes.slice().sort((a, b) => a - b);
    // Codes stay below 2^16 for horizons up to 360, so one char per arm is a collision-free key.
    const key = String.fromCharCode(...sorted);
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue; // same counts, same Q
      const v = this.q(sorted, i, remaining);
      if (v > best) best = v;
    }
    this.memo.set(key, best);
    return best;
  }
}
