// metaRl.reptile on RL tasks, against a reference written from Nichol et al. (2018), Algorithm 2
// (batched Reptile): one meta-iteration from θ equals θ + ε·mean_t(θ̃_t − θ), where θ̃_t is the
// result of k inner VPG steps on task t (computed here through the public adapt with the same
// tasks, episodes and keys); plus argument errors, determinism and bit-identical resume.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { resolveMamlConfig } from '../src/metarl/maml/config.js';
import { adaptAll } from '../src/metarl/maml/evaluate.js';
import { EnvPool } from '../src/metarl/maml/meta_batch.js';
import { gaussianPolicy } from '../src/metarl/maml/policy.js';
import * as random from '../src/random/index.js';
import { smallNavigation } from './helpers/maml_fixtures.js';

const small = smallNavigation;

describe('metaRl.reptile', () => {
  it('rejects bad configs', () => {
    expect(() => metaRl.reptile({ ...small, env: 'CartPole-v1' })).toThrow(/no task distribution/);
    expect(() => metaRl.reptile({ ...small, innerSteps: 0 })).toThrow(/innerSteps/);
    expect(() => metaRl.reptile({ ...small, outerLr: -1 })).toThrow(/outerLr/);
    expect(() => metaRl.reptile({ ...small, metaBatch: 0 })).toThrow(/metaBatch/);
  });

  it('one meta-iteration is θ + ε·mean(θ̃_t − θ) over the tasks adapted by k VPG steps', async () => {
    const eps = 0.7;
    const r = metaRl.reptile({ ...small, outerLr: eps });
    const theta = r.init(4);
    const out = await r.train({ iterations: 1, seed: 4, init: theta });
    // The reference: the same tasks and keys train() derives for iteration 1.
    const c = resolveMamlConfig(small, 'test');
    const pool = new EnvPool(c);
    const policy = gaussianPolicy(pool.any(), c.hidden, c.activation);
    const key = random.fold(random.key(4), 1);
    const tasks = pool.any().sampleTasks(random.fold(key, 0x5eed), 3);
    const a = adaptAll(pool, policy, c, theta, tasks, 2, 2, c.innerLr, random.fold(random.fold(key, 1), 0));
    const expected = theta.map((x, i) => x + (eps * a.adapted.reduce((s, th) => s + ((th[i] as number) - x), 0)) / 3);
    let m = 0;
    for (let i = 0; i < theta.length; i++)
      m = Math.max(m, Math.abs((out.params[i] as number) - (expected[i] as number)));
    expect(m).toBeLessThan(1e-6);
    // A plausible wrong variant (the last task's θ̃ alone, as serial Reptile would) differs.
    const serial = theta.map((x, i) => x + eps * (((a.adapted[2] as Float32Array)[i] as number) - x));
    let w = 0;
    for (let i = 0; i < theta.length; i++) w = Math.max(w, Math.abs((out.params[i] as number) - (serial[i] as number)));
    expect(w).toBeGreaterThan(1e-3);
    pool.close();
  });

  it('is deterministic and resumes bit-identically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reptile-'));
    const ck = path.join(dir, 'ck.olck');
    const a = await metaRl.reptile(small).train({ iterations: 3, seed: 1 });
    await metaRl.reptile(small).train({ iterations: 1, seed: 1, checkpoint: ck });
    const b = await metaRl.reptile(small).train({ iterations: 3, resume: ck });
    expect(b.params).toEqual(a.params);
    const ev = await metaRl
      .reptile(small)
      .evaluate(a.params, { tasks: 2, steps: [0, 1], episodes: 2, baselines: { pretrained: false } });
    expect(ev.meta.map((s) => s.steps)).toEqual([0, 1]);
    fs.rmSync(dir, { recursive: true });
  });
});
