// The ParamLayout of an MLP: `dense{l}.w` [in, out] then `dense{l}.b` [out] for each layer,
// matching the kernels' flat layout.
import type { ParamLayout, ParamSegment } from './types.js';

export function mlpLayout(sizes: readonly number[]): ParamLayout {
  const segments: ParamSegment[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    segments.push(Object.freeze({ name: `dense${l}.w`, shape: Object.freeze([inW, outW]), offset, size: inW * outW }));
    offset += inW * outW;
    segments.push(Object.freeze({ name: `dense${l}.b`, shape: Object.freeze([outW]), offset, size: outW }));
    offset += outW;
  }
  return Object.freeze(segments);
}
