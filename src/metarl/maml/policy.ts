// The Gaussian MLP policy of pytorch-maml-rl's NormalMLPPolicy as one flat vector
// θ = [MLP weights (nn.mlp layout) | log-std (one per action dimension)]: means from the MLP,
// a state-independent log-std (init 0), Xavier-uniform weights and zero biases (its
// weight_init). Everything the meta-gradient needs is over this packed vector. For discrete
// actions, pytorch-maml-rl's CategoricalMLPPolicy: θ = the MLP's weights alone, logits from it.

import * as nn from '../../nn/index.js';
import type { ActivationName, Mlp } from '../../nn/types.js';
import { fold, type Key } from '../../random/index.js';
import type { MetaEnv } from './env.js';

/** The policy's architecture (the env fixes input and output widths). */
export interface GaussianPolicy {
  readonly kind: 'gaussian';
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
export function gaussianPolicy(env: MetaEnv, hidden: readonly number[], activation: ActivationName): GaussianPolicy {
  const dim = env.actionDim;
  const mlp = nn.mlp({ sizes: [env.obsDim, ...hidden, dim], activation, init: { scheme: 'xavier', gain: 1 } });
  return {
    kind: 'gaussian',
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

/** The categorical (softmax) policy of a discrete-action env: θ = the MLP's weights, logits = MLP_θ(obs). */
export interface CategoricalPolicy {
  readonly kind: 'categorical';
  readonly mlp: Mlp;
  /** Action columns in a batch (1: the action index, stored as a float). */
  readonly dim: 1;
  /** Number of actions (= the MLP's outputs, the logits). */
  readonly actions: number;
  /** = size: there is no state-independent part. */
  readonly mlpSize: number;
  readonly size: number;
  init(key: Key): Float32Array;
}

/** Either policy head; `kind` selects the distribution-specific code. */
export type Policy = GaussianPolicy | CategoricalPolicy;

/** The categorical policy for `env` (discrete actions). */
export function categoricalPolicy(
  env: MetaEnv,
  hidden: readonly number[],
  activation: ActivationName,
): CategoricalPolicy {
  const space = env.actionSpace;
  if (space.type !== 'discrete') throw new RangeError('categoricalPolicy: env: expected discrete actions');
  const mlp = nn.mlp({ sizes: [env.obsDim, ...hidden, space.n], activation, init: { scheme: 'xavier', gain: 1 } });
  return {
    kind: 'categorical',
    mlp,
    dim: 1,
    actions: space.n,
    mlpSize: mlp.size,
    size: mlp.size,
    init: (key) => mlp.init(fold(key, 0)),
  };
}

/** The policy head the env's action space calls for (box: Gaussian, discrete: categorical). */
export function makePolicy(env: MetaEnv, hidden: readonly number[], activation: ActivationName): Policy {
  return env.actionSpace.type === 'discrete'
    ? categoricalPolicy(env, hidden, activation)
    : gaussianPolicy(env, hidden, activation);
}
