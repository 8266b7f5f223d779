// Per-row posterior statistics of a tabular MDP under the prior of Duan et al.'s task family:
// P(· | s, a) ~ Dirichlet(1) and a mean reward R(s, a) ~ N(1, 1) observed with N(0, 1) noise, so
// the posterior is Dirichlet(1 + counts) and N((1 + Σr) / (1 + n), 1 / (1 + n)) (conjugate Normal
// with known noise variance).
import type { Rng } from '../rng.js';
import type { MdpTransition } from './types.js';

/** Counts of `rows` independent trials. */
export class MdpPosterior {
  /** [rows × S × A × S] transition counts. */
  readonly counts: Float64Array;
  /** [rows × S × A] visits and reward sums. */
  readonly visits: Float64Array;
  readonly rewardSums: Float64Array;

  constructor(
    readonly rows: number,
    readonly S: number,
    readonly A: number,
    /** Prior mean and variance of R(s, a), and the reward noise variance. */
    readonly prior = { mean: 1, variance: 1, noise: 1 },
  ) {
    this.counts = new Float64Array(rows * S * A * S);
    this.visits = new Float64Array(rows * S * A);
    this.rewardSums = new Float64Array(rows * S * A);
  }

  reset(): void {
    this.counts.fill(0);
    this.visits.fill(0);
    this.rewardSums.fill(0);
  }

  observe(tr: MdpTransition): void {
    const { S, A } = this;
    for (let r = 0; r < tr.rows; r++) {
      const sa = (r * S + (tr.states[r] as number)) * A + (tr.actions[r] as number);
      this.visits[sa] = (this.visits[sa] as number) + 1;
      this.rewardSums[sa] = (this.rewardSums[sa] as number) + (tr.rewards[r] as number);
      const c = sa * S + (tr.nextStates[r] as number);
      this.counts[c] = (this.counts[c] as number) + 1;
    }
  }

  /** Posterior mean and variance of R(s, a) for row `r`'s index `sa` = (r·S + s)·A + a. */
  rewardPosterior(sa: number): [number, number] {
    const { mean, variance, noise } = this.prior;
    const prec = 1 / variance + (this.visits[sa] as number) / noise;
    return [(mean / variance + (this.rewardSums[sa] as number) / noise) / prec, 1 / prec];
  }

  /** Row `r`'s posterior-mean MDP into p [S × A × S] and rew [S × A], plus `bonus`/(1 + n(s,a)). */
  meanMdp(r: number, p: Float64Array, rew: Float64Array, bonus: number): void {
    const { S, A } = this;
    for (let i = 0; i < S * A; i++) {
      const sa = r * S * A + i;
      const n = this.visits[sa] as number;
      for (let j = 0; j < S; j++) p[i * S + j] = (1 + (this.counts[sa * S + j] as number)) / (S + n);
      rew[i] = this.rewardPosterior(sa)[0] + bonus / (1 + n);
    }
  }

  /** Row `r`'s MDP drawn from the posterior into p and rew. */
  sampleMdp(r: number, rng: Rng, p: Float64Array, rew: Float64Array): void {
    const { S, A } = this;
    for (let i = 0; i < S * A; i++) {
      const sa = r * S * A + i;
      let total = 0;
      for (let j = 0; j < S; j++) {
        const g = rng.gamma(1 + (this.counts[sa * S + j] as number));
        p[i * S + j] = g;
        total += g;
      }
      for (let j = 0; j < S; j++) p[i * S + j] = (p[i * S + j] as number) / total;
      const [m, v] = this.rewardPosterior(sa);
      rew[i] = m + Math.sqrt(v) * rng.normal();
    }
  }
}
