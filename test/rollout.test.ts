// Batched rollouts against a straightforward TS reference built from the backend's own env,
// MLP and Philox kernels (one step at a time, all rows at once), per backend; value heads,
// separate value nets, truncation bootstraps, episode bookkeeping, async, threads, bad input.
import { describe, expect, it } from 'vitest';
import { getBackend, use } from '../src/backend/index.js';
import { ActivationCode, mlpParamCount } from '../src/backend/kernels/nn.js';
import type { Backend } from '../src/backend/types.js';
import * as envs from '../src/envs/index.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { RunningMeanStd } from '../src/rl/normalize.js';
import * as rollout from '../src/rollout/index.js';
import {
  backends,
  expectClose,
  firstDifference,
  maxRelDiff,
  nativeBackend,
  paritySuite,
  useBackendForSuite,
} from './helpers/backends.js';

const FOLD = 0x464f4c44;

function params(sizes: number[], seed: number, scale = 0.5): Float32Array {
  const p = random.normal(random.key(seed), mlpParamCount(sizes));
  for (let i = 0; i < p.length; i++) p[i] = p[i]! * scale;
  return p;
}

/** What the rollout kernel does beyond the public collect: PPO's collector asks for these. */
interface Extra {
  /** Running observation statistics (folded in before each step; the policy sees normalized observations). */
  rms?: RunningMeanStd;
  clipObs?: number;
  /** Clip box actions to the action space when sent to the env. */
  clipActions?: boolean;
}

/** The plain reference: the same streams and kernels, no fusion. */
function reference(b: Backend, env: envs.VectorEnv, o: rollout.CollectOptions, extra: Extra = {}) {
  const N = env.numEnvs;
  const T = o.steps;
  const od = env.obsDim;
  const discrete = env.actionSpace.type === 'discrete';
  const k = discrete ? (env.actionSpace as { n: number }).n : env.actionDim;
  const head = o.value === 'head';
  const pw = k + (head ? 1 : 0);
  const policyNet = nn.mlp({ sizes: [...o.policy.sizes], activation: 'tanh' });
  const valueNet = o.value && o.value !== 'head' ? nn.mlp({ sizes: [...o.value.sizes], activation: 'tanh' }) : null;
  const input = (raw: Float32Array, rows: number): Float32Array => {
    const x = raw.slice(0, rows * od);
    extra.rms?.normalize(raw, rows, x, extra.clipObs ?? 10);
    return x;
  };
  const valuesFor = (x: Float32Array, rows: number): Float32Array => {
    const v = new Float32Array(rows);
    if (head) {
      const y = policyNet.forward(o.policy.params, x, rows);
      for (let r = 0; r < rows; r++) v[r] = y[r * pw + pw - 1]!;
    } else if (valueNet) v.set(valueNet.forward((o.value as rollout.NetParams).params, x, rows));
    return v;
  };
  const rec = {
    actions: [] as number[],
    logProbs: [] as number[],
    heads: [] as number[],
    values: [] as number[],
    rewards: [] as number[],
    flags: [] as number[],
    finalValues: [] as number[],
    obs: [] as number[],
    rawObs: [] as number[],
    lastValues: new Float32Array(N) as Float32Array,
  };
  const blk = new Uint32Array(4);
  const key = new Uint32Array(2);
  const r = env.result;
  for (let t = 0; t < T; t++) {
    rec.rawObs.push(...r.obs);
    extra.rms?.update(r.obs, N);
    const x = input(r.obs, N);
    rec.obs.push(...x);
    const out = policyNet.forward(o.policy.params, x, N);
    for (let i = 0; i < N; i++) rec.heads.push(...out.subarray(i * pw, i * pw + k));
    rec.values.push(...valuesFor(x, N));
    const acts = discrete ? new Int32Array(N) : new Float32Array(N * k);
    for (let i = 0; i < N; i++) {
      b.randomDerive(o.key, i, FOLD, key);
      b.philoxBlock(key, new Uint32Array([t, 0, 0, 0]), blk);
      if (discrete) {
        const logits = [...out.subarray(i * pw, i * pw + k)];
        const m = Math.max(...logits);
        const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l - m), 0)) + m;
        const u = (blk[0]! >>> 8) / 16777216;
        let cum = 0;
        let a = k - 1;
        for (let j = 0; j < k; j++) {
          cum += Math.exp(logits[j]! - lse);
          if (u < cum) {
            a = j;
            break;
          }
        }
        acts[i] = a;
        rec.logProbs.push(logits[a]! - lse);
      } else {
        // Box-Muller on words (0,1) -> z0, z1
        const u1 = ((blk[0]! >>> 8) + 1) / 16777216;
        const u2 = (blk[1]! >>> 8) / 16777216;
        const z = [
          Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2),
          Math.sqrt(-2 * Math.log(u1)) * Math.sin(2 * Math.PI * u2),
        ];
        let lp = 0;
        for (let j = 0; j < k; j++) {
          const ls = o.policy.logStd![j]!;
          acts[i * k + j] = out[i * pw + j]! + Math.exp(ls) * z[j]!;
          lp += -0.5 * z[j]! ** 2 - ls - 0.5 * Math.log(2 * Math.PI);
        }
        rec.logProbs.push(lp);
      }
    }
    rec.actions.push(...acts);
    let sent = acts;
    if (extra.clipActions && env.actionSpace.type === 'box') {
      const { low, high } = env.actionSpace;
      sent = (acts as Float32Array).map((v, j) => Math.min(Math.max(v, low[j % k]!), high[j % k]!));
    }
    env.step(sent);
    rec.rewards.push(...r.reward);
    for (let i = 0; i < N; i++) {
      rec.flags.push(r.terminated[i]! + 2 * r.truncated[i]!);
      const bootstrap = r.truncated[i] && !r.terminated[i] && (head || o.value);
      rec.finalValues.push(bootstrap ? valuesFor(input(r.finalObs.slice(i * od, (i + 1) * od), 1), 1)[0]! : 0);
    }
  }
  rec.lastValues = valuesFor(input(r.obs, N), N);
  return rec;
}

