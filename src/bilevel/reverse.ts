// Reverse-mode hypergradient through T unrolled inner steps (Franceschi et al. 2017, RMD), and its
// truncation to the last K steps (Shaban et al. 2019, K-RMD): the trajectory of the last K steps is
// kept (memory O(K·|w|)) and the adjoint stops K steps before the end.
import type { Direction } from './direction.js';
import type { BilevelProblem, HypergradientResult } from './types.js';
import {
  type Adjoint,
  adjointStep,
  beginRecord,
  completeRecord,
  type InnerConfig,
  initState,
  recordFloats,
  type StepRecord,
  step,
} from './unroll.js';

export function reverseHypergradient(
  p: BilevelProblem,
  lambda: Float32Array,
  dir: Direction,
  cfg: InnerConfig,
  w0: Float32Array,
  steps: number,
  truncate: number,
): HypergradientResult {
  const n = p.wSize;
  const s = initState(cfg, w0);
  const g = new Float32Array(n);
  const records: StepRecord[] = [];
  const first = steps - truncate + 1; // first step the adjoint reaches
  for (let t = 1; t <= steps; t++) {
    const rec = t >= first ? beginRecord(s) : undefined;
    step(cfg, dir, s, t, g);
    if (rec) {
      completeRecord(cfg, rec, s, g);
      records.push(rec);
    }
  }
  dir.stats.storedFloats = truncate * recordFloats(cfg, n);
  const gradW = new Float32Array(n);
  const gradLambda = new Float32Array(p.lambdaSize);
  const value = p.outer(s.w, lambda, gradW, gradLambda);
  const adj: Adjoint = { w: gradW.slice(), m: new Float32Array(s.m.length), v: new Float32Array(s.v.length) };
  const lamBar = Float64Array.from(gradLambda);
  const scratch = { gBar: new Float32Array(n), hv: new Float32Array(n), lam: new Float32Array(p.lambdaSize) };
  for (let t = steps; t >= first; t--) {
    adjointStep(cfg, dir, records[t - first] as StepRecord, t, adj, lamBar, scratch);
  }
  return { value, grad: Float32Array.from(lamBar), w: s.w, stats: dir.stats };
}
