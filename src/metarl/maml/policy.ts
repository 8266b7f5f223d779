// The Gaussian MLP policy of pytorch-maml-rl's NormalMLPPolicy as one flat vector
// θ = [MLP weights (nn.mlp layout) | log-std (one per action dimension)]: means from the MLP,
// a state-independent log-std (init 0), Xavier-uniform weights and zero biases (its
// weight_init). Everything the meta-gradient needs is over this packed vector.
import type { VectorEnv } from '../../envs/vector_env.js';
import * as nn from '../../nn/index.js';
import type { ActivationName, Mlp } from '../../nn/types.js';
import { fold, type Key } from '../../random/index.js';

/** The policy's architecture (the env fixes input and output widths). */
export interface GaussianPolicy {
  readonly mlp: Mlp;
  /** Action dimensions (= the MLP's outputs = log-std entries). */
  readonly dim: number;
  /** MLP weights; the log-std follows at this offset. */
  readonly mlpSize: number;
  /** Length of the packed vector. */
  readonly size: number;
  /** Fresh packed parameters, deterministic in the key. */
  init(key: Key): Float32Array;
}

/** The policy for `env` (box actions) with the given hidden widths and activation. */
export function gaussianPolicy(env: VectorEnv, hidden: readonly number[], activation: ActivationName): GaussianPolicy {
  const dim = env.actionDim;
  const mlp = nn.mlp({ sizes: [env.obsDim, ...hidden, dim], activation, init: { scheme: 'xavier', gain: 1 } });
  return {
    mlp,
    dim,
    mlpSize: mlp.size,
    size: mlp.size + dim,
    init(key) {
      const p = new Float32Array(mlp.size + dim);
      p.set(mlp.init(fold(key, 0)));
      return p; // log-std 0
    },
  };
}