/**
 * The kernel called directly with `extra` (rollout.collect leaves observations raw, lets the env
 * clip and stores no heads); returns the trajectory, the heads and the statistics after the call.
 */
function runKernel(env: envs.VectorEnv, o: rollout.CollectOptions, extra: Extra = {}) {
  const N = env.numEnvs;
  const T = o.steps;
  const k = env.actionSpace.type === 'discrete' ? env.actionSpace.n : env.actionDim;
  const tn = T * N;
  const space = env.actionSpace;
  const stats = extra.rms ? extra.rms.toArray() : new Float64Array(0);
  const heads = new Float32Array(tn * k);
  const out = {
    obs: new Float32Array(tn * env.obsDim),
    actions: space.type === 'discrete' ? new Int32Array(tn) : new Float32Array(tn * k),
    logProbs: new Float32Array(tn),
    values: new Float32Array(tn),
    rewards: new Float32Array(tn),
    terminated: new Uint8Array(tn),
    truncated: new Uint8Array(tn),
    finalValues: new Float32Array(tn),
    lastValues: new Float32Array(N),
    doneReturn: new Float32Array(tn),
    doneLength: new Int32Array(tn),
  };
  const value = o.value;
  getBackend().rolloutRun({
    config: env.config,
    state: env.state,
    tasks: env.tasks,
    elapsed: env.elapsed,
    rng: env.rng,
    obs: env.result.obs,
    steps: T,
    key: o.key,
    counter: 0,
    policySizes: Int32Array.from(o.policy.sizes),
    policyHidden: ActivationCode.tanh,
    policyParams: o.policy.params,
    logStd: o.policy.logStd ?? new Float32Array(0),
    valueMode: value === undefined ? 'none' : value === 'head' ? 'head' : 'separate',
    ...(value && value !== 'head'
      ? { valueSizes: Int32Array.from(value.sizes), valueHidden: ActivationCode.tanh, valueParams: value.params }
      : {}),
    actionLow: extra.clipActions && space.type === 'box' ? space.low : new Float32Array(0),
    actionHigh: extra.clipActions && space.type === 'box' ? space.high : new Float32Array(0),
    obsStats: stats,
    clipObs: extra.clipObs ?? 10,
    trajObs: out.obs,
    actions: out.actions,
    logProbs: out.logProbs,
    heads,
    values: out.values,
    rewards: out.rewards,
    terminated: out.terminated,
    truncated: out.truncated,
    finalValues: out.finalValues,
    lastValues: out.lastValues,
    episodeReturn: env.episodeReturn,
    episodeLength: env.episodeLength,
    doneReturn: out.doneReturn,
    doneLength: out.doneLength,
  });
  return { ...out, heads, stats };
}

