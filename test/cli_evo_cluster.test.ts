// `outerloop evo <strategy> --env …`: an MLP policy evolved on an env through the built-in rollout
// fitness; with --redis the evaluations fan out to 2 `outerloop worker` processes on a real
// redis-server (loopback) and the run folder and summary equal the single-process run's bit for
// bit; no worker on the queue ends with the --job-timeout error; Ctrl-C stops after the generation
// under way and still writes the run folder. Without redis-server the Redis tests skip and say why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics } from '../src/cli/run_dir.js';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { redisSkipReason, useRedisWorkers } from './cluster_support.js';
import { cli, interruptedRun, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-evo-cluster-');
const RUN = ['--env', 'CartPole-v1', '--hidden', '4', '--generations', '4', '--pop-size', '12', '--seed', '3'];

function withoutSeconds(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ seconds: _s, ...r }) => r);
}

describe('outerloop evo --env', () => {
  it('evolves a policy: summary and checkpoint name the env and the policy sizes', async () => {
    const dir = path.join(tmp, 'local');
    const s = JSON.parse(await cli('evo', 'openaiEs', ...RUN, '--out', dir, '--json'));
    expect(s).toMatchObject({ env: 'CartPole-v1', fn: null, dim: (4 + 1) * 4 + (4 + 1) * 2, popSize: 12 });
    expect(s.bestFitness).toBeGreaterThanOrEqual(8); // CartPole returns are episode lengths ≥ 8
    const c = await loadCheckpoint(path.join(dir, 'checkpoint.olck'));
    expect(c.meta).toMatchObject({ env: 'CartPole-v1', sizes: [4, 4, 2] });
  }, 30_000);

  it('refuses --redis without --env and --fn with --env', async () => {
    await expect(
      cli('evo', 'openaiEs', '--redis', 'redis://127.0.0.1:1', '--out', path.join(tmp, 'x')),
    ).rejects.toThrow(/--redis, --envs-per-member and --max-steps need --env/);
    await expect(cli('evo', 'openaiEs', '--fn', 'sphere', ...RUN, '--out', path.join(tmp, 'y'))).rejects.toThrow(
      /--fn or --env, not both/,
    );
  });

  it('Ctrl-C stops after the generation under way and still writes the run folder', async () => {
    const dir = path.join(tmp, 'sigint');
    const { code, stdout } = await interruptedRun(
      ['evo', 'openaiEs', '--env', 'CartPole-v1', '--hidden', '4', '--generations', '100000', '--pop-size', '8'],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/stopped by Ctrl-C/);
    const rows = await readMetrics(dir);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(100_000);
    expect(fs.readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toMatch(/^<svg/);
    const c = await loadCheckpoint(path.join(dir, 'checkpoint.olck'));
    expect(c.meta.generations).toBe(rows.length);
  }, 60_000);
});

const skip = await redisSkipReason();
if (skip) console.warn(`cli_evo_cluster Redis tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('outerloop evo --env --redis', () => {
  const queue = 'outerloop-test-cli-evo';
  const redis = useRedisWorkers(queue);

  it('2 workers give the single-process run bit for bit (summary, metrics, checkpoint)', async () => {
    const a = path.join(tmp, 'one');
    const b = path.join(tmp, 'two');
    const local = JSON.parse(await cli('evo', 'openaiEs', ...RUN, '--out', a, '--json'));
    const dist = JSON.parse(
      await cli(
        'evo',
        'openaiEs',
        ...RUN,
        '--redis',
        redis.url,
        '--queue',
        queue,
        '--members-per-job',
        '3',
        '--out',
        b,
        '--json',
      ),
    );
    const { seconds: _1, run: _2, checkpoint: _3, ...l } = local;
    const { seconds: _4, run: _5, checkpoint: _6, ...d } = dist;
    expect(d).toEqual(l);
    expect(withoutSeconds(await readMetrics(b))).toEqual(withoutSeconds(await readMetrics(a)));
    const [ca, cb] = await Promise.all([a, b].map((dir) => loadCheckpoint(path.join(dir, 'checkpoint.olck'))));
    expect(Array.from(cb?.arrays.best as Float32Array)).toEqual(Array.from(ca?.arrays.best as Float32Array));
    expect(Array.from(cb?.arrays.center as Float32Array)).toEqual(Array.from(ca?.arrays.center as Float32Array));
  }, 60_000);

  it('with no worker on the queue, --job-timeout ends the run with how to start one', async () => {
    await expect(
      cli(
        'evo',
        'openaiEs',
        ...RUN,
        '--redis',
        redis.url,
        '--queue',
        'nobody-serves-this',
        '--job-timeout',
        '500',
        '--out',
        path.join(tmp, 'none'),
      ),
    ).rejects.toThrow(/no worker took a job from queue 'nobody-serves-this'.*outerloop worker --redis/);
  }, 30_000);
});
