// Resumable PPO and A2C: N updates in one go versus k updates, a checkpoint with the training
// state, and a resumed run for the rest must give bit-identical parameters and identical
// per-update statistics (all but wall-clock seconds), per backend; plus the errors for resuming
// with another configuration, from a policy-only file, or from a damaged one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { OuterloopError } from '../src/errors.js';
import { type Checkpoint, encodeCheckpoint, loadCheckpoint } from '../src/io/checkpoint.js';
import { a2c, Policy, ppo, type TrainingRun, type UpdateStats } from '../src/rl/index.js';
import { backends, firstDifference } from './helpers/backends.js';
import { abortAfter } from './helpers/training.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outerloop-rl-resume-'));
const initial = backend.current();
afterAll(() => {
  backend.use(initial);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The statistics that must repeat exactly (seconds is wall-clock). */
const repeatable = (h: UpdateStats[]) => h.map(({ seconds: _, ...rest }) => rest);

type Train = typeof ppo.train | typeof a2c.train;

/** Saves the run's checkpoint at the end of update k through onUpdate's run handle. */
function saveAt(k: number, file: string) {
  return (s: UpdateStats, _p: Policy, run: TrainingRun) => {
    if (s.update === k) run.saveSync(file);
  };
}

/** Uninterrupted vs. k updates + resume: same params (bitwise) and same history. */
async function expectExactResume(train: Train, config: Record<string, unknown>, k: number, file: string) {
  const full = await train(config as never);
  const first = await train({ ...config, onUpdate: saveAt(k, file) } as never);
  expect(first.history.length).toBe(full.history.length);
  const resumed = await train({ env: config.env as string, resume: file });
  const n = full.history.length;
  expect(n).toBeGreaterThan(k);
  expect(resumed.history.map((s) => s.update)).toEqual(Array.from({ length: n - k }, (_, i) => k + 1 + i));
  expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(k)));
  expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
  // The clock carries on from the saved run rather than restarting at 0.
  const saved = (await loadCheckpoint(file)).meta.training as { seconds: number; update: number };
  expect(saved.update).toBe(k);
  expect(resumed.history[0]?.seconds).toBeGreaterThanOrEqual(saved.seconds);
  expect(resumed.policy.info.steps).toBe(full.policy.info.steps);
  if (full.policy.obsRms) expect(resumed.policy.obsRms?.toArray()).toEqual(full.policy.obsRms.toArray());
  return { full, resumed };
}

const cartpolePpo = {
  env: 'CartPole-v1',
  numEnvs: 2,
  numSteps: 32,
  numMinibatches: 2,
  updateEpochs: 2,
  hidden: [8],
  totalSteps: 64 * 6,
  seed: 5,
};

