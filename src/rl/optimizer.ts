// The trainers' optimizer, one way for PPO, A2C and TRPO: a rule whose learning rate the loop
// sets per update (CleanRL's linear annealing when annealLr), behind optional global-norm
// clipping, with its state fresh or restored from a training checkpoint.
import { OuterloopError } from '../errors.js';
import * as optim from '../optim/index.js';

/** The saved optimizer state, restored for this run's optimizer (an OuterloopError names the file). */
export function restoreOptimizer(
  opt: optim.Optimizer,
  params: Float32Array,
  saved: optim.SavedState,
  source: string,
): optim.OptState {
  try {
    return optim.restoreState(opt, params, saved);
  } catch (e) {
    throw new OuterloopError(`${source}: not a valid training checkpoint (${e instanceof Error ? e.message : e})`);
  }
}

/** The learning rate of update `update` (1-based) of `numUpdates`: linearly annealed to 0, or fixed. */
export function annealedLr(c: { lr: number; annealLr: boolean }, update: number, numUpdates: number): number {
  return c.annealLr ? c.lr * (1 - (update - 1) / numUpdates) : c.lr;
}

/** `rule` behind global-norm clipping when maxGradNorm > 0, with its state for `params`. */
export function trainerOptimizer(
  rule: optim.Optimizer,
  c: { maxGradNorm: number },
  params: Float32Array,
  resumed: { optimizer: optim.SavedState; source: string } | undefined,
): { opt: optim.Optimizer; optState: optim.OptState } {
  const opt = c.maxGradNorm > 0 ? optim.chain(optim.clipByGlobalNorm(c.maxGradNorm), rule) : rule;
  const optState = resumed ? restoreOptimizer(opt, params, resumed.optimizer, resumed.source) : opt.init(params);
  return { opt, optState };
}
