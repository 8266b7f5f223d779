// rl.trpo.train as a trainer: every update's measured KL within maxKl and every accepted step a
// surrogate gain; determinism; exact resume (k updates + a checkpoint + the rest = one run, bit for
// bit, per backend, for categorical and Gaussian policies); the CLI's `outerloop train trpo` run
// folder resumed with a longer --total-steps equal to the longer run; a short CartPole run that
// learns; and bad configs refused with the option named.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { readMetrics } from '../src/cli/run_dir.js';
import { Policy, type TrainingRun, trpo, type UpdateStats } from '../src/rl/index.js';
import { TRAINERS } from '../src/rl/trainers.js';
import { backends, firstDifference } from './helpers/backends.js';
import { cli } from './helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outerloop-rl-trpo-'));
const initial = backend.current();
afterAll(() => {
  backend.use(initial);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const repeatable = (h: UpdateStats[]) => h.map(({ seconds: _, ...rest }) => rest);

const cartpole = { env: 'CartPole-v1', numEnvs: 4, numSteps: 64, hidden: [16], vfMinibatches: 4, vfEpochs: 2, seed: 3 };
const pendulum = {
  env: 'Pendulum-v1',
  numEnvs: 2,
  numSteps: 64,
  hidden: [8],
  vfMinibatches: 2,
  vfEpochs: 2,
  seed: 2,
  normalizeObs: true,
  normalizeReward: true,
};

describe.each(backends)('rl.trpo.train (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');

  it.each([
    ['CartPole-v1', cartpole],
    ['Pendulum-v1', pendulum],
  ])('%s: KL ≤ maxKl and a positive gain on every accepted step; same seed, same run', async (_, config) => {
    use();
    const run = { ...config, totalSteps: 256 * 6, maxKl: 0.005 };
    const a = await trpo.train(run);
    expect(a.history.length).toBe(run.totalSteps / (config.numEnvs * config.numSteps));
    for (const s of a.history) {
      expect(s.klToOld).toBeLessThanOrEqual(0.005);
      if (s.stepFraction > 0) expect(s.surrogateGain).toBeGreaterThan(0);
      else expect(s.klToOld).toBe(0);
      expect(s.cgIters).toBeGreaterThan(0);
    }
    expect(a.history.some((s) => s.stepFraction > 0)).toBe(true);
    const b = await trpo.train(run);
    expect(firstDifference(b.policy.params, a.policy.params)).toBe(-1);
    expect(repeatable(b.history)).toEqual(repeatable(a.history));
  });

  it.each([
    ['CartPole-v1', cartpole, 2],
    ['Pendulum-v1 (normalized, resumed mid-episode)', pendulum, 1],
  ])('%s: k updates + resume = the uninterrupted run, bit for bit', async (_, config, k) => {
    use();
    const run = { ...config, totalSteps: 256 * 5 };
    const file = path.join(tmp, `${name}-${config.env}.olck`);
    const full = await trpo.train(run);
    await trpo.train({
      ...run,
      onUpdate: (s: UpdateStats, _p: Policy, r: TrainingRun) => {
        if (s.update === k) r.saveSync(file);
      },
    });
    const resumed = await trpo.train({ env: config.env, resume: file });
    expect(resumed.history.map((s) => s.update)).toEqual(full.history.slice(k).map((s) => s.update));
    expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(k)));
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
    expect(resumed.policy.info.algo).toBe('trpo');
    // A TRPO checkpoint is not a PPO run.
    await expect(import('../src/rl/ppo.js').then((m) => m.train({ env: config.env, resume: file }))).rejects.toThrow(
      /'trpo' run, not 'ppo'/,
    );
  });
});

describe('rl.trpo.train', () => {
  it('learns CartPole-v1: the recent mean return rises well above a random policy (~22)', async () => {
    // 20 updates of 512 steps reach a recent mean of 90-93 over seeds 1-3 (either backend).
    const r = await trpo.train({
      env: 'CartPole-v1',
      numEnvs: 4,
      numSteps: 128,
      hidden: [32],
      totalSteps: 512 * 20,
      seed: 1,
    });
    expect(r.history.at(-1)?.meanReturn).toBeGreaterThan(60);
  });

  it('refuses bad configs, naming the option', async () => {
    const env = 'CartPole-v1';
    await expect(trpo.train({ env, maxKl: 0 })).rejects.toThrow(/rl.trpo.train: maxKl/);
    await expect(trpo.train({ env, cgIters: 0 })).rejects.toThrow(RangeError);
    await expect(trpo.train({ env, lineSearchRatio: 1 })).rejects.toThrow(/lineSearchRatio/);
    await expect(trpo.train({ env, cgDamping: -1 })).rejects.toThrow(/cgDamping/);
    await expect(trpo.train({ env, network: 'shared' })).rejects.toThrow(/network: .*'separate'/);
    await expect(trpo.train({ env, numEnvs: 1, numSteps: 4, vfMinibatches: 5 })).rejects.toThrow(/vfMinibatches/);
    await expect(trpo.train({ env, clipCoef: 0.2 } as never)).rejects.toThrow(/unknown option 'clipCoef'/);
    await expect(trpo.train(null as never)).rejects.toThrow(TypeError);
    expect(() => TRAINERS.trpo.resolve({ env: 'Pendulum-v1' })).not.toThrow();
    expect(TRAINERS.trpo.resolve({ env: 'Pendulum-v1' }).normalizeObs).toBe(true);
  });
});

describe('outerloop train trpo', () => {
  it('writes a run folder that resumes (a longer --total-steps) into the longer run, bit for bit', async () => {
    const flags = ['--env', 'CartPole-v1', '--num-envs', '2', '--num-steps', '32', '--hidden', '8'];
    const more = ['--vf-minibatches', '2', '--vf-epochs', '2', '--max-kl', '0.02', '--cg-iters', '5', '--seed', '4'];
    const long = path.join(tmp, 'trpo-long');
    const short = path.join(tmp, 'trpo-short');
    await cli('train', 'trpo', ...flags, ...more, '--total-steps', '320', '--out', long, '--json');
    await cli('train', 'trpo', ...flags, ...more, '--total-steps', '128', '--out', short, '--json');
    const out = JSON.parse(await cli('train', 'trpo', '--resume', short, '--total-steps', '320', '--json'));
    expect(out).toMatchObject({ algo: 'trpo', resumedFrom: 2, updates: 5, steps: 320 });
    const a = await Policy.load(path.join(long, 'checkpoint.olck'));
    const b = await Policy.load(path.join(short, 'checkpoint.olck'));
    expect(firstDifference(b.params, a.params)).toBe(-1);
    const rows = (dir: string) => readMetrics(dir).then((r) => r.map(({ seconds: _, ...rest }) => rest));
    expect(await rows(short)).toEqual(await rows(long));
    expect((await readMetrics(long))[0]).toHaveProperty('stepFraction');
    expect(fs.readFileSync(path.join(short, 'curve.svg'), 'utf8')).toContain('<svg');
    await expect(cli('train', 'trpo', '--resume', short, '--max-kl', '0.1')).rejects.toThrow(/--max-kl 0.1 differs/);
  });
});
