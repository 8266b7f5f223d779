// One Beta-Bernoulli arm's counts (s successes, f failures) as one integer: the triangular index
// n(n+1)/2 + s with n = s + f, so a pull moves a code to the next row and arms sort cheaply.

/** The code of (s, f). */
export function armCode(s: number, f: number): number {
  const n = s + f;
  return (n * (n + 1)) / 2 + s;
}

/** Decoding tables for every code with s + f ≤ maxPulls. */
export class ArmCodes {
  readonly s: Int32Array;
  readonly f: Int32Array;
  constructor(readonly maxPulls: number) {
    const size = ((maxPulls + 1) * (maxPulls + 2)) / 2;
    this.s = new Int32Array(size);
    this.f = new Int32Array(size);
    for (let n = 0; n <= maxPulls; n++) {
      for (let s = 0; s <= n; s++) {
        const c = armCode(s, n - s);
        this.s[c] = s;
        this.f[c] = n - s;
      }
    }
  }
}
