// `outerloop evo map-elites|serene|pbt --env …`: the run folder gets archive.jsonl (the rows
// `outerloop report` draws, one per occupied grid cell, each in the cell its descriptor indexes)
// and archive.svg (one rectangle per occupied cell), or traces.svg for PBT; a MAP-Elites run
// equals the same loop written against the library; PBT with --cluster-threads equals PBT without.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveHeatmapSpec } from '../src/cli/plot.js';
import { readMetrics } from '../src/cli/run_dir.js';
import * as evo from '../src/evo/index.js';
import { fold, key, split } from '../src/random/index.js';
import { loadRuns } from '../src/report/runs.js';
import { cli, scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-evo-pop-');
const rects = (svg: string) => (svg.match(/aria-roledescription="rect mark"/g) ?? []).length;
const readRows = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('outerloop evo map-elites', () => {
  it('writes archive.jsonl and archive.svg equal to the library loop; report reads the archive', async () => {
    const dir = path.join(tmp, 'me');
    const flags = ['--env', 'CartPole-v1', '--hidden', '4', '--components', '0,2', '--cells', '6,5'];
    const bounds = ['--lower', '-2.4,-0.21', '--upper', '2.4,0.21', '--generations', '4', '--emitters', '2'];
    const s = JSON.parse(await cli('evo', 'map-elites', ...flags, ...bounds, '--seed', '2', '--out', dir, '--json'));
    const rows = readRows(path.join(dir, 'archive.jsonl'));
    expect(s).toMatchObject({ strategy: 'mapElites', cells: 30, filled: rows.length });

    // The same run against the library: behaviour from the rollout kernel, ask/tell by hand.
    const sizes = [4, 4, 2];
    const b = evo.policyBehaviour({ env: 'CartPole-v1', sizes, seed: 2, components: [0, 2] });
    const grid = { dims: [6, 5], lower: [-2.4, -0.21], upper: [2.4, 0.21] };
    const me = evo.mapElites({ ...grid, emitters: 2, minimize: false });
    const archive = evo.gridArchive({ ...grid, solutionDim: 30 });
    const [k0, k1] = split(key(2), 2) as [Uint32Array, Uint32Array];
    let st = me.init(k0, new Float32Array(30));
    for (let g = 0; g < 4; g++) {
      const pop = me.ask(st, fold(k1, g));
      const e = b.evaluate(pop.x);
      st = me.tell(st, pop, e.rewards, e.descriptors);
      archive.add(pop.x, e.rewards, e.descriptors);
    }
    expect(rows.length).toBe(archive.size);
    for (const r of rows) {
      const c = archive.index(Float32Array.from(r.descriptor))[0] as number;
      expect(r.cell).toEqual([Math.floor(c / 5), c % 5]);
      expect(r.fitness).toBe(archive.objectives[c]);
    }
    expect(rects(fs.readFileSync(path.join(dir, 'archive.svg'), 'utf8'))).toBe(rows.length);
    expect((await readMetrics(dir)).length).toBe(4);
    const [run] = await loadRuns([dir]);
    expect(run?.archive?.length).toBe(rows.length);
  }, 60_000);

  it('serene writes its archive and refuses --redis', async () => {
    const dir = path.join(tmp, 'serene');
    const flags = ['--env', 'Pendulum-v1', '--hidden', '4', '--descriptor', 'actionStats', '--max-steps', '30'];
    const s = JSON.parse(
      await cli('evo', 'serene', ...flags, '--budget', '300', '--pop-size', '20', '--out', dir, '--json'),
    );
    expect(s.evaluations).toBeLessThanOrEqual(300);
    const rows = readRows(path.join(dir, 'archive.jsonl'));
    expect(rows.length).toBe(s.filled);
    expect(fs.readFileSync(path.join(dir, 'archive.svg'), 'utf8')).toMatch(/^<svg/);
    await expect(
      cli('evo', 'serene', ...flags, '--redis', 'redis://127.0.0.1:1', '--out', path.join(tmp, 'x')),
    ).rejects.toThrow(/--redis\/--cluster-threads are for pbt/);
  }, 60_000);
});

describe('outerloop evo pbt', () => {
  it('writes traces.svg and one metrics row per generation; --cluster-threads 2 gives the same run', async () => {
    const flags = [
      '--env',
      'CartPole-v1',
      '--hidden',
      '8',
      '--population',
      '4',
      '--interval',
      '256',
      '--generations',
      '2',
    ];
    const a = JSON.parse(await cli('evo', 'pbt', ...flags, '--out', path.join(tmp, 'pbt1'), '--json'));
    const b = JSON.parse(
      await cli('evo', 'pbt', ...flags, '--cluster-threads', '2', '--out', path.join(tmp, 'pbt2'), '--json'),
    );
    const { seconds: _1, run: _2, ...ra } = a;
    const { seconds: _3, run: _4, ...rb } = b;
    expect(rb).toEqual(ra);
    const svg = fs.readFileSync(path.join(tmp, 'pbt1', 'traces.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/entCoef/);
    expect((await readMetrics(path.join(tmp, 'pbt1'))).map((r) => r.generation)).toEqual([0, 1]);
    expect(fs.readdirSync(path.join(tmp, 'pbt2', 'members')).length).toBe(8);
  }, 60_000);
});

describe('archiveHeatmapSpec', () => {
  it('draws each occupied cell over its grid edges; 1-D archives as one band; other ranks refused', () => {
    const spec = archiveHeatmapSpec(
      [
        { cell: [1, 2], fitness: 3 },
        { cell: [0, 0], fitness: Number.NEGATIVE_INFINITY },
      ],
      { dims: [4, 5], lower: [0, -1], upper: [2, 1] },
    ) as { data: { values: Record<string, number>[] } };
    expect(spec.data.values).toEqual([{ x0: 0.5, x1: 1, y0: -1 + 0.8, y1: -1 + 1.2, fitness: 3 }]);
    const one = archiveHeatmapSpec([{ cell: [3], fitness: 1 }], { dims: [4], lower: [0], upper: [4] }) as {
      data: { values: Record<string, number>[] };
    };
    expect(one.data.values).toEqual([{ x0: 3, x1: 4, y0: 0, y1: 1, fitness: 1 }]);
    expect(() => archiveHeatmapSpec([], { dims: [2, 2, 2], lower: [0, 0, 0], upper: [1, 1, 1] })).toThrow(RangeError);
  });
});
