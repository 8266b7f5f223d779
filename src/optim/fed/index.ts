/**
 * optim.federated: server optimizers over client deltas (Reddi et al., "Adaptive Federated
 * Optimization") and the weighted delta average.
 *
 *   const server = optim.federated.fedAdam({ lr: 1e-2, tau: 1e-3 });
 *   const state = server.init(x);
 *   server.step(x, optim.federated.meanDelta(deltas, examplesPerClient), state);   // x moves along Δ
 *
 * @module
 */
export { meanDelta } from './aggregate.js';
export type { FedAdaptiveOptions, FedAvgOptions } from './server.js';
export { fedAdagrad, fedAdam, fedAvg, fedYogi } from './server.js';
