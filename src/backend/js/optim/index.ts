// js twins of the optim kernels (native/core/optim), one file per kernel file, gathered here.
import type { OptimKernels } from '../../kernels/optim.js';
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam, adamPredict } from './adam.js';
import { adamax } from './adamax.js';
import { aegd } from './aegd.js';
import { streamCopy, streamTriad } from './bandwidth.js';
import { clipByValue } from './clip.js';
import { complexMomentum } from './complex_momentum.js';
import { diffgrad } from './diffgrad.js';
import { grams } from './grams.js';
import { gravity } from './gravity.js';
import { grokfastEma } from './grokfast.js';
import { lion } from './lion.js';
import { lookaheadSync } from './lookahead.js';
import { madgrad } from './madgrad.js';
import { nadam } from './nadam.js';
import { novograd } from './novograd.js';
import { optimisticAmsgrad } from './optimistic_amsgrad.js';
import { rmsprop } from './rmsprop.js';
import { sgd, sgdMomentum } from './sgd.js';
import { swatsAdam } from './swats.js';
import { yogi } from './yogi.js';

export const jsOptimKernels: OptimKernels = {
  optimSgd: sgd,
  optimSgdMomentum: sgdMomentum,
  optimAdagrad: adagrad,
  optimAdadelta: adadelta,
  optimRmsprop: rmsprop,
  optimAdam: adam,
  optimAdamPredict: adamPredict,
  optimAdamax: adamax,
  optimNadam: nadam,
  optimYogi: yogi,
  optimGrams: grams,
  optimDiffgrad: diffgrad,
  optimLion: lion,
  optimNovograd: novograd,
  optimMadgrad: madgrad,
  optimOptimisticAmsgrad: optimisticAmsgrad,
  optimGravity: gravity,
  optimAegd: aegd,
  optimSwatsAdam: swatsAdam,
  optimComplexMomentum: complexMomentum,
  optimGrokfastEma: grokfastEma,
  optimClipByValue: clipByValue,
  optimLookaheadSync: lookaheadSync,
  optimStreamCopy: streamCopy,
  optimStreamTriad: streamTriad,
};
