// Batched policy rollouts: the twin of native/core/rollout/rollout.{h,cc}. Single-threaded: the
// whole batch goes through the MLP at once each step. Head math and the observation statistics
// run in double, like the C++.
import type { RolloutKernels } from '../../kernels/rollout.js';
import { opsOf, parseConfig, stepRange } from '../envs/env.js';
import { mlpForward } from '../nn/mlp.js';
import { derive, FOLD_DOMAIN, philoxBlock } from '../rng/philox.js';

const HALF_LOG_2PI = 0.9189385332046728;
const INV_2_24 = 1 / 16777216;
const TWO_PI = 6.283185307179586;
const IDENTITY = 0;

const blk = new Uint32Array(4);
const z = new Float64Array(4);

function boxMuller(w0: number, w1: number, out: Float64Array, off: number): void {
  const u1 = ((w0 >>> 8) + 1) * INV_2_24;
  const u2 = (w1 >>> 8) * INV_2_24;
  const r = Math.sqrt(-2 * Math.log(u1));
  out[off] = Math.fround(r * Math.cos(TWO_PI * u2));
  out[off + 1] = Math.fround(r * Math.sin(TWO_PI * u2));
}

function block(k0: number, k1: number, b: number): void {
  philoxBlock(k0, k1, b >>> 0, Math.floor(b / 4294967296) >>> 0, 0, 0, blk, 0);
}

let expScratch = new Float64Array(64);

/**
 * Samples from logits[off..off+k); writes the log-probability at lp[lpOff]; returns the action.
 * Compares u * sum(e) with the running sum of e = exp(l - max), as the C++ does.
 */
function sampleCategorical(
  logits: Float32Array,
  off: number,
  k: number,
  word: number,
  lp: Float32Array,
  lpOff: number,
): number {
  if (expScratch.length < k) expScratch = new Float64Array(k);
  const e = expScratch;
  let m = logits[off] as number;
  for (let j = 1; j < k; j++) m = Math.max(m, logits[off + j] as number);
  let s = 0;
  for (let j = 0; j < k; j++) {
    // exp(0) is exactly 1: the largest logit needs no exp (as in the native kernel).
    const l = logits[off + j] as number;
    const v = l === m ? 1 : Math.exp(l - m);
    e[j] = v;
    s += v;
  }
  const target = (word >>> 8) * INV_2_24 * s;
  let cum = 0;
  let a = k - 1;
  for (let j = 0; j < k; j++) {
    cum += e[j] as number;
    if (target < cum) {
      a = j;
      break;
    }
  }
  lp[lpOff] = (logits[off + a] as number) - m - Math.log(s);
  return a;
}

function sampleGaussian(
  mean: Float32Array,
  mOff: number,
  logStd: Float32Array,
  dim: number,
  k0: number,
  k1: number,
  firstBlock: number,
  act: Float32Array,
  aOff: number,
): number {
  let lp = 0;
  for (let j = 0; j < dim; j += 4) {
    block(k0, k1, firstBlock + j / 4);
    boxMuller(blk[0] as number, blk[1] as number, z, 0);
    boxMuller(blk[2] as number, blk[3] as number, z, 2);
    for (let l = 0; l < 4 && j + l < dim; l++) {
      const zl = z[l] as number;
      const ls = logStd[j + l] as number;
      act[aOff + j + l] = (mean[mOff + j + l] as number) + Math.exp(ls) * zl;
      lp += -0.5 * zl * zl - ls - HALF_LOG_2PI;
    }
  }
  return Math.fround(lp);
}

/** Folds `rows` observations into stats = [count, mean[d], var[d]] (the C++ foldStats). */
function foldStats(stats: Float64Array, x: Float32Array, rows: number, d: number): void {
  const count = stats[0] as number;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += x[i * d + j] as number;
    const bMean = sum / rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) {
      const e = (x[i * d + j] as number) - bMean;
      ss += e * e;
    }
    const bVar = ss / rows;
    const mean = stats[1 + j] as number;
    const delta = bMean - mean;
    const total = count + rows;
    stats[1 + j] = mean + (delta * rows) / total;
    const m2 = (stats[1 + d + j] as number) * count + bVar * rows + (delta * delta * count * rows) / total;
    stats[1 + d + j] = m2 / total;
  }
  stats[0] = count + rows;
}

/** out = clip((raw − mean) / √(var + 1e-8), ±clip) for `rows` rows (out may be raw). */
function normalize(stats: Float64Array, clip: number, raw: Float32Array, rows: number, d: number, out: Float32Array) {
  for (let j = 0; j < d; j++) {
    const m = stats[1 + j] as number;
    const inv = 1 / Math.sqrt((stats[1 + d + j] as number) + 1e-8);
    for (let i = 0; i < rows; i++) {
      const v = ((raw[i * d + j] as number) - m) * inv;
      out[i * d + j] = v > clip ? clip : Math.max(v, -clip);
    }
  }
}

