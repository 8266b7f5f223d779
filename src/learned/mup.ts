// μLO's per-tensor scaling (Thérien et al. 2024; bentherien/mu_learned_optimization, src/mu_mlp.py
// and src/mup_adafac_mlp_lopt.py): each tensor's features are normalized over that tensor, and its
// update is multiplied by the μP learning-rate multiplier handed to the learned optimizer —
// 1/fan_in for hidden weight matrices, 1 for the input and output matrices and every bias. With
// features of mean square 1 per tensor, the per-element update of a hidden matrix then scales as
// 1/width, which keeps its effect on the layer's output width-independent (μP, Tensor Programs V).
import type { LayoutSegment, ParamLayout } from '../optim/types.js';

function segmentSize(s: LayoutSegment, name: string): number {
  if (s.size !== undefined) return s.size;
  if (s.shape !== undefined) return s.shape.reduce((a, b) => a * b, 1);
  throw new TypeError(`${name}: segment '${s.name}' has neither size nor shape`);
}

/** (offset, size) pairs of a layout, checked ascending and disjoint, as the kernel takes them. */
export function layoutSegments(layout: ParamLayout, name: string): Uint32Array {
  if (!Array.isArray(layout)) throw new TypeError(`${name}: expected an array of segments`);
  const out = new Uint32Array(2 * layout.length);
  let end = 0;
  layout.forEach((s, k) => {
    const size = segmentSize(s, name);
    if (!Number.isInteger(s.offset) || !Number.isInteger(size) || s.offset < 0 || size < 0)
      throw new RangeError(`${name}: segment '${s.name}': expected integer offset and size >= 0`);
    if (s.offset < end) throw new RangeError(`${name}: segment '${s.name}' overlaps or precedes the one before`);
    end = s.offset + size;
    out[2 * k] = s.offset;
    out[2 * k + 1] = size;
  });
  return out;
}

/**
 * μLO's per-tensor update multipliers for a layout: 1/fan_in (shape[0], nn's [in, out] weights)
 * for every rank-2 tensor except the first (input) and last (output) one; 1 for the rest.
 */
export function mupMultipliers(layout: ParamLayout): Float32Array {
  const out = new Float32Array(layout.length).fill(1);
  const matrices = layout.flatMap((s, k) => (s.shape !== undefined && s.shape.length === 2 ? [k] : []));
  for (let j = 1; j + 1 < matrices.length; j++) {
    const k = matrices[j] as number;
    out[k] = 1 / ((layout[k] as LayoutSegment).shape?.[0] as number);
  }
  return out;
}
