// rl.ppo.train with a learned drift as its objective (LPO / TA-LPO): the objective object is
// accepted and checked, runs are deterministic, the saved run names objective 'lpo', and the drift
// changes training (a zero drift is r·Â alone, which differs from PPO-clip).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { learned, rl } from '../src/index.js';

const base = { env: 'CartPole-v1', totalSteps: 1024, numEnvs: 4, numSteps: 64, seed: 3 } as const;

describe('rl.ppo.train with objective: { drift, net }', () => {
  it('trains deterministically with an LPO drift and records objective lpo', async () => {
    const net = learned.driftFunction({ hidden: [8] });
    const drift = net.init(1);
    const a = await rl.ppo.train({ ...base, objective: { drift, net } });
    const b = await rl.ppo.train({ ...base, objective: { drift, net } });
    expect(a.history.map((h) => h.policyLoss)).toEqual(b.history.map((h) => h.policyLoss));
    expect(Array.from(a.policy.params)).toEqual(Array.from(b.policy.params));
    expect(JSON.stringify(a.checkpoint)).toContain('"objective":"lpo"');
    const clip = await rl.ppo.train({ ...base, objective: 'clip' });
    expect(Array.from(a.policy.params)).not.toEqual(Array.from(clip.policy.params));
  });

  it('TA-LPO reads training progress: the same θ trains differently when progress matters', async () => {
    const net = learned.driftFunction({ hidden: [8], temporal: true });
    // Weights only on the progress-scaled features (inputs 8..15): D is 0 at progress 0 and grows with it.
    const drift = net.init(2).map((w, i) => (i < 16 * 8 ? (Math.floor(i / 8) >= 8 ? w * 4 : 0) : w));
    const zeroed = new Float32Array(net.size);
    const withDrift = await rl.ppo.train({ ...base, totalSteps: 768, objective: { drift, net } });
    const none = await rl.ppo.train({ ...base, totalSteps: 768, objective: { drift: zeroed, net } });
    // update 1 has progress 0, so its loss equals the zero drift's; later updates differ
    expect(withDrift.history[0]?.policyLoss).toBe(none.history[0]?.policyLoss);
    expect(withDrift.history[2]?.policyLoss).not.toBe(none.history[2]?.policyLoss);
  });

  it('a TA-LPO run resumed from a mid-run checkpoint (drift passed again) ends bit-identical', async () => {
    const net = learned.driftFunction({ hidden: [8], temporal: true });
    const drift = net.init(4);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lpo-resume-')), 'mid.olck');
    const saves: Promise<void>[] = [];
    const full = await rl.ppo.train({
      ...base,
      objective: { drift, net },
      onUpdate: (s, _p, run) => {
        if (s.update === 2) saves.push(run.save(file));
      },
    });
    await Promise.all(saves);
    const resumed = await rl.ppo.train({ ...base, objective: { drift, net }, resume: file });
    expect(Array.from(resumed.policy.params)).toEqual(Array.from(full.policy.params));
    await expect(rl.ppo.train({ ...base, resume: file })).rejects.toThrow(/objective: 'lpo' takes a learned drift/);
  });

  it('rejects a bad objective by name', async () => {
    const net = learned.driftFunction({ hidden: [8] });
    await expect(rl.ppo.train({ ...base, objective: 'lpo' })).rejects.toThrow(/objective: 'lpo' takes a learned drift/);
    await expect(rl.ppo.train({ ...base, objective: { drift: new Float32Array(3), net } })).rejects.toThrow(
      /objective\.drift: expected 72 values/,
    );
    const bad = { drift: net.init(1), net: {} as learned.DriftFunction };
    await expect(rl.ppo.train({ ...base, objective: bad })).rejects.toThrow(/objective\.net/);
  });
});
