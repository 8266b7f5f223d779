// The public learner factories: meta.maml, fomaml, reptile, metaSgd, anil, imaml and the
// pretrain baseline. Each validates its options and configures the one GradientLearner.
import { mlpParamCount } from '../backend/kernels/nn.js';
import { mlpLayout } from '../nn/layout.js';
import { adam } from '../optim/index.js';
import type { Optimizer } from '../optim/types.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import { checkModel, checkPositive, GradientLearner, LEARNER_KEYS } from './gradient_learner.js';
import type { LearnerOptions, MetaLearner } from './types.js';

/** Inner steps during meta-training when `innerSteps` is not given (the CLI's defaults too). */
export const DEFAULT_INNER_STEPS = {
  maml: 1,
  fomaml: 1,
  reptile: 5,
  metaSgd: 1,
  anil: 1,
  imaml: 10,
  pretrain: 1,
} as const;

function base(name: string, o: LearnerOptions, extra: readonly string[], defaultSteps: number) {
  if (typeof o !== 'object' || o === null) throw new TypeError(`meta.${name}: expected an options object`);
  checkKnownKeys(o, [...LEARNER_KEYS, ...extra], `meta.${name}`);
  const model = checkModel(o.model, `meta.${name}`);
  const innerLr = o.innerLr ?? 0.01;
  checkNumber(innerLr, `meta.${name}: innerLr`);
  if (innerLr < 0) throw new RangeError(`meta.${name}: innerLr: expected >= 0, got ${innerLr}`);
  const steps = o.innerSteps ?? defaultSteps;
  if (typeof steps === 'number' && Number.isInteger(steps) && steps < 1)
    throw new RangeError(`meta.${name}: innerSteps: expected at least 1 inner step, got ${steps}`);
  checkInteger(steps, `meta.${name}: innerSteps`, 1, 1 << 16);
  return { model, innerLr, steps, P: mlpParamCount(model.sizes) };
}

function firstOrder(o: { firstOrder?: boolean }, name: string): boolean {
  const fo = o.firstOrder ?? false;
  checkBoolean(fo, `meta.${name}: firstOrder`);
  return fo;
}

export interface MamlOptions extends LearnerOptions {
  /** Drop the second-order terms (FOMAML). Default false: exact second-order meta-gradient. */
  firstOrder?: boolean;
}

/**
 * MAML (Finn et al. 2017): k inner SGD steps; the exact second-order meta-gradient
 * backpropagates through the stored inner iterates with Hessian-vector products.
 */
export function maml(options: MamlOptions): MetaLearner {
  const b = base('maml', options, ['firstOrder'], DEFAULT_INNER_STEPS.maml);
  const fo = firstOrder(options, 'maml');
  return new GradientLearner(options, {
    name: fo ? 'fomaml' : 'maml',
    mode: fo ? 'firstOrder' : 'secondOrder',
    lrs: new Float32Array([b.innerLr]),
    steps: b.steps,
  });
}

/** First-order MAML: the query gradient at the adapted parameters is the meta-gradient. */
export function fomaml(options: LearnerOptions): MetaLearner {
  const b = base('fomaml', options, [], DEFAULT_INNER_STEPS.fomaml);
  return new GradientLearner(options, {
    name: 'fomaml',
    mode: 'firstOrder',
    lrs: new Float32Array([b.innerLr]),
    steps: b.steps,
  });
}

/**
 * Reptile (Nichol et al. 2018): the meta-gradient is θ − φ after k inner steps on the support
 * set, averaged over the meta-batch (metaBatch 1 is the serial algorithm). With
 * optim.sgd({ lr: ε }) the update is θ ← θ + ε·mean(φ − θ); the default outer optimizer is Adam.
 */
export function reptile(options: LearnerOptions): MetaLearner {
  const b = base('reptile', options, [], DEFAULT_INNER_STEPS.reptile);
  return new GradientLearner(options, {
    name: 'reptile',
    mode: 'reptile',
    lrs: new Float32Array([b.innerLr]),
    steps: b.steps,
  });
}

export interface MetaSgdOptions extends LearnerOptions {
  /** Optimizer of the per-parameter inner rates (default: Adam with the outer optimizer's default lr 1e-3). */
  lrOptimizer?: Optimizer;
  /** First-order meta-gradient (default false). */
  firstOrder?: boolean;
}

/**
 * Meta-SGD (Li et al. 2017): per-parameter inner learning rates (initialized to innerLr) learned
 * jointly with the initialization through the second-order meta-gradient.
 */
export function metaSgd(options: MetaSgdOptions): MetaLearner {
  const b = base('metaSgd', options, ['lrOptimizer', 'firstOrder'], DEFAULT_INNER_STEPS.metaSgd);
  const fo = firstOrder(options, 'metaSgd');
  const lrOpt = options.lrOptimizer ?? adam({ lr: 1e-3 });
  if (typeof lrOpt?.step !== 'function') throw new TypeError('meta.metaSgd: lrOptimizer: expected an optim optimizer');
  return new GradientLearner(options, {
    name: 'metaSgd',
    mode: fo ? 'firstOrder' : 'secondOrder',
    lrs: new Float32Array(b.P).fill(b.innerLr),
    learnLr: lrOpt,
    steps: b.steps,
  });
}

export interface AnilOptions extends LearnerOptions {
  /** Layout segments adapted in the inner loop (default: the last layer, e.g. ['dense2.w', 'dense2.b']). */
  head?: string[];
  firstOrder?: boolean;
}

