// Per-segment routing over a ParamLayout (optax.masked / optax.partition for flat buffers).
// Each selected segment gets its own inner state and one kernel call on a subarray view.
import { checkFloat32 } from '../util/check.js';
import { checkStepArgs, defineComposite, innerState, innerStates, segmentSize } from './internal.js';
import type { GradientTransformation, LayoutSegment, Optimizer, OptState, ParamLayout } from './types.js';

type Inner = Optimizer | GradientTransformation;
/** Which segments a wrapper applies to: a predicate or a list of segment names. */
export type SegmentMask = ((segment: LayoutSegment) => boolean) | readonly string[];

function selectSegments(fn: string, layout: ParamLayout, mask: SegmentMask): [number, number][] {
  if (!Array.isArray(layout)) throw new TypeError(`${fn}: layout: expected an array of segments`);
  let pick: (s: LayoutSegment) => boolean;
  if (typeof mask === 'function') pick = mask as (s: LayoutSegment) => boolean;
  else if (Array.isArray(mask)) {
    const names = new Set(mask as readonly string[]);
    for (const nm of names)
      if (!layout.some((s) => s.name === nm)) throw new RangeError(`${fn}: mask names unknown segment '${nm}'`);
    pick = (s) => names.has(s.name);
  } else throw new TypeError(`${fn}: mask: expected a function or an array of segment names`);
  return layout.filter((s) => pick(s)).map((s) => [s.offset, s.offset + segmentSize(s)] as [number, number]);
}

function checkRanges(fn: string, ranges: [number, number][], n: number): void {
  for (const [a, b] of ranges)
    if (!(Number.isInteger(a) && a >= 0 && b <= n))
      throw new RangeError(`${fn}: segment [${a}, ${b}) outside params of length ${n}`);
}

/**
 * Applies `inner` only to the segments `mask` selects. Masked-out parameters are left
 * untouched by an optimizer; masked-out gradient entries pass through a transformation unchanged.
 */
export function masked(inner: Optimizer, layout: ParamLayout, mask: SegmentMask): Optimizer;
export function masked(inner: GradientTransformation, layout: ParamLayout, mask: SegmentMask): GradientTransformation;
export function masked(inner: Inner, layout: ParamLayout, mask: SegmentMask): Inner {
  const kind = (inner as Inner | null)?.kind;
  if (kind !== 'optimizer' && kind !== 'transform')
    throw new TypeError('masked: expected an optimizer or transformation');
  const ranges = selectSegments('masked', layout, mask);
  const name = `masked(${inner.name})`;
  const init = (p: Float32Array): OptState => {
    checkFloat32(p, `${name}.init: params`);
    checkRanges(name, ranges, p.length);
    return innerStates(ranges.map(([a, b]) => inner.init(p.subarray(a, b))));
  };
  if (inner.kind === 'transform') {
    return {
      kind: 'transform',
      name,
      init,
      update(grads, state, params, extra) {
        checkStepArgs(name, params, grads);
        for (const [i, [a, b]] of ranges.entries())
          inner.update(grads.subarray(a, b), innerState(name, state, i), params.subarray(a, b), extra);
        state.count++;
      },
    };
  }
  return defineComposite(name, init, (params, grads, state, extra) => {
    checkRanges(name, ranges, params.length);
    let applied = false;
    ranges.forEach(([a, b], i) => {
      if (inner.step(params.subarray(a, b), grads.subarray(a, b), innerState(name, state, i), extra)) applied = true;
    });
    return applied;
  });
}

/**
 * optax.partition: each segment goes to the optimizer named by `label(segment)`; every segment
 * must get a label that `optimizers` has.
 */
export function partition(
  optimizers: Record<string, Optimizer>,
  layout: ParamLayout,
  label: (segment: LayoutSegment) => string,
): Optimizer {
  if (typeof label !== 'function') throw new TypeError('partition: label: expected a function');
  const parts = Object.entries(optimizers).map(([key, opt]) => {
    if ((opt as Optimizer | null)?.kind !== 'optimizer')
      throw new TypeError(`partition: optimizers.${key}: expected an optimizer`);
    return masked(opt, layout, (s) => label(s) === key);
  });
  for (const s of layout)
    if (!(label(s) in optimizers))
      throw new RangeError(`partition: segment '${s.name}' has label '${label(s)}', which has no optimizer`);
  const name = `partition(${Object.keys(optimizers).join(', ')})`;
  return defineComposite(
    name,
    (p) => innerStates(parts.map((o) => o.init(p))),
    (params, grads, state, extra) => {
      let applied = false;
      parts.forEach((o, i) => {
        if (o.step(params, grads, innerState(name, state, i), extra)) applied = true;
      });
      return applied;
    },
  );
}
