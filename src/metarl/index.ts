/**
 * The public `metaRl` namespace: meta-reinforcement learning. So far the Bernoulli-bandit baselines
 * of RL² (random … exact Bayes-optimal) and their trial evaluation.
 *
 * @module
 */
import * as baselines from './baselines.js';

export type {
  BayesOptimalOptions,
  EpsGreedyOptions,
  GittinsOptions,
  Ucb1Options,
} from './baselines.js';
export { BetaBernoulliDp } from './bayes_dp.js';
export type { EvaluateTrialsOptions, EvaluateTrialsResult, TrialEnvOptions } from './evaluate.js';
export { evaluateTrials } from './evaluate.js';
export type { GittinsIndexOptions } from './gittins.js';
export { gittinsIndex } from './gittins.js';
export type {
  AdaptOptions,
  MamlConfig,
  MamlHyperparameters,
  MetaEnvOptions,
  MetaRlEvaluateOptions,
  MetaRlEvaluation,
  MetaRlLearner,
  MetaRlProgress,
  MetaRlTrainOptions,
  MetaRlTrainResult,
  StepReturn,
} from './maml/index.js';
export { MAML_DEFAULTS, MAML_OPTIONS, maml } from './maml/index.js';
export * as mdpBaselines from './mdp/baselines.js';
export type {
  BebOptions,
  EvaluateMdpTrialsOptions,
  MdpActor,
  MdpAgent,
  MdpSetting,
  MdpTransition,
  MdpView,
} from './mdp/index.js';
export { evaluateMdpTrials, finiteHorizonQ } from './mdp/index.js';
export type {
  BmgOptions,
  Hyper,
  MetaGradientAgent,
  MetaGradientOptions,
  MetaGradientResult,
  MetaGradientStats,
  MetaGradientTrainOptions,
  MetaName,
  MetaReference,
} from './metagrad/index.js';
export { metaGradient } from './metagrad/index.js';
export type { PpoInnerOptions, ReptileConfig } from './reptile.js';
export { PPO_INNER_DEFAULTS, REPTILE_INNER_STEPS, reptile } from './reptile.js';
export * from './rl2/index.js';
export type { Rng } from './rng.js';
export type {
  PredictorComparison,
  SequencePredictionOptions,
  SequencePredictionResult,
} from './sequence_prediction.js';
export { bayesPredictions, bernoulliKl, sequencePrediction } from './sequence_prediction.js';
export type { BanditActor, BanditRewards, BanditSetting, BanditView, Baseline, BetaPrior } from './types.js';
export { baselines };
