// Vega-Lite specifications for the report's panels. Data travel inline as named datasets
// ('points': every run's curve, 'bands': each group's mean and min–max over seeds; 'cells' for an
// archive), so the page needs no server and a test can read the plotted values back from the view.
import type { ArchivePanel, Panel } from './assemble.js';

/** A Vega-Lite specification as JSON. */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 640;
const HEIGHT = 300;

/** One learning-curve chart: seed bands (area), group means (line) and each run's own curve (thin line). */
export function panelSpec(panel: Panel): VegaLiteSpec {
  const multi = panel.yFields.length > 1;
  const x = { field: 'x', type: 'quantitative', title: panel.xTitle };
  const yScale = panel.logY ? { type: 'log' } : { zero: false };
  const color = { field: 'label', type: 'nominal', title: 'group (runs differing only in seed)' };
  // Several series per group (pre/post adaptation): the dash tells them apart, the colour tells groups.
  const dash = multi ? { strokeDash: { field: 'series', type: 'nominal', title: 'series' } } : {};
  return {
    $schema: SCHEMA,
    title: panel.title,
    width: WIDTH,
    height: HEIGHT,
    datasets: { points: panel.points, bands: panel.bands },
    layer: [
      {
        data: { name: 'bands' },
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: panel.yTitle, scale: yScale },
          y2: { field: 'hi' },
          color,
          detail: { field: 'series', type: 'nominal' },
        },
      },
      {
        data: { name: 'points' },
        mark: { type: 'line', strokeWidth: 0.8, opacity: 0.45 },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative', scale: yScale },
          color,
          detail: { field: 'run', type: 'nominal' },
          ...dash,
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'seed', type: 'quantitative' },
            { field: 'series', type: 'nominal' },
            { field: 'x', type: 'quantitative', title: panel.xField },
            { field: 'y', type: 'quantitative' },
          ],
        },
      },
      {
        data: { name: 'bands' },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', scale: yScale },
          color,
          ...dash,
          tooltip: [
            { field: 'label', type: 'nominal', title: 'group' },
            { field: 'series', type: 'nominal' },
            { field: 'x', type: 'quantitative', title: panel.xField },
            { field: 'mean', type: 'quantitative' },
            { field: 'lo', type: 'quantitative', title: 'min over seeds' },
            { field: 'hi', type: 'quantitative', title: 'max over seeds' },
            { field: 'n', type: 'quantitative', title: 'seeds' },
          ],
        },
      },
    ],
  };
}

/** A quality-diversity archive: one square per cell at its 2-D descriptor, coloured by fitness. */
export function archiveSpec(archive: ArchivePanel): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: `${archive.run}: archive (${archive.cells.length} cells)`,
    width: 360,
    height: 360,
    datasets: { cells: archive.cells },
    data: { name: 'cells' },
    mark: { type: 'square', size: 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'descriptor 1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'descriptor 2', scale: { zero: false } },
      color: { field: 'fitness', type: 'quantitative', scale: { scheme: 'viridis' } },
      tooltip: [
        { field: 'x', type: 'quantitative' },
        { field: 'y', type: 'quantitative' },
        { field: 'fitness', type: 'quantitative' },
      ],
    },
  };
}