function flagsOf(t: rollout.Trajectory): number[] {
  return [...t.terminated].map((v, j) => v + 2 * t.truncated[j]!);
}

describe.each(backends)('rollout (%s backend)', (name) => {
  useBackendForSuite(name);

  it('CartPole with a value head matches the reference, bootstraps at truncation and counts episodes', () => {
    const opts = (key: Uint32Array): rollout.CollectOptions => ({
      policy: { sizes: [4, 16, 3], activation: 'tanh', params: params([4, 16, 3], 1) },
      value: 'head',
      steps: 40,
      key,
    });
    const a = envs.make('CartPole-v1', { numEnvs: 13, seed: 4, maxEpisodeSteps: 15 });
    const b = envs.make('CartPole-v1', { numEnvs: 13, seed: 4, maxEpisodeSteps: 15 });
    const key = random.key(77);
    const traj = rollout.collect(a, opts(key));
    const ref = reference(getBackend(), b, opts(key));
    expect(firstDifference(traj.actions, ref.actions)).toBe(-1);
    expect(firstDifference(flagsOf(traj), ref.flags)).toBe(-1);
    expect(firstDifference(traj.rewards, ref.rewards)).toBe(-1);
    expectClose(traj, ref, { obs: 1e-6, logProbs: 1e-5, values: 1e-5, finalValues: 1e-5, lastValues: 1e-5 });
    expect(traj.truncated.some((v) => v === 1)).toBe(true);
    expect(traj.finalValues.some((v) => v !== 0)).toBe(true);
    // the env is left after the last step
    expect(a.obs).toEqual(b.obs);
    // CartPole pays 1 per step: every finished episode's return equals its length (<= 15)
    const { returns, lengths } = traj.episodes;
    expect(returns.length).toBeGreaterThan(13);
    for (let j = 0; j < returns.length; j++) {
      expect(returns[j]).toBe(lengths[j]);
      expect(lengths[j]).toBeLessThanOrEqual(15);
    }
    // episodes continue across calls: lengths of episodes spanning two rollouts add up
    const next = rollout.collect(a, opts(random.key(78)));
    expect(next.episodes.lengths.every((l) => l >= 1 && l <= 15)).toBe(true);
  });

  it('Pendulum with a Gaussian policy and a separate value net matches the reference', () => {
    const logStd = Float32Array.from([-0.3]);
    const opts = (key: Uint32Array): rollout.CollectOptions => ({
      policy: { sizes: [3, 8, 1], activation: 'tanh', params: params([3, 8, 1], 2), logStd },
      value: { sizes: [3, 8, 1], activation: 'tanh', params: params([3, 8, 1], 3) },
      steps: 30,
      key,
    });
    const a = envs.make('Pendulum-v1', { numEnvs: 9, seed: 1, maxEpisodeSteps: 12 });
    const b = envs.make('Pendulum-v1', { numEnvs: 9, seed: 1, maxEpisodeSteps: 12 });
    const traj = rollout.collect(a, opts(random.key(5)));
    const ref = reference(getBackend(), b, opts(random.key(5)));
    expectClose(traj, ref, { actions: 1e-5, logProbs: 1e-5, rewards: 1e-4, values: 1e-5, finalValues: 1e-5 });
    expect(firstDifference(flagsOf(traj), ref.flags)).toBe(-1);
    // Pendulum rewards are never positive; episodes of 12 steps
    expect(traj.episodes.lengths.every((l) => l === 12)).toBe(true);
  });

  it('normalized observations, clipped actions and stored heads (PPO collector options) match the reference', () => {
    // MountainCarContinuous charges its energy cost on the action it is given, so the rewards
    // tell clipped actions from unclipped ones.
    const logStd = Float32Array.from([0.7]);
    const o: rollout.CollectOptions = {
      policy: { sizes: [2, 8, 1], activation: 'tanh', params: params([2, 8, 1], 2), logStd },
      value: { sizes: [2, 8, 1], activation: 'tanh', params: params([2, 8, 1], 3) },
      steps: 25,
      key: random.key(6),
    };
    const mk = () => envs.make('MountainCarContinuous-v0', { numEnvs: 7, seed: 3, maxEpisodeSteps: 10 });
    const extra = (): Extra => ({ rms: new RunningMeanStd(2), clipObs: 1.5, clipActions: true });
    const ref = reference(getBackend(), mk(), o, extra());
    const e = extra();
    const got = runKernel(mk(), o, e);
    expectClose(got, ref, {
      actions: 1e-5,
      logProbs: 1e-5,
      heads: 1e-5,
      obs: 1e-5,
      values: 1e-5,
      rewards: 1e-4,
      finalValues: 1e-5,
      lastValues: 1e-5,
    });
    expect(firstDifference(flagsOf(got as never), ref.flags)).toBe(-1);
    // The statistics folded in all 25 steps of 7 rows; the policy saw clipped, normalized inputs.
    const rms = new RunningMeanStd(2);
    for (let t = 0; t < 25; t++) rms.update(Float32Array.from(ref.rawObs.slice(t * 14, (t + 1) * 14)), 7);
    expect(got.stats[0]).toBeCloseTo(175.0001, 9);
    expect(maxRelDiff(got.stats, rms.toArray())).toBeLessThan(1e-6);
    expect(got.obs.some((v) => v === 1.5 || v === -1.5)).toBe(true);
    // Stored actions are the samples (some outside [-1, 1]); the env got them clipped.
    expect(got.actions.some((v) => Math.abs(v) > 1)).toBe(true);
    expect(got.finalValues.some((v) => v !== 0)).toBe(true);
    const unclipped = runKernel(mk(), o, { ...extra(), clipActions: false });
    expect(firstDifference(unclipped.actions, got.actions)).toBe(-1);
    expect(maxRelDiff(unclipped.rewards, got.rewards)).toBeGreaterThan(1e-3);
  });

  it('without a value, values and bootstraps are zero; trajectories feed gae', () => {
    const env = envs.make('Acrobot-v1', { numEnvs: 5, seed: 2, maxEpisodeSteps: 7 });
    const traj = rollout.collect(env, {
      policy: { sizes: [6, 3], params: params([6, 3], 4) },
      steps: 10,
      key: random.key(1),
    });
    expect(traj.values.every((v) => v === 0)).toBe(true);
    expect(traj.finalValues.every((v) => v === 0)).toBe(true);
    const { advantages } = rollout.gae(traj, { gamma: 0.99, lambda: 0.95 });
    expect(advantages.length).toBe(50);
  });

  it('collectAsync gives the same trajectory and locks the env meanwhile', async () => {
    const mk = () => envs.make('CartPole-v1', { numEnvs: 64, seed: 9 });
    const opts: rollout.CollectOptions = {
      policy: { sizes: [4, 8, 2], params: params([4, 8, 2], 6) },
      steps: 50,
      key: random.key(3),
    };
    const sync = rollout.collect(mk(), opts);
    const env = mk();
    const pending = rollout.collectAsync(env, opts);
    if (name === 'native') expect(() => env.step(new Int32Array(64))).toThrow(/async rollout/);
    const async = await pending;
    expect(firstDifference(async.actions, sync.actions)).toBe(-1);
    expect(firstDifference(async.logProbs, sync.logProbs)).toBe(-1);
    env.step(new Int32Array(64)); // usable again
  });

  it('reuses an `out` trajectory and rejects bad options', () => {
    const env = envs.make('CartPole-v1', { numEnvs: 4 });
    const policy = { sizes: [4, 2], params: params([4, 2], 1) };
    const t1 = rollout.collect(env, { policy, steps: 5, key: random.key(1) });
    const t2 = rollout.collect(env, { policy, steps: 5, key: random.key(2), out: t1 });
    expect(t2.actions).toBe(t1.actions);
    expect(() =>
      rollout.collect(env, { policy: { sizes: [3, 2], params: params([3, 2], 1) }, steps: 5, key: random.key(1) }),
    ).toThrow(/policy.sizes\[0\]/);
    expect(() =>
      rollout.collect(env, { policy: { sizes: [4, 3], params: params([4, 3], 1) }, steps: 5, key: random.key(1) }),
    ).toThrow(/expected 2 outputs/);
    expect(() =>
      rollout.collect(env, { policy: { sizes: [4, 2], params: new Float32Array(3) }, steps: 5, key: random.key(1) }),
    ).toThrow(/policy.params/);
    expect(() => rollout.collect(env, { policy, steps: 0, key: random.key(1) })).toThrow(/steps/);
    expect(() =>
      rollout.collect(env, { policy: { ...policy, activation: 'swish' as never }, steps: 2, key: random.key(1) }),
    ).toThrow(/activation/);
    const pend = envs.make('Pendulum-v1');
    expect(() =>
      rollout.collect(pend, { policy: { sizes: [3, 1], params: params([3, 1], 1) }, steps: 2, key: random.key(1) }),
    ).toThrow(/logStd/);
  });
});

