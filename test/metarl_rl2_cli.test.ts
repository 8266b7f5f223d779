// The `outerloop meta-rl rl2` entry (src/metarl/rl2/cli_entry.ts): a tiny run writes the run
// folder (config, metrics per update, learning curve, regret plot, results table).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRl2Cli } from '../src/metarl/rl2/cli_entry.js';

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
});
