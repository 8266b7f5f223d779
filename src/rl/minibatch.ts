// Minibatch plumbing shared by the trainers: a seeded permutation, row gathers into
// preallocated buffers, and the per-update sums of the minibatch statistics.
import * as random from '../random/index.js';
import type { UpdateStats } from './config.js';

/** Fisher–Yates permutation of 0..n-1 into `out`, from one Philox draw of n uniforms. */
export function permutation(key: random.Key, n: number, out: Int32Array): void {
  const u = random.uniform(key, n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor((u[i] as number) * (i + 1)));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
}

/** out[r*width .. r*width+width) = src[idx[start+r]*width ..] for r < rows. */
export function gatherRows<T extends Float32Array | Int32Array>(
  src: T,
  width: number,
  idx: Int32Array,
  start: number,
  rows: number,
  out: T,
): void {
  if (width === 1) {
    for (let r = 0; r < rows; r++) out[r] = src[idx[start + r] as number] as number;
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = (idx[start + r] as number) * width;
    out.set(src.subarray(s, s + width), r * width);
  }
}

/** 1 − Var(y − ŷ)/Var(y): how much of the returns' variance the values explain (NaN if Var(y) = 0). */
export function explainedVariance(pred: Float32Array, target: Float32Array): number {
  const n = target.length;
  let mt = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    mt += target[i] as number;
    md += (target[i] as number) - (pred[i] as number);
  }
  mt /= n;
  md /= n;
  let vt = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vt += ((target[i] as number) - mt) ** 2;
    vd += ((target[i] as number) - (pred[i] as number) - md) ** 2;
  }
  return vt === 0 ? Number.NaN : 1 - vd / vt;
}

/** What one minibatch step reports (the policy objective's statistics). */
interface MinibatchPolicyStats {
  readonly policyLoss: number;
  readonly entropy: number;
  readonly approxKl: number;
  readonly clipFraction: number;
  readonly klToOld: number;
}

/** The rollout side of an update's record: episodes, and values and returns for the explained variance. */
interface RolloutView {
  readonly episodes: { meanReturn(): number; meanLength(): number; readonly episodes: number };
  readonly values: Float32Array;
  readonly returns: Float32Array;
}

/** Sums of the minibatch statistics of one PPO update, turned into its `UpdateStats` (means). */
export class MinibatchSums {
  private n = 0;
  private policyLoss = 0;
  private valueLoss = 0;
  private entropy = 0;
  private approxKl = 0;
  private clipFraction = 0;
  private klToOld = 0;
  private gradNorm = 0;

  add(p: MinibatchPolicyStats, valueLoss: number, gradNorm: number): void {
    this.n++;
    this.policyLoss += p.policyLoss;
    this.valueLoss += valueLoss;
    this.entropy += p.entropy;
    this.approxKl += p.approxKl;
    this.clipFraction += p.clipFraction;
    this.klToOld += p.klToOld;
    this.gradNorm += gradNorm;
  }

  /** The update's record: minibatch means beside the rollout's episode statistics. */
  record(update: number, steps: number, seconds: number, lr: number, rollout: RolloutView): UpdateStats {
    const n = this.n;
    return {
      update,
      steps,
      seconds,
      meanReturn: rollout.episodes.meanReturn(),
      meanLength: rollout.episodes.meanLength(),
      episodes: rollout.episodes.episodes,
      lr,
      policyLoss: this.policyLoss / n,
      valueLoss: this.valueLoss / n,
      entropy: this.entropy / n,
      approxKl: this.approxKl / n,
      clipFraction: this.clipFraction / n,
      klToOld: this.klToOld / n,
      gradNorm: this.gradNorm / n,
      explainedVariance: explainedVariance(rollout.values, rollout.returns),
    };
  }
}
