// The report page: tables as plain HTML, charts as Vega-Lite specifications embedded by the
// inlined vega-embed. Everything is in one file. The page exposes its views as
// `window.outerloopReport.views` (by chart id) and sets `document.body.dataset.ready` once every
// chart has rendered ('error' if one failed), which is what the browser test waits for.
import { VERSION } from '../version.js';
import type { HyperparameterTable, ReportData, RunGroup } from './assemble.js';
import { archiveSpec, panelSpec, type VegaLiteSpec } from './charts.js';
import type { VegaScripts } from './libs.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

// Inside <script>, only '</script' (and '<!--') can end the element early: escape every '<' in
// JSON, and '</' in the libraries' code (where it can only occur inside strings and regexes).
const jsonInScript = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');
const codeInScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const fmt = (v: number | null): string =>
  v === null ? '—' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4);

function runsTable(data: ReportData): string {
  const label = new Map(data.groups.map((g) => [g.id, g.label]));
  const rows = data.runs
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.run)}</td><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(label.get(r.group) ?? r.group)}</td>` +
        `<td>${r.seed ?? '—'}</td><td>${r.rows}</td><td>${escapeHtml(r.metric || '—')}</td><td>${fmt(r.final)}</td>` +
        `<td><code>${escapeHtml(r.dir)}</code></td></tr>`,
    )
    .join('\n');
  return (
    '<table class="runs"><thead><tr><th>run</th><th>kind</th><th>group</th><th>seed</th><th>rows</th>' +
    `<th>metric</th><th>last value</th><th>folder</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
  );
}

function hyperparameterTable(t: HyperparameterTable, groups: readonly RunGroup[]): string {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const head = t.groups
    .map(
      (id) =>
        `<th title="${escapeHtml(byId.get(id)?.label ?? id)}">${escapeHtml(id)} (${byId.get(id)?.runs.length ?? 0} runs)</th>`,
    )
    .join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr${r.differs ? ' class="differs"' : ''}><th>${escapeHtml(r.key)}</th>${r.values.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h3>${escapeHtml(t.kind)} runs</h3><table class="hyper"><thead><tr><th>key</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
table.hyper tr.differs { background: #fff3c4; font-weight: 600; }
code { font-size: 12px; }
.chart { margin: 1em 0 2em; }
#report-error { color: #b00; white-space: pre-wrap; }
`;

// Runs in the page: embeds every chart and records its view.
const BOOT = `
(function () {
  var charts = JSON.parse(document.getElementById('outerloop-charts').textContent);
  var report = { views: {}, ready: null };
  window.outerloopReport = report;
  report.ready = Promise.all(charts.map(function (c) {
    return vegaEmbed('#' + c.id, c.spec, { actions: false, renderer: 'svg' }).then(function (r) { report.views[c.id] = r.view; });
  })).then(function () { document.body.dataset.ready = 'ok'; }, function (e) {
    document.getElementById('report-error').textContent = String(e && e.stack || e);
    document.body.dataset.ready = 'error';
    console.error(e);
  });
})();
`;

/** The chart ids and specifications of a report, in page order. */
export function reportCharts(data: ReportData): { id: string; spec: VegaLiteSpec }[] {
  return [
    ...data.panels.map((p) => ({ id: p.id, spec: panelSpec(p) })),
    ...data.archives.map((a) => ({ id: a.id, spec: archiveSpec(a) })),
  ];
}

/** The whole page as one string. */
export function renderReportHtml(data: ReportData, scripts: VegaScripts): string {
  const charts = reportCharts(data);
  const sections: string[] = [];
  sections.push(`<h2>Runs</h2>${runsTable(data)}`);
  sections.push(
    '<h2>Hyperparameters</h2><p>One column per group (runs whose configurations differ only in the seed); rows that differ between groups are highlighted.</p>' +
      data.tables.map((t) => hyperparameterTable(t, data.groups)).join('\n'),
  );
  const curves = data.panels.map((p) => `<div class="chart" id="${p.id}"></div>`).join('\n');
  if (curves)
    sections.push(
      '<h2>Learning curves</h2><p>Thin lines: each run. Thick lines: the group mean over seeds; shaded: min–max over seeds. Meta-learning panels show the query loss before (pre) and after (post) adaptation.</p>' +
        curves,
    );
  const archives = data.archives.map((a) => `<div class="chart" id="${a.id}"></div>`).join('\n');
  if (archives) sections.push(`<h2>Archives</h2>${archives}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>outerloop report (${data.runs.length} runs)</title>
<style>${STYLE}</style>
</head>
<body>
<h1>outerloop report</h1>
<p>${data.runs.length} runs in ${data.groups.length} groups · outerloop ${escapeHtml(VERSION)}</p>
<div id="report-error"></div>
${sections.join('\n')}
<script type="application/json" id="outerloop-charts">${jsonInScript(charts)}</script>
<script>${codeInScript(scripts.vega)}</script>
<script>${codeInScript(scripts.vegaLite)}</script>
<script>${codeInScript(scripts.vegaEmbed)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
