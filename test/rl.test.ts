// PPO (clip, dpo, mdpo) and A2C end to end on CartPole-v1 with small budgets, GAE against a
// direct reference, truncation bootstrapping, evaluation and policy checkpoints.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { type RlObjectiveOptions, RlPolicyStats } from '../src/backend/kernels/rl.js';
import * as envs from '../src/envs/index.js';
import { OuterloopError } from '../src/errors.js';
import { encodeCheckpoint } from '../src/io/checkpoint.js';
import * as optim from '../src/optim/index.js';
import * as random from '../src/random/index.js';
import { RolloutCollector } from '../src/rl/collector.js';
import { a2c, evaluate, Policy, ppo } from '../src/rl/index.js';
import { ActorCritic, ActorCriticWorkspace } from '../src/rl/model.js';
import { abortAfter } from './helpers/training.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outerloop-rl-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('gae', () => {
  it('matches the discounted sum of TD errors up to each episode end', () => {
    const T = 7;
    const N = 2;
    const rewards = Float32Array.from({ length: T * N }, (_, k) => ((k * 37) % 11) / 5 - 1);
    const values = Float32Array.from({ length: T * N }, (_, k) => ((k * 13) % 7) / 3);
    const dones = Uint8Array.from({ length: T * N }, (_, k) => (k === 5 || k === 8 ? 1 : 0));
    const last = new Float32Array([0.7, -0.3]);
    const adv = new Float32Array(T * N);
    const ret = new Float32Array(T * N);
    const g = 0.9;
    const l = 0.8;
    // The rollout family's kernel as the collector calls it: these episode ends are all terminations.
    getBackend().gae(rewards, values, dones, new Uint8Array(T * N), new Float32Array(T * N), last, adv, ret, {
      gamma: g,
      lambda: l,
    });
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < T; t++) {
        // A_t = Σ_k (γλ)^k δ_{t+k}, stopping after the first step that ends an episode.
        let a = 0;
        for (let k = t; k < T; k++) {
          const idx = k * N + i;
          const next = dones[idx] ? 0 : k + 1 < T ? (values[(k + 1) * N + i] as number) : (last[i] as number);
          const delta = (rewards[idx] as number) + g * next - (values[idx] as number);
          a += (g * l) ** (k - t) * delta;
          if (dones[idx]) break;
        }
        expect(adv[t * N + i]).toBeCloseTo(a, 5);
        expect(ret[t * N + i]).toBeCloseTo(a + (values[t * N + i] as number), 5);
      }
    }
  });
});

describe('rollout collection', () => {
  it('bootstraps truncated steps from V(finalObs) and terminated ones from 0', () => {
    const env = envs.make('CartPole-v1', { numEnvs: 3, seed: 4, maxEpisodeSteps: 5 });
    const model = new ActorCritic({
      obsDim: 4,
      action: { type: 'discrete', n: 2 },
      hidden: [8],
      activation: 'tanh',
      network: 'separate',
    });
    const params = model.init(random.key(0));
    // A critic that outputs the constant 2.5: zero output weights, bias 2.5.
    const critic = model.critic;
    if (!critic) throw new Error('expected a critic');
    const outW = critic.mlp.layout.find((s) => s.name === 'dense1.w');
    const outB = critic.mlp.layout.find((s) => s.name === 'dense1.b');
    params.fill(0, critic.offset + (outW?.offset ?? 0), critic.offset + (outW?.offset ?? 0) + (outW?.size ?? 0));
    params[critic.offset + (outB?.offset ?? 0)] = 2.5;
    const gamma = 0.9;
    const c = new RolloutCollector(
      env,
      model,
      { numSteps: 12, gamma, gaeLambda: 0.95, obsRms: undefined, clipObs: 10, rewardScaler: undefined },
      4,
    );
    c.collect(params, random.key(1));
    let truncations = 0;
    for (let k = 0; k < c.size; k++) {
      const t = Math.floor(k / 3);
      // Every 5th step of each env is a time-limit truncation (CartPole does not fall that fast).
      expect(c.rewards[k]).toBe(1);
      if ((t + 1) % 5 === 0) {
        expect(c.dones[k]).toBe(1);
        expect(c.truncated[k]).toBe(1);
        expect(c.terminated[k]).toBe(0);
        expect(c.finalValues[k]).toBeCloseTo(2.5, 5);
        // The episode ends here, so the advantage is one TD error bootstrapped from V(finalObs).
        expect(c.advantages[k]).toBeCloseTo(1 + gamma * 2.5 - 2.5, 5);
        truncations++;
      } else {
        expect(c.dones[k]).toBe(0);
        expect(c.finalValues[k]).toBe(0);
      }
    }
    expect(truncations).toBe(6);
    expect(c.values.every((v) => Math.abs(v - 2.5) < 1e-6)).toBe(true);
  });
});

