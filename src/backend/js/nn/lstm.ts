// Twin of native/core/nn/lstm.cc: LSTM forward over time-major sequences with reset masks, and
// BPTT (optionally truncated). Same layouts (src/backend/kernels/nn.ts); double-precision math with
// exact σ and tanh, so with Float64Array buffers (lstmForwardAny / lstmBackwardAny) it is the
// float64 reference of the finite-difference tests. Single-threaded; grow-only scratch.
import type { GruBackwardScalars, GruScalars, NnKernels } from '../../kernels/nn.js';
import type { GruBuf } from './gru.js';

let scratch = new Float64Array(0);
function take(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** lstmForward on buffers of either precision. */
export function lstmForwardAny(
  p: GruBuf,
  xs: GruBuf,
  h0: GruBuf | null,
  c0: GruBuf | null,
  resets: Uint8Array | null,
  hs: GruBuf,
  cs: GruBuf,
  tape: GruBuf | null,
  s: GruScalars,
): void {
  const { inputSize: I, hiddenSize: H, steps: T, batch: B } = s;
  const G = 4 * H;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const TB = T * B;
  const w = take(G + 2 * H);
  const a = w.subarray(0, G); // pre-activations of i, f, g, o
  const hp = w.subarray(G, G + H);
  const cp = w.subarray(G + H, G + 2 * H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      if (resets?.[row]) {
        hp.fill(0);
        cp.fill(0);
      } else if (t > 0) {
        for (let j = 0; j < H; j++) {
          hp[j] = hs[(row - B) * H + j] as number;
          cp[j] = cs[(row - B) * H + j] as number;
        }
      } else {
        for (let j = 0; j < H; j++) {
          hp[j] = h0 ? (h0[b * H + j] as number) : 0;
          cp[j] = c0 ? (c0[b * H + j] as number) : 0;
        }
      }
      for (let g = 0; g < G; g++) a[g] = (p[oBi + g] as number) + (p[oBh + g] as number);
      for (let i = 0; i < I; i++) {
        const x = xs[row * I + i] as number;
        if (x !== 0) for (let g = 0; g < G; g++) a[g] = (a[g] as number) + x * (p[i * G + g] as number);
      }
      for (let k = 0; k < H; k++) {
        const h = hp[k] as number;
        if (h !== 0) for (let g = 0; g < G; g++) a[g] = (a[g] as number) + h * (p[oWh + k * G + g] as number);
      }
      for (let j = 0; j < H; j++) {
        const gi = sigmoid(a[j] as number);
        const gf = sigmoid(a[H + j] as number);
        const gg = Math.tanh(a[2 * H + j] as number);
        const go = sigmoid(a[3 * H + j] as number);
        const c = gf * (cp[j] as number) + gi * gg;
        const tc = Math.tanh(c);
        cs[row * H + j] = c;
        hs[row * H + j] = go * tc;
        if (tape) {
          tape[row * G + j] = gi;
          tape[row * G + H + j] = gf;
          tape[row * G + 2 * H + j] = gg;
          tape[row * G + 3 * H + j] = go;
          tape[TB * G + row * H + j] = cp[j] as number;
          tape[TB * (G + H) + row * H + j] = tc;
          tape[TB * (G + 2 * H) + row * H + j] = hp[j] as number;
        }
      }
    }
  }
}

/** lstmBackward on buffers of either precision (`work` unused: the scratch is double). */
export function lstmBackwardAny(
  p: GruBuf,
  xs: GruBuf,
  resets: Uint8Array | null,
  tape: GruBuf,
  dHs: GruBuf,
  gParams: GruBuf,
  gXs: GruBuf | null,
  gH0: GruBuf | null,
  gC0: GruBuf | null,
  _work: GruBuf,
  s: GruBackwardScalars,
): void {
  const { inputSize: I, hiddenSize: H, steps: T, batch: B, truncate: K } = s;
  const G = 4 * H;
  const P = (I + H + 2) * G;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const TB = T * B;
  const w = take(P + 2 * B * H + G);
  const gP = w.subarray(0, P);
  const carryH = w.subarray(P, P + B * H); // ∂L/∂h_t and ∂L/∂c_t flowing back from step t + 1
  const carryC = w.subarray(P + B * H, P + 2 * B * H);
  const da = w.subarray(P + 2 * B * H, P + 2 * B * H + G);
  gP.fill(0);
  carryH.fill(0);
  carryC.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const keep = K > 0 && (t + 1) % K === 0 ? 0 : 1;
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      for (let j = 0; j < H; j++) {
        const gi = tape[row * G + j] as number;
        const gf = tape[row * G + H + j] as number;
        const gg = tape[row * G + 2 * H + j] as number;
        const go = tape[row * G + 3 * H + j] as number;
        const cp = tape[TB * G + row * H + j] as number;
        const tc = tape[TB * (G + H) + row * H + j] as number;
        const dh = (dHs[row * H + j] as number) + keep * (carryH[b * H + j] as number);
        const dc = keep * (carryC[b * H + j] as number) + dh * go * (1 - tc * tc);
        da[j] = dc * gg * gi * (1 - gi);
        da[H + j] = dc * cp * gf * (1 - gf);
        da[2 * H + j] = dc * gi * (1 - gg * gg);
        da[3 * H + j] = dh * tc * go * (1 - go);
        carryC[b * H + j] = dc * gf;
      }
      for (let g = 0; g < G; g++) {
        gP[oBi + g] = (gP[oBi + g] as number) + (da[g] as number);
        gP[oBh + g] = (gP[oBh + g] as number) + (da[g] as number);
      }
      for (let i = 0; i < I; i++) {
        const x = xs[row * I + i] as number;
        let dx = 0;
        for (let g = 0; g < G; g++) {
          gP[i * G + g] = (gP[i * G + g] as number) + x * (da[g] as number);
          dx += (p[i * G + g] as number) * (da[g] as number);
        }
        if (gXs) gXs[row * I + i] = dx;
      }
      for (let k = 0; k < H; k++) {
        const h = tape[TB * (G + 2 * H) + row * H + k] as number;
        let dh = 0;
        for (let g = 0; g < G; g++) {
          gP[oWh + k * G + g] = (gP[oWh + k * G + g] as number) + h * (da[g] as number);
          dh += (p[oWh + k * G + g] as number) * (da[g] as number);
        }
        carryH[b * H + k] = dh;
      }
      // A reset fed zeros into this step: nothing flows to the state before it.
      if (resets?.[row]) {
        carryH.fill(0, b * H, b * H + H);
        carryC.fill(0, b * H, b * H + H);
      }
    }
  }
  gParams.set(gP);
  if (gH0) gH0.set(carryH);
  if (gC0) gC0.set(carryC);
}

export const lstmForward: NnKernels['lstmForward'] = lstmForwardAny;
export const lstmBackward: NnKernels['lstmBackward'] = lstmBackwardAny;
