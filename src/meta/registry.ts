// The meta-learners by name, for drivers such as `outerloop meta`: the library's factory, the inner
// steps it takes by default (read from factories.ts, so a driver cannot disagree with the library)
// and the options beyond LearnerOptions a driver may set by value (their defaults and checks are
// the factory's). A new learner is its factory plus one entry here.
import { type OptionTable, type OptionTableOf, option } from '../util/options.js';
import { anil, DEFAULT_INNER_STEPS, fomaml, imaml, maml, metaSgd, pretrain, reptile } from './factories.js';
import type { LearnerOptions, MetaLearner } from './types.js';

/** A meta-learner as a driver sees it. */
export interface MetaLearnerEntry {
  /** One line for help. */
  readonly summary: string;
  /** The library's factory (the entry's options pass through to it). */
  create(options: LearnerOptions & Record<string, unknown>): MetaLearner;
  /** Inner steps during meta-training when `innerSteps` is not given. */
  readonly innerSteps: number;
  /** Options beyond LearnerOptions that take plain values. */
  readonly options: OptionTable;
  /** The learner meta-learns its inner rates with an `lrOptimizer` option. */
  readonly learnsInnerLrs?: boolean;
}

/** An entry, its options checked against the factory's own option type. */
function learner<O extends LearnerOptions>(entry: {
  summary: string;
  create: (options: O) => MetaLearner;
  innerSteps: number;
  options: Partial<OptionTableOf<Omit<NoInfer<O>, keyof LearnerOptions>>>;
  learnsInnerLrs?: boolean;
}): MetaLearnerEntry {
  // Erased once: a driver passes only what the table declares, and the factory checks it.
  return entry as unknown as MetaLearnerEntry;
}

const firstOrder = option.boolean('drop the second-order terms of the meta-gradient');

/** The meta-learners, by their `meta.<name>` factory name. */
export const META_LEARNERS = {
  maml: learner({
    summary: 'MAML (Finn et al. 2017): exact second-order meta-gradient through the inner steps',
    create: maml,
    innerSteps: DEFAULT_INNER_STEPS.maml,
    options: { firstOrder },
  }),
  fomaml: learner({
    summary: 'first-order MAML: the query gradient at the adapted parameters',
    create: fomaml,
    innerSteps: DEFAULT_INNER_STEPS.fomaml,
    options: {},
  }),
  reptile: learner({
    summary: 'Reptile (Nichol et al. 2018): moves toward the adapted parameters',
    create: reptile,
    innerSteps: DEFAULT_INNER_STEPS.reptile,
    options: {},
  }),
  metaSgd: learner({
    summary: 'Meta-SGD (Li et al. 2017): per-parameter inner rates learned with the initialization',
    create: metaSgd,
    innerSteps: DEFAULT_INNER_STEPS.metaSgd,
    options: { firstOrder },
    learnsInnerLrs: true,
  }),
  anil: learner({
    summary: 'ANIL (Raghu et al. 2020): only the head adapts in the inner loop',
    create: anil,
    innerSteps: DEFAULT_INNER_STEPS.anil,
    options: { firstOrder },
  }),
  imaml: learner({
    summary: 'iMAML (Rajeswaran et al. 2019): implicit meta-gradient by conjugate gradient',
    create: imaml,
    innerSteps: DEFAULT_INNER_STEPS.imaml,
    options: {
      lambda: option.anyNumber('proximal weight of the inner problem'),
      cgSteps: option.anyInteger('conjugate-gradient steps'),
    },
  }),
  pretrain: learner({
    summary: 'the pre-training baseline: one network on the pooled tasks, fine-tuned to adapt',
    create: pretrain,
    innerSteps: DEFAULT_INNER_STEPS.pretrain,
    options: {},
  }),
} as const satisfies Record<keyof typeof DEFAULT_INNER_STEPS, MetaLearnerEntry>;

/** A meta-learner's name. */
export type MetaLearnerName = keyof typeof META_LEARNERS;