describe('policy objectives optimize their batch', () => {
  for (const objective of ['clip', 'dpo', 'mdpo'] as const) {
    it(`${objective}: a few Adam steps lower the policy and value losses on one rollout`, () => {
      const env = envs.make('CartPole-v1', { numEnvs: 4, seed: 2 });
      const model = new ActorCritic({
        obsDim: 4,
        action: { type: 'discrete', n: 2 },
        hidden: [16, 16],
        activation: 'tanh',
        network: 'separate',
      });
      const params = model.init(random.key(3));
      const c = new RolloutCollector(
        env,
        model,
        { numSteps: 64, gamma: 0.99, gaeLambda: 0.95, obsRms: undefined, clipObs: 10, rewardScaler: undefined },
        2,
      );
      c.collect(params, random.key(5));
      const b = getBackend();
      const ws = new ActorCriticWorkspace(model, c.size, true);
      const grads = new Float32Array(model.size);
      const common = { clipEps: 0.2, entCoef: 0, normalizeAdv: true };
      const options: RlObjectiveOptions =
        objective === 'dpo'
          ? { objective, ...common, dpoAlpha: 2, dpoBeta: 0.6 }
          : objective === 'mdpo'
            ? { objective, ...common, klCoef: 1 }
            : { objective, ...common };
      const stats = new RlPolicyStats();
      const lossNow = (): [number, number] => {
        ws.forwardTape(params, c.obs);
        b.rlCategoricalObjective(
          ws.head,
          c.actions as Int32Array,
          c.logp,
          c.advantages,
          c.heads,
          ws.dHead,
          stats,
          options,
        );
        const valueLoss = b.rlValueLoss(c.size, ws.values, c.values, c.returns, 0.2, 0.5, ws.dValues);
        return [stats.policyLoss, valueLoss];
      };
      const opt = optim.adam({ lr: 3e-3 });
      const st = opt.init(params);
      const [policyBefore, valueBefore] = lossNow();
      for (let step = 0; step < 10; step++) {
        lossNow();
        ws.backward(params, c.obs, grads);
        opt.step(params, grads, st);
      }
      const [policyAfter, valueAfter] = lossNow();
      expect(policyAfter).toBeLessThan(policyBefore - 1e-3);
      expect(valueAfter).toBeLessThan(valueBefore);
    });
  }
});

