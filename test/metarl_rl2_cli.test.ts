// The `outerloop meta-rl rl2` entry (src/cli/commands/meta_rl_rl2.ts): a tiny run writes the run
// folder (config, metrics per update, learning curve, regret plot, results table).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runRl2Cli } from '../src/cli/commands/meta_rl_rl2.js';
import { metaRl } from '../src/index.js';
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

  it('Gaussian arms: RL² and the Gaussian baselines, Gittins and the DP left out with a note', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    const notes: string[] = [];
    const rows = await runRl2Cli({
      env: 'Bandit-v0',
      arms: 2,
      pulls: 5,
      rewards: 'gaussian',
      steps: 1280,
      hidden: 4,
      trials: 50,
      out,
      onNote: (n) => notes.push(n),
    });
    expect(rows.map((r) => r.agent)).toEqual(['rl2', 'rl2(greedy)', 'random', 'greedy', 'ucb1', 'thompson']);
    expect(notes.join()).toMatch(/Gittins.*Bernoulli-only/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).notes).toEqual(notes);
    expect(fs.readFileSync(path.join(out, 'regret.svg'), 'utf8')).toContain('Gaussian');
    const printed = JSON.parse(
      await cli(
        'meta-rl',
        'rl2',
        '--arms',
        '2',
        '--pulls',
        '3',
        '--rewards',
        'gaussian',
        '--steps',
        '640',
        '--hidden',
        '4',
        '--trials',
        '20',
        '--json',
        '--out',
        out,
      ),
    );
    expect(printed.evaluation.map((r: { agent: string }) => r.agent)).not.toContain('bayesOptimal');
    // A bad flag value: commander prints the parser's message and exits.
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    try {
      await expect(cli('meta-rl', 'rl2', '--rewards', 'poisson', '--out', out)).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(err).toMatch(/--rewards: expected bernoulli or gaussian/);
  }, 30_000);
});

describe('evaluateTrials bestArmMean (the regret oracle)', () => {
  // E[max of k iid arm means]: U[0, 1]: k/(k+1); N(0, 1): 1/√π for k = 2, 1.162964 for k = 5
  // (expected maximum of normal order statistics, Harter 1961). 4 standard errors.
  it.each([
    ['bernoulli', 2, 2 / 3, 0.236],
    ['gaussian', 2, 1 / Math.sqrt(Math.PI), 0.826],
    ['gaussian', 5, 1.162964, 0.668],
  ] as const)('%s arms, k = %i: mean of the best arm matches E[max]', async (rewards, arms, expected, sd) => {
    const trials = 20000;
    const r = await metaRl.evaluateTrials(metaRl.baselines.random(), {
      env: 'Bandit-v0',
      envOptions: { arms, pulls: 1, rewards },
      trials,
      seed: 5,
    });
    const best = r.bestArmMean as Float64Array;
    expect(best).toHaveLength(trials);
    const mean = best.reduce((a, b) => a + b, 0) / trials;
    expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(trials));
    // The random agent's reward is below the oracle's on average (a positive regret).
    expect(mean - r.meanReturn).toBeGreaterThan(0);
  });

  it('keeps policy.json; --init continues from it (zero step size: the same parameters) with the training flags', async () => {
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    const args = ['--arms', '2', '--pulls', '5', '--steps', '1280', '--hidden', '4', '--trials', '20', '--json'];
    await cli('meta-rl', 'rl2', ...args, '--out', first);
    const saved = JSON.parse(fs.readFileSync(path.join(first, 'policy.json'), 'utf8'));
    expect(saved).toMatchObject({ env: 'Bandit-v0', hidden: 4, cell: 'gru', episodesPerTrial: 1 });
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    const flags = ['--lr', '0', '--lr-final', '0', '--gamma', '1', '--gae-lambda', '1', '--ent-coef', '0.05'];
    await cli('meta-rl', 'rl2', ...args, ...flags, '--trials-per-update', '32', '--init', first, '--out', second);
    const config = JSON.parse(fs.readFileSync(path.join(second, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ lr: 0, lrFinal: 0, gamma: 1, lambda: 1, entCoef: 0.05, trialsPerUpdate: 32 });
    expect(config.init).toBe(first);
    // Adam with a zero step size leaves the parameters where --init put them.
    expect(JSON.parse(fs.readFileSync(path.join(second, 'policy.json'), 'utf8')).params).toEqual(saved.params);
    // With a step size, they move.
    const third = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    await cli('meta-rl', 'rl2', ...args, '--init', path.join(first, 'policy.json'), '--out', third);
    expect(JSON.parse(fs.readFileSync(path.join(third, 'policy.json'), 'utf8')).params).not.toEqual(saved.params);
  }, 60_000);

  it('--init: a missing, corrupt or mismatched policy.json is a clear error', async () => {
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    await runRl2Cli({ env: 'Bandit-v0', arms: 2, pulls: 5, steps: 640, hidden: 4, trials: 10, out: first });
    const base = { env: 'Bandit-v0' as const, arms: 2, pulls: 5, steps: 640, hidden: 4, trials: 10 };
    const out = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rl2-cli-'));
    await expect(runRl2Cli({ ...base, out: out(), init: path.join(first, 'nope.json') })).rejects.toThrow(
      /--init: no such file/,
    );
    await expect(runRl2Cli({ ...base, hidden: 8, out: out(), init: first })).rejects.toThrow(/--init: .*hidden 4/);
    await expect(runRl2Cli({ ...base, pulls: 6, out: out(), init: first })).rejects.toThrow(/--init: .*trained on/);
    await expect(runRl2Cli({ ...base, out: out(), init: first, rl2: { cell: 'lstm' } })).rejects.toThrow(
      /--init: .*cell gru/,
    );
    const bad = path.join(first, 'bad.json');
    fs.writeFileSync(bad, '{"format": "outerloop.rl2-policy/1", "par');
    await expect(runRl2Cli({ ...base, out: out(), init: bad })).rejects.toThrow(/--init: .*not a readable/);
    fs.writeFileSync(bad, '{"format": "something-else", "params": []}');
    await expect(runRl2Cli({ ...base, out: out(), init: bad })).rejects.toThrow(/--init: .*not an rl2 policy/);
    const saved = JSON.parse(fs.readFileSync(path.join(first, 'policy.json'), 'utf8'));
    fs.writeFileSync(bad, JSON.stringify({ ...saved, params: saved.params.slice(1) }));
    await expect(runRl2Cli({ ...base, out: out(), init: bad })).rejects.toThrow(/initParams: expected \d+ parameters/);
    fs.writeFileSync(
      bad,
      JSON.stringify({ ...saved, params: saved.params.map((x: number, i: number) => (i ? x : 'x')) }),
    );
    await expect(runRl2Cli({ ...base, out: out(), init: bad })).rejects.toThrow(/initParams: element 0/);
  }, 60_000);
});
