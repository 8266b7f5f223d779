// Batched population evaluation: the twin of native/core/es/population_rollout.cc (semantics
// documented there). Buffers are allocated once per call and reused across members.

import type { EsKernels } from '../../kernels/es.js';
import { type Batch, type Dims, opsOf, parseConfig, resetAll, seedRows, stepRange } from '../envs/env.js';
import { mlpForward } from '../nn/mlp.js';
import { derive, FOLD_DOMAIN } from '../rng/philox.js';

const MAX_WIDTH = 1 << 20; // native/napi/mlp_arg.h's kMaxMlpWidth
const NO_STATS = new Float32Array(0);

function paramCountOf(sizes: Int32Array): number {
  if (sizes.length < 2) throw new RangeError(`sizes: expected at least 2 widths, got ${sizes.length}`);
  let n = 0;
  for (let l = 0; l < sizes.length; l++) {
    const w = sizes[l] as number;
    if (w < 1 || w > MAX_WIDTH) throw new RangeError(`sizes[${l}]: expected an integer in [1, ${MAX_WIDTH}], got ${w}`);
    if (l > 0) n += ((sizes[l - 1] as number) + 1) * w;
  }
  return n;
}

function checkInt(x: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(x) || x < min || x > max)
    throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${x}`);
}

export const esRolloutPolicies: EsKernels['esRolloutPolicies'] = (
  config,
  sizes,
  params,
  key,
  tasks,
  returns,
  lengths,
  descriptors,
  scalars,
  // A default, not an optional parameter: the twin's arity stays the native table's 9.
  actionStats = NO_STATS,
) => {
  const { hidden, output, envsPerMember, maxSteps, commonEnvSeeds } = scalars;
  const cfg = parseConfig(config);
  const op = opsOf(cfg);
  const d: Dims = op.dims(cfg);
  const paramCount = paramCountOf(sizes);
  checkInt(hidden, 'scalars.hidden', 0, 6);
  checkInt(output, 'scalars.output', 0, 6);
  if (sizes[0] !== d.obs) throw new RangeError(`sizes[0]: expected the observation size ${d.obs}, got ${sizes[0]}`);
  const actionWidth = d.discrete > 0 ? d.discrete : d.action;
  if (sizes[sizes.length - 1] !== actionWidth)
    throw new RangeError(`sizes[last]: expected ${actionWidth}, got ${sizes[sizes.length - 1]}`);
  const P = returns.length;
  if (P === 0) throw new RangeError('returns: expected at least one member (length >= 1)');
  if (params.length !== P * paramCount)
    throw new RangeError(`params: expected length ${P * paramCount}, got ${params.length}`);
  checkInt(envsPerMember, 'scalars.envsPerMember', 1, 1 << 20);
  checkInt(maxSteps, 'scalars.maxSteps', 1, 1 << 30);
  if (key.length !== 2) throw new RangeError(`key: expected length 2, got ${key.length}`);
  const E = envsPerMember;
  if (tasks.length !== d.task * E) throw new RangeError(`tasks: expected length ${d.task * E}, got ${tasks.length}`);
  if (lengths.length !== P) throw new RangeError(`lengths: expected length ${P}, got ${lengths.length}`);
  if (descriptors.length !== P * d.obs)
    throw new RangeError(`descriptors: expected length ${P * d.obs}, got ${descriptors.length}`);
  const stats = actionStats.length > 0;
  if (stats && actionStats.length !== P * actionWidth)
    throw new RangeError(`actionStats: expected length ${P * actionWidth}, got ${actionStats.length}`);
  const actAcc = new Float64Array(stats ? actionWidth : 0);

  const b: Batch = {
    n: E,
    state: new Float32Array(d.state * E),
    tasks,
    elapsed: new Int32Array(E),
    rng: new Uint32Array(4 * E),
  };
  const obs = new Float32Array(d.obs * E);
  const out = {
    obs,
    reward: new Float32Array(E),
    terminated: new Uint8Array(E),
    truncated: new Uint8Array(E),
    finalObs: new Float32Array(d.obs * E),
  };
  const outW = sizes[sizes.length - 1] as number;
  const logits = new Float32Array(outW * E);
  const discrete = new Int32Array(E);
  const box = new Float32Array(d.discrete > 0 ? 0 : d.action * E);
  const actions = d.discrete > 0 ? discrete : box;
  const episodeReturn = new Float64Array(E);
  const active = new Uint8Array(E);
  const descAcc = new Float64Array(d.obs);
  const memberKey = new Uint32Array(2);

  for (let m = 0; m < P; m++) {
    if (commonEnvSeeds) memberKey.set(key);
    else derive(key[0] as number, key[1] as number, m, FOLD_DOMAIN, memberKey);
    seedRows(memberKey, b.rng);
    resetAll(op, cfg, b, obs);
    episodeReturn.fill(0);
    active.fill(1);
    descAcc.fill(0);
    actAcc.fill(0);
    const theta = params.subarray(m * paramCount, (m + 1) * paramCount);
    let steps = 0;
    let running = E;
    for (let t = 0; t < maxSteps && running > 0; t++) {
      mlpForward(sizes, hidden, output, theta, obs, E, logits);
      if (d.discrete > 0) {
        for (let e = 0; e < E; e++) {
          const o = e * outW;
          let best = 0;
          for (let a = 1; a < outW; a++) if ((logits[o + a] as number) > (logits[o + best] as number)) best = a;
          discrete[e] = best;
        }
      } else {
        for (let i = 0; i < box.length; i++) {
          const v = logits[i] as number;
          box[i] = Number.isNaN(v) ? 0 : v;
        }
      }
      stepRange(op, cfg, b, actions, out, 0, E);
      for (let e = 0; e < E; e++) {
        if (!active[e]) continue;
        episodeReturn[e] = (episodeReturn[e] as number) + (out.reward[e] as number);
        steps++;
        if (stats) {
          if (d.discrete > 0) actAcc[discrete[e] as number] = (actAcc[discrete[e] as number] as number) + 1;
          else for (let j = 0; j < d.action; j++) actAcc[j] = (actAcc[j] as number) + (box[e * d.action + j] as number);
        }
        if (out.terminated[e] || out.truncated[e] || t + 1 === maxSteps) {
          active[e] = 0;
          running--;
          for (let c = 0; c < d.obs; c++) descAcc[c] = (descAcc[c] as number) + (out.finalObs[e * d.obs + c] as number);
        }
      }
    }
    let total = 0;
    for (let e = 0; e < E; e++) total += episodeReturn[e] as number;
    returns[m] = total / E;
    lengths[m] = steps;
    for (let c = 0; c < d.obs; c++) descriptors[m * d.obs + c] = (descAcc[c] as number) / E;
    if (stats)
      for (let j = 0; j < actionWidth; j++)
        actionStats[m * actionWidth + j] = steps > 0 ? (actAcc[j] as number) / steps : 0;
  }
};

// The js backend has no worker threads: it computes synchronously and returns a settled promise.
export const esRolloutPoliciesAsync: EsKernels['esRolloutPoliciesAsync'] = async (
  config,
  sizes,
  params,
  key,
  tasks,
  returns,
  lengths,
  descriptors,
  scalars,
  actionStats = NO_STATS,
) => esRolloutPolicies(config, sizes, params, key, tasks, returns, lengths, descriptors, scalars, actionStats);
