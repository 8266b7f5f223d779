// Learning curves as SVG, drawn with vega-lite (compiled to a vega spec) and rendered headless by
// vega's View.toSVG() — no browser, no canvas. vega is imported lazily: it takes a few hundred
// milliseconds to load and only commands that plot need it.
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../io/atomic.js';

export interface LineChartOptions {
  /** Field for the x axis, e.g. 'steps'. */
  x: string;
  /** Field(s) for the y axis; several fields draw one line each, with a legend. */
  y: string | string[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Pixels (default 480 × 300). */
  width?: number;
  height?: number;
  /** Logarithmic y axis (losses). */
  logY?: boolean;
}

type Row = Record<string, unknown>;

/** The vega-lite spec for a line chart of `rows` (exported for tests and for callers to extend). */
export function lineChartSpec(rows: Row[], options: LineChartOptions): TopLevelSpec {
  const ys = Array.isArray(options.y) ? options.y : [options.y];
  // Long format: one row per (x, series) with a finite y; gaps (null, NaN) are left out.
  const values: Row[] = [];
  for (const r of rows) {
    const x = r[options.x];
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    for (const y of ys) {
      const v = r[y];
      if (typeof v === 'number' && Number.isFinite(v)) values.push({ x, y: v, series: y });
    }
  }
  const yScale = options.logY ? { type: 'log' as const } : { zero: false };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 480,
    height: options.height ?? 300,
    background: 'white',
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle ?? options.x },
      y: { field: 'y', type: 'quantitative', title: options.yTitle ?? ys.join(', '), scale: yScale },
      ...(ys.length > 1 ? { color: { field: 'series', type: 'nominal', title: null } } : {}),
    },
  };
}

/** Renders a vega-lite spec to an SVG string (headless). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Draws a line chart of `rows` to an SVG file (written atomically). */
export async function writeLineChart(file: string, rows: Row[], options: LineChartOptions): Promise<void> {
  await writeFileAtomic(file, await renderSvg(lineChartSpec(rows, options)));
}

/** A grid archive heatmap's grid: cells per descriptor dimension (1 or 2 dims) and bounds. */
export interface ArchiveHeatmapOptions {
  dims: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  title?: string;
  /** Axis titles, default 'descriptor 1', 'descriptor 2'. */
  axes?: readonly string[];
  /** Pixels (default 360 × 360; 360 × 60 for one dimension). */
  width?: number;
  height?: number;
}

/**
 * The vega-lite spec of a MAP-Elites archive heatmap: one rectangle per occupied cell (rows with
 * `cell` grid coordinates, as evo's archive.jsonl rows), coloured by fitness; empty cells stay blank.
 */
export function archiveHeatmapSpec(
  rows: readonly { cell?: readonly number[]; fitness: number | null }[],
  o: ArchiveHeatmapOptions,
): TopLevelSpec {
  if (o.dims.length !== 1 && o.dims.length !== 2)
    throw new RangeError(`archive heatmap: dims: expected 1 or 2 descriptor dimensions, got ${o.dims.length}`);
  const two = o.dims.length === 2;
  const edge = (j: number, i: number) =>
    (o.lower[j] as number) + (i * ((o.upper[j] as number) - (o.lower[j] as number))) / (o.dims[j] as number);
  const values: Row[] = [];
  for (const r of rows) {
    if (!r.cell || typeof r.fitness !== 'number' || !Number.isFinite(r.fitness)) continue;
    const [i = 0, j = 0] = r.cell;
    values.push({
      x0: edge(0, i),
      x1: edge(0, i + 1),
      y0: two ? edge(1, j) : 0,
      y1: two ? edge(1, j + 1) : 1,
      fitness: r.fitness,
    });
  }
  const axes = o.axes ?? ['descriptor 1', 'descriptor 2'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title ?? `archive: ${values.length} of ${o.dims.reduce((a, b) => a * b, 1)} cells`,
    width: o.width ?? 360,
    height: o.height ?? (two ? 360 : 60),
    background: 'white',
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: {
        field: 'x0',
        type: 'quantitative',
        title: axes[0] ?? 'descriptor 1',
        scale: { domain: [o.lower[0] as number, o.upper[0] as number], nice: false, zero: false },
      },
      x2: { field: 'x1' },
      y: {
        field: 'y0',
        type: 'quantitative',
        title: two ? (axes[1] ?? 'descriptor 2') : null,
        scale: { domain: two ? [o.lower[1] as number, o.upper[1] as number] : [0, 1], nice: false, zero: false },
        ...(two ? {} : { axis: null }),
      },
      y2: { field: 'y1' },
      color: { field: 'fitness', type: 'quantitative', scale: { scheme: 'viridis' } },
    },
  };
}

/** Draws an archive heatmap (see `archiveHeatmapSpec`) to an SVG file (written atomically). */
export async function writeArchiveHeatmap(
  file: string,
  rows: readonly { cell?: readonly number[]; fitness: number | null }[],
  o: ArchiveHeatmapOptions,
): Promise<void> {
  await writeFileAtomic(file, await renderSvg(archiveHeatmapSpec(rows, o)));
}

/**
 * The vega-lite spec of PBT hyperparameter traces: one panel per hyperparameter (log scale when
 * every value is positive), one line per member over generations. `hyper[m][g]` is member m's
 * hyperparameters in generation g (evo.pbt's `members[m].hyper`).
 */
export function pbtTraceSpec(
  hyper: readonly (readonly Readonly<Record<string, number>>[])[],
  title?: string,
): TopLevelSpec {
  const names = Object.keys(hyper[0]?.[0] ?? {});
  const values: Row[] = [];
  hyper.forEach((trace, member) => {
    trace.forEach((h, generation) => {
      for (const name of names) values.push({ generation, member: `m${member}`, name, value: h[name] });
    });
  });
  const positive = values.every((v) => (v.value as number) > 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    background: 'white',
    data: { values },
    facet: { row: { field: 'name', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 420,
      height: 160,
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'generation', type: 'quantitative', title: 'generation', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: positive ? { type: 'log' } : { zero: false } },
        color: { field: 'member', type: 'nominal', title: 'member' },
      },
    },
  };
}

/** Draws PBT hyperparameter traces (see `pbtTraceSpec`) to an SVG file (written atomically). */
export async function writePbtTraces(
  file: string,
  hyper: readonly (readonly Readonly<Record<string, number>>[])[],
  title?: string,
): Promise<void> {
  await writeFileAtomic(file, await renderSvg(pbtTraceSpec(hyper, title)));
}