describe.each(backends)('rl resume (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');
  const file = (f: string) => path.join(tmp, `${name}-${f}`);

  it('ppo clip on CartPole-v1: 2 updates + resume = 6 updates, bit for bit', async () => {
    use();
    const { full } = await expectExactResume(ppo.train, cartpolePpo, 2, file('ppo.olck'));
    // Episodes ended on both sides of the checkpoint, so the recent-episode window carried over.
    expect(full.history[1]?.episodes).toBeGreaterThan(0);
    expect(full.history.at(-1)?.episodes).toBeGreaterThan(full.history[1]?.episodes as number);
  });

  it('ppo on Pendulum-v1 with observation and reward normalization, resumed mid-episode', async () => {
    use();
    const config = {
      env: 'Pendulum-v1',
      numEnvs: 2,
      numSteps: 64,
      numMinibatches: 4,
      updateEpochs: 2,
      hidden: [8],
      totalSteps: 128 * 7,
      seed: 2,
      normalizeObs: true,
      normalizeReward: true,
    };
    // After 3 updates (192 steps per env) the 200-step episodes are still running.
    const { full } = await expectExactResume(ppo.train, config, 3, file('pendulum.olck'));
    expect(full.history[2]?.episodes).toBe(0);
    expect(full.history.at(-1)?.episodes).toBe(4);
  });

  it('ppo mdpo resumes exactly (its KL schedule depends on the update index)', async () => {
    use();
    await expectExactResume(ppo.train, { ...cartpolePpo, objective: 'mdpo', totalSteps: 64 * 4 }, 1, file('mdpo.olck'));
  });

  it('a2c on CartPole-v1 with reward normalization: 4 updates + resume = 10', async () => {
    use();
    const config = { env: 'CartPole-v1', numEnvs: 4, numSteps: 5, hidden: [8], totalSteps: 200, seed: 3 };
    await expectExactResume(a2c.train, { ...config, normalizeReward: true }, 4, file('a2c.olck'));
  });

  it('an aborted run resumes from result.checkpoint (no file) and the object is left unchanged', async () => {
    use();
    const full = await ppo.train(cartpolePpo);
    const stopped = await ppo.train({
      ...cartpolePpo,
      ...abortAfter(3),
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.history.length).toBe(3);
    const bytes = encodeCheckpoint(stopped.checkpoint);
    const resumed = await ppo.train({ env: 'CartPole-v1', resume: stopped.checkpoint });
    expect(encodeCheckpoint(stopped.checkpoint)).toEqual(bytes);
    expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(3)));
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
    // A finished run resumed has nothing left to do and returns the same state.
    const again = await ppo.train({ env: 'CartPole-v1', resume: resumed.checkpoint });
    expect(again.history).toEqual([]);
    expect(firstDifference(again.policy.params, full.policy.params)).toBe(-1);
  });

  it('a2c without annealing may extend totalSteps: 5 updates, then resumed to 10 = 10 in one go', async () => {
    use();
    const config = { env: 'CartPole-v1', numEnvs: 2, numSteps: 5, hidden: [8], seed: 9 };
    const full = await a2c.train({ ...config, totalSteps: 100 });
    const short = await a2c.train({ ...config, totalSteps: 50 });
    const extended = await a2c.train({ env: 'CartPole-v1', resume: short.checkpoint, totalSteps: 100 });
    expect(repeatable(extended.history)).toEqual(repeatable(full.history.slice(5)));
    expect(firstDifference(extended.policy.params, full.policy.params)).toBe(-1);
    await expect(a2c.train({ env: 'CartPole-v1', resume: short.checkpoint, totalSteps: 30 })).rejects.toThrow(
      /totalSteps 30 \(3 updates\) is below the 5 updates already done/,
    );
  });
});

