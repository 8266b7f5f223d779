// Turns loaded runs into the report's data: runs grouped by their configuration minus the seed
// (a group's runs are seeds of one experiment), one curve per run, a band per group (mean and
// min–max over seeds at each x), a hyperparameter table per kind of run, and archives. Pure: no
// file system, so it is unit-tested without a browser.
import type { ArchiveCell, LoadedRun, RunKind } from './runs.js';

/**
 * Config keys that do not define an experiment: the seed (what a group varies), and bookkeeping
 * (how the command was typed, where it wrote, how many threads ran it, the library version).
 */
export const NOT_HYPERPARAMETERS: readonly string[] = [
  'seed',
  'command',
  'out',
  'json',
  'threads',
  'version',
  'resume',
  'checkpointEvery',
];

/** One plotted point of one run's curve. */
export interface CurvePoint {
  group: string;
  /** The group's legend label. */
  label: string;
  run: string;
  seed: number | null;
  /** Which quantity, for panels with more than one ('preAdaptation', 'postAdaptation'). */
  series: string;
  x: number;
  y: number;
}

/** One x of a group's seed band: mean and range over the group's runs that have a value there. */
export interface BandPoint {
  group: string;
  label: string;
  series: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  /** Runs with a value at this x. */
  n: number;
}

/** A chart: every run's curve and every group's band for one environment, task or function. */
export interface Panel {
  id: string;
  kind: RunKind;
  title: string;
  xField: string;
  yFields: readonly string[];
  xTitle: string;
  yTitle: string;
  logY: boolean;
  points: CurvePoint[];
  bands: BandPoint[];
}

/** Runs sharing a configuration up to the seed. */
export interface RunGroup {
  id: string;
  kind: RunKind;
  label: string;
  runs: string[];
  seeds: (number | null)[];
  /** The shared configuration, without NOT_HYPERPARAMETERS. */
  config: Record<string, unknown>;
}

/** A hyperparameter table for the groups of one kind: one row per key, one column per group. */
export interface HyperparameterTable {
  kind: RunKind;
  groups: string[];
  rows: { key: string; values: string[]; differs: boolean }[];
}

/** One run's line in the runs table. */
export interface RunSummary {
  run: string;
  dir: string;
  kind: RunKind;
  group: string;
  seed: number | null;
  rows: number;
  /** The last value of the run's main metric (null when it has none). */
  final: number | null;
  metric: string;
}

/** A quality-diversity archive of one run. */
export interface ArchivePanel {
  id: string;
  run: string;
  group: string;
  cells: ArchiveCell[];
}

/** Everything the page shows. */
export interface ReportData {
  runs: RunSummary[];
  groups: RunGroup[];
  tables: HyperparameterTable[];
  panels: Panel[];
  archives: ArchivePanel[];
}

/** How each kind of run is plotted: x, the y series, the key that splits runs into panels. */
const PLOT: Record<Exclude<RunKind, 'other'>, { x: string; y: string[]; xTitle: string; yTitle: string }> = {
  rl: { x: 'steps', y: ['meanReturn'], xTitle: 'environment steps', yTitle: 'mean return (last 100 episodes)' },
  meta: {
    x: 'iteration',
    y: ['preAdaptation', 'postAdaptation'],
    xTitle: 'meta-iteration',
    yTitle: 'query loss before / after adaptation',
  },
  evo: { x: 'evaluations', y: ['bestFitness'], xTitle: 'evaluations', yTitle: 'best fitness so far' },
};

const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

function hyperparameters(kind: RunKind, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // `meta` records its learner only in `command` ('meta maml'), which the others use for argv.
  if (kind === 'meta' && typeof config.command === 'string') out.learner = config.command.slice('meta '.length);
  for (const k of Object.keys(config).sort()) if (!NOT_HYPERPARAMETERS.includes(k)) out[k] = config[k];
  return out;
}

/** What a run is, in a few words: algorithm and environment, learner and task, strategy and function. */
function headline(kind: RunKind, c: Record<string, unknown>): { text: string; keys: string[] } {
  if (kind === 'rl') {
    const objective = c.objective !== undefined && c.objective !== 'clip' ? ` (${show(c.objective)})` : '';
    return { text: `${show(c.algo)}${objective} · ${show(c.env)}`, keys: ['algo', 'objective', 'env'] };
  }
  if (kind === 'meta') return { text: `${show(c.learner)} · ${show(c.task)}`, keys: ['learner', 'task'] };
  if (kind === 'evo')
    return { text: `${show(c.strategy)} · ${show(c.fn)} ${show(c.dim)}-d`, keys: ['strategy', 'fn', 'dim'] };
  return { text: 'run', keys: [] };
}

/** The panel a run's curve goes to: one per environment, task family, or function and dimension. */
function panelKey(kind: RunKind, c: Record<string, unknown>): string {
  if (kind === 'rl') return show(c.env);
  if (kind === 'meta') return show(c.task);
  return `${show(c.fn)} ${show(c.dim)}-d`;
}

const seedOf = (c: Record<string, unknown>): number | null => (typeof c.seed === 'number' ? c.seed : null);

