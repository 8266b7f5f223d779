// Behaviour descriptors of MLP policies from the population rollout kernel, for quality-diversity
// and novelty search: the final observation of each episode (e.g. the final position), the
// policy's action statistics (an action histogram, or the mean action), or both, optionally
// restricted to some components. `policyBehaviour(...).evaluate` is what `evo.serene` takes as
// `evaluate`, and its descriptors are what `mapElites`' tell takes.
import { checkInteger } from '../util/check.js';
import { type PopulationRolloutOptions, rolloutPopulationSync } from './rollout.js';
import type { SereneEvaluation } from './serene.js';

/** Which descriptor: final observation, action statistics, or the two concatenated (in that order). */
export type BehaviourDescriptor = 'finalObs' | 'actionStats' | 'both';

/** Options of `policyBehaviour`: a population rollout's, and which descriptor. */
export interface PolicyBehaviourOptions extends Omit<PopulationRolloutOptions, 'actionStats'> {
  /** The descriptor, default 'finalObs'. */
  descriptor?: BehaviourDescriptor;
  /** Keep only these components of the descriptor (e.g. [0, 1]: a final x, y position), default all. */
  components?: readonly number[];
}

/** Rewards and descriptors of genomes (flat MLP policies), and the descriptor width. */
export interface PolicyBehaviour {
  /** Descriptor width after `components`. */
  readonly descriptorDim: number;
  /** Mean return and descriptor of each genome row [n × paramCount]. */
  evaluate(genomes: Float32Array): SereneEvaluation & { rewards: Float64Array };
}

/**
 * Behaviour of policies through one rollout-kernel call per batch. Every genome meets the same env
 * seeds unless `commonEnvSeeds: false` is given, so a genome's reward and descriptor do not depend
 * on its place in a batch (what novelty archives and MAP-Elites assume).
 */
export function policyBehaviour(options: PolicyBehaviourOptions): PolicyBehaviour {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('policyBehaviour: expected an options object');
  const { descriptor = 'finalObs', components, ...rollout } = options;
  if (descriptor !== 'finalObs' && descriptor !== 'actionStats' && descriptor !== 'both')
    throw new RangeError(
      `policyBehaviour: descriptor: expected 'finalObs', 'actionStats' or 'both', got '${String(descriptor)}'`,
    );
  const ro: PopulationRolloutOptions = {
    commonEnvSeeds: true,
    ...rollout,
    actionStats: descriptor !== 'finalObs',
  };
  // A probe of one zero policy fixes the widths (and checks the options once, up front).
  const widths = (() => {
    let n = 0;
    for (let l = 1; l < ro.sizes.length; l++) n += ((ro.sizes[l - 1] as number) + 1) * (ro.sizes[l] as number);
    const r = rolloutPopulationSync(new Float32Array(n), { ...ro, maxSteps: 1 });
    return { obs: r.obsDim, act: r.actionWidth, params: n };
  })();
  const full = (descriptor === 'actionStats' ? 0 : widths.obs) + (descriptor === 'finalObs' ? 0 : widths.act);
  if (components !== undefined) {
    if (!Array.isArray(components) || components.length === 0)
      throw new TypeError('policyBehaviour: components: expected a non-empty array of indices');
    for (const c of components) checkInteger(c, 'policyBehaviour: components[i]', 0, full - 1);
  }
  const keep = components ?? Array.from({ length: full }, (_, i) => i);
  return {
    descriptorDim: keep.length,
    evaluate(genomes) {
      const r = rolloutPopulationSync(genomes, ro);
      const n = r.returns.length;
      const out = new Float32Array(n * keep.length);
      const row = new Float32Array(full);
      for (let i = 0; i < n; i++) {
        let at = 0;
        if (descriptor !== 'actionStats') {
          row.set(r.descriptors.subarray(i * widths.obs, (i + 1) * widths.obs), 0);
          at = widths.obs;
        }
        if (descriptor !== 'finalObs') row.set(r.actionStats.subarray(i * widths.act, (i + 1) * widths.act), at);
        keep.forEach((c, j) => {
          out[i * keep.length + j] = row[c] as number;
        });
      }
      return { rewards: r.returns, descriptors: out };
    },
  };
}
