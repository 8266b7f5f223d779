// Adapter from the addon to the optim kernels: the addon's functions as they are (they check
// their own arguments in native/napi/optim.cc).
import type { OptimKernels } from '../kernels/optim.js';
import type { NativeAddon } from './addon.js';

export function nativeOptimKernels(addon: NativeAddon): OptimKernels {
  return {
    optimSgd: addon.optimSgd,
    optimSgdMomentum: addon.optimSgdMomentum,
    optimAdagrad: addon.optimAdagrad,
    optimAdadelta: addon.optimAdadelta,
    optimRmsprop: addon.optimRmsprop,
    optimAdam: addon.optimAdam,
    optimAdamPredict: addon.optimAdamPredict,
    optimAdamax: addon.optimAdamax,
    optimNadam: addon.optimNadam,
    optimYogi: addon.optimYogi,
    optimGrams: addon.optimGrams,
    optimDiffgrad: addon.optimDiffgrad,
    optimLion: addon.optimLion,
    optimNovograd: addon.optimNovograd,
    optimMadgrad: addon.optimMadgrad,
    optimOptimisticAmsgrad: addon.optimOptimisticAmsgrad,
    optimGravity: addon.optimGravity,
    optimAegd: addon.optimAegd,
    optimSwatsAdam: addon.optimSwatsAdam,
    optimComplexMomentum: addon.optimComplexMomentum,
    optimGrokfastEma: addon.optimGrokfastEma,
    optimClipByValue: addon.optimClipByValue,
    optimLookaheadSync: addon.optimLookaheadSync,
    optimStreamCopy: addon.optimStreamCopy,
    optimStreamTriad: addon.optimStreamTriad,
  };
}
