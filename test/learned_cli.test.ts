// `outerloop learn optimizer` (registered on a `learn` group built here, as the lead's main does):
// the run folder (config.json, one metrics row per iteration, curve.svg, checkpoint.olck), a resume
// that continues bit for bit, and flags checked before any file is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerLearnOptimizerCommand } from '../src/cli/commands/learn_optimizer.js';
import { readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { learned, optim } from '../src/index.js';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { decodeTrainCheckpoint } from '../src/learned/checkpoint_io.js';
import { scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-learn-optimizer-');

async function learn(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  const group = program.command('learn').exitOverride();
  registerLearnOptimizerCommand(group);
  for (const c of group.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'outerloop', 'learn', 'optimizer', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const SMALL = [
  '--hidden',
  '4',
  '--horizon',
  '4',
  '--truncation',
  '2',
  '--population',
  '4',
  '--dim',
  '3',
  '--seed',
  '2',
];

describe('outerloop learn optimizer', () => {
  it('writes the run folder; θ equals learned.train with the same settings', async () => {
    const dir = path.join(tmp, 'full');
    const out = await learn(...SMALL, '--iterations', '6', '--checkpoint-every', '4', '--out', dir, '--json');
    const summary = JSON.parse(out.trim());
    expect(summary.iterations).toBe(6);
    expect(summary.resumedFrom).toBeNull();
    const metrics = await readMetrics(dir);
    expect(metrics.map((r) => r.update)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fs.readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toMatch(/^<svg/);
    const config = (await readRunConfig(dir)) as Record<string, unknown>;
    expect(config.estimator).toBe('pes');
    const ck = decodeTrainCheckpoint(await loadCheckpoint(path.join(dir, 'checkpoint.olck')));
    expect(ck.iteration).toBe(6);
    const ref = await learned.train({
      optimizer: learned.mlpOptimizer({ hidden: [4], stepMult: 0.01 }),
      tasks: learned.tasks.quadratic({ dim: 3, minEig: 1e-2, maxEig: 10, noise: 0.1 }),
      estimator: 'pes',
      objective: 'mean',
      iterations: 6,
      horizon: 4,
      truncation: 2,
      population: 4,
      outerOptimizer: optim.adam({ lr: 3e-3 }),
      seed: 2,
    });
    expect(ck.theta).toEqual(ref.theta);
    expect(metrics.map((r) => r.metaLoss)).toEqual(ref.history.map((h) => h.metaLoss));
  });

  it('--resume continues from the checkpoint to the same θ as the uninterrupted run', async () => {
    const full = path.join(tmp, 'full2');
    await learn(...SMALL, '--tasks', 'mlp-regression', '--iterations', '5', '--out', full, '--json');
    const part = path.join(tmp, 'part');
    await learn(...SMALL, '--tasks', 'mlp-regression', '--iterations', '3', '--out', part, '--json');
    const out = await learn('--resume', part, '--iterations', '5', '--json');
    expect(JSON.parse(out.trim()).resumedFrom).toBe(3);
    const a = decodeTrainCheckpoint(await loadCheckpoint(path.join(full, 'checkpoint.olck')));
    const b = decodeTrainCheckpoint(await loadCheckpoint(path.join(part, 'checkpoint.olck')));
    expect(b.iteration).toBe(5);
    expect(b.theta).toEqual(a.theta);
    expect((await readMetrics(part)).map((r) => r.update)).toEqual([1, 2, 3, 4, 5]);
    await expect(learn('--resume', part, '--horizon', '8')).rejects.toThrow(/horizon/);
  });

  it('bad flags are refused before a folder is written', async () => {
    const dir = path.join(tmp, 'bad');
    await expect(learn('--tasks', 'mnist', '--out', dir)).rejects.toThrow(/--tasks/);
    await expect(learn('--horizon', '10', '--truncation', '3', '--out', dir)).rejects.toThrow(/--truncation/);
    await expect(learn('--population', '5', '--out', dir)).rejects.toThrow(/--population/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
