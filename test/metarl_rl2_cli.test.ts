// The `outerloop meta-rl rl2` entry (src/cli/commands/meta_rl_rl2.ts): a tiny run writes the run
// folder (config, metrics per update, learning curve, regret plot, results table).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRl2Cli } from '../src/cli/commands/meta_rl_rl2.js';
import { cli } from './helpers/cli.js';

describe('runRl2Cli', () => {
  it('writes the run folder with RL² and every baseline', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    const rows = await runRl2Cli({ env: 'Bandit-v0', arms: 2, pulls: 5, steps: 1280, hidden: 4, trials: 50, out });
    expect(rows.map((r) => r.agent)).toEqual([
      'rl2',
      'rl2(greedy)',
      'random',
      'greedy',
      'ucb1',
      'thompson',
      expect.stringMatching(/^gittins/),
      'bayesOptimal',
    ]);
    for (const f of ['config.json', 'metrics.jsonl', 'curve.svg', 'regret.svg', 'results.json'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, 'regret.svg'), 'utf8')).toContain('<svg');
  }, 30_000);

  it('runs as `outerloop meta-rl rl2`, and refuses an env it cannot run on', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    const args = ['--arms', '2', '--pulls', '5', '--steps', '1280', '--hidden', '4', '--trials', '20', '--json'];
    const printed = JSON.parse(await cli('meta-rl', 'rl2', ...args, '--out', out));
    expect(printed.method).toBe('rl2');
    expect(printed.env).toBe('Bandit-v0');
    expect(printed.evaluation.map((r: { agent: string }) => r.agent)).toContain('bayesOptimal');
    expect(fs.existsSync(path.join(out, 'regret.svg'))).toBe(true);
    await expect(cli('meta-rl', 'rl2', '--env', 'CartPole-v1', '--out', out)).rejects.toThrow(/--env/);
  }, 30_000);
});
