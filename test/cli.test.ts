// The `outerloop` command: envs, train and eval with --json (parsed), the run folder's files,
// and Ctrl-C during training leaving a loadable checkpoint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { A2C_KEYS, PPO_KEYS } from '../src/rl/config.js';
import { Policy } from '../src/rl/policy.js';
import { cli, interruptedRun, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-');

describe('outerloop envs', () => {
  it('lists environments with their spaces', async () => {
    const rows = JSON.parse(await cli('envs', '--json')) as {
      id: string;
      actionSpace: string;
      observationSpace: string;
    }[];
    const cartpole = rows.find((r) => r.id === 'CartPole-v1');
    expect(cartpole?.actionSpace).toBe('Discrete(2)');
    expect(cartpole?.observationSpace).toContain('[4]');
    expect(rows.find((r) => r.id === 'Pendulum-v1')?.actionSpace).toBe('Box(-2, 2, [1])');
    expect(await cli('envs')).toMatch(/^id\s+observation\s+action/);
  });
});

describe('outerloop meta', () => {
  it("writes the run folder with the learner's default inner steps (iMAML: the library's 10)", async () => {
    const dir = path.join(tmp, 'imaml');
    const flags = ['--iterations', '2', '--hidden', '8', '--meta-batch', '2', '--eval-tasks', '5', '--json'];
    const result = JSON.parse(await cli('meta', 'imaml', ...flags, '--out', dir));
    expect(result).toMatchObject({ learner: 'imaml', iterations: 2, evalTasks: 5 });
    expect(await readRunConfig(dir)).toMatchObject({ innerSteps: 10, sizes: [1, 8, 1] });
    for (const file of ['metrics.jsonl', 'curve.svg', 'fit.svg', 'checkpoint.olck'])
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    // Meta-SGD by its lower-case name; options of other learners are refused.
    expect(JSON.parse(await cli('meta', 'metasgd', ...flags)).learner).toBe('metasgd');
    await expect(cli('meta', 'reptile', ...flags, '--cg-steps', '3')).rejects.toThrow(
      /reptile does not take --cg-steps/,
    );
  });
});

describe('outerloop train / eval', () => {
  it('train --json writes the run folder and prints one parseable summary; eval --json reads it', async () => {
    const dir = path.join(tmp, 'run');
    const out = await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--total-steps',
      '2048',
      '--seed',
      '3',
      '--hidden',
      '16,16',
      '--objective',
      'dpo',
      '--out',
      dir,
      '--json',
    );
    const lines = out.trim().split('\n');
    expect(lines.length).toBe(1);
    const summary = JSON.parse(lines[0] as string);
    expect(summary).toMatchObject({
      algo: 'ppo',
      env: 'CartPole-v1',
      objective: 'dpo',
      seed: 3,
      steps: 2048,
      updates: 4,
      aborted: false,
    });
    const config = (await readRunConfig(dir)) as Record<string, unknown>;
    expect(config).toMatchObject({
      algo: 'ppo',
      env: 'CartPole-v1',
      objective: 'dpo',
      hidden: [16, 16],
      lr: 2.5e-4,
      numEnvs: 4,
    });
    expect((await readMetrics(dir)).map((r) => r.update)).toEqual([1, 2, 3, 4]);
    expect(fs.readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toMatch(/^<svg/);
    const policy = await Policy.load(path.join(dir, 'checkpoint.olck'));
    expect(policy.info).toMatchObject({ env: 'CartPole-v1', algo: 'ppo', steps: 2048 });

    const ev = JSON.parse(await cli('eval', dir, '--episodes', '4', '--seed', '1', '--json'));
    expect(ev.episodes).toBe(4);
    expect(ev.lengths).toHaveLength(4);
    expect(ev.meanReturn).toBeCloseTo(ev.lengths.reduce((s: number, x: number) => s + x, 0) / 4, 9);
    expect(typeof ev.stdReturn).toBe('number');
  });

  it('a2c trains too, and ppo-only options are refused for it', async () => {
    const dir = path.join(tmp, 'a2c');
    const summary = JSON.parse(
      await cli(
        'train',
        'a2c',
        '--env',
        'CartPole-v1',
        '--total-steps',
        '400',
        '--hidden',
        '8',
        '--out',
        dir,
        '--json',
      ),
    );
    expect(summary).toMatchObject({ algo: 'a2c', objective: null, steps: 400, updates: 10 });
    await expect(cli('train', 'a2c', '--env', 'CartPole-v1', '--clip-coef', '0.1', '--out', dir)).rejects.toThrow(
      /a2c does not take --clip-coef/,
    );
    await expect(cli('train', 'ppo', '--env', 'CartPole-v1', '--rms-decay', '0.9', '--out', dir)).rejects.toThrow(
      /ppo does not take --rms-decay/,
    );
  });

  it('every trainer hyperparameter has a train flag of the same name', () => {
    const train = buildProgram().commands.find((c) => c.name() === 'train');
    const flags = new Set(train?.options.map((opt) => opt.attributeName()));
    const keys = [...PPO_KEYS, ...A2C_KEYS].filter((k) => !['env', 'onUpdate', 'signal'].includes(k));
    expect(keys.filter((k) => !flags.has(k))).toEqual([]);
  });

  it('eval reports a missing or corrupted checkpoint clearly', async () => {
    await expect(cli('eval', path.join(tmp, 'nowhere'))).rejects.toThrow(/no such checkpoint/);
    const bad = path.join(tmp, 'bad.olck');
    fs.writeFileSync(bad, 'not a checkpoint at all');
    await expect(cli('eval', bad)).rejects.toThrow(/not an outerloop checkpoint/);
  });

  it('Ctrl-C stops training after the current update and leaves a valid checkpoint', async () => {
    const dir = path.join(tmp, 'interrupted');
    const { code, stdout } = await interruptedRun(
      ['train', 'ppo', '--env', 'CartPole-v1', '--total-steps', '10000000', '--hidden', '8', '--json'],
      dir,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim());
    expect(summary.aborted).toBe(true);
    expect(summary.steps).toBeLessThan(10_000_000);
    const policy = await Policy.load(path.join(dir, 'checkpoint.olck'));
    expect(policy.info.steps).toBe(summary.steps);
  });
});
