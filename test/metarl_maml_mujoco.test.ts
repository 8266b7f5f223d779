// metaRl.maml on the MuJoCo task families (HalfCheetahVel-v0, HalfCheetahDir-v0, created through
// envs.makeMujoco): a tiny meta-iteration runs, is deterministic per seed, and the half-cheetah's
// 17 observations / 6 torques shape the Gaussian policy; the task-less HalfCheetah-v5 and unknown
// env options are rejected; without an engine the error names metaRl.maml and the install step.
// The engine-dependent block skips with a printed reason when backend.info().physics is null.
import { describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { OuterloopError } from '../src/errors.js';
import { metaRl } from '../src/index.js';

const physics = backend.info().physics;
const skipReason = physics === null ? `no MuJoCo engine on the '${backend.current()}' backend` : null;
if (skipReason) console.warn(`metaRl.maml MuJoCo tests skipped: ${skipReason}`);

const tiny = (env: string) =>
  ({
    env,
    envOptions: { maxEpisodeSteps: 8 },
    policy: { hidden: [8] },
    metaBatch: 2,
    episodesPerTask: 2,
  }) as const;

describe('metaRl.maml on MuJoCo task envs: configs', () => {
  it('rejects HalfCheetah-v5 (no task distribution) and unknown options before touching the engine', () => {
    expect(() => metaRl.maml({ env: 'HalfCheetah-v5' })).toThrow(/no task distribution/);
    expect(() => metaRl.maml({ env: 'HalfCheetahVel-v0', envOptions: { variant: 'rl2' as 'maml' } })).toThrow(
      /metaRl.maml: env: options.variant/,
    );
    expect(() => metaRl.maml({ env: 'HalfCheetahDir-v0', envOptions: { dense: true } })).toThrow(/dense/);
  });

  it.skipIf(physics !== null)('without an engine: an OuterloopError naming metaRl.maml and the install step', () => {
    expect(() => metaRl.maml(tiny('HalfCheetahVel-v0'))).toThrow(OuterloopError);
    expect(() => metaRl.maml(tiny('HalfCheetahVel-v0'))).toThrow(
      /^metaRl.maml: env: HalfCheetahVel-v0: no MuJoCo engine.*npm run build:native/,
    );
  });
});

describe.skipIf(skipReason !== null)('metaRl.maml on MuJoCo task envs', () => {
  for (const id of ['HalfCheetahVel-v0', 'HalfCheetahDir-v0']) {
    it(`${id}: one meta-iteration, deterministic per seed`, async () => {
      const m = metaRl.maml(tiny(id));
      expect(m.size).toBe(17 * 8 + 8 + 8 * 6 + 6 + 6); // MLP 17-8-6 plus a log-std per torque
      const a = await m.train({ iterations: 1, seed: 3 });
      const b = await metaRl.maml(tiny(id)).train({ iterations: 1, seed: 3 });
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
      const h = a.history[0];
      expect(Number.isFinite(h?.preReturn)).toBe(true);
      expect(Number.isFinite(h?.postReturn)).toBe(true);
      expect(h?.envSteps).toBe(2 * 2 * 8 * 2); // (inner + validation) × tasks × episodes × steps
      const task = id === 'HalfCheetahDir-v0' ? Float32Array.of(-1) : Float32Array.of(1.5);
      const adapted = await m.adapt(a.params, task, { steps: 1, episodes: 2 });
      expect(adapted.length).toBe(m.size);
    });
  }
});
