// Resumable training on MuJoCo envs: the training checkpoint now carries the MuJoCo env's snapshot
// (training.env.physics, float64), so PPO (and TRPO/A2C, which share the setup) stopped after k
// updates and resumed equals the uninterrupted run bit for bit, through the step-wise collector
// with observation and reward normalization, and mid-episode. A checkpoint whose physics array
// is missing or damaged is a clear OuterloopError, never a crash. Skipped without MuJoCo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OuterloopError } from '../src/errors.js';
import { type Checkpoint, encodeCheckpoint, loadCheckpoint } from '../src/io/checkpoint.js';
import { a2c, type Policy, ppo, type TrainingRun, type UpdateStats } from '../src/rl/index.js';
import { firstDifference } from './helpers/backends.js';
import { cli, scratchDir } from './helpers/cli.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

const tmp = scratchDir('outerloop-mujoco-resume-');
const repeatable = (h: UpdateStats[]) => h.map(({ seconds: _, ...rest }) => rest);
const saveAt = (k: number, file: string) => (s: UpdateStats, _p: Policy, run: TrainingRun) => {
  if (s.update === k) run.saveSync(file);
};

// 50-step episodes and 64-step rollouts: the checkpoint after update 2 (128 steps per env) falls
// in the middle of each row's third episode.
const cheetah = {
  env: 'HalfCheetah-v5',
  envOptions: { maxEpisodeSteps: 50 },
  totalSteps: 2 * 64 * 4,
  numEnvs: 2,
  numSteps: 64,
  numMinibatches: 4,
  updateEpochs: 2,
  hidden: [16],
  seed: 3,
  normalizeReward: true,
};

