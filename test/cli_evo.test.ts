// `outerloop evo <strategy>`: the run folder (config.json, one metrics row per generation,
// curve.svg, a checkpoint of the best point), a --json summary equal to what evo.optimize returns
// for the same settings, every registered strategy reachable by name, and settings passed through
// to the strategy or refused where it does not take them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { sphere } from '../src/evo/functions.js';
import { optimize, type StrategyName } from '../src/evo/optimize.js';
import { EVO_STRATEGIES } from '../src/evo/registry.js';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { cli, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-evo-');

describe('outerloop evo', () => {
  it('writes the run folder and prints what evo.optimize finds for the same settings', async () => {
    const dir = path.join(tmp, 'cma');
    const out = await cli(
      'evo',
      'cmaEs',
      '--fn',
      'sphere',
      '--dim',
      '4',
      '--generations',
      '30',
      '--seed',
      '1',
      '--out',
      dir,
      '--json',
    );
    const lines = out.trim().split('\n');
    expect(lines.length).toBe(1);
    const summary = JSON.parse(lines[0] as string);
    const reference = await optimize(sphere, {
      strategy: 'cmaEs',
      x0: new Float32Array(4).fill(3),
      generations: 30,
      seed: 1,
    });
    expect(summary).toMatchObject({
      strategy: 'cmaEs',
      fn: 'sphere',
      dim: 4,
      seed: 1,
      generations: 30,
      popSize: 8, // CMA-ES's 4 + ⌊3 ln 4⌋
      evaluations: reference.evaluations,
      bestFitness: reference.bestFitness,
    });
    expect(summary.bestFitness).toBeLessThan(sphere([3, 3, 3, 3]) / 100);

    expect(await readRunConfig(dir)).toMatchObject({ strategy: 'cmaEs', fn: 'sphere', dim: 4, generations: 30 });
    const rows = await readMetrics(dir);
    expect(rows.map((r) => r.generation)).toEqual(Array.from({ length: 30 }, (_, g) => g));
    expect(rows.map((r) => r.bestFitness)).toEqual(reference.history.map((h) => h.bestFitness));
    expect(fs.readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toMatch(/^<svg/);
    const ckpt = await loadCheckpoint(path.join(dir, 'checkpoint.olck'));
    expect(ckpt.kind).toBe('evo.cmaEs');
    expect(ckpt.arrays.best).toEqual(reference.best);
    expect(ckpt.arrays.center).toHaveLength(4);

    // Without --json: a human line naming the folder.
    expect(await cli('evo', 'cmaEs', '--dim', '4', '--generations', '2', '--out', dir)).toMatch(/run folder/);
  });

  it('runs every registered strategy by name (camelCase or kebab-case)', async () => {
    const names = Object.keys(EVO_STRATEGIES) as StrategyName[];
    for (const name of names) {
      const typed = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const dir = path.join(tmp, name);
      const s = JSON.parse(
        await cli('evo', typed, '--fn', 'rastrigin', '--dim', '3', '--generations', '3', '--out', dir, '--json'),
      );
      expect(s.strategy, typed).toBe(name);
      expect(s.generations).toBe(3);
      expect(Number.isFinite(s.bestFitness)).toBe(true);
      expect((await readMetrics(dir)).length).toBe(3);
    }
  });

  it("passes settings through to the strategy, stops at --target, and refuses settings a strategy doesn't take", async () => {
    const dir = path.join(tmp, 'es');
    const s = JSON.parse(
      await cli(
        'evo',
        'openaiEs',
        '--pop-size',
        '8',
        '--sigma',
        '0.1',
        '--antithetic',
        'true',
        '--generations',
        '2',
        '--out',
        dir,
        '--json',
      ),
    );
    expect(s.popSize).toBe(8);
    expect(await readRunConfig(dir)).toMatchObject({ popSize: 8, sigma: 0.1, antithetic: true });

    const stopped = JSON.parse(
      await cli('evo', 'cmaEs', '--dim', '2', '--generations', '500', '--target', '1', '--out', dir, '--json'),
    );
    expect(stopped.generations).toBeLessThan(500);
    expect(stopped.bestFitness).toBeLessThanOrEqual(1);

    await expect(cli('evo', 'ga', '--lr', '0.1', '--out', dir)).rejects.toThrow(/ga does not take --lr/);
    await expect(cli('evo', 'openaiEs', '--pop-size', '7', '--out', dir)).rejects.toThrow(/popSize.*even/);
  });
});
