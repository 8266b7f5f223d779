// Twin of native/core/nn/activation.cc: activations with first and second derivatives, in
// float64 arithmetic, rounded to float32 on store. tanh is the native kernel's rational formula
// (evaluated in float64), so both backends compute the same function.
import { ActivationCode, LEAKY_SLOPE } from '../../kernels/nn.js';

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

// The native kernel's float32 constants (Math.fround), so both evaluate the same formula.
const f = Math.fround;
const TANH_CLAMP = f(7.905311107635498);
const TANH_SMALL = f(4e-4);
const P13 = f(-2.76076847742355e-16);
const P11 = f(2.00018790482477e-13);
const P9 = f(-8.60467152213735e-11);
const P7 = f(5.12229709037114e-8);
const P5 = f(1.48572235717979e-5);
const P3 = f(6.37261928875436e-4);
const P1 = f(4.89352455891786e-3);
const Q6 = f(1.19825839466702e-6);
const Q4 = f(1.18534705686654e-4);
const Q2 = f(2.268434632439e-3);
const Q0 = f(4.89352518554385e-3);

/** tanh as native computes it: x·P(x²)/Q(x²) on x clamped to ±7.9053, x itself for |x| < 4e-4. */
export function tanh(x: number): number {
  const xc = x > TANH_CLAMP ? TANH_CLAMP : Math.max(x, -TANH_CLAMP);
  const x2 = xc * xc;
  const p = ((((((P13 * x2 + P11) * x2 + P9) * x2 + P7) * x2 + P5) * x2 + P3) * x2 + P1) * xc;
  const q = ((Q6 * x2 + Q4) * x2 + Q2) * x2 + Q0;
  return (x < 0 ? -x : x) < TANH_SMALL ? x : p / q;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** f(z) for an activation code. */
export function act(f: number, z: number): number {
  switch (f) {
    case ActivationCode.tanh:
      return tanh(z);
    case ActivationCode.relu:
      return Math.max(z, 0);
    case ActivationCode.leakyRelu:
      return z > 0 ? z : LEAKY_SLOPE * z;
    case ActivationCode.gelu:
      return 0.5 * z * (1 + tanh(GELU_C * (z + GELU_K * z * z * z)));
    case ActivationCode.sigmoid:
      return sigmoid(z);
    case ActivationCode.softplus:
      return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    default:
      return z;
  }
}

/** f'(z) given z and a = f(z). */
export function d1(f: number, z: number, a: number): number {
  switch (f) {
    case ActivationCode.tanh:
      return 1 - a * a;
    case ActivationCode.relu:
      return z > 0 ? 1 : 0;
    case ActivationCode.leakyRelu:
      return z > 0 ? 1 : LEAKY_SLOPE;
    case ActivationCode.gelu: {
      const t = tanh(GELU_C * (z + GELU_K * z * z * z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * z * z);
    }
    case ActivationCode.sigmoid:
      return a * (1 - a);
    case ActivationCode.softplus:
      return sigmoid(z);
    default:
      return 1;
  }
}

/** f''(z) given z and a = f(z). */
export function d2(f: number, z: number, a: number): number {
  switch (f) {
    case ActivationCode.tanh:
      return -2 * a * (1 - a * a);
    case ActivationCode.gelu: {
      const t = tanh(GELU_C * (z + GELU_K * z * z * z));
      const s = 1 - t * t;
      const du = GELU_C * (1 + 3 * GELU_K * z * z);
      const ddu = GELU_C * 6 * GELU_K * z;
      return s * (du + 0.5 * z * (ddu - 2 * t * du * du));
    }
    case ActivationCode.sigmoid:
      return a * (1 - a) * (1 - 2 * a);
    case ActivationCode.softplus: {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    default:
      return 0;
  }
}

/** a[aOff..] = f(z[zOff..]) over n elements. */
export function activate(f: number, z: Float32Array, zOff: number, a: Float32Array, aOff: number, n: number): void {
  if (f === ActivationCode.identity) {
    if (a !== z) a.set(z.subarray(zOff, zOff + n), aOff);
    else if (aOff !== zOff) a.copyWithin(aOff, zOff, zOff + n);
    return;
  }
  if (f === ActivationCode.tanh) {
    for (let i = 0; i < n; i++) a[aOff + i] = tanh(z[zOff + i] as number);
    return;
  }
  for (let i = 0; i < n; i++) a[aOff + i] = act(f, z[zOff + i] as number);
}

/** out = f'(z)·in over n elements (z, a: tape parts; in, out: row buffers), each at its offset. */
export function activationScale(
  f: number,
  z: Float32Array,
  zOff: number,
  a: Float32Array,
  aOff: number,
  inp: Float32Array,
  inOff: number,
  out: Float32Array,
  outOff: number,
  n: number,
): void {
  if (f === ActivationCode.identity) {
    for (let i = 0; i < n; i++) out[outOff + i] = inp[inOff + i] as number;
  } else if (f === ActivationCode.tanh) {
    for (let i = 0; i < n; i++) {
      const ai = a[aOff + i] as number;
      out[outOff + i] = (1 - ai * ai) * (inp[inOff + i] as number);
    }
  } else {
    for (let i = 0; i < n; i++)
      out[outOff + i] = d1(f, z[zOff + i] as number, a[aOff + i] as number) * (inp[inOff + i] as number);
  }
}

/** Offsets of one layer's tangent-tape parts and of the row buffers an R-backward step uses. */
export interface RBackwardOffsets {
  z: number;
  a: number;
  zdot: number;
  da: number;
  rda: number;
  dz: number;
  rdz: number;
}

/** R-operator step over n elements: dz = f'·da; rdz = f''·zdot·da + f'·rda. */
export function activationRBackward(
  f: number,
  tape: Float32Array,
  da: Float32Array,
  rda: Float32Array,
  dz: Float32Array,
  rdz: Float32Array,
  o: RBackwardOffsets,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const zi = tape[o.z + i] as number;
    const ai = tape[o.a + i] as number;
    const g = d1(f, zi, ai);
    const h = d2(f, zi, ai);
    const dai = da[o.da + i] as number;
    dz[o.dz + i] = g * dai;
    rdz[o.rdz + i] = h * (tape[o.zdot + i] as number) * dai + g * (rda[o.rda + i] as number);
  }
}
