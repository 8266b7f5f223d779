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
