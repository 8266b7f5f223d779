// chain(...transforms[, optimizer]): gradient transformations in order, then the optimizer.
// The caller's gradient is copied into a scratch buffer first so `grads` is never modified; the
// scratch is not part of the state (it is kept per state object and re-made after a restore).
import { defineComposite, innerState, innerStates } from './internal.js';
import type { GradientTransformation, Optimizer, OptState } from './types.js';

type Element = GradientTransformation | Optimizer;

const scratch = new WeakMap<OptState, Float32Array>();

function scratchFor(state: OptState, grads: Float32Array): Float32Array {
  let s = scratch.get(state);
  if (!s || s.length !== grads.length) {
    s = new Float32Array(grads.length);
    scratch.set(state, s);
  }
  s.set(grads);
  return s;
}

function checkElements(items: unknown[]): Element[] {
  if (items.length === 0) throw new TypeError('chain: expected at least one transformation');
  items.forEach((t, i) => {
    const kind = (t as Element | null)?.kind;
    if (kind !== 'transform' && kind !== 'optimizer')
      throw new TypeError(`chain: argument ${i}: expected an optim transformation or optimizer`);
    if (kind === 'optimizer' && i !== items.length - 1)
      throw new TypeError(`chain: argument ${i}: an optimizer ('${(t as Optimizer).name}') must come last`);
  });
  return items as Element[];
}

/** Transformations then an optimizer: an optimizer. */
export function chain(...items: [...GradientTransformation[], Optimizer]): Optimizer;
/** Transformations only: a transformation. */
export function chain(...items: GradientTransformation[]): GradientTransformation;
export function chain(...items: Element[]): Optimizer | GradientTransformation {
  const els = checkElements(items);
  const name = `chain(${els.map((e) => e.name).join(', ')})`;
  const last = els[els.length - 1] as Element;
  const transforms = (last.kind === 'optimizer' ? els.slice(0, -1) : els) as GradientTransformation[];
  const init = (params: Float32Array): OptState => innerStates(els.map((e) => e.init(params)));
  const runTransforms = (g: Float32Array, state: OptState, params: Float32Array, extra?: object) => {
    for (const [i, t] of transforms.entries()) t.update(g, innerState(name, state, i), params, extra);
  };
  if (last.kind === 'transform') {
    return {
      kind: 'transform',
      name,
      init,
      update(grads, state, params, extra) {
        runTransforms(grads, state, params, extra);
        state.count++;
      },
    };
  }
  const opt = last;
  return defineComposite(name, init, (params, grads, state, extra) => {
    const g = transforms.length > 0 ? scratchFor(state, grads) : grads;
    runTransforms(g, state, params, extra);
    return opt.step(params, g, innerState(name, state, transforms.length), extra);
  });
}
