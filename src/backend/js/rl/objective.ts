// TypeScript twin of native/core/rl/objective.cc: the same arithmetic in the same order (in
// doubles), so the two backends agree to float32 rounding. Scratch buffers are reused.
import type { RlKernels, RlObjectiveOptions } from '../../kernels/rl.js';
import { checkLpoOptions, driftBatch, driftValues } from './drift.js';

const HALF_LOG_2PI = 0.9189385332046727;

let logProb = new Float64Array(16);
let oldLogProb = new Float64Array(16);
let dLs = new Float64Array(16);

function ensure(n: number): void {
  if (logProb.length < n) {
    logProb = new Float64Array(n);
    oldLogProb = new Float64Array(n);
    dLs = new Float64Array(n);
  }
}

// Mean and 1/(std + 1e-8) of the minibatch advantages (unbiased std, as torch's .std()), in advScale.
const advScale = new Float64Array(2);
function advantageScale(batch: number, adv: Float32Array, normalize: boolean): void {
  advScale[0] = 0;
  advScale[1] = 1;
  if (!normalize || batch < 2) return;
  let s = 0;
  for (let i = 0; i < batch; i++) s += adv[i] as number;
  const m = s / batch;
  let ss = 0;
  for (let i = 0; i < batch; i++) {
    const d = (adv[i] as number) - m;
    ss += d * d;
  }
  advScale[0] = m;
  advScale[1] = 1 / (Math.sqrt(ss / (batch - 1)) + 1e-8);
}

// The objective term (to maximize) and its derivative w.r.t. log pi(a|s), in term[0..1]. driftI:
// the sample's index in driftBatch ('lpo' only).
const term = new Float64Array(2);
function objectiveTerm(o: RlObjectiveOptions, logp: number, oldLogp: number, a: number, driftI: number): void {
  const logRatio = logp - oldLogp;
  const r = Math.exp(logRatio);
  if (o.objective === 'clip') {
    const eps = o.clipEps;
    const unclipped = r * a;
    const clipped = Math.min(Math.max(r, 1 - eps), 1 + eps) * a;
    term[0] = Math.min(unclipped, clipped);
    term[1] = unclipped <= clipped ? unclipped : 0;
  } else if (o.objective === 'dpo') {
    let u: number;
    let s: number;
    let du: number;
    if (a >= 0) {
      u = (r - 1) * a;
      s = o.dpoAlpha;
      du = r * a;
    } else {
      u = logRatio * a;
      s = o.dpoBeta;
      du = a;
    }
    let drift = 0;
    let dDrift = 0;
    if (u > 0) {
      const t = Math.tanh(u / s);
      drift = u - s * t;
      dDrift = t * t * du;
    }
    term[0] = r * a - drift;
    term[1] = r * a - dDrift;
  } else if (o.objective === 'mdpo') {
    term[0] = r * a;
    term[1] = r * a;
  } else if (o.objective === 'lpo') {
    // term = r A − D(r, A); d/dlogp = r A − r ∂D/∂r (dr/dlogp = r).
    term[0] = r * a - (driftBatch.d[driftI] as number);
    term[1] = r * a - r * (driftBatch.dDr[driftI] as number);
  } else {
    term[0] = logp * a;
    term[1] = a;
  }
}

/** log of the softmax normalizer of logits[o, o + n) (max-shifted): log p_j = z_j − logZ. */
function logNormalizer(logits: Float32Array, o: number, n: number): number {
  let zMax = logits[o] as number;
  for (let j = 1; j < n; j++) zMax = Math.max(zMax, logits[o + j] as number);
  let sumExp = 0;
  for (let j = 0; j < n; j++) sumExp += Math.exp((logits[o + j] as number) - zMax);
  return zMax + Math.log(sumExp);
}

/** log N(actions[o..]; mean[o..], diag(exp(logStd))²). */
function gaussianLogp(mean: Float32Array, actions: Float32Array, logStd: Float32Array, o: number): number {
  let logp = 0;
  for (let d = 0; d < logStd.length; d++) {
    const z = ((actions[o + d] as number) - (mean[o + d] as number)) * Math.exp(-(logStd[d] as number));
    logp += -0.5 * z * z - (logStd[d] as number) - HALF_LOG_2PI;
  }
  return logp;
}

/**
 * 'lpo': checks the drift fields as the native binding does (before anything else), then the drift
 * at every sample into driftBatch, ahead of the main pass (as native). logp(i) must be the main
 * pass's log π(a_i|s_i), bit for bit (the same helper computes both).
 */