describe.skipIf(mujocoSkipReason !== null)('resuming training on MuJoCo envs', () => {
  it('PPO on HalfCheetah-v5: 2 updates + checkpoint + resume = 4 updates in one go, bit for bit', async () => {
    const file = path.join(tmp, 'ppo.olck');
    const full = await ppo.train(cheetah);
    const first = await ppo.train({ ...cheetah, onUpdate: saveAt(2, file) });
    expect(firstDifference(first.policy.params, full.policy.params)).toBe(-1);
    const saved = await loadCheckpoint(file);
    expect(saved.meta.noTrainingState).toBeUndefined();
    expect(saved.arrays['training.env.physics']).toBeInstanceOf(Float64Array);
    // Mid-episode at the checkpoint: 128 steps into 50-step episodes.
    expect(Array.from(saved.arrays['training.env.elapsed'] as Int32Array)).toEqual([28, 28]);
    const resumed = await ppo.train({ env: 'HalfCheetah-v5', resume: file });
    expect(resumed.history.map((s) => s.update)).toEqual([3, 4]);
    expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(2)));
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
    expect(resumed.policy.obsRms?.toArray()).toEqual(full.policy.obsRms?.toArray());
    // The run's final checkpoint resumes too (nothing left to do: the same state comes back).
    const again = await ppo.train({ env: 'HalfCheetah-v5', resume: full.checkpoint });
    expect(again.history).toEqual([]);
    expect(firstDifference(again.policy.params, full.policy.params)).toBe(-1);
  });

  it('fails without the env snapshot (a plausible wrong resume: physics from a fresh env)', async () => {
    const file = path.join(tmp, 'ppo-fresh-env.olck');
    const full = await ppo.train(cheetah);
    await ppo.train({ ...cheetah, onUpdate: saveAt(2, file) });
    const c = await loadCheckpoint(file);
    // Swap in the env state a restarted env would have: the run's first physics state.
    const start = await ppo.train({ ...cheetah, totalSteps: 128, onUpdate: () => undefined });
    const fresh = start.checkpoint.arrays['training.env.physics'] as Float64Array;
    const wrong: Checkpoint = { ...c, arrays: { ...c.arrays, 'training.env.physics': fresh.slice() } };
    const resumed = await ppo.train({ env: 'HalfCheetah-v5', resume: wrong });
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBeGreaterThan(-1);
  });

  it('recurrent PPO on HalfCheetah-v5 resumes bit for bit (GRU states ride along with the env snapshot)', async () => {
    const run = { ...cheetah, recurrent: { cell: 'gru' as const, hidden: 8, seqLen: 16, encoder: [8] } };
    const file = path.join(tmp, 'ppo-gru.olck');
    const full = await ppo.train(run);
    await ppo.train({ ...run, onUpdate: saveAt(2, file) });
    const resumed = await ppo.train({ ...run, resume: file });
    expect(resumed.history.map((s) => s.update)).toEqual([3, 4]);
    expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(2)));
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
  });

  it('A2C on Ant-v5 (contact forces, terminations) resumes bit for bit', async () => {
    const config = { env: 'Ant-v5', envOptions: { maxEpisodeSteps: 30 }, numEnvs: 2, numSteps: 8, hidden: [8] };
    const run = { ...config, totalSteps: 2 * 8 * 6, seed: 1 };
    const file = path.join(tmp, 'a2c-ant.olck');
    const full = await a2c.train(run);
    await a2c.train({ ...run, onUpdate: saveAt(4, file) });
    const resumed = await a2c.train({ env: 'Ant-v5', resume: file });
    expect(repeatable(resumed.history)).toEqual(repeatable(full.history.slice(4)));
    expect(firstDifference(resumed.policy.params, full.policy.params)).toBe(-1);
  });

  it('a damaged MuJoCo training checkpoint is a clear OuterloopError', async () => {
    const short = await ppo.train({ ...cheetah, totalSteps: 128 });
    const c = short.checkpoint;
    const without = { ...c, arrays: { ...c.arrays } };
    delete without.arrays['training.env.physics'];
    // Without physics the snapshot is a kernel env's shape: the MuJoCo env refuses it.
    await expect(ppo.train({ env: 'HalfCheetah-v5', resume: without })).rejects.toThrow(OuterloopError);
    await expect(ppo.train({ env: 'HalfCheetah-v5', resume: without })).rejects.toThrow(
      /not a valid training checkpoint \(snapshot: not a MuJoCo env's snapshot/,
    );
    const mistyped = { ...c, arrays: { ...c.arrays, 'training.env.physics': new Float32Array(3) } };
    await expect(ppo.train({ env: 'HalfCheetah-v5', resume: mistyped })).rejects.toThrow(
      /not a valid training checkpoint \(missing or mistyped array 'training.env.physics'\)/,
    );
    const nan = (c.arrays['training.env.physics'] as Float64Array).slice();
    nan[2] = Number.NaN;
    const withNan = { ...c, arrays: { ...c.arrays, 'training.env.physics': nan } };
    await expect(ppo.train({ env: 'HalfCheetah-v5', resume: withNan })).rejects.toThrow(/snapshot\.physics\[2\]/);
    // Bytes flipped on disk: the file's CRC catches it before any state is read.
    const file = path.join(tmp, 'damaged.olck');
    const bytes = encodeCheckpoint(c);
    bytes[bytes.length - 9] = (bytes[bytes.length - 9] as number) ^ 0xff;
    fs.writeFileSync(file, bytes);
    await expect(ppo.train({ env: 'HalfCheetah-v5', resume: file })).rejects.toThrow(OuterloopError);
  });

  it('outerloop train ppo --env HalfCheetah-v5 --resume continues to the uninterrupted run', async () => {
    const flags = ['--env', 'HalfCheetah-v5', '--num-envs', '2', '--num-steps', '32', '--hidden', '8', '--seed', '2'];
    const more = ['--num-minibatches', '2', '--update-epochs', '1', '--anneal-lr', 'false'];
    const whole = path.join(tmp, 'cli-whole');
    const part = path.join(tmp, 'cli-part');
    await cli('train', 'ppo', ...flags, ...more, '--total-steps', '256', '--out', whole, '--json');
    const first = JSON.parse(
      await cli('train', 'ppo', ...flags, ...more, '--total-steps', '128', '--out', part, '--json'),
    );
    expect(first.updates).toBe(2);
    const resumed = JSON.parse(await cli('train', 'ppo', '--resume', part, '--total-steps', '256', '--json'));
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.updates).toBe(4);
    const a = await loadCheckpoint(path.join(whole, 'checkpoint.olck'));
    const b = await loadCheckpoint(path.join(part, 'checkpoint.olck'));
    expect(firstDifference(b.arrays.params as Float32Array, a.arrays.params as Float32Array)).toBe(-1);
  });
});

it('MuJoCo resume skip reason', () => {
  if (mujocoSkipReason !== null) console.log(`MuJoCo resume tests skipped: ${mujocoSkipReason}`);
  expect(true).toBe(true);
});
