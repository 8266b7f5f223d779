/**
 * The public `rl` namespace: on-policy actor-critic training (PPO with clip/DPO/MDPO objectives,
 * A2C), evaluation and policies that save and load.
 *
 * @module
 */
export * as a2c from './a2c.js';
export type {
  A2cConfig,
  CommonTrainConfig,
  EnvOptions,
  PolicyObjective,
  PpoConfig,
  RecurrentOptions,
  TrainingRun,
  UpdateStats,
} from './config.js';
export { A2C_DEFAULTS, PPO_CONTINUOUS_DEFAULTS, PPO_DISCRETE_DEFAULTS } from './config.js';
export type { ConstrainedConfig, Constraint, CostFn, HazardOptions } from './constraints.js';
export * as costs from './costs.js';
export type { EvaluateOptions, EvaluateResult } from './evaluate.js';
export { evaluate } from './evaluate.js';
export type { LagrangianStats } from './lagrangian.js';
export type { ActionSpec, ActorCriticSpec } from './model.js';
export type { ActOptions, PolicyInfo } from './policy.js';
export { POLICY_KIND, Policy } from './policy.js';
export type { TrainResult } from './ppo.js';
export * as ppo from './ppo.js';
export type {
  RecurrentActorCritic,
  RecurrentActorCriticSpec,
  RecurrentNet,
  RecurrentNetWorkspace,
} from './recurrent/model.js';
export { RecurrentPolicy } from './recurrent/policy.js';
export type { RecurrentPpoConfig, RecurrentTrainResult } from './recurrent/train.js';
export type { SteppableEnv } from './step_collector.js';
export {
  type SurrogateBatch,
  type SurrogateCurvature,
  type SurrogateOptions,
  surrogateCurvature,
  surrogateLoss,
} from './surrogate_curvature.js';
export * as trpo from './trpo.js';
