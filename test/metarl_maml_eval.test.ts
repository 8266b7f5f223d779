// `outerloop eval` of a meta-rl run: the checkpoint's config rebuilds the learner, and the held-out
// evaluation (0–3 adaptation steps, random-init baseline) equals metaRl.maml's own evaluate of the
// saved parameters; reptile runs load too. The oracle baseline: its env appends each row's task to
// the observation, and evaluate reports it beside the others.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { makeMetaEnv } from '../src/metarl/maml/env.js';
import { learnerFromCheckpoint, metaRlKind } from '../src/metarl/maml/from_checkpoint.js';
import * as random from '../src/random/index.js';
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

describe('the oracle baseline', () => {
  it("its env appends each row's task to the observation, after resets and steps", () => {
    const env = makeMetaEnv('Navigation2D-v0', { maxEpisodeSteps: 5 }, 3, 'test', true);
    const plain = makeMetaEnv('Navigation2D-v0', { maxEpisodeSteps: 5 }, 3, 'test');
    expect(env.obsDim).toBe(plain.obsDim + 2);
    const tasks = env.sampleTasks(random.key(1), 3);
    env.setTasks(tasks);
    plain.setTasks(tasks);
    const check = (o: Float32Array, p: Float32Array) => {
      for (let i = 0; i < 3; i++) {
        expect(Array.from(o.subarray(i * 4, i * 4 + 2))).toEqual(Array.from(p.subarray(i * 2, i * 2 + 2)));
        expect(Array.from(o.subarray(i * 4 + 2, i * 4 + 4))).toEqual(Array.from(tasks.subarray(i * 2, i * 2 + 2)));
      }
    };
    check(env.reset(4), plain.reset(4));
    const a = random.normal(random.key(2), 6);
    const r = env.step(a);
    const q = plain.step(a);
    check(r.obs, q.obs);
    check(r.finalObs, q.finalObs);
    expect(Array.from(r.reward)).toEqual(Array.from(q.reward));
  });

  it('evaluate reports it per adaptation step beside the meta-learned init', async () => {
    const m = metaRl.maml({
      env: 'Navigation2D-v0',
      envOptions: { maxEpisodeSteps: 10 },
      policy: { hidden: [8] },
      metaBatch: 2,
      episodesPerTask: 2,
    });
    const ev = await m.evaluate(m.init(0), {
      tasks: 3,
      steps: [0, 1],
      episodes: 2,
      baselines: { random: false, pretrained: false, oracle: { iterations: 2 } },
    });
    expect(ev.oracle?.map((s) => s.steps)).toEqual([0, 1]);
    expect(ev.oracle?.every((s) => Number.isFinite(s.mean))).toBe(true);
    await expect(m.evaluate(m.init(0), { baselines: { oracle: { iterations: -1 } } })).rejects.toThrow(/oracle/);
  });
});