function lpoPass(
  o: RlObjectiveOptions,
  oldLogp: Float32Array,
  adv: Float32Array,
  advMean: number,
  advInvStd: number,
  logp: (i: number) => number,
): void {
  if (o.objective !== 'lpo') return;
  const batch = adv.length;
  driftBatch.reserve(batch);
  for (let i = 0; i < batch; i++) {
    driftBatch.r[i] = Math.exp(logp(i) - (oldLogp[i] as number));
    driftBatch.a[i] = ((adv[i] as number) - advMean) * advInvStd;
  }
  driftValues(o, batch);
}

export const rlCategoricalObjective: RlKernels['rlCategoricalObjective'] = (
  logits,
  actions,
  oldLogp,
  advantages,
  oldLogits,
  dLogits,
  stats,
  options,
) => {
  if (options.objective === 'lpo') checkLpoOptions(options);
  const batch = advantages.length;
  const n = logits.length / batch;
  ensure(n);
  advantageScale(batch, advantages, options.normalizeAdv);
  const advMean = advScale[0] as number;
  const advInvStd = advScale[1] as number;
  lpoPass(
    options,
    oldLogp,
    advantages,
    advMean,
    advInvStd,
    (i) => (logits[i * n + (actions[i] as number)] as number) - logNormalizer(logits, i * n, n),
  );
  const eps = options.clipEps;
  const entCoef = options.entCoef;
  const klCoef = options.objective === 'mdpo' ? options.klCoef : 0;
  const mdpo = options.objective === 'mdpo' && oldLogits.length > 0;
  const invB = 1 / batch;
  let surrogate = 0;
  let entropy = 0;
  let approxKl = 0;
  let clipped = 0;
  let klOld = 0;

  for (let i = 0; i < batch; i++) {
    const o = i * n;
    const logZ = logNormalizer(logits, o, n);
    let h = 0;
    for (let j = 0; j < n; j++) {
      const lp = (logits[o + j] as number) - logZ;
      logProb[j] = lp;
      h -= Math.exp(lp) * lp;
    }
    let kl = 0;
    if (mdpo) {
      let oMax = oldLogits[o] as number;
      for (let j = 1; j < n; j++) oMax = Math.max(oMax, oldLogits[o + j] as number);
      let oSum = 0;
      for (let j = 0; j < n; j++) oSum += Math.exp((oldLogits[o + j] as number) - oMax);
      const oLogZ = oMax + Math.log(oSum);
      for (let j = 0; j < n; j++) {
        const olp = (oldLogits[o + j] as number) - oLogZ;
        oldLogProb[j] = olp;
        const lp = logProb[j] as number;
        kl += Math.exp(lp) * (lp - olp);
      }
    }

    const act = actions[i] as number;
    const a = ((advantages[i] as number) - advMean) * advInvStd;
    const logRatio = (logProb[act] as number) - (oldLogp[i] as number);
    objectiveTerm(options, logProb[act] as number, oldLogp[i] as number, a, i);
    const dLogp = term[1] as number;
    surrogate -= term[0] as number;
    entropy += h;
    klOld += kl;
    approxKl += Math.expm1(logRatio) - logRatio;
    clipped += Math.abs(Math.expm1(logRatio)) > eps ? 1 : 0;

    for (let j = 0; j < n; j++) {
      const lp = logProb[j] as number;
      const p = Math.exp(lp);
      let g = -dLogp * ((j === act ? 1 : 0) - p);
      g += entCoef * p * (lp + h);
      if (mdpo) g += klCoef * p * (lp - (oldLogProb[j] as number) - kl);
      dLogits[o + j] = g * invB;
    }
  }
  stats.record(
    surrogate * invB,
    entropy * invB,
    approxKl * invB,
    clipped * invB,
    klOld * invB,
    (surrogate - entCoef * entropy + (mdpo ? klCoef * klOld : 0)) * invB,
  );
};

