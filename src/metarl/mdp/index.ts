// Tabular-MDP agents and their trial evaluation (RL²'s Table 2 baselines).
export type { BebOptions } from './baselines.js';
export { beb, greedy, psrl, random } from './baselines.js';
export { finiteHorizonQ } from './dp.js';
export type { EvaluateMdpTrialsOptions } from './evaluate.js';
export { evaluateMdpTrials } from './evaluate.js';
export { MdpPosterior } from './posterior.js';
export type { MdpActor, MdpAgent, MdpSetting, MdpTransition, MdpView } from './types.js';