export const rolloutRun: RolloutKernels['rolloutRun'] = (a) => {
  const cfg = parseConfig(a.config);
  const op = opsOf(cfg);
  const d = op.dims(cfg);
  const N = a.elapsed.length;
  const T = a.steps;
  const od = d.obs;
  const discrete = d.discrete > 0;
  const k = discrete ? d.discrete : d.action;
  const B = discrete ? 1 : Math.ceil(d.action / 4);
  const pw = a.policySizes[a.policySizes.length - 1] as number;
  const stats = a.obsStats.length > 0 ? a.obsStats : null;
  const clipActions = !discrete && a.actionLow.length > 0;
  const out = new Float32Array(N * pw);
  const finalObs = new Float32Array(N * od);
  const gathered = new Float32Array(N * od);
  const gatheredOut = new Float32Array(N * pw);
  const gatheredVal = new Float32Array(N);
  const truncRows = new Int32Array(N);
  const envActions = new Float32Array(clipActions ? N * d.action : 0);
  const keys = new Uint32Array(2 * N);
  const kk = new Uint32Array(2);
  for (let i = 0; i < N; i++) {
    derive(a.key[0] as number, a.key[1] as number, i, FOLD_DOMAIN, kk);
    keys[2 * i] = kk[0] as number;
    keys[2 * i + 1] = kk[1] as number;
  }
  const batch = { n: N, state: a.state, tasks: a.tasks, elapsed: a.elapsed, rng: a.rng };

  // values of `rows` policy inputs x into v
  const valuesOf = (x: Float32Array, rows: number, v: Float32Array): void => {
    if (rows === 0) return;
    if (a.valueMode === 'none') v.fill(0, 0, rows);
    else if (a.valueMode === 'head') {
      mlpForward(a.policySizes, a.policyHidden, IDENTITY, a.policyParams, x, rows, gatheredOut);
      for (let r = 0; r < rows; r++) v[r] = gatheredOut[r * pw + pw - 1] as number;
    } else {
      mlpForward(a.valueSizes as Int32Array, a.valueHidden ?? 0, IDENTITY, a.valueParams as Float32Array, x, rows, v);
    }
  };

  for (let t = 0; t < T; t++) {
    const o = t * N;
    // The policy input, stored: the observations, normalized with this step's statistics.
    const x = a.trajObs.subarray(o * od, (o + N) * od);
    if (stats) {
      foldStats(stats, a.obs, N, od);
      normalize(stats, a.clipObs, a.obs, N, od, x);
    } else x.set(a.obs);
    mlpForward(a.policySizes, a.policyHidden, IDENTITY, a.policyParams, x, N, out);
    if (a.valueMode === 'head') for (let i = 0; i < N; i++) a.values[o + i] = out[i * pw + pw - 1] as number;
    else if (a.valueMode === 'separate') valuesOf(x, N, a.values.subarray(o, o + N));
    else a.values.fill(0, o, o + N);
    if (a.heads.length > 0) for (let i = 0; i < N; i++) a.heads.set(out.subarray(i * pw, i * pw + k), (o + i) * k);
    const firstBlock = a.counter + t * B;
    for (let i = 0; i < N; i++) {
      if (discrete) {
        block(keys[2 * i] as number, keys[2 * i + 1] as number, firstBlock);
        (a.actions as Int32Array)[o + i] = sampleCategorical(
          out,
          i * pw,
          d.discrete,
          blk[0] as number,
          a.logProbs,
          o + i,
        );
      } else {
        a.logProbs[o + i] = sampleGaussian(
          out,
          i * pw,
          a.logStd,
          d.action,
          keys[2 * i] as number,
          keys[2 * i + 1] as number,
          firstBlock,
          a.actions as Float32Array,
          (o + i) * d.action,
        );
      }
    }
    // step (clipped box actions go to the env; the stored ones stay as sampled)
    let stepActions = discrete
      ? (a.actions as Int32Array).subarray(o, o + N)
      : (a.actions as Float32Array).subarray(o * d.action, (o + N) * d.action);
    if (clipActions) {
      const ad = d.action;
      for (let j = 0; j < N * ad; j++) {
        const v = stepActions[j] as number;
        const lo = a.actionLow[j % ad] as number;
        envActions[j] = v < lo ? lo : Math.min(v, a.actionHigh[j % ad] as number);
      }
      stepActions = envActions;
    }
    stepRange(
      op,
      cfg,
      batch,
      stepActions,
      {
        obs: a.obs,
        reward: a.rewards.subarray(o, o + N),
        terminated: a.terminated.subarray(o, o + N),
        truncated: a.truncated.subarray(o, o + N),
        finalObs,
      },
      0,
      N,
    );
    let nTrunc = 0;
    for (let i = 0; i < N; i++) {
      a.finalValues[o + i] = 0;
      const term = a.terminated[o + i] as number;
      const trunc = a.truncated[o + i] as number;
      if (trunc && !term) {
        gathered.set(finalObs.subarray(i * od, (i + 1) * od), nTrunc * od);
        truncRows[nTrunc++] = i;
      }
      let ret = Math.fround((a.episodeReturn[i] as number) + (a.rewards[o + i] as number));
      let len = (a.episodeLength[i] as number) + 1;
      if (term | trunc) {
        a.doneReturn[o + i] = ret;
        a.doneLength[o + i] = len;
        ret = 0;
        len = 0;
      } else {
        a.doneReturn[o + i] = 0;
        a.doneLength[o + i] = 0;
      }
      a.episodeReturn[i] = ret;
      a.episodeLength[i] = len;
    }
    if (nTrunc > 0 && a.valueMode !== 'none') {
      if (stats) normalize(stats, a.clipObs, gathered, nTrunc, od, gathered);
      valuesOf(gathered, nTrunc, gatheredVal);
      for (let r = 0; r < nTrunc; r++) a.finalValues[o + (truncRows[r] as number)] = gatheredVal[r] as number;
    }
  }
  if (stats) {
    normalize(stats, a.clipObs, a.obs, N, od, gathered);
    valuesOf(gathered, N, a.lastValues);
  } else valuesOf(a.obs, N, a.lastValues);
};

export const rolloutRunAsync: RolloutKernels['rolloutRunAsync'] = async (a) => rolloutRun(a);
