// The one learner behind meta.maml / fomaml / reptile / metaSgd / anil / imaml: they differ in
// the kernel mode (how the meta-gradient is formed), the inner rates (one, one per parameter,
// learned, masked) and the proximal term. Every meta-iteration is one batched kernel call.
import type { MetaAdaptScalars, MetaGradScalars, MetaLossKind, MetaMode } from '../backend/kernels/meta.js';
import { mlpParamCount } from '../backend/kernels/nn.js';
import { ACTIVATION_CODES } from '../nn/activations.js';
import { mlp } from '../nn/mlp.js';
import type { Model } from '../nn/types.js';
import { adam } from '../optim/index.js';
import type { Optimizer, OptState } from '../optim/types.js';
import { fold, key } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import { imamlGdBatch } from './imaml_gd.js';
import { truncatedNormalInit } from './init.js';
import { metaKernels } from './kernels.js';
import type { TaskBatch, TaskDistribution } from './tasks/types.js';
import type {
  AdaptOptions,
  EvaluateOptions,
  EvaluateResult,
  LearnerOptions,
  MetaLearner,
  MetaLoss,
  MetaModel,
  SupportSet,
  TrainOptions,
} from './types.js';

/** How a learner forms its meta-gradient and its inner rates. */
export interface LearnerSpec {
  name: string;
  mode: MetaMode;
  /** Inner rates: one value, or one per parameter (zeros freeze parameters). */
  lrs: Float32Array;
  /** Meta-SGD: the rates are meta-parameters too, trained by `lrOptimizer`. */
  learnLr?: Optimizer;
  /** Rates adapt/evaluate use by default when they differ from training's (pretrain: training uses 0). */
  adaptLrs?: Float32Array;
  /** iMAML's proximal weight λ (also adapt's default). */
  lambda?: number;
  cgSteps?: number;
  /** iMAML's inner solver: 'capped' (the batched kernel's curvature-capped proximal steps) or 'gd' (the paper's plain GD, meta-gradient by bilevel CG). */
  innerSolver?: 'capped' | 'gd';
  /** λ that adapt/evaluate use by default when not the training λ (iMAML-GD: 0, plain SGD as MAML). */
  evalLambda?: number;
  steps: number;
}

export const LEARNER_KEYS = ['model', 'loss', 'innerLr', 'innerSteps', 'optimizer'] as const;

export function lossKind(loss: MetaLoss | undefined, name: string): MetaLossKind {
  const n = loss === undefined ? 'mse' : typeof loss === 'string' ? loss : loss?.name;
  if (n === 'mse') return 'mse';
  if (n === 'crossEntropy' || n === 'cross-entropy' || n === 'softmaxCrossEntropy') return 'crossEntropy';
  throw new RangeError(
    `${name}: loss: expected 'mse' or 'crossEntropy' (the batched meta kernels implement these two), got ${String(n)}`,
  );
}

export function checkModel(model: unknown, name: string): MetaModel {
  if (typeof model !== 'object' || model === null) throw new TypeError(`${name}: model: expected an nn.mlp model`);
  const m = model as MetaModel;
  if (!Array.isArray(m.sizes) || m.sizes.length < 2)
    throw new TypeError(
      `${name}: model: expected an MLP with sizes (e.g. nn.mlp({ sizes: [1, 40, 40, 1], activation: 'relu' }))`,
    );
  for (let i = 0; i < m.sizes.length; i++) checkInteger(m.sizes[i], `${name}: model.sizes[${i}]`, 1, 1 << 20);
  if (!(m.activation in ACTIVATION_CODES))
    throw new RangeError(`${name}: model.activation: unknown activation '${String(m.activation)}'`);
  if (m.outputActivation !== undefined && !(m.outputActivation in ACTIVATION_CODES))
    throw new RangeError(`${name}: model.outputActivation: unknown activation '${String(m.outputActivation)}'`);
  return m;
}

export function checkPositive(x: unknown, what: string): number {
  checkNumber(x, what);
  if (!(x > 0)) throw new RangeError(`${what}: expected a number > 0, got ${x}`);
  return x;
}

function ci95(xs: Float64Array, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i] as number;
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((xs[i] as number) - m) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  return [m, (1.96 * sd) / Math.sqrt(n)];
}