describe('rl resume errors', () => {
  let ckpt: Checkpoint;
  const ppoFile = path.join(tmp, 'errors-ppo.olck');

  it('the training checkpoint still loads as a policy (Policy.load and fromCheckpoint)', async () => {
    const r = await ppo.train({ ...cartpolePpo, totalSteps: 128 });
    ckpt = r.checkpoint;
    await r.save(ppoFile);
    const loaded = await Policy.load(ppoFile);
    expect(firstDifference(loaded.params, r.policy.params)).toBe(-1);
    expect(loaded.info.steps).toBe(128);
    expect(Policy.fromCheckpoint(ckpt).params).toEqual(r.policy.params);
  });

  it('a config that differs from the saved run names the field', async () => {
    const resume = (c: Record<string, unknown>) => ppo.train({ env: 'CartPole-v1', resume: ppoFile, ...c });
    await expect(resume({ numEnvs: 4 })).rejects.toThrow(/resume: numEnvs is 2 .* got 4/);
    await expect(resume({ numSteps: 16 })).rejects.toThrow(RangeError);
    await expect(resume({ hidden: [16] })).rejects.toThrow(/hidden is \[8\]/);
    await expect(resume({ objective: 'dpo' })).rejects.toThrow(/objective is "clip"/);
    await expect(resume({ seed: 6 })).rejects.toThrow(/seed/);
    await expect(resume({ env: 'Acrobot-v1' })).rejects.toThrow(/env is "CartPole-v1"/);
    await expect(a2c.train({ env: 'CartPole-v1', resume: ppoFile })).rejects.toThrow(/algorithm: .*'ppo' run/);
    // Repeating saved values is fine; unknown options are still named.
    await expect(resume({ learningRate: 1 })).rejects.toThrow(/learningRate/);
    const same = await ppo.train({ env: 'CartPole-v1', resume: ppoFile, numEnvs: 2, hidden: [8], totalSteps: 128 });
    expect(same.history).toEqual([]);
  });

  it('totalSteps cannot change under a schedule that depends on it (annealLr, mdpo)', async () => {
    await expect(ppo.train({ env: 'CartPole-v1', resume: ppoFile, totalSteps: 1024 })).rejects.toThrow(
      /totalSteps cannot change .*annealLr/,
    );
    const mdpo = await ppo.train({ ...cartpolePpo, objective: 'mdpo', annealLr: false, totalSteps: 64 });
    await expect(ppo.train({ env: 'CartPole-v1', resume: mdpo.checkpoint, totalSteps: 128 })).rejects.toThrow(/MDPO/);
    // The same number of updates is the same schedule.
    const r = await ppo.train({ env: 'CartPole-v1', resume: ppoFile, totalSteps: 128 + 63 });
    expect(r.history).toEqual([]);
  });

  it('a version-1 training state (float64 episode sums, a copy of the observations) still resumes; newer ones are refused', async () => {
    const stopped = await ppo.train({
      ...cartpolePpo,
      ...abortAfter(2),
    });
    const saved = stopped.checkpoint;
    const v2 = await ppo.train({ env: 'CartPole-v1', resume: saved });
    expect(v2.history.length).toBe(4);
    const training = saved.meta.training as object;
    const { 'training.episodes.ret': ret, ...arrays } = saved.arrays;
    const v1: Checkpoint = {
      ...saved,
      meta: { ...saved.meta, training: { ...training, version: 1 } as never },
      arrays: {
        ...arrays,
        'training.episodes.ret': Float64Array.from(ret as Float32Array),
        'training.collector.obs': (saved.arrays['training.env.obs'] as Float32Array).slice(),
      },
    };
    const fromV1 = await ppo.train({ env: 'CartPole-v1', resume: v1 });
    expect(repeatable(fromV1.history)).toEqual(repeatable(v2.history));
    expect(firstDifference(fromV1.policy.params, v2.policy.params)).toBe(-1);
    const v3 = { ...saved, meta: { ...saved.meta, training: { ...training, version: 3 } as never } };
    await expect(ppo.train({ env: 'CartPole-v1', resume: v3 })).rejects.toThrow(
      /training state version 3, this outerloop reads 1 and 2/,
    );
  });

  it('a policy-only checkpoint cannot be resumed, and says why', async () => {
    const policyOnly = path.join(tmp, 'policy-only.olck');
    await Policy.fromCheckpoint(ckpt).save(policyOnly);
    await expect(ppo.train({ env: 'CartPole-v1', resume: policyOnly })).rejects.toThrow(OuterloopError);
    await expect(ppo.train({ env: 'CartPole-v1', resume: policyOnly })).rejects.toThrow(/policy only/);
    const loaded = await Policy.load(policyOnly);
    expect(loaded.params).toEqual(Policy.fromCheckpoint(ckpt).params);
  });

  it('damaged, missing or foreign files and malformed objects give clear errors', async () => {
    const bytes = fs.readFileSync(ppoFile);
    const corrupt = path.join(tmp, 'corrupt.olck');
    const flipped = Uint8Array.from(bytes);
    flipped[bytes.length - 40] = (flipped[bytes.length - 40] as number) ^ 0x10;
    fs.writeFileSync(corrupt, flipped);
    await expect(ppo.train({ env: 'CartPole-v1', resume: corrupt })).rejects.toThrow(/corrupted/);
    const truncated = path.join(tmp, 'truncated.olck');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    await expect(ppo.train({ env: 'CartPole-v1', resume: truncated })).rejects.toThrow(/truncated/);
    await expect(ppo.train({ env: 'CartPole-v1', resume: path.join(tmp, 'none.olck') })).rejects.toThrow(
      /no such checkpoint/,
    );
    await expect(ppo.train({ env: 'CartPole-v1', resume: { ...ckpt, kind: 'meta.maml' } })).rejects.toThrow(
      /'meta.maml' checkpoint/,
    );
    const { 'training.env.rng': _, ...withoutRng } = ckpt.arrays;
    await expect(ppo.train({ env: 'CartPole-v1', resume: { ...ckpt, arrays: withoutRng } })).rejects.toThrow(
      /training\.env\.rng/,
    );
    await expect(ppo.train({ env: 'CartPole-v1', resume: 5 as never })).rejects.toThrow(/resume/);
  });
});
