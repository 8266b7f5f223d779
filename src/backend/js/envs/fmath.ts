// Float32 sine and cosine: the twin of native/core/envs/fmath.h. Every operation is rounded with
// Math.fround in the same order as the C++ float code, so both backends agree bit for bit.
const f = Math.fround;

const TWO_OVER_PI = f(0.6366197723675814);
const PIO2_HI = f(1.5703125);
const PIO2_MID = f(0.0004837512969970703);
const PIO2_LO = f(7.549789954891882e-8);
export const PI = f(Math.PI);

const S3 = f(-1 / 6);
const S5 = f(1 / 120);
const S7 = f(-1 / 5040);
const S9 = f(1 / 362880);
const C4 = f(1 / 24);
const C6 = f(-1 / 720);
const C8 = f(1 / 40320);
const C10 = f(-1 / 3628800);

/** sin(x) into out[0] and cos(x) into out[1], x a float32 value. */
export function fsincos(x: number, out: Float64Array): void {
  const k = Math.floor(f(f(x * TWO_OVER_PI) + 0.5));
  const r = f(f(f(x - f(k * PIO2_HI)) - f(k * PIO2_MID)) - f(k * PIO2_LO));
  const r2 = f(r * r);
  const sp = f(r + f(f(r * r2) * f(S3 + f(r2 * f(S5 + f(r2 * f(S7 + f(r2 * S9))))))));
  const cp = f(f(1 - f(0.5 * r2)) + f(f(r2 * r2) * f(C4 + f(r2 * f(C6 + f(r2 * f(C8 + f(r2 * C10))))))));
  const q = k - 4 * Math.floor(k * 0.25);
  if (q === 0) {
    out[0] = sp;
    out[1] = cp;
  } else if (q === 1) {
    out[0] = cp;
    out[1] = -sp;
  } else if (q === 2) {
    out[0] = -sp;
    out[1] = -cp;
  } else {
    out[0] = -cp;
    out[1] = sp;
  }
}

const scratch = new Float64Array(2);
export function fsin(x: number): number {
  fsincos(x, scratch);
  return scratch[0] as number;
}
export function fcos(x: number): number {
  fsincos(x, scratch);
  return scratch[1] as number;
}
/** Clips x to [lo, hi] (NaN passes through, as in the C++). */
export function fclip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}
