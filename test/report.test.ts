// `outerloop report`, without a browser: how run folders become groups, curves, seed bands and
// hyperparameter tables (assembleReport), reading real run folders of train, meta and evo, and the
// page being one self-contained file whose embedded charts carry every run's metrics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../src/cli/run_dir.js';
import { readMetrics } from '../src/cli/run_dir.js';
import { OuterloopError } from '../src/errors.js';
import { assembleReport, bands, type CurvePoint } from '../src/report/assemble.js';
import { reportCharts } from '../src/report/html.js';
import { type LoadedRun, loadRuns } from '../src/report/runs.js';
import { cli, scratchDir } from './helpers/cli.js';
import { writeReportRuns } from './helpers/report_runs.js';

const tmp = scratchDir('outerloop-report-');

const rlRun = (name: string, seed: number, lr: number, returns: (number | null)[]): LoadedRun => ({
  dir: `/runs/${name}`,
  name,
  kind: 'rl',
  config: { algo: 'ppo', env: 'CartPole-v1', seed, lr, command: `train ppo --seed ${seed}`, threads: 2 },
  metrics: returns.map((r, i): MetricsRow => ({ update: i + 1, steps: 512 * (i + 1), meanReturn: r })),
});

describe('assembleReport', () => {
  const runs: LoadedRun[] = [
    rlRun('a-s1', 1, 3e-4, [null, 10, 20]),
    rlRun('a-s2', 2, 3e-4, [12, 14, 40]),
    rlRun('b-s1', 1, 1e-3, [5, 6, 7]),
    {
      dir: '/runs/maml',
      name: 'maml',
      kind: 'meta',
      config: { command: 'meta maml', task: 'sine', seed: 0, metaLr: 1e-3 },
      metrics: [
        { iteration: 1, preAdaptation: 4, postAdaptation: 3 },
        { iteration: 2, preAdaptation: 2, postAdaptation: 1 },
      ],
    },
    {
      dir: '/runs/cma',
      name: 'cma',
      kind: 'evo',
      config: { strategy: 'cmaEs', fn: 'sphere', dim: 2, seed: 0 },
      metrics: [
        { generation: 0, evaluations: 6, bestFitness: 3 },
        { generation: 1, evaluations: 12, bestFitness: 0 },
      ],
      archive: [{ x: 0, y: 1, fitness: 2 }],
    },
  ];
  const data = assembleReport(runs);

  it('groups runs by configuration minus seed and bookkeeping, and labels groups by what differs', () => {
    expect(data.groups.map((g) => [g.id, g.kind, g.runs])).toEqual([
      ['g1', 'rl', ['a-s1', 'a-s2']],
      ['g2', 'rl', ['b-s1']],
      ['g3', 'meta', ['maml']],
      ['g4', 'evo', ['cma']],
    ]);
    expect(data.groups[0]?.seeds).toEqual([1, 2]);
    expect(data.groups[0]?.label).toBe('g1: ppo · CartPole-v1 · lr=0.0003');
    expect(data.groups[1]?.label).toBe('g2: ppo · CartPole-v1 · lr=0.001');
    // The meta learner is part of the experiment (it lives in `command`, which is otherwise bookkeeping).
    expect(data.groups[2]?.label).toBe('g3: maml · sine');
    expect(data.groups[2]?.config).not.toHaveProperty('command');
    const rl = data.tables.find((t) => t.kind === 'rl');
    expect(rl?.groups).toEqual(['g1', 'g2']);
    expect(rl?.rows.map((r) => [r.key, r.differs])).toEqual([
      ['algo', false],
      ['env', false],
      ['lr', true],
    ]);
  });

  it("plots every finite metric of every run and bands each group's seeds (mean, min, max, n)", () => {
    const cart = data.panels[0];
    expect(cart?.kind).toBe('rl');
    // a-s1's first update had no finished episode (null): no point, and the band there has n = 1.
    expect(cart?.points.filter((p) => p.run === 'a-s1').map((p) => [p.x, p.y])).toEqual([
      [1024, 10],
      [1536, 20],
    ]);
    expect(cart?.points).toHaveLength(2 + 3 + 3);
    const g1 = cart?.bands.filter((b) => b.group === 'g1').map((b) => [b.x, b.mean, b.lo, b.hi, b.n]);
    expect(g1).toEqual([
      [512, 12, 12, 12, 1],
      [1024, 12, 10, 14, 2],
      [1536, 30, 20, 40, 2],
    ]);
    expect(cart?.logY).toBe(false);
    const meta = data.panels.find((p) => p.kind === 'meta');
    expect(meta?.points.map((p) => `${p.series}@${p.x}=${p.y}`)).toEqual([
      'preAdaptation@1=4',
      'postAdaptation@1=3',
      'preAdaptation@2=2',
      'postAdaptation@2=1',
    ]);
    expect(meta?.logY).toBe(true);
    // A fitness of exactly 0 cannot go on a log axis.
    expect(data.panels.find((p) => p.kind === 'evo')?.logY).toBe(false);
    expect(data.archives).toEqual([{ id: 'archive1', run: 'cma', group: 'g4', cells: [{ x: 0, y: 1, fitness: 2 }] }]);
    expect(data.runs.map((r) => [r.run, r.final])).toEqual([
      ['a-s1', 20],
      ['a-s2', 40],
      ['b-s1', 7],
      ['maml', 1],
      ['cma', 0],
    ]);
  });

  it('bands are the range over seeds, not mean ± a spread', () => {
    const p = (run: string, y: number): CurvePoint => ({ group: 'g', label: 'g', run, seed: 0, series: 's', x: 0, y });
    const [b] = bands([p('r1', 1), p('r2', 2), p('r3', 6)]);
    expect(b).toMatchObject({ mean: 3, lo: 1, hi: 6, n: 3 });
  });
});