/** Groups, curves, bands and tables for `runs` (in the order given). */
export function assembleReport(runs: readonly LoadedRun[]): ReportData {
  // Groups: configuration minus the seed and bookkeeping; the headline keys plus the backend.
  const byKey = new Map<string, RunGroup>();
  const groupOf = new Map<LoadedRun, RunGroup>();
  for (const r of runs) {
    const config = hyperparameters(r.kind, r.config);
    const key = `${r.kind}\u0000${JSON.stringify(config)}`;
    let g = byKey.get(key);
    if (!g) {
      g = { id: `g${byKey.size + 1}`, kind: r.kind, label: '', runs: [], seeds: [], config };
      byKey.set(key, g);
    }
    g.runs.push(r.name);
    g.seeds.push(seedOf(r.config));
    groupOf.set(r, g);
  }
  const groups = [...byKey.values()];

  // Labels: the headline plus the hyperparameters that differ among groups of the same kind.
  const tables: HyperparameterTable[] = [];
  for (const kind of ['rl', 'meta', 'evo', 'other'] as const) {
    const gs = groups.filter((g) => g.kind === kind);
    if (gs.length === 0) continue;
    const keys = [...new Set(gs.flatMap((g) => Object.keys(g.config)))].sort();
    const rows = keys.map((key) => {
      const values = gs.map((g) => (key in g.config ? show(g.config[key]) : '—'));
      return { key, values, differs: new Set(values).size > 1 };
    });
    tables.push({ kind, groups: gs.map((g) => g.id), rows });
    for (const g of gs) {
      const h = headline(kind, g.config);
      const diffs = rows
        .filter((row) => row.differs && !h.keys.includes(row.key))
        .map((row) => `${row.key}=${show(g.config[row.key] ?? '—')}`);
      g.label = `${g.id}: ${h.text}${diffs.length ? ` · ${diffs.join(' ')}` : ''}`;
    }
  }

  // Curves: one panel per environment / task / function, in order of first appearance.
  const panels = new Map<string, Panel>();
  const summaries: RunSummary[] = [];
  for (const r of runs) {
    const g = groupOf.get(r) as RunGroup;
    const plot = r.kind === 'other' ? undefined : PLOT[r.kind];
    const main = plot?.y.at(-1) ?? '';
    const last = [...r.metrics].reverse().find((m) => typeof m[main] === 'number');
    summaries.push({
      run: r.name,
      dir: r.dir,
      kind: r.kind,
      group: g.id,
      seed: seedOf(r.config),
      rows: r.metrics.length,
      final: last ? (last[main] as number) : null,
      metric: main,
    });
    if (!plot) continue;
    const pk = `${r.kind}\u0000${panelKey(r.kind, r.config)}`;
    let panel = panels.get(pk);
    if (!panel) {
      panel = {
        id: `panel${panels.size + 1}`,
        kind: r.kind,
        title: `${panelKey(r.kind, r.config)}: ${plot.yTitle}`,
        xField: plot.x,
        yFields: plot.y,
        xTitle: plot.xTitle,
        yTitle: plot.yTitle,
        logY: r.kind !== 'rl',
        points: [],
        bands: [],
      };
      panels.set(pk, panel);
    }
    for (const m of r.metrics) {
      const x = m[plot.x];
      if (typeof x !== 'number') continue;
      for (const series of plot.y) {
        const y = m[series];
        // Non-finite values are stored as null (no episode finished yet): no point.
        if (typeof y !== 'number' || !Number.isFinite(y)) continue;
        panel.points.push({ group: g.id, label: g.label, run: r.name, seed: seedOf(r.config), series, x, y });
      }
    }
  }
  for (const panel of panels.values()) {
    // A log axis only when every value is positive (an evo run that reached 0 forces linear).
    if (panel.logY && panel.points.some((p) => p.y <= 0)) panel.logY = false;
    panel.bands = bands(panel.points);
  }

  const archives: ArchivePanel[] = runs
    .filter((r) => r.archive !== undefined)
    .map((r, i) => ({
      id: `archive${i + 1}`,
      run: r.name,
      group: (groupOf.get(r) as RunGroup).id,
      cells: r.archive as ArchiveCell[],
    }));
  // Panels by kind (rl, meta, evo), then in order of first appearance.
  const order: RunKind[] = ['rl', 'meta', 'evo', 'other'];
  const sorted = [...panels.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return { runs: summaries, groups, tables, panels: sorted, archives };
}

/** Mean and min–max over the runs of each group and series at each x. */
export function bands(points: readonly CurvePoint[]): BandPoint[] {
  const at = new Map<string, { p: CurvePoint; ys: number[] }>();
  for (const p of points) {
    const k = `${p.group}\u0000${p.series}\u0000${p.x}`;
    const e = at.get(k);
    if (e) e.ys.push(p.y);
    else at.set(k, { p, ys: [p.y] });
  }
  const out: BandPoint[] = [];
  for (const { p, ys } of at.values()) {
    let sum = 0;
    for (const y of ys) sum += y;
    out.push({
      group: p.group,
      label: p.label,
      series: p.series,
      x: p.x,
      mean: sum / ys.length,
      lo: Math.min(...ys),
      hi: Math.max(...ys),
      n: ys.length,
    });
  }
  return out.sort((a, b) =>
    a.group === b.group
      ? a.series === b.series
        ? a.x - b.x
        : a.series < b.series
          ? -1
          : 1
      : a.group < b.group
        ? -1
        : 1,
  );
}
