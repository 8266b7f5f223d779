// Bad input through the public API, called the way a user would through the package entry
// point: every case must throw (or reject) a TypeError, RangeError or OuterloopError whose
// message names the offending argument — never crash, hang, accept silently or fail with an
// engine message such as "Cannot read properties of undefined".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envs, evo, meta, nn, OuterloopError, optim, random, rl, rollout, vec } from '../src/index.js';
import { decodeCheckpoint, loadCheckpoint } from '../src/io/index.js';

type Case = [label: string, call: () => unknown, names: RegExp];

// Messages that mean the library did not check its input itself.
const ENGINE_MESSAGE =
  /Cannot read propert|Cannot convert|is not a function|is not iterable|Invalid typed array length|Invalid array length|undefined is not|null is not|Maximum call stack/;

async function expectClearError(call: () => unknown, names: RegExp): Promise<void> {
  let error: unknown;
  let result: unknown;
  try {
    result = call();
    if (result !== null && typeof (result as Promise<unknown>)?.then === 'function') result = await result;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected an error naming ${names}, got a result: ${String(result)}`);
  const kind = error instanceof TypeError || error instanceof RangeError || error instanceof OuterloopError;
  const message = error instanceof Error ? error.message : String(error);
  expect(kind, `${(error as Error)?.name}: ${message}`).toBe(true);
  expect(message).not.toMatch(ENGINE_MESSAGE);
  expect(message).toMatch(names);
}

function run(cases: Case[]): void {
  it.each(cases)('%s', async (_label, call, names) => expectClearError(call, names), 10_000);
}

const k = random.key(0);
const f32 = (n: number, v = 0) => new Float32Array(n).fill(v);

describe('random', () => {
  run([
    ['key(string)', () => random.key('1' as unknown as number), /seed/],
    ['key(-1)', () => random.key(-1), /seed/],
    ['key(1.5)', () => random.key(1.5), /seed/],
    ['key(NaN)', () => random.key(Number.NaN), /seed/],
    ['key(Infinity)', () => random.key(Number.POSITIVE_INFINITY), /seed/],
    ['key(undefined)', () => random.key(undefined as unknown as number), /seed/],
    ['split(3-word key)', () => random.split(new Uint32Array(3), 2), /key/],
    ['split(Float64Array)', () => random.split(new Float64Array(2) as unknown as Uint32Array, 2), /key/],
    ['split(array)', () => random.split([1, 2] as unknown as Uint32Array, 2), /key/],
    ['split(null)', () => random.split(null as unknown as Uint32Array, 2), /key/],
    ['split(k, 0)', () => random.split(k, 0), /\bn\b/],
    ['split(k, NaN)', () => random.split(k, Number.NaN), /\bn\b/],
    ['split(k, 1.5)', () => random.split(k, 1.5), /\bn\b/],
    ['uniform(k, -1)', () => random.uniform(k, -1), /\bn\b/],
    ['uniform(k, "5")', () => random.uniform(k, '5' as unknown as number), /\bn\b/],
    ['uniform(k, 2^33)', () => random.uniform(k, 2 ** 33), /\bn\b/],
    ['uniform(k, 1, -1)', () => random.uniform(k, 1, -1), /counter/],
    ['uniform(undefined, 1)', () => random.uniform(undefined as unknown as Uint32Array, 1), /key/],
    ['normal(k, NaN)', () => random.normal(k, Number.NaN), /\bn\b/],
    ['normal(Int32Array key)', () => random.normal(new Int32Array(2) as unknown as Uint32Array, 3), /key/],
    ['fold(k, -1)', () => random.fold(k, -1), /data/],
    ['bits(k, 1.5)', () => random.bits(k, 1.5), /\bn\b/],
    ['normalAsync(k, -1)', () => random.normalAsync(k, -1), /\bn\b/],
  ]);
});

describe('envs', () => {
  const cart = envs.make('CartPole-v1', { numEnvs: 2, seed: 0 });
  const pend = envs.make('Pendulum-v1', { numEnvs: 2, seed: 0 });
  const bandit = envs.make('Bandit-v0', { numEnvs: 2, seed: 0 });
  const closed = envs.make('CartPole-v1', { numEnvs: 1 });
  closed.close();
  run([
    ['make(unknown id)', () => envs.make('Nope-v0'), /id.*Nope-v0/],
    ['make(number id)', () => envs.make(42 as unknown as string), /\bid\b/],
    ['make numEnvs 0', () => envs.make('CartPole-v1', { numEnvs: 0 }), /numEnvs/],
    ['make numEnvs NaN', () => envs.make('CartPole-v1', { numEnvs: Number.NaN }), /numEnvs/],
    ['make numEnvs 1.5', () => envs.make('CartPole-v1', { numEnvs: 1.5 }), /numEnvs/],
    ['make numEnvs 2^30', () => envs.make('CartPole-v1', { numEnvs: 2 ** 30 }), /numEnvs/],
    ['make TabularMDP numEnvs 2^24', () => envs.make('TabularMDP-v0', { numEnvs: 2 ** 24 }), /numEnvs/],
    ['make numEnvs "4"', () => envs.make('CartPole-v1', { numEnvs: '4' as unknown as number }), /numEnvs/],
    ['make seed -1', () => envs.make('CartPole-v1', { seed: -1 }), /seed/],
    ['make seed "x"', () => envs.make('CartPole-v1', { seed: 'x' as unknown as number }), /seed/],
    ['make unknown option', () => envs.make('CartPole-v1', { numEnvz: 4 } as never), /numEnvz/],
    ['make options null', () => envs.make('CartPole-v1', null as never), /options/],
    ['make maxEpisodeSteps 0', () => envs.make('CartPole-v1', { maxEpisodeSteps: 0 }), /maxEpisodeSteps/],
    ['make maxEpisodeSteps NaN', () => envs.make('CartPole-v1', { maxEpisodeSteps: Number.NaN }), /maxEpisodeSteps/],
    ['make Bandit arms 0', () => envs.make('Bandit-v0', { arms: 0 }), /arms/],
    ['make CartPole arms', () => envs.make('CartPole-v1', { arms: 3 }), /arms/],
    ['make PointRobot dense "yes"', () => envs.make('PointRobot-v0', { dense: 'yes' as never }), /dense/],
    ['step Float32Array on discrete', () => cart.step(f32(2)), /actions/],
    ['step wrong length', () => cart.step(new Int32Array(3)), /actions/],
    ['step undefined', () => cart.step(undefined as never), /actions/],
    ['step array', () => cart.step([0, 1] as never), /actions/],
    ['step out-of-range action', () => cart.step(new Int32Array([0, 5])), /action/],
    ['step negative action', () => cart.step(new Int32Array([-1, 0])), /action/],
    ['step NaN box action', () => pend.step(f32(2, Number.NaN)), /action/],
    ['step Int32Array on box', () => pend.step(new Int32Array(2)), /actions/],
    ['step Float64Array on box', () => pend.step(new Float64Array(2) as never), /actions/],
    ['reset(-1)', () => cart.reset(-1), /seed/],
    ['reset("a")', () => cart.reset('a' as never), /seed/],
    ['reset(1.5)', () => cart.reset(1.5), /seed/],
    ['setTasks wrong length', () => bandit.setTasks(f32(3)), /tasks/],
    ['setTasks Float64Array', () => bandit.setTasks(new Float64Array(10) as never), /tasks/],
    ['setTasks probability 2', () => bandit.setTasks(f32(10, 2)), /tasks/],
    ['setTasks NaN', () => bandit.setTasks(f32(10, Number.NaN)), /tasks/],
    ['setTasks null', () => bandit.setTasks(null as never), /tasks/],
    ['sampleTasks n 0', () => bandit.sampleTasks(k, 0), /\bn\b/],
    ['sampleTasks n NaN', () => bandit.sampleTasks(k, Number.NaN), /\bn\b/],
    ['sampleTasks n 1e12', () => bandit.sampleTasks(k, 1e12), /\bn\b/],
    ['sampleTasks n "2"', () => bandit.sampleTasks(k, '2' as never), /\bn\b/],
    ['sampleTasks bad key', () => bandit.sampleTasks(new Uint32Array(1), 2), /key/],
    ['step after close', () => closed.step(new Int32Array(1)), /closed/],
    ['restore(null)', () => cart.restore(null as never), /snapshot/],
    ['restore(no config)', () => cart.restore({ ...cart.snapshot(), config: undefined } as never), /snapshot/],
    ['restore(foreign)', () => cart.restore(pend.snapshot()), /snapshot/],
  ]);
});

describe('nn', () => {
  const net = nn.mlp({ sizes: [2, 3, 1], activation: 'tanh' });
  const params = net.init(0);
  const x = f32(4, 0.5);
  const y = f32(2);
  const v = f32(net.size, 1);
  const mse = nn.loss.mse(y);
  run([
    ['mlp(undefined)', () => nn.mlp(undefined as never), /options/],
    ['mlp sizes [2]', () => nn.mlp({ sizes: [2], activation: 'tanh' }), /sizes/],
    ['mlp sizes NaN', () => nn.mlp({ sizes: [2, Number.NaN, 1], activation: 'tanh' }), /sizes\[1\]/],
    ['mlp sizes -1', () => nn.mlp({ sizes: [2, -1, 1], activation: 'tanh' }), /sizes\[1\]/],
    ['mlp sizes 1.5', () => nn.mlp({ sizes: [2, 1.5, 1], activation: 'tanh' }), /sizes\[1\]/],
    ['mlp sizes 2^30', () => nn.mlp({ sizes: [2, 2 ** 30, 1], activation: 'tanh' }), /sizes\[1\]/],
    ['mlp 2^40 parameters', () => nn.mlp({ sizes: [2 ** 20, 2 ** 20], activation: 'tanh' }), /sizes/],
    ['mlp sizes string', () => nn.mlp({ sizes: '2,3' as never, activation: 'tanh' }), /sizes/],
    ['mlp activation', () => nn.mlp({ sizes: [2, 1], activation: 'nope' as never }), /activation/],
    ['mlp unknown option', () => nn.mlp({ sizes: [2, 1], activation: 'tanh', hiden: 3 } as never), /hiden/],
    ['mlp init scheme', () => nn.mlp({ sizes: [2, 1], activation: 'tanh', init: 'bogus' as never }), /init/],
    [
      'mlp init gain NaN',
      () => nn.mlp({ sizes: [2, 1], activation: 'tanh', init: { scheme: 'orthogonal', gain: Number.NaN } }),
      /gain/,
    ],
    ['init(-1)', () => net.init(-1), /seed/],
    ['init(NaN)', () => net.init(Number.NaN), /seed/],
    ['init("a")', () => net.init('a' as never), /seed|key/],
    ['forward batch 0', () => net.forward(params, x, 0), /batch/],
    ['forward batch NaN', () => net.forward(params, x, Number.NaN), /batch/],
    ['forward batch 1.5', () => net.forward(params, x, 1.5), /batch/],
    ['forward batch -1', () => net.forward(params, x, -1), /batch/],
    ['forward batch "2"', () => net.forward(params, x, '2' as never), /batch/],
    ['forward batch 1e12', () => net.forward(params, x, 1e12), /batch/],
    ['forward Float64Array params', () => net.forward(new Float64Array(net.size) as never, x, 2), /params/],
    ['forward params length', () => net.forward(f32(3), x, 2), /params/],
    ['forward x length', () => net.forward(params, f32(3), 2), /\bx\b/],
    ['forward x array', () => net.forward(params, [1, 2, 3, 4] as never, 2), /\bx\b/],
    ['vjp batch -1', () => net.vjp(params, x, -1, y), /batch/],
    ['vjp batch 1e12', () => net.vjp(params, x, 1e12, y), /batch/],
    ['vjp dy length', () => net.vjp(params, x, 2, f32(3)), /dy/],
    ['vjp dy undefined', () => net.vjp(params, x, 2, undefined as never), /dy/],
    ['jvp batch -1', () => net.jvp(params, x, -1, v), /batch/],
    ['jvp v length', () => net.jvp(params, x, 2, f32(2)), /\bv\b/],
    ['hvp loss {}', () => net.hvp(params, x, 2, {} as never, v), /loss/],
    ['hvp target length', () => net.hvp(params, x, 2, nn.loss.mse(f32(3)), v), /target/],
    ['hvp v Float64Array', () => net.hvp(params, x, 2, mse, new Float64Array(net.size) as never), /\bv\b/],
    ['hvp batch NaN', () => net.hvp(params, x, Number.NaN, mse, v), /batch/],
    ['valueAndGrad(null)', () => nn.valueAndGrad(null as never, mse), /net/],
    ['valueAndGrad batch NaN', () => nn.valueAndGrad(net, mse)(params, x, Number.NaN), /batch/],
    ['valueAndGrad batch -1', () => nn.valueAndGrad(net, mse)(params, x, -1), /batch/],
    ['valueAndGrad loss "mse"', () => nn.valueAndGrad(net, 'mse' as never)(params, x, 2), /loss/],
    ['valueAndGrad(undefined loss)', () => nn.valueAndGrad(net, undefined as never)(params, x, 2), /loss/],
    ['mse(Float64Array)', () => nn.loss.mse(new Float64Array(2) as never), /target/],
    ['mse(undefined)', () => nn.loss.mse(undefined as never), /target/],
    ['crossEntropy(Float32Array)', () => nn.loss.crossEntropy(f32(2) as never), /labels/],
    ['crossEntropy numClasses 0', () => nn.loss.crossEntropy(new Int32Array(2), 0), /numClasses/],
    [
      'crossEntropy label out of range',
      () => {
        const clf = nn.mlp({ sizes: [2, 3], activation: 'tanh' });
        return nn.valueAndGrad(clf, nn.loss.crossEntropy(new Int32Array([0, 7])))(clf.init(0), x, 2);
      },
      /labels\[1\]/,
    ],
    ['gaussianNll logStd NaN', () => nn.loss.gaussianNll(y, { logStd: Number.NaN }), /logStd/],
    ['gaussianNll unknown option', () => nn.loss.gaussianNll(y, { foo: 1 } as never), /foo/],
    ['custom(null)', () => nn.loss.custom(null as never), /custom/],
    ['custom value 1', () => nn.loss.custom({ value: 1, grad: () => 0 } as never), /value/],
    ['checkGrad f', () => nn.checkGrad(null as never, [1], [1]), /\bf\b/],
    ['checkGrad options null', () => nn.checkGrad(() => 0, [1], [1], null as never), /checkGrad/],
  ]);
});

describe('optim', () => {
  const rules = {
    sgd: optim.sgd,
    momentum: optim.momentum,
    nesterov: optim.nesterov,
    adam: optim.adam,
    adamw: optim.adamw,
    amsgrad: optim.amsgrad,
    adamax: optim.adamax,
    nadam: optim.nadam,
    rmsprop: optim.rmsprop,
    adagrad: optim.adagrad,
    adagradNorm: optim.adagradNorm,
    adadelta: optim.adadelta,
    lion: optim.lion,
    yogi: optim.yogi,
    novograd: optim.novograd,
    madgrad: optim.madgrad,
    diffgrad: optim.diffgrad,
    grams: optim.grams,
    aegd: optim.aegd,
    gravity: optim.gravity,
    swats: optim.swats,
    optimisticAmsgrad: optim.optimisticAmsgrad,
    complexMomentum: optim.complexMomentum,
  } as Record<string, (o?: object) => optim.Optimizer>;
  const perRule: Case[] = Object.entries(rules).flatMap(([name, make]): Case[] => [
    [`${name} unknown option`, () => make({ learningRate: 0.1 }), /learningRate/],
    [`${name} lr NaN`, () => make({ lr: Number.NaN }), /\blr\b/],
    [`${name} lr -1`, () => make({ lr: -1 }), /\blr\b/],
    [`${name} lr "0.1"`, () => make({ lr: '0.1' }), /\blr\b/],
    [`${name} options 3`, () => make(3 as never), /options/],
    [`${name} options null`, () => make(null as never), /options/],
  ]);
  const p = f32(4, 1);
  const g = f32(4, 0.1);
  const adam = optim.adam({ lr: 0.1 });
  const state = adam.init(p);
  const chained = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ lr: 0.1 }));
  const chainedState = chained.init(p);
  run([
    ...perRule,
    ['adam b1 1', () => optim.adam({ b1: 1 }), /b1/],
    ['adam b2 -0.1', () => optim.adam({ b2: -0.1 }), /b2/],
    ['adam eps -1', () => optim.adam({ eps: -1 }), /eps/],
    ['adam weightDecay NaN', () => optim.adam({ weightDecay: Number.NaN }), /weightDecay/],
    ['sgd momentum NaN', () => optim.sgd({ momentum: Number.NaN }), /momentum/],
    ['sgd nesterov "yes"', () => optim.sgd({ nesterov: 'yes' as never }), /nesterov/],
    ['step grads length', () => adam.step(p, f32(3), state), /grads/],
    ['step Float64Array params', () => adam.step(new Float64Array(4) as never, g, state), /params/],
    ['step grads undefined', () => adam.step(p, undefined as never, state), /grads/],
    ['step state {}', () => adam.step(p, g, {} as never), /state/],
    ['step state null', () => adam.step(p, g, null as never), /state/],
    ['step state of other params', () => adam.step(f32(5), f32(5), state), /state/],
    ['step lr schedule NaN', () => optim.adam({ lr: () => Number.NaN }).step(p, g, state), /lr/],
    ['chain()', () => optim.chain(...([] as never as [optim.Optimizer])), /chain/],
    ['chain(42)', () => optim.chain(42 as never), /argument 0/],
    ['chain optimizer not last', () => optim.chain(optim.adam() as never, optim.clipByGlobalNorm(1) as never), /last/],
    ['chain step grads length', () => chained.step(p, f32(5), chainedState), /grads/],
    ['clipByGlobalNorm NaN', () => optim.clipByGlobalNorm(Number.NaN), /maxNorm/],
    ['clipByGlobalNorm -1', () => optim.clipByGlobalNorm(-1), /maxNorm/],
    ['clipByValue NaN', () => optim.clipByValue(Number.NaN), /maxDelta/],
    ['scale "2"', () => optim.scale('2' as never), /factor/],
    ['multiSteps k 0', () => optim.multiSteps(optim.adam(), 0), /\bk\b/],
    ['lookahead(null)', () => optim.lookahead(null as never), /opt/],
    ['linear steps 0', () => optim.schedules.linear({ init: 1, end: 0, steps: 0 }), /steps/],
    ['linear init NaN', () => optim.schedules.linear({ init: Number.NaN, end: 0, steps: 10 }), /init/],
    ['linear null', () => optim.schedules.linear(null as never), /linear/],
    ['linear unknown key', () => optim.schedules.linear({ init: 1, end: 0, steps: 3, stpes: 4 } as never), /stpes/],
    ['cosine steps 1.5', () => optim.schedules.cosine({ init: 1, steps: 1.5 }), /steps/],
    [
      'warmupCosine decay < warmup',
      () => optim.schedules.warmupCosine({ peak: 1, warmupSteps: 10, decaySteps: 5 }),
      /decaySteps/,
    ],
    ['exponential rate NaN', () => optim.schedules.exponential({ init: 1, steps: 10, rate: Number.NaN }), /rate/],
    ['exponential steps missing', () => optim.schedules.exponential({ init: 1, rate: 0.5 } as never), /steps/],
    ['constant NaN', () => optim.schedules.constant(Number.NaN), /value/],
    ['restoreState(saved null)', () => optim.restoreState(adam, p, null as never), /saved/],
    ['restoreState(saved {})', () => optim.restoreState(adam, p, {} as never), /count/],
    ['restoreState(params Float64Array)', () => optim.restoreState(adam, new Float64Array(4) as never, {}), /params/],
    ['saveState(null)', () => optim.saveState(null as never), /state/],
    ['restoreState(opt null)', () => optim.restoreState(null as never, p, {} as never), /opt/],
  ]);
});

describe('rl', () => {
  let policy: rl.Policy;
  let carPolicy: rl.Policy;
  let dir: string;
  const tiny = { totalSteps: 8, numEnvs: 1, numSteps: 8, numMinibatches: 1, updateEpochs: 1, hidden: [4] };
  beforeAll(async () => {
    policy = (await rl.ppo.train({ env: 'CartPole-v1', ...tiny })).policy;
    carPolicy = (await rl.ppo.train({ env: 'MountainCar-v0', ...tiny })).policy;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-public-input-'));
    fs.writeFileSync(path.join(dir, 'garbage.ckpt'), 'this is not a checkpoint at all, just some bytes');
    fs.writeFileSync(path.join(dir, 'empty.ckpt'), '');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ppo = (c: object) => () => rl.ppo.train({ env: 'CartPole-v1', ...tiny, ...c } as rl.PpoConfig);
  const a2c = (c: object) => () => rl.a2c.train({ env: 'CartPole-v1', ...tiny, ...c } as rl.A2cConfig);
  run([
    ['ppo(null)', () => rl.ppo.train(null as never), /config/],
    ['ppo(undefined)', () => rl.ppo.train(undefined as never), /config|env/],
    ['ppo unknown env', () => rl.ppo.train({ env: 'Nope-v0' }), /Nope-v0/],
    ['ppo no env', () => rl.ppo.train({} as never), /env/],
    ['ppo numEnvs 0', ppo({ numEnvs: 0 }), /numEnvs/],
    ['ppo numEnvs NaN', ppo({ numEnvs: Number.NaN }), /numEnvs/],
    ['ppo numSteps 1.5', ppo({ numSteps: 1.5 }), /numSteps/],
    ['ppo totalSteps -1', ppo({ totalSteps: -1 }), /totalSteps/],
    ['ppo lr NaN', ppo({ lr: Number.NaN }), /\blr\b/],
    ['ppo gamma 1.5', ppo({ gamma: 1.5 }), /gamma/],
    ['ppo gaeLambda -0.1', ppo({ gaeLambda: -0.1 }), /gaeLambda/],
    ['ppo hidden []', ppo({ hidden: [] }), /hidden/],
    ['ppo hidden [0]', ppo({ hidden: [0] }), /hidden/],
    ['ppo activation', ppo({ activation: 'sigmoid' }), /activation/],
    ['ppo objective', ppo({ objective: 'trpo' }), /objective/],
    ['ppo numMinibatches 0', ppo({ numMinibatches: 0 }), /numMinibatches/],
    ['ppo clipCoef -1', ppo({ clipCoef: -1 }), /clipCoef/],
    ['ppo targetKl NaN', ppo({ targetKl: Number.NaN }), /targetKl/],
    ['ppo unknown option', ppo({ learningRate: 1 }), /learningRate/],
    ['ppo annealLr "yes"', ppo({ annealLr: 'yes' }), /annealLr/],
    ['ppo normAdv 1', ppo({ normAdv: 1 }), /normAdv/],
    ['ppo normalizeObs "no"', ppo({ normalizeObs: 'no' }), /normalizeObs/],
    ['ppo clipVloss 0', ppo({ clipVloss: 0 }), /clipVloss/],
    ['ppo onUpdate 1', ppo({ onUpdate: 1 }), /onUpdate/],
    ['a2c(undefined)', () => rl.a2c.train(undefined as never), /config/],
    ['a2c rmsDecay 2', a2c({ rmsDecay: 2 }), /rmsDecay/],
    ['a2c numEnvs NaN', a2c({ numEnvs: Number.NaN }), /numEnvs/],
    ['a2c seed -1', a2c({ seed: -1 }), /seed/],
    ['a2c normalizeReward "x"', a2c({ normalizeReward: 'x' }), /normalizeReward/],
    ['evaluate episodes 0', () => rl.evaluate(policy, { episodes: 0 }), /episodes/],
    ['evaluate episodes NaN', () => rl.evaluate(policy, { episodes: Number.NaN }), /episodes/],
    ['evaluate numEnvs 0', () => rl.evaluate(policy, { episodes: 2, numEnvs: 0 }), /numEnvs/],
    ['evaluate seed -1', () => rl.evaluate(policy, { episodes: 1, seed: -1 }), /seed/],
    ['evaluate unknown env', () => rl.evaluate(policy, { env: 'Nope-v0', episodes: 1 }), /Nope-v0/],
    ['evaluate unknown option', () => rl.evaluate(policy, { epsiodes: 3 } as never), /epsiodes/],
    ['evaluate other obsDim', () => rl.evaluate(policy, { env: 'Pendulum-v1', episodes: 1 }), /observation/],
    [
      'evaluate other action space',
      () => rl.evaluate(carPolicy, { env: 'MountainCarContinuous-v0', episodes: 1 }),
      /action/,
    ],
    [
      'evaluate deterministic "no"',
      () => rl.evaluate(policy, { episodes: 1, deterministic: 'no' as never }),
      /deterministic/,
    ],
    ['evaluate(null policy)', () => rl.evaluate(null as never, { episodes: 1 }), /policy/],
    ['evaluate(policy, null)', () => rl.evaluate(policy, null as never), /options/],
    ['act Float64Array', () => policy.act(new Float64Array(4) as never), /obs/],
    ['act wrong length', () => policy.act(f32(3)), /obs/],
    ['act bad key', () => policy.act(f32(4), { key: 'x' as never }), /key/],
    ['value(null)', () => policy.value(null as never), /obs/],
    ['Policy.load(missing)', () => rl.Policy.load(path.join(dir, 'missing.ckpt')), /missing\.ckpt/],
    ['Policy.load(garbage)', () => rl.Policy.load(path.join(dir, 'garbage.ckpt')), /garbage\.ckpt/],
    ['Policy.load(empty)', () => rl.Policy.load(path.join(dir, 'empty.ckpt')), /empty\.ckpt/],
    ['Policy.load(folder)', () => rl.Policy.load(dir), /folder/],
    ['Policy.load(42)', () => rl.Policy.load(42 as never), /path/],
    ['Policy.load(undefined)', () => rl.Policy.load(undefined as never), /path/],
    [
      'Policy.load(truncated)',
      async () => {
        const file = path.join(dir, 'truncated.ckpt');
        await policy.save(file);
        const bytes = fs.readFileSync(file);
        fs.writeFileSync(file, bytes.subarray(0, bytes.length - 7));
        return rl.Policy.load(file);
      },
      /truncated\.ckpt/,
    ],
    [
      'Policy.load(flipped byte)',
      async () => {
        const file = path.join(dir, 'flipped.ckpt');
        await policy.save(file);
        const bytes = fs.readFileSync(file);
        bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
        fs.writeFileSync(file, bytes);
        return rl.Policy.load(file);
      },
      /flipped\.ckpt/,
    ],
    ['policy.save(42)', () => policy.save(42 as never), /path/],
    ['new Policy(null spec)', () => new rl.Policy(null as never, f32(4), { env: 'x', algo: 'x', steps: 0 }), /spec/],
    [
      'new Policy(obsDim NaN)',
      () =>
        new rl.Policy(
          {
            obsDim: Number.NaN,
            action: { type: 'discrete', n: 2 },
            hidden: [4],
            activation: 'tanh',
            network: 'separate',
          },
          f32(4),
          { env: 'x', algo: 'x', steps: 0 },
        ),
      /obsDim/,
    ],
    [
      'new Policy(no action)',
      () =>
        new rl.Policy({ obsDim: 4, hidden: [4], activation: 'tanh', network: 'separate' } as never, f32(4), {
          env: 'x',
          algo: 'x',
          steps: 0,
        }),
      /action/,
    ],
    [
      'new Policy(params length)',
      () =>
        new rl.Policy(
          { obsDim: 4, action: { type: 'discrete', n: 2 }, hidden: [4], activation: 'tanh', network: 'separate' },
          f32(4),
          { env: 'x', algo: 'x', steps: 0 },
        ),
      /params/,
    ],
  ]);
});

describe('checkpoints (io)', () => {
  run([
    ['decodeCheckpoint(garbage)', () => decodeCheckpoint(new TextEncoder().encode('garbage bytes here')), /checkpoint/],
    ['decodeCheckpoint(empty)', () => decodeCheckpoint(new Uint8Array(0)), /checkpoint/],
    ['decodeCheckpoint(string)', () => decodeCheckpoint('abc' as never), /bytes/],
    ['loadCheckpoint(missing)', () => loadCheckpoint('/nonexistent/ol.ckpt'), /ol\.ckpt/],
    ['loadCheckpoint(42)', () => loadCheckpoint(42 as never), /file|path/],
  ]);
});

describe('meta', () => {
  const net = nn.mlp({ sizes: [1, 4, 1], activation: 'relu' });
  const twoIn = nn.mlp({ sizes: [2, 4, 1], activation: 'relu' });
  const tasks = meta.tasks.sine();
  const maml = meta.maml({ model: net, innerLr: 0.01 });
  const params = net.init(0);
  const support = { x: f32(5, 0.1), y: f32(5) };
  const learners = {
    maml: meta.maml,
    fomaml: meta.fomaml,
    reptile: meta.reptile,
    metaSgd: meta.metaSgd,
    anil: meta.anil,
    imaml: meta.imaml,
    pretrain: meta.pretrain,
  } as Record<string, (o: object) => meta.MetaLearner>;
  const perLearner: Case[] = Object.entries(learners).flatMap(([name, make]): Case[] => [
    [`${name}(undefined)`, () => make(undefined as never), /options/],
    [`${name} model null`, () => make({ model: null }), /model/],
    [`${name} innerLr NaN`, () => make({ model: net, innerLr: Number.NaN }), /innerLr/],
    [`${name} innerSteps 0`, () => make({ model: net, innerSteps: 0 }), /innerSteps/],
    [`${name} innerSteps 1.5`, () => make({ model: net, innerSteps: 1.5 }), /innerSteps/],
    [`${name} loss hinge`, () => make({ model: net, loss: 'hinge' }), /loss/],
    [`${name} unknown option`, () => make({ model: net, lr: 0.1 }), /'lr'/],
    [`${name} optimizer {}`, () => make({ model: net, optimizer: {} }), /optimizer/],
    [`${name} train iterations -1`, () => make({ model: net }).train({ tasks, iterations: -1 }), /iterations/],
    [
      `${name} adapt x Float64Array`,
      () => make({ model: net }).adapt(params, { x: new Float64Array(5) as never, y: f32(5) }),
      /support\.x/,
    ],
  ]);
  run([
    ...perLearner,
    ['maml firstOrder "yes"', () => meta.maml({ model: net, firstOrder: 'yes' as never }), /firstOrder/],
    ['metaSgd firstOrder "no"', () => meta.metaSgd({ model: net, firstOrder: 'no' as never }), /firstOrder/],
    ['anil firstOrder 1', () => meta.anil({ model: net, firstOrder: 1 as never }), /firstOrder/],
    ['metaSgd lrOptimizer {}', () => meta.metaSgd({ model: net, lrOptimizer: {} as never }), /lrOptimizer/],
    ['anil head unknown', () => meta.anil({ model: net, head: ['nope'] }), /head/],
    ['anil head "x"', () => meta.anil({ model: net, head: 'dense1.w' as never }), /head/],
    ['imaml lambda 0', () => meta.imaml({ model: net, lambda: 0 }), /lambda/],
    ['imaml cgSteps 0', () => meta.imaml({ model: net, cgSteps: 0 }), /cgSteps/],
    ['train(null)', () => maml.train(null as never), /options/],
    ['train iterations NaN', () => maml.train({ tasks, iterations: Number.NaN }), /iterations/],
    ['train iterations "5"', () => maml.train({ tasks, iterations: '5' as never }), /iterations/],
    ['train metaBatch 0', () => maml.train({ tasks, iterations: 1, metaBatch: 0 }), /metaBatch/],
    ['train shots 0', () => maml.train({ tasks, iterations: 1, shots: 0 }), /shots/],
    ['train shots 1.5', () => maml.train({ tasks, iterations: 1, shots: 1.5 }), /shots/],
    ['train queries -1', () => maml.train({ tasks, iterations: 1, queries: -1 }), /queries/],
    ['train seed -1', () => maml.train({ tasks, iterations: 1, seed: -1 }), /seed/],
    ['train tasks {}', () => maml.train({ tasks: {} as never, iterations: 1 }), /tasks/],
    ['train init length', () => maml.train({ tasks, iterations: 1, init: f32(3) }), /init/],
    ['train unknown option', () => maml.train({ tasks, iters: 5 } as never), /iters/],
    ['train onProgress 1', () => maml.train({ tasks, iterations: 1, onProgress: 1 as never }), /onProgress/],
    [
      'train input mismatch',
      () => meta.maml({ model: twoIn }).train({ tasks, iterations: 1, metaBatch: 1, shots: 1 }),
      /input/,
    ],
    ['adapt params length', () => maml.adapt(f32(3), support), /params/],
    ['adapt support null', () => maml.adapt(params, null as never), /support/],
    ['adapt y length', () => maml.adapt(params, { x: f32(5), y: f32(4) }), /support\.y/],
    ['adapt y Int32Array', () => maml.adapt(params, { x: f32(5), y: new Int32Array(5) as never }), /support\.y/],
    ['adapt steps -1', () => maml.adapt(params, support, { steps: -1 }), /steps/],
    ['adapt lr NaN', () => maml.adapt(params, support, { lr: Number.NaN }), /\blr\b/],
    ['adapt lr [NaN]', () => maml.adapt(params, support, { lr: new Float32Array([Number.NaN]) }), /\blr\b/],
    ['adapt lr length', () => maml.adapt(params, support, { lr: f32(3) }), /\blr\b/],
    ['adapt options null', () => maml.adapt(params, support, null as never), /options/],
    ['adapt lambda -1', () => maml.adapt(params, support, { lambda: -1 }), /lambda/],
    ['evaluate(params, undefined)', () => maml.evaluate(params, undefined as never), /options/],
    ['evaluate count 0', () => maml.evaluate(params, { tasks, count: 0 }), /count/],
    ['evaluate tasks null', () => maml.evaluate(params, { tasks: null as never }), /tasks/],
    ['sine(null)', () => meta.tasks.sine(null as never), /options/],
    ['sine amplitude [5, 1]', () => meta.tasks.sine({ amplitude: [5, 1] }), /amplitude/],
    ['sine amplitude [NaN, 1]', () => meta.tasks.sine({ amplitude: [Number.NaN, 1] }), /amplitude/],
    ['sine noise -1', () => meta.tasks.sine({ noise: -1 }), /noise/],
    ['sine variant', () => meta.tasks.sine({ variant: 'x' as never }), /variant/],
    ['sine unknown option', () => meta.tasks.sine({ foo: 1 } as never), /foo/],
    ['sine.sample count 0', () => tasks.sample(k, 0, 5, 5), /count/],
    ['sine.sample shots NaN', () => tasks.sample(k, 2, Number.NaN, 5), /shots/],
    ['sine.sample 2^40 rows', () => tasks.sample(k, 2 ** 20, 2 ** 20, 2 ** 20), /shots/],
    ['sine.sample bad key', () => tasks.sample('k' as never, 2, 5, 5), /key/],
    ['linear dim 0', () => meta.tasks.linear({ dim: 0 }), /dim/],
    ['linear(null)', () => meta.tasks.linear(null as never), /options/],
    ['gaussianClusters ways 1', () => meta.tasks.gaussianClusters({ ways: 1 }), /ways/],
    ['gaussianClusters(null)', () => meta.tasks.gaussianClusters(null as never), /options/],
    ['classification(undefined)', () => meta.tasks.classification(undefined as never), /options/],
    [
      'classification labels Float32Array',
      () => meta.tasks.classification({ x: f32(4), labels: f32(4) as never, inputDim: 1, ways: 2 }),
      /labels/,
    ],
    [
      'classification ways > classes',
      () => meta.tasks.classification({ x: f32(4), labels: new Int32Array([0, 0, 1, 1]), inputDim: 1, ways: 3 }),
      /ways/,
    ],
    ['mlti(null base)', () => meta.tasks.mlti(null as never), /base/],
    ['mlti alpha -1', () => meta.tasks.mlti(tasks, { alpha: -1 }), /alpha/],
    ['mlti(options null)', () => meta.tasks.mlti(tasks, null as never), /options/],
  ]);
});

describe('evo', () => {
  const x0 = [0.5, -0.5];
  const factories = {
    openaiEs: evo.openaiEs,
    pgpe: evo.pgpe,
    snes: evo.snes,
    cmaEs: evo.cmaEs,
    sepCmaEs: evo.sepCmaEs,
    ga: evo.ga,
    cbo: evo.cbo,
  } as Record<string, (o?: object) => evo.Strategy>;
  const perStrategy: Case[] = Object.entries(factories).flatMap(([name, factory]): Case[] => {
    const make = (o: object) => factory({ popSize: 4, ...o });
    const s = make({});
    const st = s.init(random.key(1), x0);
    const pop = s.ask(st, random.key(2));
    return [
      [`${name} popSize NaN`, () => make({ popSize: Number.NaN }), /popSize/],
      [`${name} popSize 1.5`, () => make({ popSize: 1.5 }), /popSize/],
      [`${name} popSize -4`, () => make({ popSize: -4 }), /popSize/],
      [`${name} popSize 1e12`, () => make({ popSize: 1e12 }), /popSize/],
      [`${name} popSize "4"`, () => make({ popSize: '4' }), /popSize/],
      [`${name} unknown option`, () => make({ sigmaa: 1 }), /sigmaa/],
      // ga and cbo allow sigma 0 (no mutation / no exploration noise); the others need sigma > 0.
      ...(name === 'ga' || name === 'cbo' ? [] : ([[`${name} sigma 0`, () => make({ sigma: 0 }), /sigma/]] as Case[])),
      [`${name} sigma -1`, () => make({ sigma: -1 }), /sigma/],
      [`${name} sigma NaN`, () => make({ sigma: Number.NaN }), /sigma/],
      [`${name} minimize "yes"`, () => make({ minimize: 'yes' }), /minimize/],
      [`${name} nonFinite`, () => make({ nonFinite: 'skip' }), /nonFinite/],
      [`${name} options null`, () => factory(null as never), /options/],
      [`${name} options 3`, () => factory(3 as never), /options/],
      [`${name} init x0 []`, () => s.init(k, []), /x0/],
      [`${name} init x0 NaN`, () => s.init(k, [Number.NaN]), /x0/],
      [`${name} init x0 "abc"`, () => s.init(k, 'abc' as never), /x0/],
      [`${name} init bad key`, () => s.init('k' as never, x0), /key/],
      [`${name} ask bad key`, () => s.ask(st, 'k' as never), /key/],
      [`${name} ask(null state)`, () => s.ask(null as never, k), /state/],
      [`${name} tell fitness length`, () => s.tell(st, pop, [1, 2, 3]), /fitness/],
      [`${name} tell fitness NaN`, () => s.tell(st, pop, [1, Number.NaN, 2, 3]), /fitness/],
      [`${name} tell fitness "abc"`, () => s.tell(st, pop, 'abcd' as never), /fitness/],
      [`${name} tell population {}`, () => s.tell(st, {} as never, [1, 2, 3, 4]), /population/],
      [`${name} tell(null state)`, () => s.tell(null as never, pop, [1, 2, 3, 4]), /state/],
    ];
  });
  const sphere = (x: Float32Array) => evo.functions.sphere(x);
  run([
    ...perStrategy,
    ['openaiEs odd popSize', () => evo.openaiEs({ popSize: 3 }), /popSize/],
    ['openaiEs lr NaN', () => evo.openaiEs({ lr: Number.NaN }), /\blr\b/],
    ['openaiEs antithetic "no"', () => evo.openaiEs({ antithetic: 'no' as never }), /antithetic/],
    ['openaiEs noise', () => evo.openaiEs({ noise: 'x' as never }), /noise/],
    ['openaiEs optimizer {}', () => evo.openaiEs({ optimizer: {} as never }), /optimizer/],
    ['openaiEs noiseTable {}', () => evo.openaiEs({ noiseTable: {} as never }).init(k, x0), /noiseTable/],
    ['openaiEs tableSize 0', () => evo.openaiEs({ tableSize: 0 }).init(k, x0), /tableSize|size/],
    ['openaiEs shaping', () => evo.openaiEs({ popSize: 4, shaping: 'x' as never }), /shaping/],
    ['cmaEs x0 of dim 10^4', () => evo.cmaEs().init(k, new Float32Array(10_000)), /x0/],
    ['ga parents 0', () => evo.ga({ popSize: 4, parents: 0 }), /parents/],
    ['cbo dt NaN', () => evo.cbo({ dt: Number.NaN }), /\bdt\b/],
    ['clipUp lr -1', () => evo.clipUp({ lr: -1 }), /\blr\b/],
    ['noiseTable size 0', () => evo.noiseTable(1, 0), /size/],
    ['noiseTable seed "x"', () => evo.noiseTable('x' as never, 10), /seed|key/],
    ['noiseTable seed -1', () => evo.noiseTable(-1, 10), /seed/],
    ['centeredRanks("abc")', () => evo.centeredRanks('abc' as never), /fitness/],
    ['zScore([NaN])', () => evo.zScore([1, Number.NaN]), /fitness/],
    ['noveltyArchive(undefined)', () => evo.noveltyArchive(undefined as never), /options/],
    ['noveltyArchive dim 0', () => evo.noveltyArchive({ dim: 0 }), /dim/],
    ['optimize(null f)', () => evo.optimize(null as never, { strategy: 'cmaEs', x0, generations: 1 }), /\bf\b/],
    [
      'optimize unknown strategy',
      () => evo.optimize(sphere, { strategy: 'nope' as never, x0, generations: 1 }),
      /strategy/,
    ],
    ['optimize generations 0', () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: 0 }), /generations/],
    [
      'optimize generations NaN',
      () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: Number.NaN }),
      /generations/,
    ],
    ['optimize x0 []', () => evo.optimize(sphere, { strategy: 'cmaEs', x0: [], generations: 1 }), /x0/],
    ['optimize seed -1', () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: 1, seed: -1 }), /seed/],
    ['optimize unknown option', () => evo.optimize(sphere, { strategy: 'cmaEs', x0, gens: 1 } as never), /gens/],
    [
      'optimize target NaN',
      () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: 1, target: Number.NaN }),
      /target/,
    ],
    ['optimize options null', () => evo.optimize(sphere, null as never), /options/],
    [
      'optimize popSize 3',
      () => evo.optimize(sphere, { strategy: 'openaiEs', x0, generations: 1, popSize: 3 }),
      /popSize/,
    ],
    [
      'optimize strategyOptions null',
      () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: 1, strategyOptions: 3 as never }),
      /strategyOptions/,
    ],
    [
      'optimize onGeneration 1',
      () => evo.optimize(sphere, { strategy: 'cmaEs', x0, generations: 1, onGeneration: 1 as never }),
      /onGeneration/,
    ],
    [
      'optimize f returns string',
      () => evo.optimize((() => 'x') as never, { strategy: 'cmaEs', x0, generations: 1 }),
      /\bf\b/,
    ],
  ]);
});

describe('rollout', () => {
  const env = envs.make('CartPole-v1', { numEnvs: 2, seed: 0 });
  const pend = envs.make('Pendulum-v1', { numEnvs: 2, seed: 0 });
  const net = nn.mlp({ sizes: [4, 4, 2], activation: 'tanh' });
  const policy = { sizes: net.sizes, params: net.init(0) };
  const opts = { policy, steps: 2, key: k };
  const tn = 4;
  const x = {
    steps: 2,
    numEnvs: 2,
    rewards: f32(tn),
    values: f32(tn),
    terminated: new Uint8Array(tn),
    truncated: new Uint8Array(tn),
    finalValues: f32(tn),
    lastValues: f32(2),
  };
  const hp = { gamma: 0.99, lambda: 0.95 };
  run([
    ['collect(null env)', () => rollout.collect(null as never, opts), /env/],
    ['collect({} env)', () => rollout.collect({} as never, opts), /env/],
    ['collect(options null)', () => rollout.collect(env, null as never), /options/],
    ['collect steps 0', () => rollout.collect(env, { ...opts, steps: 0 }), /steps/],
    ['collect steps NaN', () => rollout.collect(env, { ...opts, steps: Number.NaN }), /steps/],
    ['collect steps 1e12', () => rollout.collect(env, { ...opts, steps: 1e12 }), /steps/],
    ['collect bad key', () => rollout.collect(env, { ...opts, key: new Uint32Array(1) }), /key/],
    ['collect policy null', () => rollout.collect(env, { ...opts, policy: null as never }), /policy/],
    [
      'collect policy sizes',
      () => rollout.collect(env, { ...opts, policy: { ...policy, sizes: [3, 2] } }),
      /policy\.sizes/,
    ],
    [
      'collect policy sizes null',
      () => rollout.collect(env, { ...opts, policy: { ...policy, sizes: null as never } }),
      /policy\.sizes/,
    ],
    [
      'collect policy params',
      () => rollout.collect(env, { ...opts, policy: { ...policy, params: f32(3) } }),
      /policy\.params/,
    ],
    ['collect value "tail"', () => rollout.collect(env, { ...opts, value: 'tail' as never }), /value/],
    [
      'collect box without logStd',
      () => rollout.collect(pend, { policy: { sizes: [3, 1], params: f32(4) }, steps: 2, key: k }),
      /logStd/,
    ],
    [
      'collect out mismatch',
      () => rollout.collect(env, { ...opts, out: rollout.collect(env, { ...opts, steps: 3 }) }),
      /out/,
    ],
    ['collectAsync steps 0', () => rollout.collectAsync(env, { ...opts, steps: 0 }), /steps/],
    ['gae rewards length', () => rollout.gae({ ...x, rewards: f32(3) }, hp), /rewards/],
    ['gae gamma 1.5', () => rollout.gae(x, { ...hp, gamma: 1.5 }), /gamma/],
    ['gae lambda NaN', () => rollout.gae(x, { ...hp, lambda: Number.NaN }), /lambda/],
    ['gae steps 0', () => rollout.gae({ ...x, steps: 0 }, hp), /steps/],
    [
      'gae terminated Int32Array',
      () => rollout.gae({ ...x, terminated: new Int32Array(tn) as never }, hp),
      /terminated/,
    ],
    ['gae lastValues length', () => rollout.gae({ ...x, lastValues: f32(3) }, hp), /lastValues/],
    ['gae(null)', () => rollout.gae(null as never, hp), /input/],
    ['gae(x, undefined)', () => rollout.gae(x, undefined as never), /options|gamma/],
    ['discountedReturns steps -1', () => rollout.discountedReturns({ ...x, steps: -1 }, { gamma: 0.9 }), /steps/],
    ['discountedReturns(null)', () => rollout.discountedReturns(null as never, { gamma: 0.9 }), /input/],
    ['discountedReturns(x, null)', () => rollout.discountedReturns(x, null as never), /options/],
    ['discountedReturns gamma NaN', () => rollout.discountedReturns(x, { gamma: Number.NaN }), /gamma/],
  ]);
});

describe('vec', () => {
  run([
    ['axpy NaN a', () => vec.axpy(Number.NaN, f32(2), f32(2)), /\ba\b/],
    ['axpy length', () => vec.axpy(1, f32(2), f32(3)), /\by\b/],
    ['dot Float64Array', () => vec.dot(new Float64Array(2) as never, f32(2)), /\bx\b/],
    ['globalNorm(null)', () => vec.globalNorm(null as never), /buffers/],
  ]);
});
