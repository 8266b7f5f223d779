// Activation names of the public API and their kernel codes.
import { ActivationCode } from '../backend/kernels/nn.js';
import type { ActivationName } from './types.js';

export const ACTIVATION_CODES: Record<ActivationName, number> = {
  identity: ActivationCode.identity,
  tanh: ActivationCode.tanh,
  relu: ActivationCode.relu,
  'leaky-relu': ActivationCode.leakyRelu,
  gelu: ActivationCode.gelu,
  sigmoid: ActivationCode.sigmoid,
  softplus: ActivationCode.softplus,
};

export const ACTIVATIONS = Object.keys(ACTIVATION_CODES) as ActivationName[];

export function checkActivation(x: unknown, name: string): asserts x is ActivationName {
  if (typeof x !== 'string' || !(x in ACTIVATION_CODES))
    throw new RangeError(`${name}: expected one of ${ACTIVATIONS.join(', ')}, got ${String(x)}`);
}
