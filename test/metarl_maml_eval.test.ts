// `outerloop eval` of a meta-rl run: the checkpoint's config rebuilds the learner, and the held-out
// evaluation (0–3 adaptation steps, random-init baseline) equals metaRl.maml's own evaluate of the
// saved parameters; reptile runs load too.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { learnerFromCheckpoint, metaRlKind } from '../src/metarl/maml/from_checkpoint.js';
import { cli, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('metarl-eval-');
const tiny = [
  '--iterations',
  '1',
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

describe('outerloop eval of a meta-rl run', () => {
  it.each(['maml', 'reptile'])('%s: the run folder evaluates like the learner itself', async (method) => {
    const out = path.join(tmp, method);
    await cli('meta-rl', method, ...tiny, '--out', out);
    const printed = JSON.parse(await cli('eval', out, '--tasks', '3', '--seed', '2', '--json'));
    expect(printed.kind).toBe(`metaRl.${method}`);
    expect(printed.steps).toEqual([0, 1, 2, 3]);
    expect(printed.meta).toHaveLength(4);
    expect(printed.random).toHaveLength(4);
    expect(printed.pretrained).toBeUndefined();
    const file = path.join(out, 'checkpoint.olck');
    const kind = await metaRlKind(file);
    expect(kind).toBe(`metaRl.${method}`);
    const { learner, state } = await learnerFromCheckpoint(file, kind as 'metaRl.maml');
    expect(learner.config).toEqual(state.config);
    if (method === 'maml') {
      const c = state.config as { envOptions: { maxEpisodeSteps: number } };
      const direct = metaRl.maml({
        env: 'Navigation2D-v0',
        envOptions: c.envOptions,
        policy: { hidden: [8] },
        metaBatch: 2,
        episodesPerTask: 2,
      });
      const ev = await direct.evaluate(state.params, { tasks: 3, seed: 2, baselines: { pretrained: false } });
      expect(printed.returns).toEqual(ev.returns);
    }
  });
});
