// A float64 random stream for the baselines' own draws (Thompson samples, ε coins, tie-breaks):
// Philox words from `random.bits`, refilled in blocks, so a seed fixes every decision.
import { bits, type Key } from '../random/index.js';

const BLOCK = 4096;

/** Uniform, normal, gamma and beta draws on one Philox key (53-bit uniforms). */
export class Rng {
  private words: Uint32Array = new Uint32Array(0);
  private pos = 0;
  private counter = 0;

  constructor(private readonly key: Key) {}

  /** A float64 uniform in [0, 1). */
  uniform(): number {
    if (this.pos + 2 > this.words.length) {
      // Each Philox call yields 4 words, so the counter moves by BLOCK / 4 per refill.
      this.words = bits(this.key, BLOCK, this.counter);
      this.counter += BLOCK / 4;
      this.pos = 0;
    }
    const hi = (this.words[this.pos++] as number) >>> 5;
    const lo = (this.words[this.pos++] as number) >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal (Box-Muller; the second value is dropped to keep draws independent of order). */
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by the u^(1/shape) boost. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * (1 - this.uniform()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }
}
