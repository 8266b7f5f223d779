// A sequential word stream over Philox blocks: the twin of native/core/envs/stream.h.
import { philoxBlock } from '../rng/philox.js';

const INV_2_24 = 1 / 16777216;
const TWO_PI = 6.283185307179586;

export class Stream {
  private block = 0;
  private lane = 4;
  private readonly words = new Uint32Array(4);
  constructor(
    private readonly k0: number,
    private readonly k1: number,
  ) {}

  next(): number {
    if (this.lane === 4) {
      philoxBlock(this.k0, this.k1, this.block++ >>> 0, 0, 0, 0, this.words, 0);
      this.lane = 0;
    }
    return this.words[this.lane++] as number;
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.next() >>> 8) * INV_2_24;
  }
  /** Standard normal (Box-Muller in double, the first of the pair, rounded to float). */
  normal(): number {
    const w0 = this.next();
    const w1 = this.next();
    return Math.fround(boxMuller0(w0, w1));
  }
  /** Exponential(1) as -log(u), u in (0, 1]. */
  exponential(): number {
    const u = ((this.next() >>> 8) + 1) * INV_2_24;
    return Math.fround(-Math.log(u));
  }
}

/** First value of the library's Box-Muller pair (native/core/rng/philox.cc boxMuller). */
export function boxMuller0(w0: number, w1: number): number {
  const u1 = ((w0 >>> 8) + 1) * INV_2_24;
  const u2 = (w1 >>> 8) * INV_2_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}
