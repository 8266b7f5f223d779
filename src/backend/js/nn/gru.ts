// Twin of native/core/nn/gru.cc: GRU forward over time-major sequences with reset masks, and BPTT
// (optionally truncated). Same layouts (src/backend/kernels/nn.ts); the math runs in double
// precision with exact σ and tanh, so given Float64Array buffers (gruForwardAny / gruBackwardAny)
// it is the float64 reference the finite-difference tests check. Single-threaded; scratch grows
// once and is reused, so a training loop does not allocate.
import type { GruBackwardScalars, GruScalars, NnKernels } from '../../kernels/nn.js';

/** A buffer of either precision (the kernels take Float32Array; the tests pass Float64Array). */
export type GruBuf = Float32Array | Float64Array;

let scratch = new Float64Array(0);
function take(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** gruForward on buffers of either precision. */
export function gruForwardAny(
  p: GruBuf,
  xs: GruBuf,
  h0: GruBuf | null,
  resets: Uint8Array | null,
  hs: GruBuf,
  tape: GruBuf | null,
  s: GruScalars,
): void {
  const { inputSize: I, hiddenSize: H, steps: T, batch: B } = s;
  const G = 3 * H;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const TB = T * B;
  const w = take(2 * G + H);
  // ai = x Wi + bi, ah = h Wh + bh, hp = the state the step starts from
  const ai = w.subarray(0, G);
  const ah = w.subarray(G, 2 * G);
  const hp = w.subarray(2 * G, 2 * G + H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      if (resets?.[row]) hp.fill(0);
      else if (t > 0) for (let j = 0; j < H; j++) hp[j] = hs[(row - B) * H + j] as number;
      else if (h0) for (let j = 0; j < H; j++) hp[j] = h0[b * H + j] as number;
      else hp.fill(0);
      for (let g = 0; g < G; g++) {
        ai[g] = p[oBi + g] as number;
        ah[g] = p[oBh + g] as number;
      }
      for (let i = 0; i < I; i++) {
        const x = xs[row * I + i] as number;
        if (x !== 0) for (let g = 0; g < G; g++) ai[g] = (ai[g] as number) + x * (p[i * G + g] as number);
      }
      for (let k = 0; k < H; k++) {
        const h = hp[k] as number;
        if (h !== 0) for (let g = 0; g < G; g++) ah[g] = (ah[g] as number) + h * (p[oWh + k * G + g] as number);
      }
      for (let j = 0; j < H; j++) {
        const r = sigmoid((ai[j] as number) + (ah[j] as number));
        const z = sigmoid((ai[H + j] as number) + (ah[H + j] as number));
        const n = Math.tanh((ai[2 * H + j] as number) + r * (ah[2 * H + j] as number));
        const h = hp[j] as number;
        hs[row * H + j] = (1 - z) * n + z * h;
        if (tape) {
          tape[row * G + j] = r;
          tape[row * G + H + j] = z;
          tape[row * G + 2 * H + j] = n;
          tape[TB * G + row * H + j] = ah[2 * H + j] as number;
          tape[TB * (G + H) + row * H + j] = h;
        }
      }
    }
  }
}

/** gruBackward on buffers of either precision (`work` is not needed here: the scratch is double). */
export function gruBackwardAny(
  p: GruBuf,
  xs: GruBuf,
  resets: Uint8Array | null,
  tape: GruBuf,
  dHs: GruBuf,
  gParams: GruBuf,
  gXs: GruBuf | null,
  gH0: GruBuf | null,
  _work: GruBuf,
  s: GruBackwardScalars,
): void {
  const { inputSize: I, hiddenSize: H, steps: T, batch: B, truncate: K } = s;
  const G = 3 * H;
  const P = (I + H + 2) * G;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const TB = T * B;
  const w = take(P + B * H + 2 * G);
  const gP = w.subarray(0, P); // gradients summed in double, stored once at the end
  const carry = w.subarray(P, P + B * H); // ∂L/∂h_t flowing back from step t + 1
  const gi = w.subarray(P + B * H, P + B * H + G); // pre-activation gradients seen from x
  const gh = w.subarray(P + B * H + G, P + B * H + 2 * G); // and from h (n scaled by r)
  gP.fill(0);
  carry.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const cut = K > 0 && (t + 1) % K === 0;
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      for (let j = 0; j < H; j++) {
        const dh = (dHs[row * H + j] as number) + (cut ? 0 : (carry[b * H + j] as number));
        const r = tape[row * G + j] as number;
        const z = tape[row * G + H + j] as number;
        const n = tape[row * G + 2 * H + j] as number;
        const hn = tape[TB * G + row * H + j] as number;
        const hp = tape[TB * (G + H) + row * H + j] as number;
        const dnPre = dh * (1 - z) * (1 - n * n);
        const dzPre = dh * (hp - n) * z * (1 - z);
        const drPre = dnPre * hn * r * (1 - r);
        gi[j] = drPre;
        gi[H + j] = dzPre;
        gi[2 * H + j] = dnPre;
        gh[j] = drPre;
        gh[H + j] = dzPre;
        gh[2 * H + j] = dnPre * r;
        carry[b * H + j] = dh * z; // the direct path h' ← z ⊙ h
      }
      for (let g = 0; g < G; g++) {
        gP[oBi + g] = (gP[oBi + g] as number) + (gi[g] as number);
        gP[oBh + g] = (gP[oBh + g] as number) + (gh[g] as number);
      }
      for (let i = 0; i < I; i++) {
        const x = xs[row * I + i] as number;
        let dx = 0;
        for (let g = 0; g < G; g++) {
          gP[i * G + g] = (gP[i * G + g] as number) + x * (gi[g] as number);
          dx += (p[i * G + g] as number) * (gi[g] as number);
        }
        if (gXs) gXs[row * I + i] = dx;
      }
      for (let k = 0; k < H; k++) {
        const h = tape[TB * (G + H) + row * H + k] as number;
        let dh = 0;
        for (let g = 0; g < G; g++) {
          gP[oWh + k * G + g] = (gP[oWh + k * G + g] as number) + h * (gh[g] as number);
          dh += (p[oWh + k * G + g] as number) * (gh[g] as number);
        }
        carry[b * H + k] = (carry[b * H + k] as number) + dh;
      }
      // A reset fed zeros into this step: nothing flows to the state before it.
      if (resets?.[row]) carry.fill(0, b * H, b * H + H);
    }
  }
  gParams.set(gP);
  if (gH0) gH0.set(carry);
}

export const gruForward: NnKernels['gruForward'] = gruForwardAny;
export const gruBackward: NnKernels['gruBackward'] = gruBackwardAny;
