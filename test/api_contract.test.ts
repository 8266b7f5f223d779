// The names and shapes of ../shared/design/API.md, called exactly as a user would through the
// package entry point. A rename that breaks the contract fails here.
import { describe, expect, it } from 'vitest';
import { backend, envs, evo, games, meta, nn, optim, random, rl } from '../src/index.js';

describe('public contract (API.md)', () => {
  it('backend', () => {
    expect(['native', 'js']).toContain(backend.current());
    const info = backend.info();
    expect(Object.keys(info).sort()).toEqual(['cuda', 'name', 'physics', 'simd', 'threads', 'version']);
    expect(backend.threads()).toBeGreaterThanOrEqual(1);
  });

  it('random', () => {
    const k = random.key(0);
    expect(random.split(k, 3)).toHaveLength(3);
    expect(random.uniform(k, 5)).toBeInstanceOf(Float32Array);
    expect(random.normal(k, 5)).toHaveLength(5);
  });

  it('envs', () => {
    expect(envs.list()).toEqual(expect.arrayContaining(['CartPole-v1', 'Pendulum-v1', 'Bandit-v0']));
    const env = envs.make('CartPole-v1', { numEnvs: 8, seed: 0 });
    expect(env.numEnvs).toBe(8);
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.actionSpace).toMatchObject({ type: 'discrete', n: 2 });
    expect(env.reset(1)).toHaveLength(32);
    const r = env.step(new Int32Array(8));
    for (const key of ['obs', 'reward', 'terminated', 'truncated', 'finalObs']) expect(r).toHaveProperty(key);
    expect(r.terminated).toBeInstanceOf(Uint8Array);
    const bandit = envs.make('Bandit-v0', { numEnvs: 4, seed: 0 });
    bandit.setTasks(bandit.sampleTasks(random.key(3), 4));
    env.close();
  });

  it('nn', () => {
    const net = nn.mlp({ sizes: [4, 64, 64, 2], activation: 'tanh' });
    expect(net.layout[0]).toMatchObject({ name: 'dense0.w', shape: [4, 64], offset: 0 });
    expect(net.size).toBe(4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);
    const params = net.init(0);
    const x = new Float32Array(8).fill(0.1);
    expect(net.forward(params, x, 2)).toHaveLength(4);
    const g = net.vjp(params, x, 2, new Float32Array(4).fill(1));
    expect(g.params).toHaveLength(net.size);
    expect(g.inputs).toHaveLength(8);
    expect(net.jvp(params, x, 2, new Float32Array(net.size).fill(0.01))).toHaveLength(4);
    const loss = nn.loss.mse(new Float32Array(4));
    expect(net.hvp(params, x, 2, loss, new Float32Array(net.size).fill(0.01))).toHaveLength(net.size);
    const vg = nn.valueAndGrad(net, loss)(params, x, 2);
    expect(typeof vg.value).toBe('number');
    expect(vg.grad).toHaveLength(net.size);
    expect(nn.loss.crossEntropy(new Int32Array([0, 1]))).toBeDefined();
  });

  it('games', () => {
    const g = games.bilinear(new Float32Array([1, 0, 0, 1]), { m: 2, n: 2 });
    const x0 = new Float32Array([1, 0]);
    const y0 = new Float32Array([0, 1]);
    for (const method of [
      'gda',
      'alternatingGda',
      'extragradient',
      'optimistic',
      'twoTimescaleEg',
      'cgd',
      'complexMomentum',
    ] as const) {
      const r = games.solve(g, { method, lr: 0.1, steps: 3, x0, y0 });
      expect(r.x).toHaveLength(2);
      expect(r.y).toHaveLength(2);
      expect(r.history[0]).toMatchObject({ step: 0, gradNorm: expect.any(Number), distance: expect.any(Number) });
    }
  });

  it('optim', () => {
    const params = new Float32Array([1, 2, 3]);
    const grads = new Float32Array([0.1, -0.2, 0.3]);
    const opt = optim.chain(optim.clipByGlobalNorm(0.5), optim.adam({ lr: 3e-4, b1: 0.9, b2: 0.999, eps: 1e-8 }));
    const state = opt.init(params);
    opt.step(params, grads, state);
    expect(params[0]).toBeLessThan(1);
    for (const s of ['linear', 'cosine', 'warmupCosine', 'exponential'] as const)
      expect(typeof optim.schedules[s]).toBe('function');
    expect(() => optim.sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0 })).not.toThrow();
  });

  it('rl', () => {
    expect(typeof rl.ppo.train).toBe('function');
    expect(typeof rl.evaluate).toBe('function');
    expect(typeof rl.Policy.load).toBe('function');
  });

  it('meta', async () => {
    const tasks = meta.tasks.sine();
    const net = nn.mlp({ sizes: [1, 8, 1], activation: 'relu' });
    const learner = meta.maml({ model: net, loss: 'mse', innerLr: 0.01, innerSteps: 1, firstOrder: false });
    const params = await learner.train({ tasks, iterations: 3, metaBatch: 2, shots: 5, seed: 0 });
    expect(params).toHaveLength(net.size);
    const adapted = learner.adapt(
      params,
      { x: new Float32Array([0.1, 0.2]), y: new Float32Array([1, 2]) },
      { steps: 2, lr: 0.01 },
    );
    expect(adapted).toHaveLength(net.size);
    for (const name of ['fomaml', 'reptile', 'metaSgd', 'anil', 'imaml'] as const)
      expect(typeof meta[name]).toBe('function');
  });

  it('evo', async () => {
    const s = evo.openaiEs({ popSize: 8, sigma: 0.05, optimizer: optim.adam({ lr: 0.01 }) });
    let st = s.init(random.key(0), new Float32Array(3).fill(1));
    const pop = s.ask(st, random.key(1));
    st = s.tell(
      st,
      pop,
      new Float32Array(8).map((_, i) => i),
    );
    expect(st).toBeDefined();
    const r = await evo.optimize((x: Float32Array) => x.reduce((a, b) => a + b * b, 0), {
      strategy: 'cmaEs',
      x0: new Float32Array(4).fill(1),
      generations: 40,
      seed: 1,
      minimize: true,
    });
    expect(r.best).toBeInstanceOf(Float32Array);
    expect(r.bestFitness).toBeLessThan(1e-3);
    expect(Array.isArray(r.history)).toBe(true);
    for (const name of ['pgpe', 'snes', 'sepCmaEs', 'ga', 'cbo'] as const) expect(typeof evo[name]).toBe('function');
  });
});