/**
 * ANIL (Raghu et al. 2020): only the head segments adapt in the inner loop; the body is
 * meta-learned through the (second-order) meta-gradient but frozen during adaptation.
 */
export function anil(options: AnilOptions): MetaLearner {
  const b = base('anil', options, ['head', 'firstOrder'], DEFAULT_INNER_STEPS.anil);
  const fo = firstOrder(options, 'anil');
  const layout = b.model.layout ?? mlpLayout(b.model.sizes);
  const L = b.model.sizes.length - 1;
  const head = options.head ?? [`dense${L - 1}.w`, `dense${L - 1}.b`];
  if (!Array.isArray(head) || head.length === 0)
    throw new TypeError('meta.anil: head: expected a non-empty array of segment names');
  const lrs = new Float32Array(b.P);
  for (const name of head) {
    const seg = layout.find((s) => s.name === name);
    if (!seg)
      throw new RangeError(`meta.anil: head: no segment '${name}' (segments: ${layout.map((s) => s.name).join(', ')})`);
    const size = seg.size ?? seg.shape.reduce((a, c) => a * c, 1);
    lrs.fill(b.innerLr, seg.offset, seg.offset + size);
  }
  return new GradientLearner(options, {
    name: 'anil',
    mode: fo ? 'firstOrder' : 'secondOrder',
    lrs,
    steps: b.steps,
  });
}

export interface ImamlOptions extends LearnerOptions {
  /** Proximal weight λ of the inner problem L(φ) + λ/2·|φ − θ|² (default 2). */
  lambda?: number;
  /** Conjugate-gradient steps for (I + H/λ)⁻¹ g (default 5). */
  cgSteps?: number;
  /**
   * The inner solver. 'capped' (default): the batched kernel's proximal steps at
   * min(innerLr, 1/(L + λ)), evaluated with the same proximal steps. 'gd': the paper's — plain
   * gradient descent at innerLr on L + λ/2·|φ − θ|², the meta-gradient by the bilevel module's
   * implicit hypergradient (CG on H + λI), and adapt/evaluate by plain SGD steps (λ = 0) exactly
   * as MAML's. Plain GD is unstable on a task once innerLr·(sharpness + λ) > 2, and the implicit
   * meta-gradient (which assumes φ solved) exerts no pressure against sharpness: on sine
   * (1-40-40-1 ReLU, λ 2, 10 steps at 0.01) the support-loss sharpness at θ passes 2/α − λ = 198
   * after ~7k iterations and reaches ~1000 by 10k, and plain-SGD adaptation degrades
   * (examples/imaml_sine.ts). A non-finite inner loop stops training with a RangeError.
   */
  innerSolver?: 'capped' | 'gd';
}

/**
 * iMAML (Rajeswaran et al. 2019): the inner problem is proximal (gradient steps on
 * L + λ/2·|φ − θ|²); the meta-gradient is (I + H/λ)⁻¹ ∇L_query(φ), solved by conjugate gradient
 * on Hessian-vector products, so memory does not grow with the inner steps.
 *
 * The inner solver is gradient descent on the proximal objective at min(innerLr, 1/(L + λ)),
 * with L the top Hessian eigenvalue magnitude of the task's support loss at θ (power iteration
 * on Hessian-vector products), so it descends the proximal objective however sharp meta-training
 * makes the support loss (a fixed rate diverges past 2/innerLr − λ); adapt/evaluate use the same
 * solver. CG stops at a direction of non-positive curvature (truncated CG). On sine
 * (1-40-40-1 ReLU, K = 10) this is stable but the proximal problem is ill-conditioned
 * ((L + λ)/λ), so a few steps leave it far from solved and adaptation is weak.
 */
export function imaml(options: ImamlOptions): MetaLearner {
  const b = base('imaml', options, ['lambda', 'cgSteps', 'innerSolver'], DEFAULT_INNER_STEPS.imaml);
  const innerSolver = options.innerSolver ?? 'capped';
  if (innerSolver !== 'capped' && innerSolver !== 'gd')
    throw new RangeError(`meta.imaml: innerSolver: expected 'capped' or 'gd', got ${String(innerSolver)}`);
  const lambda = checkPositive(options.lambda ?? 2, 'meta.imaml: lambda');
  const cgSteps = options.cgSteps ?? 5;
  checkInteger(cgSteps, 'meta.imaml: cgSteps', 1, 1 << 16);
  return new GradientLearner(options, {
    name: 'imaml',
    mode: 'implicit',
    lrs: new Float32Array([b.innerLr]),
    lambda,
    cgSteps,
    innerSolver,
    ...(innerSolver === 'gd' ? { evalLambda: 0 } : {}),
    steps: b.steps,
  });
}

/**
 * The pre-training baseline: one network trained on the pooled tasks (the gradient of the query
 * loss at the meta-parameters, no inner steps during training), then fine-tuned by `adapt`.
 */
export function pretrain(options: LearnerOptions): MetaLearner {
  const b = base('pretrain', options, [], DEFAULT_INNER_STEPS.pretrain);
  return new GradientLearner(options, {
    name: 'pretrain',
    mode: 'firstOrder',
    lrs: new Float32Array([0]),
    adaptLrs: new Float32Array([b.innerLr]),
    steps: 1,
  });
}
