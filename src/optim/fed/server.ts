// Server optimizers of "Adaptive Federated Optimization" (Reddi et al., ICLR 2021, Algorithm 2):
// each round the server treats the averaged client delta Δ_t = mean_i(x_i − x_t) as a
// pseudo-gradient pointing downhill and moves x_{t+1} = x_t + η m_t / (√v_t + τ), with
//   m_t = β₁ m_{t−1} + (1 − β₁) Δ_t
//   FedAdagrad  v_t = v_{t−1} + Δ_t²
//   FedAdam     v_t = β₂ v_{t−1} + (1 − β₂) Δ_t²
//   FedYogi     v_t = v_{t−1} − (1 − β₂) Δ_t² sign(v_{t−1} − Δ_t²)
// τ sits outside the square root and there is no bias correction (as in the paper and in flower's
// fedyogi.py; the google-research runs used Keras optimizers, which do correct the bias).
// They are Optimizers: `step(params, delta, state)` takes the averaged delta where a gradient
// rule takes a gradient, and moves *along* it (a delta already points downhill).

import { defineRule, ruleOptions } from '../rules/define.js';
import type { LearningRate, Optimizer } from '../types.js';

/** Options of fedAdam, fedYogi and fedAdagrad. */
export interface FedAdaptiveOptions {
  /** Server learning rate η. Default 1e-2 (flower's default; the paper tunes it per task). */
  lr?: LearningRate;
  /** Momentum decay β₁ of the delta average, in [0, 1). Default 0.9. */
  b1?: number;
  /** Second-moment decay β₂ in [0, 1) (fedAdam, fedYogi; unused by fedAdagrad). Default 0.99. */
  b2?: number;
  /** Adaptivity τ > 0, added to √v_t (the paper's recommended start, 1e-3). */
  tau?: number;
  /**
   * Initial second moment v_{−1} ≥ 0. Default τ², the paper's Algorithm 2 condition v_{−1} ≥ τ²
   * (flower starts at 0).
   */
  v0?: number;
}

/** Options of fedAvg. */
export interface FedAvgOptions {
  /** Server learning rate: 1 is plain FedAvg (x_{t+1} = x_t + Δ_t); other values are FedAvg with server SGD. */
  lr?: LearningRate;
}

type Kind = 'fedAdam' | 'fedYogi' | 'fedAdagrad';

function adaptive(kind: Kind, options: FedAdaptiveOptions | undefined): Optimizer {
  const name = `federated.${kind}`;
  const defaults = { lr: 1e-2, b1: 0.9, b2: 0.99, tau: 1e-3, v0: 0 };
  const o = ruleOptions(name, options, defaults, { tau: 'positive', v0: 'nonNegative' });
  const v0 = options?.v0 === undefined ? o.tau * o.tau : o.v0;
  const { b1, b2, tau } = o;
  return defineRule({
    name,
    lr: o.lr,
    buffers: { m: 0, v: v0 },
    step: ({ p, g, lr }, { m, v }) => {
      for (let i = 0; i < p.length; i++) {
        const d = g[i]!;
        const d2 = d * d;
        const mi = b1 * m[i]! + (1 - b1) * d;
        let vi = v[i]!;
        if (kind === 'fedAdagrad') vi += d2;
        else if (kind === 'fedAdam') vi = b2 * vi + (1 - b2) * d2;
        else vi -= (1 - b2) * d2 * Math.sign(vi - d2);
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i]! + (lr * mi) / (Math.sqrt(vi) + tau);
      }
    },
  });
}

/** FedAdam: the server's Adam over averaged client deltas (Reddi et al. 2021, Algorithm 2). */
export function fedAdam(options?: FedAdaptiveOptions): Optimizer {
  return adaptive('fedAdam', options);
}

/** FedYogi: Yogi's additive second moment (never negative from v_{−1} ≥ 0). */
export function fedYogi(options?: FedAdaptiveOptions): Optimizer {
  return adaptive('fedYogi', options);
}

/** FedAdagrad: the accumulated squared deltas (`b2` is not used). */
export function fedAdagrad(options?: FedAdaptiveOptions): Optimizer {
  return adaptive('fedAdagrad', options);
}

/** FedAvg (McMahan et al.) as a server optimizer: x_{t+1} = x_t + η Δ_t, η = 1 by default. */
export function fedAvg(options?: FedAvgOptions): Optimizer {
  const o = ruleOptions('federated.fedAvg', options, { lr: 1 });
  return defineRule({
    name: 'federated.fedAvg',
    lr: o.lr,
    buffers: {},
    step: ({ p, g, lr }) => {
      for (let i = 0; i < p.length; i++) p[i] = p[i]! + lr * g[i]!;
    },
  });
}
