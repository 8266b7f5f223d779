// `outerloop report` in headless Chromium (Debian's chromium, driven by playwright-core): the page
// renders every chart with no console error or warning, and the data each vega view plotted are
// the runs' metrics rows (read back from the live views, not from the HTML). Skipped, with the
// reason printed, where no Chromium is installed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../src/cli/run_dir.js';
import { ARCHIVE_FILE } from '../src/report/runs.js';
import { browserSkipReason, launchChromium } from './helpers/chromium.js';
import { cli, scratchDir } from './helpers/cli.js';
import { writeReportRuns } from './helpers/report_runs.js';

if (browserSkipReason !== undefined) console.warn(`report-browser: skipped: ${browserSkipReason}`);

const tmp = scratchDir('outerloop-report-browser-');

interface Plotted {
  ready: string | undefined;
  error: string;
  views: Record<
    string,
    {
      points: Record<string, unknown>[];
      bands: Record<string, unknown>[];
      cells: Record<string, unknown>[];
      marks: number;
    }
  >;
}

// Runs in the page (the test's tsconfig has no DOM types, so it is a string): every view's
// datasets as vega holds them, and how many marks it drew.
const READ_VIEWS = `(() => {
  const safe = (v, name) => { try { return v.data(name); } catch { return []; } };
  const views = {};
  for (const [id, v] of Object.entries(window.outerloopReport.views))
    views[id] = {
      points: safe(v, 'points'),
      bands: safe(v, 'bands'),
      cells: safe(v, 'cells'),
      marks: document.querySelectorAll('#' + id + ' svg path').length,
    };
  return { ready: document.body.dataset.ready, error: document.getElementById('report-error').textContent, views };
})()`;

describe.skipIf(browserSkipReason !== undefined)('report page in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart without console errors, and the views hold every run point', async () => {
    const { ppo, meta, evo } = await writeReportRuns(tmp);
    // An archive as a quality-diversity run would leave it (no strategy writes one yet).
    const cells = [
      { descriptor: [0, 0], fitness: 1 },
      { descriptor: [1, 0.5], fitness: 2 },
    ];
    fs.writeFileSync(path.join(evo, ARCHIVE_FILE), cells.map((c) => `${JSON.stringify(c)}\n`).join(''));
    const out = path.join(tmp, 'report.html');
    await cli('report', ...ppo, meta, evo, '--out', out, '--json');

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // Any request other than the file itself would mean the page is not self-contained.
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(out).href) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction('document.body.dataset.ready !== undefined', undefined, { timeout: 20_000 });
    const plotted = (await page.evaluate(READ_VIEWS)) as Plotted;
    await page.close();
    expect(problems).toEqual([]);
    expect(plotted.error).toBe('');
    expect(plotted.ready).toBe('ok');
    expect(Object.keys(plotted.views).sort()).toEqual(['archive1', 'panel1', 'panel2', 'panel3']);
    for (const v of Object.values(plotted.views)) expect(v.marks).toBeGreaterThan(0);

    // CartPole (panel1): each run's plotted (steps, meanReturn) are its metrics rows.
    for (const dir of ppo) {
      const rows = (await readMetrics(dir)).filter((r) => typeof r.meanReturn === 'number');
      const name = path.basename(dir);
      const got = plotted.views.panel1?.points.filter((p) => p.run === name).map((p) => [p.x, p.y]);
      expect(got).toEqual(rows.map((r) => [r.steps, r.meanReturn]));
    }
    const seeds = new Set(plotted.views.panel1?.bands.map((b) => b.n));
    expect(seeds.has(2)).toBe(true);
    // Meta (panel2): pre- and post-adaptation per metrics row.
    const metaRows = await readMetrics(meta);
    const metaPoints = plotted.views.panel2?.points ?? [];
    expect(metaPoints.filter((p) => p.series === 'preAdaptation').map((p) => [p.x, p.y])).toEqual(
      metaRows.map((r) => [r.iteration, r.preAdaptation]),
    );
    expect(metaPoints.filter((p) => p.series === 'postAdaptation').map((p) => [p.x, p.y])).toEqual(
      metaRows.map((r) => [r.iteration, r.postAdaptation]),
    );
    // Evo (panel3) and its archive.
    const evoRows = await readMetrics(evo);
    expect(plotted.views.panel3?.points.map((p) => [p.x, p.y])).toEqual(
      evoRows.map((r) => [r.evaluations, r.bestFitness]),
    );
    expect(plotted.views.archive1?.cells.map((c) => [c.x, c.y, c.fitness])).toEqual([
      [0, 0, 1],
      [1, 0.5, 2],
    ]);
  }, 60_000);
});