describe('outerloop report (run folders of train, meta and evo)', () => {
  it('writes one self-contained page whose charts carry every run', async () => {
    const { ppo, meta, evo } = await writeReportRuns(tmp);
    const dirs = [...ppo, meta, evo];
    const out = path.join(tmp, 'report.html');
    const summary = JSON.parse(await cli('report', ...dirs, '--out', out, '--json'));
    expect(summary).toMatchObject({ out, runs: 4, groups: 3, charts: 3 });

    const html = fs.readFileSync(out, 'utf8');
    // Self-contained: no external script, stylesheet or fetch target.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain('vegaEmbed');
    const json = /<script type="application\/json" id="outerloop-charts">(.*?)<\/script>/s.exec(html)?.[1];
    const charts = JSON.parse(json as string) as ReturnType<typeof reportCharts>;
    expect(charts).toEqual(JSON.parse(JSON.stringify(reportCharts(assembleReport(await loadRuns(dirs))))));
    // Every metrics row with a finished episode is a point of the CartPole chart.
    const points = (charts[0]?.spec.datasets as { points: CurvePoint[] } | undefined)?.points ?? [];
    for (const dir of dirs.slice(0, 2)) {
      const rows = (await readMetrics(dir)).filter((r) => typeof r.meanReturn === 'number');
      expect(rows.length).toBeGreaterThan(0);
      const name = path.basename(dir);
      expect(points.filter((p) => p.run === name).map((p) => [p.x, p.y])).toEqual(
        rows.map((r) => [r.steps, r.meanReturn]),
      );
    }
  });

  it('refuses an empty list and folders that are not runs', async () => {
    await expect(loadRuns([])).rejects.toThrow(RangeError);
    await expect(loadRuns([tmp])).rejects.toThrow(OuterloopError);
    await expect(loadRuns([path.join(tmp, 'missing')])).rejects.toThrow(/not a run folder/);
  });
});
