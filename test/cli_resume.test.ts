// `outerloop train --resume DIR`: a run stopped with Ctrl-C (a real SIGINT to a child process, at
// whatever update it reaches) and resumed ends with the same parameters and per-update metrics as
// the same run left alone; metrics are appended, the curve redrawn, flags that would change the
// run refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { type MetricsRow, readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { Policy } from '../src/rl/policy.js';
import { firstDifference } from './helpers/backends.js';
import { cli, interruptedRun, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-resume-');

// The child and the in-process runs must use the same backend to agree bit for bit.
const backendName = backend.current();

const withoutSeconds = (rows: MetricsRow[]) => rows.map(({ seconds: _, ...rest }) => rest);

async function expectSameRun(a: string, b: string): Promise<void> {
  const pa = await Policy.load(path.join(a, 'checkpoint.olck'));
  const pb = await Policy.load(path.join(b, 'checkpoint.olck'));
  expect(firstDifference(pb.params, pa.params)).toBe(-1);
  expect(withoutSeconds(await readMetrics(b))).toEqual(withoutSeconds(await readMetrics(a)));
}

describe('outerloop train --resume', () => {
  it('ppo stopped by Ctrl-C and resumed equals the uninterrupted run', async () => {
    const flags = [
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--total-steps',
      String(32 * 1500),
      '--num-envs',
      '2',
      '--num-steps',
      '16',
      '--num-minibatches',
      '1',
      '--update-epochs',
      '1',
      '--hidden',
      '4',
      '--seed',
      '11',
      '--backend',
      backendName,
      '--json',
    ];
    const stopped = path.join(tmp, 'stopped');
    // --checkpoint-every 1 both exercises the periodic checkpoint and slows the child down.
    const { code, stdout } = await interruptedRun([...flags, '--checkpoint-every', '1'], stopped);
    expect(code).toBe(0);
    const first = JSON.parse(stdout.trim());
    expect(first.aborted).toBe(true);
    expect(first.updates).toBeLessThan(1500);

    const resumed = JSON.parse(await cli('train', 'ppo', '--resume', stopped, '--json', '--backend', backendName));
    expect(resumed.resumedFrom).toBe(first.updates);
    expect(resumed.updates).toBe(1500);
    expect(resumed.aborted).toBe(false);

    const whole = path.join(tmp, 'whole');
    await cli(...flags, '--out', whole);
    await expectSameRun(whole, stopped);
    const rows = await readMetrics(stopped);
    expect(rows.map((r) => r.update)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(fs.readFileSync(path.join(stopped, 'curve.svg'), 'utf8')).toContain('<svg');
    const config = (await readRunConfig(stopped)) as { resumes: { fromUpdate: number }[] };
    expect(config.resumes.map((r) => r.fromUpdate)).toEqual([first.updates]);
  }, 60_000);

  it('a2c extends --total-steps (no annealing) and matches the longer run; bad resumes are refused', async () => {
    const flags = ['--env', 'CartPole-v1', '--num-envs', '2', '--num-steps', '5', '--hidden', '8', '--seed', '4'];
    const long = path.join(tmp, 'a2c-long');
    const short = path.join(tmp, 'a2c-short');
    await cli('train', 'a2c', ...flags, '--total-steps', '100', '--out', long, '--json');
    await cli('train', 'a2c', ...flags, '--total-steps', '40', '--out', short, '--json');
    // A torn line and a row past the checkpoint (a killed process) are dropped on resume.
    fs.appendFileSync(path.join(short, 'metrics.jsonl'), '{"update":5,"steps":50}\n{"upd');
    const out = JSON.parse(await cli('train', 'a2c', '--resume', short, '--total-steps', '100', '--json'));
    expect(out.resumedFrom).toBe(4);
    expect(out.steps).toBe(100);
    await expectSameRun(long, short);
    expect(((await readRunConfig(short)) as { totalSteps: number }).totalSteps).toBe(100);

    await expect(cli('train', 'a2c', '--resume', short, '--lr', '0.1')).rejects.toThrow(/--lr 0.1 differs/);
    await expect(cli('train', 'a2c', '--resume', short, '--env', 'Acrobot-v1')).rejects.toThrow(/--env/);
    await expect(cli('train', 'ppo', '--resume', short)).rejects.toThrow(/not a ppo run/);
    await expect(cli('train', 'a2c', '--resume', short, '--out', long)).rejects.toThrow(/--out/);
    await expect(cli('train', 'a2c', '--resume', path.join(tmp, 'nowhere'))).rejects.toThrow(/not a run folder/);
    await expect(cli('train', 'a2c', '--total-steps', '10')).rejects.toThrow(/--env/);

    // PPO anneals its learning rate over the total, so the total cannot change on resume.
    const ppoRun = path.join(tmp, 'ppo-short');
    await cli('train', 'ppo', ...flags, '--total-steps', '20', '--out', ppoRun, '--json', '--num-minibatches', '1');
    await expect(cli('train', 'ppo', '--resume', ppoRun, '--total-steps', '40')).rejects.toThrow(
      /totalSteps cannot change .*annealLr/,
    );
    // A folder whose checkpoint holds only a policy (an older outerloop) is refused with the reason.
    const policy = await Policy.load(path.join(ppoRun, 'checkpoint.olck'));
    await policy.save(path.join(ppoRun, 'checkpoint.olck'));
    await expect(cli('train', 'ppo', '--resume', ppoRun)).rejects.toThrow(/policy only/);
  });
});
