// Adam, AdamW and AMSGrad, matching torch.optim.Adam / torch.optim.AdamW (defaults lr 1e-3,
// b1 0.9, b2 0.999, eps 1e-8; weightDecay 0 coupled for Adam, 1e-2 decoupled for AdamW).
// AMSGrad follows torch (max over the raw second moment, divided by the current sqrt(bc2)).
import { getBackend } from '../../backend/index.js';
import type { AdamScalars } from '../../backend/kernels/optim.js';
import { lrAt, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer, OptState } from '../types.js';
import { defineRule, type Predictor, ruleOptions, type Settings } from './define.js';

/** Options of `optim.adam`, `optim.adamw`, `optim.amsgrad`; a field left out takes the default of the reference implementation the rule follows. */
export interface AdamOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  /** Weight decay: added to the gradient (L2) unless `decoupled`. */
  weightDecay?: number;
  /** Decoupled weight decay p ← p(1 − lr·wd), as AdamW. */
  decoupled?: boolean;
  /** Keep the running maximum of v (AMSGrad). */
  amsgrad?: boolean;
}

const ADAM: Settings<AdamOptions> = {
  lr: 1e-3,
  b1: 0.9,
  b2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  amsgrad: false,
};

function makeAdam(
  name: string,
  options: AdamOptions | undefined,
  defaults: Settings<AdamOptions>,
): Optimizer & Predictor {
  const o = ruleOptions(name, options, defaults);
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: AdamScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, invBc2Sqrt: 1, weightDecay: 0, decay: 1 };
  const rule = defineRule({
    name,
    lr: o.lr,
    buffers: { m: 0, v: 0, vMax: o.amsgrad ? 0 : null },
    step: ({ b, p, g, lr, t }, { m, v, vMax }) => {
      sc.stepSize = lr / (1 - o.b1 ** t);
      sc.invBc2Sqrt = 1 / Math.sqrt(1 - o.b2 ** t);
      sc.weightDecay = o.decoupled ? 0 : o.weightDecay;
      sc.decay = o.decoupled ? 1 - lr * o.weightDecay : 1;
      b.optimAdam(p, g, m, v, vMax, sc);
    },
  });
  return {
    ...rule,
    // XGrad (guanleics/XGrad Adam.py): ŵ = w − s·(lr/bc1)·m/(sqrt(v)/sqrt(bc2) + eps) with the
    // state of the last completed step t; the identity before the first step.
    predict(params: Float32Array, state: OptState, out: Float32Array, steps: number) {
      const t = state.count;
      if (t === 0) {
        out.set(params);
        return;
      }
      const n = params.length;
      const m = stateBuffer(name, state, 'm', n);
      const v = stateBuffer(name, state, 'v', n);
      const lr = lrAt(o.lr, t - 1, `${name}: lr`);
      const bc1 = 1 - o.b1 ** t;
      const bc2 = 1 - o.b2 ** t;
      getBackend().optimAdamPredict(params, m, v, out, (steps * lr) / bc1, 1 / Math.sqrt(bc2), o.eps);
    },
  };
}

/** Adam (torch.optim.Adam); `weightDecay` is coupled L2 unless `decoupled: true`. */
export function adam(options?: AdamOptions): Optimizer & Predictor {
  return makeAdam('adam', options, ADAM);
}

/** AdamW (torch.optim.AdamW): decoupled weight decay, default 1e-2. */
export function adamw(options?: AdamOptions): Optimizer & Predictor {
  return makeAdam('adamw', options, { ...ADAM, weightDecay: 1e-2, decoupled: true });
}

/** AMSGrad (torch.optim.Adam(amsgrad=True) convention: max over raw v). */
export function amsgrad(options?: AdamOptions): Optimizer & Predictor {
  return makeAdam('amsgrad', options, { ...ADAM, amsgrad: true });
}
