// learned.train checkpoints in the io checkpoint format (io/checkpoint.ts): the structure (iteration,
// history, per-pair episode/step counters, optimizer-state scalars) goes to the JSON `meta`, every
// array (θ, optimizer buffers, persistent unroll parameters, PES accumulators ξ) to a named typed
// array, so a file round-trip is exact.
import type { Checkpoint, CheckpointArray, JsonValue } from '../io/checkpoint.js';
import type { OptState } from '../optim/types.js';
import type { EstimatorState, SavedUnroll } from './estimators.js';
import type { TrainCheckpoint, TrainHistoryEntry } from './train.js';

/** The `kind` tag of a learned.train checkpoint. */
export const TRAIN_CHECKPOINT_KIND = 'learned.train';

type Meta = { [key: string]: JsonValue };

function putState(s: OptState, prefix: string, arrays: Record<string, CheckpointArray>): Meta {
  for (const [k, v] of Object.entries(s.buffers)) arrays[`${prefix}.${k}`] = v;
  return {
    count: s.count,
    buffers: Object.keys(s.buffers),
    scalars: { ...s.scalars },
    inner: s.inner.map((x, i) => putState(x, `${prefix}.inner${i}`, arrays)),
  };
}

function getState(m: Meta, prefix: string, arrays: Record<string, CheckpointArray>): OptState {
  const buffers: OptState['buffers'] = {};
  for (const k of m.buffers as string[]) {
    const a = arrays[`${prefix}.${k}`];
    if (!(a instanceof Float32Array || a instanceof Float64Array))
      throw new RangeError(`learned checkpoint: array '${prefix}.${k}' is missing or not a float array`);
    buffers[k] = a;
  }
  return {
    count: m.count as number,
    buffers,
    scalars: { ...(m.scalars as Record<string, number>) },
    inner: (m.inner as Meta[]).map((x, i) => getState(x, `${prefix}.inner${i}`, arrays)),
  };
}

/** A TrainCheckpoint as an io Checkpoint (`extra` is added to meta, e.g. the run's config). */
export function encodeTrainCheckpoint(c: TrainCheckpoint, extra: Meta = {}): Checkpoint {
  const arrays: Record<string, CheckpointArray> = { theta: c.theta };
  const unroll = (u: SavedUnroll | null, prefix: string): JsonValue => {
    if (u === null) return null;
    arrays[`${prefix}.params`] = u.params;
    return { t: u.t, opt: putState(u.opt, `${prefix}.opt`, arrays) };
  };
  const pairs = c.estimator.pairs.map((p, i) => {
    arrays[`pair${i}.xi`] = p.xi;
    return { episode: p.episode, pos: unroll(p.pos, `pair${i}.pos`), neg: unroll(p.neg, `pair${i}.neg`) };
  });
  return {
    kind: TRAIN_CHECKPOINT_KIND,
    meta: {
      ...extra,
      iteration: c.iteration,
      history: c.history.map((h) => ({ ...h })),
      outer: putState(c.outer, 'outer', arrays),
      estimator: { iteration: c.estimator.iteration, pairs },
    },
    arrays,
  };
}

/** The TrainCheckpoint stored by encodeTrainCheckpoint. */
export function decodeTrainCheckpoint(ck: Checkpoint): TrainCheckpoint {
  if (ck.kind !== TRAIN_CHECKPOINT_KIND)
    throw new RangeError(`learned checkpoint: expected kind '${TRAIN_CHECKPOINT_KIND}', got '${ck.kind}'`);
  const { arrays, meta } = ck;
  const theta = arrays.theta;
  if (!(theta instanceof Float32Array)) throw new RangeError("learned checkpoint: array 'theta' is missing");
  const est = meta.estimator as Meta;
  const unroll = (m: JsonValue, prefix: string): SavedUnroll | null => {
    if (m === null) return null;
    const o = m as Meta;
    const params = arrays[`${prefix}.params`];
    if (!(params instanceof Float32Array))
      throw new RangeError(`learned checkpoint: array '${prefix}.params' is missing`);
    return { params, t: o.t as number, opt: getState(o.opt as Meta, `${prefix}.opt`, arrays) };
  };
  const estimator: EstimatorState = {
    iteration: est.iteration as number,
    pairs: (est.pairs as Meta[]).map((p, i) => {
      const xi = arrays[`pair${i}.xi`];
      if (!(xi instanceof Float64Array)) throw new RangeError(`learned checkpoint: array 'pair${i}.xi' is missing`);
      return {
        episode: p.episode as number,
        xi,
        pos: unroll(p.pos as JsonValue, `pair${i}.pos`),
        neg: unroll(p.neg as JsonValue, `pair${i}.neg`),
      };
    }),
  };
  return {
    iteration: meta.iteration as number,
    theta,
    outer: getState(meta.outer as Meta, 'outer', arrays),
    estimator,
    history: (meta.history as unknown as TrainHistoryEntry[]).map((h) => ({ ...h })),
  };
}
