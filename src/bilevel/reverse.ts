// Reverse-mode hypergradient through T unrolled inner steps (Franceschi et al. 2017, RMD), and its
// truncation to the last K steps (Shaban et al. 2019, K-RMD): the trajectory of the last K steps is
// kept (memory O(K·|w|)) and the adjoint stops K steps before the end. With `checkpoint` = c the
// forward pass keeps only the optimizer state at every c-th step and the backward pass recomputes
// one segment of c steps at a time (Griewank's checkpointing, one level): memory O((K/c + c)·|w|)
// for one extra forward pass. The recomputed steps run the same float32 operations in the same
// order, so the result equals the stored-trajectory one bit for bit.
import type { Direction } from './direction.js';
import type { BilevelProblem, HypergradientResult } from './types.js';
import {
  type Adjoint,
  adjointStep,
  beginRecord,
  completeRecord,
  type InnerConfig,
  type InnerState,
  initState,
  recordFloats,
  type StepRecord,
  step,
} from './unroll.js';

function copyState(s: InnerState): InnerState {
  return { w: s.w.slice(), m: s.m.slice(), v: s.v.slice() };
}

export function reverseHypergradient(
  p: BilevelProblem,
  lambda: Float32Array,
  dir: Direction,
  cfg: InnerConfig,
  w0: Float32Array,
  steps: number,
  truncate: number,
  checkpoint = 0,
): HypergradientResult {
  const n = p.wSize;
  const s = initState(cfg, w0);
  const g = new Float32Array(n);
  const first = steps - truncate + 1; // first step the adjoint reaches
  // Segment length: the whole reached range when not checkpointing (one segment, all records kept).
  const seg = checkpoint > 0 ? Math.min(checkpoint, truncate) : truncate;
  const starts: InnerState[] = []; // state before the first step of each segment
  let records: StepRecord[] = [];
  for (let t = 1; t <= steps; t++) {
    if (t >= first && (t - first) % seg === 0) starts.push(copyState(s));
    const rec = checkpoint === 0 && t >= first ? beginRecord(s) : undefined;
    step(cfg, dir, s, t, g);
    if (rec) {
      completeRecord(cfg, rec, s, g);
      records.push(rec);
    }
  }
  const stateFloats = n + s.m.length + s.v.length;
  dir.stats.storedFloats =
    checkpoint > 0 ? starts.length * stateFloats + seg * recordFloats(cfg, n) : truncate * recordFloats(cfg, n);
  const gradW = new Float32Array(n);
  const gradLambda = new Float32Array(p.lambdaSize);
  const value = p.outer(s.w, lambda, gradW, gradLambda);
  const adj: Adjoint = { w: gradW.slice(), m: new Float32Array(s.m.length), v: new Float32Array(s.v.length) };
  const lamBar = Float64Array.from(gradLambda);
  const scratch = { gBar: new Float32Array(n), hv: new Float32Array(n), lam: new Float32Array(p.lambdaSize) };
  for (let c = starts.length - 1; c >= 0; c--) {
    const t0 = first + c * seg; // first step of segment c
    const t1 = Math.min(t0 + seg - 1, steps);
    if (checkpoint > 0) {
      // Recompute the segment from its checkpoint, keeping its records only.
      const r = starts[c] as InnerState;
      records = [];
      for (let t = t0; t <= t1; t++) {
        const rec = beginRecord(r);
        step(cfg, dir, r, t, g);
        completeRecord(cfg, rec, r, g);
        records.push(rec);
      }
      starts.length = c; // this checkpoint is no longer needed
    }
    const base = checkpoint > 0 ? t0 : first;
    for (let t = t1; t >= t0; t--) adjointStep(cfg, dir, records[t - base] as StepRecord, t, adj, lamBar, scratch);
  }
  return { value, grad: Float32Array.from(lamBar), w: s.w, stats: dir.stats };
}