/** Runs `f` on backend `b` (with `threads` threads, when given, restored after). */
function onBackend<T>(b: 'native' | 'js', threads: number | undefined, f: () => T): T {
  use(b);
  const before = getBackend().threads();
  if (threads) getBackend().threads(threads);
  try {
    return f();
  } finally {
    if (threads) getBackend().threads(before);
  }
}

describe.skipIf(!nativeBackend)(paritySuite('rollout parity'), () => {
  it('native and js agree, and native does not depend on the thread count', () => {
    const run = (b: 'native' | 'js', threads?: number) =>
      onBackend(b, threads, () => {
        const env = envs.make('CartPole-v1', { numEnvs: 300, seed: 5, maxEpisodeSteps: 40 });
        return rollout.collect(env, {
          policy: { sizes: [4, 32, 32, 3], params: params([4, 32, 32, 3], 8) },
          value: 'head',
          steps: 60,
          key: random.key(11),
        });
      });
    const one = run('native', 1);
    const two = run('native', 2);
    expect(firstDifference(one.actions, two.actions)).toBe(-1);
    expect(firstDifference(one.values, two.values)).toBe(-1);
    expect(firstDifference(one.finalValues, two.finalValues)).toBe(-1);
    const js = run('js');
    use('native');
    expect(firstDifference(one.actions, js.actions)).toBe(-1);
    expect(firstDifference(flagsOf(one), flagsOf(js))).toBe(-1);
    expectClose(one, js, { logProbs: 1e-5, values: 1e-5, obs: 1e-6 });
  });

  it('with running observation statistics (rows advance step by step): native and js agree, threads do not matter', () => {
    const run = (b: 'native' | 'js', threads?: number) =>
      onBackend(b, threads, () => {
        const env = envs.make('Pendulum-v1', { numEnvs: 300, seed: 5, maxEpisodeSteps: 40 });
        return runKernel(
          env,
          {
            policy: { sizes: [3, 16, 2], params: params([3, 16, 2], 8), logStd: Float32Array.from([0.5]) },
            value: 'head',
            steps: 50,
            key: random.key(11),
          },
          { rms: new RunningMeanStd(3), clipObs: 5, clipActions: true },
        );
      });
    const one = run('native', 1);
    const two = run('native', 2);
    for (const k of ['actions', 'obs', 'heads', 'values', 'finalValues', 'lastValues', 'stats'] as const)
      expect(firstDifference(one[k], two[k]), k).toBe(-1);
    const js = run('js');
    use('native');
    expectClose(one, js, { stats: 1e-6, actions: 1e-5, heads: 1e-5, obs: 1e-5, values: 1e-5, rewards: 1e-4 });
  });
});
