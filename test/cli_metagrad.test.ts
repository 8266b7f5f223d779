// `outerloop train metagrad`: a tiny run writes the usual run folder (config, metrics with the
// meta-parameters by flag name, the return curve, one chart per learned meta-parameter, a policy
// checkpoint that evaluates), is a function of its seed and matches the library agent's run; a bad
// --meta name is refused listing the valid ones; --resume says why it cannot; flags of other
// trainers are refused.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNames } from '../src/cli/flags.js';
import { readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { metaRl, rl } from '../src/index.js';
import { Policy } from '../src/rl/policy.js';
import { TRAINERS } from '../src/rl/trainers.js';
import { cli, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('cli-metagrad-');
// 4 envs × 5 steps × 6 updates on Catch: a few hundred env steps
const tiny = ['--env', 'Catch-v0', '--num-envs', '4', '--num-steps', '5', '--total-steps', '120', '--hidden', '8'];

describe('outerloop train metagrad', () => {
  it('writes the run folder: metrics with η by flag name, curve and η charts, an evaluable policy', async () => {
    const out = path.join(tmp, 'a');
    const summary = JSON.parse(
      await cli(
        'train',
        'metagrad',
        ...tiny,
        '--meta',
        'gamma,lambda',
        '--gamma',
        '0.9',
        '--seed',
        '3',
        '--json',
        '--out',
        out,
      ),
    );
    expect(summary).toMatchObject({
      algo: 'metagrad',
      env: 'Catch-v0',
      objective: 'gamma-lambda',
      seed: 3,
      steps: 120,
    });
    for (const f of [
      'config.json',
      'metrics.jsonl',
      'curve.svg',
      'meta_gamma.svg',
      'meta_lambda.svg',
      'checkpoint.olck',
    ])
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    expect(fs.readFileSync(path.join(out, 'meta_gamma.svg'), 'utf8')).toContain('<svg');
    const config = (await readRunConfig(out)) as Record<string, unknown>;
    expect(config).toMatchObject({ algo: 'metagrad', meta: ['gamma', 'lambda'], gamma: 0.9, bmg: 'off' });
    const rows = await readMetrics(out);
    expect(rows.map((r) => r.update)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.steps)).toEqual([40, 60, 80, 100, 120]);

    // the same agent through the library, same seed: the same η trajectory and final policy
    const lib = await metaRl
      .metaGradient({
        env: 'Catch-v0',
        meta: ['gamma', 'lambda'],
        init: { gamma: 0.9, lambda: 0.95, entropy: 0.01, value: 0.5, lr: 3e-3 },
        numEnvs: 4,
        numSteps: 5,
        hidden: [8],
        metaLr: 0.01,
      })
      .train({ totalSteps: 120, seed: 3 });
    expect(rows.map((r) => r.gamma)).toEqual(lib.history.map((s) => s.meta.gamma));
    expect(rows.map((r) => r.gaeLambda)).toEqual(lib.history.map((s) => s.meta.lambda));
    expect(rows.every((r) => r.entCoef === 0.01 && r.policyLoss === null)).toBe(true);
    expect(rows[0]?.gamma).not.toBe(0.9); // it moved

    const policy = await Policy.load(path.join(out, 'checkpoint.olck'));
    expect(Array.from(policy.params)).toEqual(Array.from(lib.policy.params));
    const ev = await rl.evaluate(policy, { episodes: 3, seed: 1 });
    expect(ev.returns).toHaveLength(3);
  });

  it('refuses an unknown or repeated --meta name, listing the valid ones', async () => {
    // commander exits on a flag that does not parse: run the command in a child process
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/run.ts',
        'train',
        'metagrad',
        ...tiny,
        '--meta',
        'gamma,discount',
        '--out',
        path.join(tmp, 'x'),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "--meta: unknown name 'discount' in 'gamma,discount'; valid names: gamma, lambda, entropy, value, lr",
    );
    const parse = parseNames('--meta', ['gamma', 'lambda', 'entropy', 'value', 'lr']);
    expect(parse('lambda,gamma')).toEqual(['lambda', 'gamma']);
    expect(() => parse('lr,lr')).toThrow(/'lr' listed twice/);
    expect(() => TRAINERS.metagrad.resolve({ env: 'Catch-v0', meta: ['gama'] } as never)).toThrow(
      /meta\[0\]: unknown name 'gama' \(valid: gamma, lambda, entropy, value, lr\)/,
    );
    // a learned γ must start inside (0, 1)
    expect(() => TRAINERS.metagrad.resolve({ env: 'Catch-v0', gamma: 1 })).toThrow(/init.gamma/);
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('refuses flags of other trainers, box-action envs and --resume, each with the reason', async () => {
    await expect(cli('train', 'metagrad', ...tiny, '--clip-coef', '0.1', '--out', path.join(tmp, 'y'))).rejects.toThrow(
      /metagrad does not take --clip-coef/,
    );
    await expect(
      cli('train', 'metagrad', '--env', 'Pendulum-v1', '--total-steps', '40', '--out', path.join(tmp, 'p')),
    ).rejects.toThrow(/box actions/);
    const out = path.join(tmp, 'r');
    await cli('train', 'metagrad', ...tiny, '--json', '--out', out);
    await expect(cli('train', 'metagrad', '--resume', out, '--json')).rejects.toThrow(/cannot be resumed/);
  });
});
