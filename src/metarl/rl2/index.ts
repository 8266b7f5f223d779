// RL² (Duan et al. 2016): GRU policy meta-trained by PPO over whole trials.
export type { Rl2EnvId, Rl2EnvOptions } from './env_setup.js';
export type { Rl2Cell, Rl2Forward, Rl2Model } from './model.js';
export type { Rl2Policy, Rl2PolicyConfig } from './policy.js';
export { Rl2Runner } from './policy.js';
export type { Rl2, Rl2Options, Rl2Result, Rl2TrainOptions, Rl2Update } from './rl2.js';
export { rl2 } from './rl2.js';