describe('training on CartPole-v1', () => {
  for (const objective of ['clip', 'dpo', 'mdpo'] as const) {
    // Small nets keep this fast on the js backend too; CleanRL-size runs live in examples/.
    it(`ppo ${objective}: the return improves`, async () => {
      const { policy, history, aborted } = await ppo.train({
        env: 'CartPole-v1',
        totalSteps: 16_384,
        seed: 3,
        objective,
        hidden: [16, 16],
        lr: 1e-3,
      });
      expect(aborted).toBe(false);
      expect(history.length).toBe(32);
      const first = history[0];
      const late = history.slice(-5);
      expect(mean(late.map((s) => s.meanReturn))).toBeGreaterThan((first?.meanReturn ?? 0) + 25);
      expect(history.every((s) => Number.isFinite(s.policyLoss) && Number.isFinite(s.valueLoss))).toBe(true);
      expect(policy.info.steps).toBe(16_384);
      if (objective === 'mdpo') expect(late.every((s) => s.klToOld > 0)).toBe(true);
    });
  }

  it('a2c: the return improves', async () => {
    const { history } = await a2c.train({ env: 'CartPole-v1', totalSteps: 20_000, seed: 1, hidden: [16, 16] });
    expect(mean(history.slice(-50).map((s) => s.meanReturn))).toBeGreaterThan((history[10]?.meanReturn ?? 0) + 20);
  });

  it('the same seed gives identical metrics; another seed does not', async () => {
    const run = async (seed: number) =>
      (
        await ppo.train({ env: 'CartPole-v1', totalSteps: 4096, seed, numEnvs: 8, numSteps: 64, hidden: [16, 16] })
      ).history.map(({ seconds: _s, ...rest }) => rest);
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('continuous actions (Pendulum-v1) train with normalization, shared networks and both objectives', async () => {
    for (const objective of ['clip', 'mdpo'] as const) {
      const { policy, history } = await ppo.train({
        env: 'Pendulum-v1',
        totalSteps: 2048,
        numSteps: 256,
        numMinibatches: 4,
        updateEpochs: 2,
        network: 'shared',
        objective,
        seed: 0,
      });
      expect(history.length).toBe(8);
      expect(history.every((s) => Number.isFinite(s.policyLoss) && Number.isFinite(s.entropy))).toBe(true);
      expect(policy.obsRms).toBeDefined();
      const act = policy.act(new Float32Array([1, 0, 0]), { deterministic: true });
      expect(act).toBeInstanceOf(Float32Array);
    }
  });

  it('stops at an AbortSignal and returns the policy so far', async () => {
    const { history, aborted } = await ppo.train({
      env: 'CartPole-v1',
      totalSteps: 100_000,
      ...abortAfter(3),
    });
    expect(aborted).toBe(true);
    expect(history.length).toBe(3);
  });

  it('rejects bad configurations with errors naming the option', async () => {
    await expect(ppo.train({ env: 'CartPole-v1', objective: 'trpo' as 'clip' })).rejects.toThrow(/objective/);
    await expect(ppo.train({ env: 'CartPole-v1', learningRate: 1 } as never)).rejects.toThrow(
      /unknown option 'learningRate'/,
    );
    await expect(ppo.train({ env: 'CartPole-v1', numEnvs: 0 })).rejects.toThrow(/numEnvs/);
    await expect(ppo.train({ env: 'Nope-v0' })).rejects.toThrow(/unknown environment/);
  });
});

describe('policies', () => {
  it('evaluate, save and load round trip to the same actions and returns', async () => {
    const { policy } = await ppo.train({ env: 'CartPole-v1', totalSteps: 5120, seed: 2, hidden: [16, 16] });
    const file = path.join(tmp, 'p.olck');
    await policy.save(file);
    const back = await Policy.load(file);
    expect(back.params).toEqual(policy.params);
    expect(back.info.env).toBe('CartPole-v1');
    const obs = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * 0.1);
    expect(back.act(obs, { deterministic: true })).toEqual(policy.act(obs, { deterministic: true }));
    expect(back.value(obs)).toEqual(policy.value(obs));
    const r1 = await evaluate(policy, { episodes: 10, seed: 3 });
    const r2 = await evaluate(back, { episodes: 10, seed: 3 });
    expect(r2).toEqual(r1);
    expect(r1.returns.length).toBe(10);
    expect(r1.lengths).toEqual(r1.returns); // CartPole: reward 1 per step
  });

  it('refuses a corrupted, truncated or foreign checkpoint', async () => {
    const { policy } = await ppo.train({ env: 'CartPole-v1', totalSteps: 512, seed: 2 });
    const bytes = encodeCheckpoint(policy.toCheckpoint());
    const cut = path.join(tmp, 'cut.olck');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(Policy.load(cut)).rejects.toThrow(OuterloopError);
    const flipped = bytes.slice();
    flipped[bytes.length - 200] = (flipped[bytes.length - 200] as number) ^ 1;
    const bad = path.join(tmp, 'bad.olck');
    fs.writeFileSync(bad, flipped);
    await expect(Policy.load(bad)).rejects.toThrow(/CRC-32/);
    const foreign = path.join(tmp, 'foreign.olck');
    fs.writeFileSync(
      foreign,
      encodeCheckpoint({ kind: 'meta.maml', meta: {}, arrays: { params: new Float32Array(3) } }),
    );
    await expect(Policy.load(foreign)).rejects.toThrow(/expected 'rl.policy'/);
    // A header that claims a policy but whose parameters do not fit the architecture.
    const misfit = path.join(tmp, 'misfit.olck');
    const ck = policy.toCheckpoint();
    fs.writeFileSync(misfit, encodeCheckpoint({ ...ck, arrays: { params: new Float32Array(10) } }));
    await expect(Policy.load(misfit)).rejects.toThrow(/not a valid policy checkpoint/);
  });
});
