import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineChartSpec, writeLineChart } from '../src/cli/plot.js';
import { createProgress, formatCount } from '../src/cli/progress.js';
import { createRunDir, RUN_FILES, readMetrics, readRunConfig } from '../src/cli/run_dir.js';
import { scratchDir } from './helpers/cli.js';

const tmp = scratchDir('outerloop-cli-');

describe('run folder', () => {
  it('writes config.json and one metrics line per update, nulls for non-finite numbers', async () => {
    const run = await createRunDir(path.join(tmp, 'run'), { algo: 'ppo', lr: 2.5e-4 });
    run.appendMetrics({ update: 1, steps: 512, meanReturn: Number.NaN });
    run.appendMetrics({ update: 2, steps: 1024, meanReturn: 21.5 });
    expect(await readRunConfig(run.dir)).toEqual({ algo: 'ppo', lr: 2.5e-4 });
    expect(await readMetrics(run.dir)).toEqual([
      { update: 1, steps: 512, meanReturn: null },
      { update: 2, steps: 1024, meanReturn: 21.5 },
    ]);
    // A torn last line (killed process) is skipped, the rest kept.
    fs.appendFileSync(run.file(RUN_FILES.metrics), '{"update": 3, "ste');
    expect((await readMetrics(run.dir)).length).toBe(2);
  });

  it('starts a fresh metrics file when a folder is reused', async () => {
    const dir = path.join(tmp, 'reuse');
    (await createRunDir(dir, {})).appendMetrics({ a: 1 });
    await createRunDir(dir, {});
    expect(await readMetrics(dir)).toEqual([]);
  });

  it('says clearly when a folder is not a run', async () => {
    await expect(readRunConfig(path.join(tmp, 'nope'))).rejects.toThrow(/not a run folder/);
  });
});

describe('progress bar', () => {
  it('formats counts', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(123_456)).toBe('123.5k');
    expect(formatCount(2_500_000)).toBe('2.50M');
  });

  it('draws rate and running figures on a terminal, nothing when disabled', () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    Object.assign(sink, { isTTY: true, columns: 200, cursorTo() {}, clearLine() {}, moveCursor() {} });
    const bar = createProgress({ total: 1000, stream: sink, fields: [{ key: 'meanReturn', label: 'return' }] });
    bar.update(500, { meanReturn: 42.25 });
    bar.stop();
    bar.stop();
    expect(text).toContain('steps/s');
    expect(text).toContain('return 42.3');
    text = '';
    const off = createProgress({ total: 10, stream: sink, enabled: false });
    off.update(5);
    off.stop();
    expect(text).toBe('');
  });
});

describe('learning-curve plot', () => {
  it('keeps only finite points, one series per y field', () => {
    const spec = lineChartSpec(
      [
        { steps: 1, a: 1, b: null },
        { steps: 2, a: Number.NaN, b: 3 },
      ],
      { x: 'steps', y: ['a', 'b'] },
    ) as { data: { values: unknown[] }; encoding: Record<string, unknown> };
    expect(spec.data.values).toEqual([
      { x: 1, y: 1, series: 'a' },
      { x: 2, y: 3, series: 'b' },
    ]);
    expect(spec.encoding.color).toBeDefined();
  });

  it('renders an SVG file headless', async () => {
    const file = path.join(tmp, RUN_FILES.curve);
    const rows = Array.from({ length: 20 }, (_, i) => ({ steps: i * 512, meanReturn: 10 + i * i }));
    await writeLineChart(file, rows, { x: 'steps', y: 'meanReturn', title: 'CartPole-v1' });
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('CartPole-v1');
    expect(svg).toContain('<path');
  });
});
