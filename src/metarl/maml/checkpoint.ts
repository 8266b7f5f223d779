// A metaRl.maml / metaRl.reptile training state as a checkpoint (io/checkpoint's format): the
// meta-parameters, the outer optimizer's state, the iteration reached, the seed and the history,
// which is everything the next iteration depends on, so a resumed run is bit-identical.
import { type Checkpoint, type JsonValue, loadCheckpoint, saveCheckpoint } from '../../io/checkpoint.js';
import type { OptState } from '../../optim/types.js';

/** What a meta-RL run saves. */
export interface MetaRlState {
  kind: string;
  /** The resolved config (JSON). */
  config: Record<string, unknown>;
  iteration: number;
  seed: number;
  params: Float32Array;
  /** The outer optimizer's state (PPO, Reptile), if any. */
  opt?: OptState;
  history: Record<string, number>[];
}

export async function saveMetaRlState(file: string, s: MetaRlState): Promise<void> {
  const arrays: Checkpoint['arrays'] = { params: s.params };
  const optMeta: Record<string, JsonValue> = {};
  if (s.opt) {
    for (const [k, v] of Object.entries(s.opt.buffers)) arrays[`opt.${k}`] = v;
    optMeta.count = s.opt.count;
    optMeta.scalars = s.opt.scalars as Record<string, JsonValue>;
    if (s.opt.inner.length > 0) throw new RangeError('checkpoint: nested optimizer states are not supported');
  }
  await saveCheckpoint(file, {
    kind: s.kind,
    meta: {
      config: s.config as Record<string, JsonValue>,
      iteration: s.iteration,
      seed: s.seed,
      history: s.history as JsonValue,
      ...(s.opt ? { opt: optMeta } : {}),
    },
    arrays,
  });
}

export async function loadMetaRlState(file: string, kind: string, fn: string): Promise<MetaRlState> {
  const ck = await loadCheckpoint(file);
  if (ck.kind !== kind)
    throw new RangeError(`${fn}: resume: '${file}' holds a '${ck.kind}' checkpoint, expected '${kind}'`);
  const m = ck.meta as Record<string, JsonValue>;
  const params = ck.arrays.params;
  if (!(params instanceof Float32Array)) throw new RangeError(`${fn}: resume: '${file}' has no float32 params`);
  let opt: OptState | undefined;
  if (m.opt && typeof m.opt === 'object' && !Array.isArray(m.opt)) {
    const o = m.opt as Record<string, JsonValue>;
    const buffers: OptState['buffers'] = {};
    for (const [k, v] of Object.entries(ck.arrays))
      if (k.startsWith('opt.') && (v instanceof Float32Array || v instanceof Float64Array)) buffers[k.slice(4)] = v;
    opt = { count: o.count as number, buffers, scalars: (o.scalars ?? {}) as Record<string, number>, inner: [] };
  }
  return {
    kind,
    config: m.config as Record<string, unknown>,
    iteration: m.iteration as number,
    seed: m.seed as number,
    params,
    ...(opt ? { opt } : {}),
    history: (m.history ?? []) as Record<string, number>[],
  };
}
