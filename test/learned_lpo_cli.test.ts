// `learn objective` (registerLearnObjectiveCommand on a commander group built here): the run
// folder's files, θ in the checkpoint, the drift plot; and the hand-designed drifts it plots
// against their objectives (PPO's min-clip identity, DPO's drift from rl.ppo's 'dpo' kernel).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { RlPolicyStats } from '../src/backend/kernels/rl.js';
import { driftRows, registerLearnObjectiveCommand } from '../src/cli/commands/learn_objective.js';
import { learned } from '../src/index.js';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { dpoDrift, ppoClipDrift } from '../src/learned/drift_reference.js';
import { jsBackend } from './helpers/backends.js';

describe('learn objective', () => {
  it('writes config, metrics per generation, θ checkpoint, curve and drift plots', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpo-cli-'));
    const program = new Command().exitOverride();
    const learn = program.command('learn');
    registerLearnObjectiveCommand(learn);
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((s: string) => {
      printed += s;
      return true;
    }) as typeof process.stdout.write;
    try {
      await program.parseAsync(
        [
          'learn',
          'objective',
          '--envs',
          'CartPole-v1',
          '--generations',
          '2',
          '--population',
          '2',
          '--steps-per-run',
          '256',
          '--hidden',
          '4',
          '--temporal',
          '--out',
          dir,
          '--json',
        ],
        { from: 'user' },
      );
    } finally {
      process.stdout.write = write;
    }
    const summary = JSON.parse(printed);
    expect(summary.generations).toBe(2);
    const metrics = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.generation)).toEqual([1, 2]);
    expect(metrics[0]).toHaveProperty('meanReturn:CartPole-v1');
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ envs: ['CartPole-v1'], temporal: true, hidden: [4], population: 2 });
    const ckpt = await loadCheckpoint(path.join(dir, 'checkpoint.olck'));
    expect(ckpt.kind).toBe('learned.drift');
    expect(ckpt.meta).toMatchObject({ hidden: [4], temporal: true, generation: 2 });
    expect((ckpt.arrays.theta as Float32Array).length).toBe(
      learned.driftFunction({ hidden: [4], temporal: true }).size,
    );
    expect(fs.readFileSync(path.join(dir, 'drift.svg'), 'utf8')).toContain('<svg');
    expect(fs.readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toContain('<svg');
  });

  it('rejects an odd population before writing anything', async () => {
    const program = new Command().exitOverride();
    registerLearnObjectiveCommand(program.command('learn'));
    const dir = path.join(os.tmpdir(), `lpo-cli-none-${process.pid}`);
    await expect(
      program.parseAsync(['learn', 'objective', '--population', '3', '--out', dir], { from: 'user' }),
    ).rejects.toThrow(/--population: expected an even number/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('the drifts plotted beside the learned one', () => {
  it("PPO-clip's drift satisfies min(rA, clip(r)A) = rA − D_PPO, and vanishes with zero slope at r = 1", () => {
    for (const r of [0.3, 0.79, 0.8, 0.95, 1, 1.1, 1.2, 1.21, 2.4])
      for (const a of [-2, -0.5, 0, 0.7, 3]) {
        const clip = Math.min(r * a, Math.min(Math.max(r, 0.8), 1.2) * a);
        expect(r * a - ppoClipDrift(r, a)).toBeCloseTo(clip, 12);
        expect(ppoClipDrift(r, a)).toBeGreaterThanOrEqual(0);
      }
  });

  it("DPO's drift is the one rl.ppo's 'dpo' kernel subtracts (one-sample batches, no normalization)", () => {
    for (const r of [0.4, 0.9, 1, 1.3, 2.2])
      for (const a of [-1.5, -0.2, 0.3, 2]) {
        const stats = new RlPolicyStats();
        jsBackend.rlCategoricalObjective(
          new Float32Array([Math.log(r), 0]), // π(0) = r/(r + 1)
          new Int32Array([0]),
          new Float32Array([-Math.log(r + 1)]), // old log-prob log π(0) − log r: the ratio is r
          new Float32Array([a]),
          new Float32Array(0),
          new Float32Array(2),
          stats,
          { objective: 'dpo', clipEps: 0.2, entCoef: 0, normalizeAdv: false, dpoAlpha: 2, dpoBeta: 0.6 },
        );
        expect(-stats.surrogateLoss).toBeCloseTo(r * a - dpoDrift(r, a), 5);
      }
  });

  it('driftRows has the learned drift and both references at A = ±1', () => {
    const net = learned.driftFunction({ hidden: [4] });
    const rows = driftRows(net, net.init(0), 11);
    expect(rows).toHaveLength(11);
    expect(Object.keys(rows[0] as object).sort()).toEqual(
      ['r', 'learned A=+1', 'learned A=-1', 'PPO-clip A=+1', 'PPO-clip A=-1', 'DPO A=+1', 'DPO A=-1'].sort(),
    );
  });
});
