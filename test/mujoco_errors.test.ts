// A MuJoCo fatal error (mju_error) must not end the process: without a handler libmujoco prints
// and calls exit(1). The bridge installs mju_user_error as a handler that throws through MuJoCo's
// C frames; the call resets the failing row and throws "mujoco: row r: MuJoCo: …", and the env
// turns it into an OuterloopError and refuses to step until reset(). Triggered with the ant model
// given an arena too small for its contacts (<size nstack="1000"/>: MuJoCo 2.2.2 compiles it, and
// the first steps in contact overflow it). Were the handler missing, this test file's worker would
// exit instead of failing an assertion.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { MujocoVectorEnv, modelPath, mujocoSpec } from '../src/envs/index.js';
import { OuterloopError } from '../src/errors.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

let small = '';
beforeAll(() => {
  if (mujocoSkipReason !== null) return;
  const xml = readFileSync(modelPath('ant.xml'), 'utf8').replace(
    '<option integrator="RK4" timestep="0.01"/>',
    '<option integrator="RK4" timestep="0.01"/><size nstack="1000"/>',
  );
  small = join(mkdtempSync(join(tmpdir(), 'ol-mujoco-')), 'ant_small_stack.xml');
  writeFileSync(small, xml);
});

describe.skipIf(mujocoSkipReason !== null)('MuJoCo fatal errors', () => {
  it('a kernel call throws the engine’s message, resets the row and leaves the process and the other kernels working', () => {
    const b = getBackend();
    const sim = b.mujocoOpen(small, 2);
    const f = b.mujocoFacts(sim);
    for (let r = 0; r < 2; r++) b.mujocoSetState(sim, r, Float64Array.from(f.qpos0), new Float64Array(f.nv));
    const qpos = new Float64Array(2 * f.nq);
    const qvel = new Float64Array(2 * f.nv);
    const step = (): void => b.mujocoStep(sim, new Float64Array(2 * f.nu), 40, qpos, qvel);
    expect(step).toThrow(/^mujoco: row 0: MuJoCo: Stack overflow/);
    // Not an argument error: a plain Error.
    try {
      step();
    } catch (e) {
      expect(e).not.toBeInstanceOf(RangeError);
      expect(e).not.toBeInstanceOf(TypeError);
    }
    // The row was reset (mj_resetData): a fresh state steps again up to the overflow.
    b.mujocoSetState(sim, 0, Float64Array.from(f.qpos0), new Float64Array(f.nv));
    b.mujocoStep(sim, new Float64Array(2 * f.nu), 1, qpos, qvel);
    expect(qpos[2]).toBeCloseTo(0.75, 2);
    // The shipped model is unaffected.
    const ok = b.mujocoOpen(modelPath('ant.xml'), 1);
    b.mujocoSetState(ok, 0, Float64Array.from(f.qpos0), new Float64Array(f.nv));
    b.mujocoStep(ok, new Float64Array(f.nu), 40, new Float64Array(f.nq), new Float64Array(f.nv));
  });

  it('the env throws an OuterloopError, refuses to step until reset(), then runs again', () => {
    const env = new MujocoVectorEnv({ ...mujocoSpec('Ant-v5'), model: small }, 2, 0);
    const a = new Float32Array(16).fill(1);
    let err: unknown = null;
    for (let t = 0; t < 200 && err === null; t++) {
      try {
        env.step(a);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(OuterloopError);
    expect(String(err)).toMatch(/Ant-v5: mujoco: row \d: MuJoCo: Stack overflow.*reset\(\)/);
    expect(() => env.step(a)).toThrow(/call reset\(\) first/);
    env.reset();
    expect(() => env.step(a)).not.toThrow();
  });
});