export const rlGaussianObjective: RlKernels['rlGaussianObjective'] = (
  mean,
  logStd,
  actions,
  oldLogp,
  advantages,
  oldMean,
  oldLogStd,
  dMean,
  dLogStd,
  stats,
  options,
) => {
  if (options.objective === 'lpo') checkLpoOptions(options);
  const batch = advantages.length;
  const dim = logStd.length;
  ensure(dim);
  advantageScale(batch, advantages, options.normalizeAdv);
  const advMean = advScale[0] as number;
  const advInvStd = advScale[1] as number;
  lpoPass(options, oldLogp, advantages, advMean, advInvStd, (i) => gaussianLogp(mean, actions, logStd, i * dim));
  const eps = options.clipEps;
  const entCoef = options.entCoef;
  const klCoef = options.objective === 'mdpo' ? options.klCoef : 0;
  const mdpo = options.objective === 'mdpo' && oldMean.length > 0 && oldLogStd.length > 0;
  const invB = 1 / batch;
  dLs.fill(0, 0, dim);
  let surrogate = 0;
  let approxKl = 0;
  let clipped = 0;
  let klOld = 0;

  let h = 0;
  for (let d = 0; d < dim; d++) h += (logStd[d] as number) + HALF_LOG_2PI + 0.5;

  for (let i = 0; i < batch; i++) {
    const o = i * dim;
    const logp = gaussianLogp(mean, actions, logStd, o);
    const a = ((advantages[i] as number) - advMean) * advInvStd;
    const logRatio = logp - (oldLogp[i] as number);
    objectiveTerm(options, logp, oldLogp[i] as number, a, i);
    const dLogp = term[1] as number;
    surrogate -= term[0] as number;
    approxKl += Math.expm1(logRatio) - logRatio;
    clipped += Math.abs(Math.expm1(logRatio)) > eps ? 1 : 0;

    for (let d = 0; d < dim; d++) {
      const ls = logStd[d] as number;
      const invVar = Math.exp(-2 * ls);
      const diff = (actions[o + d] as number) - (mean[o + d] as number);
      let gMu = -dLogp * diff * invVar;
      let gLs = -dLogp * (diff * diff * invVar - 1) - entCoef;
      if (mdpo) {
        const ols = oldLogStd[d] as number;
        const oInvVar = Math.exp(-2 * ols);
        const dm = (mean[o + d] as number) - (oldMean[o + d] as number);
        const variance = Math.exp(2 * ls);
        klOld += ols - ls + 0.5 * (variance + dm * dm) * oInvVar - 0.5;
        gMu += klCoef * dm * oInvVar;
        gLs += klCoef * (variance * oInvVar - 1);
      }
      dMean[o + d] = gMu * invB;
      dLs[d] = (dLs[d] as number) + gLs;
    }
  }
  for (let d = 0; d < dim; d++) dLogStd[d] = (dLs[d] as number) * invB;
  stats.record(
    surrogate * invB,
    h,
    approxKl * invB,
    clipped * invB,
    klOld * invB,
    surrogate * invB - entCoef * h + (mdpo ? klCoef * klOld * invB : 0),
  );
};

export const rlValueLoss: RlKernels['rlValueLoss'] = (batch, values, oldValues, returns, clipEps, vfCoef, dValues) => {
  const invB = 1 / batch;
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const v = values[i] as number;
    const ret = returns[i] as number;
    const e = v - ret;
    let g = e;
    let sq = e * e;
    if (clipEps > 0) {
      const old = oldValues[i] as number;
      const delta = v - old;
      const vc = old + Math.min(Math.max(delta, -clipEps), clipEps);
      const ec = vc - ret;
      if (ec * ec > sq) {
        sq = ec * ec;
        g = Math.abs(delta) < clipEps ? ec : 0;
      }
    }
    loss += sq;
    dValues[i] = vfCoef * g * invB;
  }
  return 0.5 * loss * invB;
};

export const rlCategoricalSample: RlKernels['rlCategoricalSample'] = (batch, n, logits, uniforms, actions, logp) => {
  const sample = uniforms.length > 0;
  for (let i = 0; i < batch; i++) {
    const o = i * n;
    let zMax = logits[o] as number;
    let arg = 0;
    for (let j = 1; j < n; j++) {
      if ((logits[o + j] as number) > zMax) {
        zMax = logits[o + j] as number;
        arg = j;
      }
    }
    let sumExp = 0;
    for (let j = 0; j < n; j++) sumExp += Math.exp((logits[o + j] as number) - zMax);
    let pick = arg;
    if (sample) {
      const target = (uniforms[i] as number) * sumExp;
      let c = 0;
      pick = n - 1;
      for (let j = 0; j < n - 1; j++) {
        c += Math.exp((logits[o + j] as number) - zMax);
        if (target < c) {
          pick = j;
          break;
        }
      }
    }
    actions[i] = pick;
    logp[i] = (logits[o + pick] as number) - zMax - Math.log(sumExp);
  }
};

export const rlGaussianSample: RlKernels['rlGaussianSample'] = (batch, dim, mean, logStd, normals, actions, logp) => {
  const sample = normals.length > 0;
  for (let i = 0; i < batch; i++) {
    let lp = 0;
    for (let d = 0; d < dim; d++) {
      const k = i * dim + d;
      const eps = sample ? (normals[k] as number) : 0;
      const ls = logStd[d] as number;
      actions[k] = (mean[k] as number) + Math.exp(ls) * eps;
      lp += -0.5 * eps * eps - ls - HALF_LOG_2PI;
    }
    logp[i] = lp;
  }
};
