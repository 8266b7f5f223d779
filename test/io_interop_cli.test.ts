// `outerloop export`: a saved policy (Gaussian, separate actor/critic, normalized observations)
// exported as ONNX runs in ONNX Runtime and gives the means the policy computes from raw
// observations; safetensors and npz carry every parameter under its name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { io, random } from '../src/index.js';
import { ActorCritic } from '../src/rl/model.js';
import { RunningMeanStd } from '../src/rl/normalize.js';
import { Policy } from '../src/rl/policy.js';
import { cli, scratchDir } from './helpers/cli.js';

ort.env.wasm.numThreads = 1;
const tmp = scratchDir('outerloop-export-');

async function savedPolicy(): Promise<Policy> {
  const spec = {
    obsDim: 3,
    action: { type: 'box' as const, dim: 2 },
    hidden: [8, 8],
    activation: 'tanh' as const,
    network: 'separate' as const,
  };
  // Observation statistics far from (0, 1) so a missing or wrong normalization shows.
  const rms = new RunningMeanStd(3);
  rms.update(
    random.normal(random.key(1), 60).map((v, i) => v * (i % 3) + 5),
    20,
  );
  const params = new ActorCritic(spec).init(random.key(3));
  const policy = new Policy(spec, params, { env: 'Pendulum-v1', algo: 'ppo', steps: 0 }, rms, 5);
  await policy.save(path.join(tmp, 'checkpoint.olck'));
  return policy;
}

describe('outerloop export', () => {
  it('onnx: ONNX Runtime on raw observations gives the policy’s means', async () => {
    const policy = await savedPolicy();
    const out = (await cli('export', tmp, '--format', 'onnx')).trim();
    expect(out).toBe(path.join(tmp, 'policy.onnx'));
    const batch = 16;
    const x = random.normal(random.key(9), batch * 3).map((v) => v * 4 + 5);
    const session = await ort.InferenceSession.create(new Uint8Array(fs.readFileSync(out)));
    const y = (await session.run({ obs: new ort.Tensor('float32', x, [batch, 3]) })).output?.data as Float32Array;
    const xn = new Float32Array(x.length);
    policy.obsRms?.normalize(x, batch, xn, policy.clipObs);
    const a = policy.model.actor;
    const ref = a.mlp.forward(policy.params.subarray(a.offset, a.offset + a.mlp.size), xn, batch);
    let err = 0;
    for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs((y[i] as number) - (ref[i] as number)));
    expect(err).toBeLessThan(1e-5);
  });

  it('safetensors and npz: every parameter under its name', async () => {
    const policy = await savedPolicy();
    const st = await io.importSafetensors((await cli('export', tmp, '--format', 'safetensors')).trim());
    const npz = await io.importNpz(
      (await cli('export', tmp, '--format', 'npz', '--out', path.join(tmp, 'p.npz'))).trim(),
    );
    for (const f of [st, npz]) {
      const names = f.layout.map((s) => s.name);
      expect(names.slice(0, 2)).toEqual(['actor.dense0.w', 'actor.dense0.b']);
      expect(names).toContain('critic.dense2.b');
      expect(names.slice(-3)).toEqual(['log_std', 'obs_norm.mean', 'obs_norm.var']);
      expect([...f.params.subarray(0, policy.params.length)]).toEqual([...policy.params]);
      expect(f.params[f.params.length - 1]).toBeCloseTo(policy.obsRms?.var[2] as number, 3);
    }
    await expect(cli('export', tmp, '--format', 'pickle')).rejects.toThrow();
  });
});
