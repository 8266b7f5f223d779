// `outerloop meta-rl`: a short maml and reptile run writes the run folder (config, metrics, both
// plots, a resumable checkpoint, result.json) and prints the held-out evaluation with baselines;
// --resume continues to the same parameters; an unknown method is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { cli, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('cli-meta-rl-');
const tiny = [
  '--iterations',
  '2',
  '--meta-batch',
  '2',
  '--episodes-per-task',
  '2',
  '--hidden',
  '8',
  '--max-episode-steps',
  '10',
  '--eval-tasks',
  '2',
  '--eval-episodes',
  '2',
  '--pretrain-iterations',
  '1',
  '--json',
];

describe('outerloop meta-rl', () => {
  it.each(['maml', 'reptile'])('%s writes the run folder and the evaluation', async (method) => {
    const out = path.join(tmp, method);
    const printed = JSON.parse(await cli('meta-rl', method, ...tiny, '--out', out));
    expect(printed.method).toBe(method);
    expect(printed.iterations).toBe(2);
    expect(printed.evaluation.meta.map((s: { steps: number }) => s.steps)).toEqual([0, 1, 2, 3]);
    expect(printed.evaluation.random).toHaveLength(4);
    expect(printed.evaluation.pretrained).toHaveLength(4);
    for (const f of [
      'config.json',
      'metrics.jsonl',
      'curve.svg',
      'adaptation.svg',
      'trajectories.svg',
      'checkpoint.olck',
      'result.json',
    ])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    const rows = fs
      .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.iteration)).toEqual([1, 2]);
    expect((await loadCheckpoint(path.join(out, 'checkpoint.olck'))).kind).toBe(`metaRl.${method}`);
  });

  it('resumes a run from its checkpoint', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await cli('meta-rl', 'maml', ...tiny, '--out', a);
    const more = ['--iterations', '3', ...tiny.slice(2)];
    await cli('meta-rl', 'maml', ...more, '--out', b, '--resume', path.join(a, 'checkpoint.olck'));
    const rows = fs.readFileSync(path.join(b, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(rows.map((l) => JSON.parse(l).iteration)).toEqual([3]);
    expect((await loadCheckpoint(path.join(b, 'checkpoint.olck'))).meta.iteration).toBe(3);
  });

  it('refuses an unknown method', async () => {
    await expect(cli('meta-rl', 'nope', ...tiny)).rejects.toThrow();
  });
});
