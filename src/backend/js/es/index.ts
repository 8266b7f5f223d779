// js twins of the es kernels (native/core/es), one file per kernel, gathered here.
import type { EsKernels } from '../../kernels/es.js';
import { esPerturbNormal, esPerturbTable } from './perturb.js';
import { esRolloutPolicies, esRolloutPoliciesAsync } from './population_rollout.js';
import { esCenteredRanks } from './ranks.js';
import { esWeightedSumRows, esWeightedSumTable } from './weighted_sum.js';

export const jsEsKernels: EsKernels = {
  esPerturbTable,
  esPerturbNormal,
  esWeightedSumTable,
  esWeightedSumRows,
  esCenteredRanks,
  esRolloutPolicies,
  esRolloutPoliciesAsync,
};
