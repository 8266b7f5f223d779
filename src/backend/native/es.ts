// Adapter from the addon to the es kernels: the addon's functions as they are (they check their
// own arguments in native/napi/es.cc).
import type { EsKernels } from '../kernels/es.js';
import type { NativeAddon } from './addon.js';

export function nativeEsKernels(addon: NativeAddon): EsKernels {
  return {
    esPerturbTable: addon.esPerturbTable,
    esPerturbNormal: addon.esPerturbNormal,
    esWeightedSumTable: addon.esWeightedSumTable,
    esWeightedSumRows: addon.esWeightedSumRows,
    esCenteredRanks: addon.esCenteredRanks,
    esRolloutPolicies: addon.esRolloutPolicies,
    esRolloutPoliciesAsync: addon.esRolloutPoliciesAsync,
  };
}
