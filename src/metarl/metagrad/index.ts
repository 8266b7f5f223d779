// Meta-gradient RL (Xu et al. 2018), multi-step meta-gradients (Bonnet et al. 2021) and BMG
// (Flennerhag et al. 2022): the public entry and the pieces the tests reach.
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
} from './agent.js';
export { metaGradient } from './agent.js';