// Median with NaN sorted last (a diverged task counts as the worst).
function medianOf(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  return n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class GradientLearner implements MetaLearner {
  readonly name: string;
  readonly model: MetaModel;
  readonly sizes: Int32Array;
  readonly hidden: number;
  readonly output: number;
  readonly loss: MetaLossKind;
  readonly P: number;
  readonly optimizer: Optimizer;
  private lrs: Float32Array;
  private readonly spec: LearnerSpec;

  constructor(options: LearnerOptions, spec: LearnerSpec) {
    this.name = spec.name;
    this.model = checkModel(options.model, `meta.${spec.name}`);
    this.sizes = Int32Array.from(this.model.sizes);
    this.hidden = ACTIVATION_CODES[this.model.activation];
    this.output = ACTIVATION_CODES[this.model.outputActivation ?? 'identity'];
    this.loss = lossKind(options.loss, `meta.${spec.name}`);
    this.P = mlpParamCount(this.sizes);
    const out = this.sizes[this.sizes.length - 1] as number;
    if (this.loss === 'crossEntropy' && (out < 2 || out > 1024))
      throw new RangeError(`meta.${spec.name}: crossEntropy needs a model with 2 to 1024 outputs, got ${out}`);
    this.optimizer = options.optimizer ?? adam({ lr: 1e-3 });
    if (typeof this.optimizer?.step !== 'function' || typeof this.optimizer.init !== 'function')
      throw new TypeError(`meta.${spec.name}: optimizer: expected an optim optimizer (e.g. optim.adam({ lr: 1e-3 }))`);
    if (spec.lrs.length !== 1 && spec.lrs.length !== this.P) throw new Error('internal: lrs length');
    this.spec = spec;
    this.lrs = Float32Array.from(spec.lrs);
  }

  /** The kernels' scalars for this model and loss (row counts 0: the caller fills them). */
  private scalars(steps: number, lambda: number, tasks: number): MetaAdaptScalars {
    return {
      hidden: this.hidden,
      output: this.output,
      loss: this.loss,
      steps,
      lambda,
      tasks,
      supportRows: 0,
      queryRows: 0,
    };
  }

  innerLrs(): Float32Array {
    return Float32Array.from(this.adaptLrs());
  }

  private adaptLrs(): Float32Array {
    return this.spec.adaptLrs ?? this.lrs;
  }

  /** Replaces the inner rates (e.g. restoring a trained Meta-SGD from a checkpoint). */
  setInnerLrs(lrs: Float32Array): void {
    if (!(lrs instanceof Float32Array) || (lrs.length !== 1 && lrs.length !== this.P))
      throw new RangeError(`meta.${this.name}: innerLrs: expected a Float32Array of length 1 or ${this.P}`);
    this.lrs = Float32Array.from(lrs);
  }

  private checkBatch(b: TaskBatch, where: string): void {
    const inDim = this.sizes[0] as number;
    const out = this.sizes[this.sizes.length - 1] as number;
    if (b.inputDim !== inDim)
      throw new RangeError(`${where}: the tasks have ${b.inputDim} inputs but the model takes ${inDim}`);
    if (this.loss === 'mse' && b.kind !== 'regression')
      throw new RangeError(
        `${where}: loss 'mse' needs regression tasks, got ${b.kind} tasks (use loss: 'crossEntropy')`,
      );
    if (this.loss === 'crossEntropy' && b.kind !== 'classification')
      throw new RangeError(`${where}: loss 'crossEntropy' needs classification tasks, got ${b.kind}`);
    if (b.outputDim !== out)
      throw new RangeError(
        `${where}: the tasks have ${b.outputDim} ${b.kind === 'classification' ? 'classes' : 'outputs'} but the model has ${out} outputs`,
      );
  }

  private initialParams(o: TrainOptions, seed: number): Float32Array {
    if (o.init !== undefined) {
      if (!(o.init instanceof Float32Array) || o.init.length !== this.P)
        throw new RangeError(`meta.${this.name}.train: init: expected a Float32Array of length ${this.P}`);
      return Float32Array.from(o.init);
    }
    if (typeof this.model.init === 'function') return this.model.init(seed);
    return truncatedNormalInit(this.model.sizes, fold(key(seed), 0x696e6974), 0.01);
  }

  async train(o: TrainOptions): Promise<Float32Array> {
    const where = `meta.${this.name}.train`;
    if (typeof o !== 'object' || o === null) throw new TypeError(`${where}: expected an options object`);
    checkKnownKeys(
      o,
      ['tasks', 'iterations', 'metaBatch', 'shots', 'queries', 'seed', 'init', 'onProgress', 'signal'],
      where,
    );
    const tasks: TaskDistribution = o.tasks;
    if (typeof tasks?.sample !== 'function')
      throw new TypeError(`${where}: tasks: expected a task distribution (e.g. meta.tasks.sine())`);
    checkInteger(o.iterations, `${where}: iterations`, 0, 1e12);
    const metaBatch = o.metaBatch ?? 25;
    const shots = o.shots ?? 10;
    const queries = o.queries ?? shots;
    const seed = o.seed ?? 0;
    checkInteger(metaBatch, `${where}: metaBatch`, 1, 1 << 20);
    checkInteger(shots, `${where}: shots`, 1, 1 << 20);
    checkInteger(queries, `${where}: queries`, this.spec.mode === 'reptile' ? 0 : 1, 1 << 20);
    checkInteger(seed, `${where}: seed`);
    if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
      throw new TypeError(`${where}: onProgress: expected a function`);

    const k = metaKernels();
    const params = this.initialParams(o, seed);
    const state: OptState = this.optimizer.init(params);
    const lrOpt = this.spec.learnLr;
    const lrState = lrOpt ? lrOpt.init(this.lrs) : undefined;
    const grad = new Float32Array(this.P);
    const lrGrad = lrOpt ? new Float32Array(this.lrs.length) : null;
    const pre = new Float32Array(metaBatch);
    const post = new Float32Array(metaBatch);
    const taskKey = fold(key(seed), 0x7461736b);
    // One scalars object for the run; the row counts are refilled from each batch.
    const scalars: MetaGradScalars = {
      ...this.scalars(this.spec.steps, this.spec.mode === 'implicit' ? (this.spec.lambda as number) : 0, metaBatch),
      mode: this.spec.mode,
      cgSteps: this.spec.cgSteps ?? 0,
    };
    const gdNet = this.spec.innerSolver === 'gd' ? this.net() : undefined;
    const t0 = performance.now();
    let lastYield = t0;
    for (let it = 0; it < o.iterations; it++) {
      if (o.signal?.aborted) break;
      const b = tasks.sample(fold(taskKey, it % 2 ** 32), metaBatch, shots, queries);
      if (it === 0) this.checkBatch(b, where);
      scalars.supportRows = b.supportRows;
      scalars.queryRows = b.queryRows;
      if (gdNet) {
        const { diverged } = imamlGdBatch(
          gdNet,
          params,
          b,
          {
            lambda: this.spec.lambda as number,
            steps: this.spec.steps,
            lr: this.lrs[0] as number,
            cgSteps: this.spec.cgSteps ?? 5,
            loss: this.loss,
          },
          grad,
          pre,
          post,
        );
        if (diverged > 0)
          throw new RangeError(
            `${where}: iteration ${it}: the plain GD inner loop diverged on ${diverged} of ${metaBatch} tasks (innerLr·(sharpness + lambda) > 2): lower innerLr or raise lambda`,
          );
      } else
        k.metaGradBatch(
          this.sizes,
          params,
          this.lrs,
          b.supportX,
          b.supportY,
          b.queryX,
          b.queryY,
          grad,
          lrGrad,
          pre,
          post,
          scalars,
        );
      this.optimizer.step(params, grad, state);
      if (lrOpt && lrGrad && lrState) lrOpt.step(this.lrs, lrGrad, lrState);
      if (o.onProgress) {
        let sp = 0;
        let sq = 0;
        for (let t = 0; t < metaBatch; t++) {
          sp += pre[t] as number;
          sq += post[t] as number;
        }
        o.onProgress({
          iteration: it + 1,
          iterations: o.iterations,
          lossPre: sp / metaBatch,
          lossPost: sq / metaBatch,
          elapsedMs: performance.now() - t0,
        });
      }
      const now = performance.now();
      if (now - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    return params;
  }

  private resolveLr(lr: number | Float32Array | undefined, where: string): Float32Array {
    if (lr === undefined) return this.adaptLrs();
    if (typeof lr === 'number') {
      checkNumber(lr, `${where}: lr`);
      return new Float32Array([lr]);
    }
    if (!(lr instanceof Float32Array) || (lr.length !== 1 && lr.length !== this.P))
      throw new RangeError(`${where}: lr: expected a number or a Float32Array of length ${this.P}`);
    return lr;
  }

  /** The model as an nn.mlp (same flat layout as the kernels), for the TypeScript task loops. */
  private net(): Model {
    return mlp({
      sizes: this.model.sizes,
      activation: this.model.activation,
      ...(this.model.outputActivation ? { outputActivation: this.model.outputActivation } : {}),
    });
  }

  private resolveLambda(lambda: number | undefined, where: string): number {
    const l = lambda ?? this.spec.evalLambda ?? (this.spec.mode === 'implicit' ? (this.spec.lambda as number) : 0);
    checkNumber(l, `${where}: lambda`);
    if (l < 0) throw new RangeError(`${where}: lambda: expected >= 0, got ${l}`);
    return l;
  }

  adapt(params: Float32Array, support: SupportSet, options: AdaptOptions = {}): Float32Array {
    const where = `meta.${this.name}.adapt`;
    if (!(params instanceof Float32Array) || params.length !== this.P)
      throw new RangeError(`${where}: params: expected a Float32Array of length ${this.P}`);
    checkKnownKeys(options, ['steps', 'lr', 'lambda'], where);
    const steps = options.steps ?? 10;
    checkInteger(steps, `${where}: steps`, 0, 1 << 16);
    const lr = this.resolveLr(options.lr, where);
    const lambda = this.resolveLambda(options.lambda, where);
    if (typeof support !== 'object' || support === null) throw new TypeError(`${where}: support: expected { x, y }`);
    const inDim = this.sizes[0] as number;
    const out = this.sizes[this.sizes.length - 1] as number;
    if (!(support.x instanceof Float32Array)) throw new TypeError(`${where}: support.x: expected a Float32Array`);
    const rows = support.x.length / inDim;
    if (!Number.isInteger(rows) || rows < 1)
      throw new RangeError(`${where}: support.x: expected rows × ${inDim} values, got ${support.x.length}`);
    const wantY = this.loss === 'mse' ? rows * out : rows;
    if (this.loss === 'mse' && !(support.y instanceof Float32Array))
      throw new TypeError(`${where}: support.y: expected a Float32Array of targets`);
    if (this.loss === 'crossEntropy' && !(support.y instanceof Int32Array))
      throw new TypeError(`${where}: support.y: expected an Int32Array of labels`);
    if (support.y.length !== wantY)
      throw new RangeError(`${where}: support.y: expected length ${wantY}, got ${support.y.length}`);
    const adapted = new Float32Array(this.P);
    const empty = this.loss === 'mse' ? new Float32Array(0) : new Int32Array(0);
    const scalars = this.scalars(steps, lambda, 1);
    scalars.supportRows = rows;
    metaKernels().metaAdaptEvaluate(
      this.sizes,
      params,
      lr,
      support.x,
      support.y,
      new Float32Array(0),
      empty,
      null,
      adapted,
      scalars,
    );
    return adapted;
  }

  evaluate(params: Float32Array, o: EvaluateOptions): EvaluateResult {
    const where = `meta.${this.name}.evaluate`;
    if (!(params instanceof Float32Array) || params.length !== this.P)
      throw new RangeError(`${where}: params: expected a Float32Array of length ${this.P}`);
    checkKnownKeys(o, ['tasks', 'count', 'shots', 'queries', 'steps', 'seed', 'lr', 'lambda'], where);
    if (typeof o.tasks?.sample !== 'function') throw new TypeError(`${where}: tasks: expected a task distribution`);
    const count = o.count ?? 600;
    const shots = o.shots ?? 10;
    const queries = o.queries ?? (o.tasks.kind === 'regression' ? 100 : shots);
    const steps = o.steps ?? 10;
    const seed = o.seed ?? 1_000_003;
    checkInteger(count, `${where}: count`, 1, 1 << 24);
    checkInteger(shots, `${where}: shots`, 1, 1 << 20);
    checkInteger(queries, `${where}: queries`, 1, 1 << 20);
    checkInteger(steps, `${where}: steps`, 0, 1 << 16);
    checkInteger(seed, `${where}: seed`);
    const lr = this.resolveLr(o.lr, where);
    const lambda = this.resolveLambda(o.lambda, where);
    const b = o.tasks.sample(fold(key(seed), 0x6576616c), count, shots, queries);
    this.checkBatch(b, where);
    const losses = new Float32Array(count * (steps + 1));
    const scalars = this.scalars(steps, lambda, count);
    scalars.supportRows = b.supportRows;
    scalars.queryRows = b.queryRows;
    metaKernels().metaAdaptEvaluate(
      this.sizes,
      params,
      lr,
      b.supportX,
      b.supportY,
      b.queryX,
      b.queryY,
      losses,
      null,
      scalars,
    );
    const mean = new Float64Array(steps + 1);
    const ci = new Float64Array(steps + 1);
    const median = new Float64Array(steps + 1);
    const col = new Float64Array(count);
    for (let j = 0; j <= steps; j++) {
      for (let t = 0; t < count; t++) col[t] = losses[t * (steps + 1) + j] as number;
      [mean[j], ci[j]] = ci95(col, count);
      median[j] = medianOf(col);
    }
    return { mean, ci95: ci, median, losses, count };
  }
}
