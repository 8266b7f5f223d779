// Shared by the metagrad_* examples: run an agent for several seeds, score it, summarize with a
// 95% confidence interval (Student t over seeds), and plot meta-parameter trajectories (SVG).
import { mkdirSync, writeFileSync } from 'node:fs';
import { lineChartSpec, renderSvg } from '../src/cli/plot.js';
import { metaRl, rl } from '../src/index.js';
import type { MetaGradientOptions, MetaGradientResult } from '../src/metarl/index.js';

// two-sided 97.5% Student t quantiles by degrees of freedom
const T975 = [Number.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export interface Summary {
  mean: number;
  half: number;
  values: number[];
}

export function summarize(values: number[]): Summary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const t = T975[Math.min(n - 1, 10)] ?? 1.96;
  return { mean, half: (t * sd) / Math.sqrt(n), values };
}

export const fmt = (s: Summary, d = 3): string => `${s.mean.toFixed(d)} ± ${s.half.toFixed(d)}`;

export interface Run {
  result: MetaGradientResult;
  /** Mean return of 100 evaluation episodes of the final policy (sampled actions). */
  evalReturn: number;
  /** Mean reward per step over the whole run (online performance, non-episodic envs). */
  onlineReward: number;
  seconds: number;
}

export async function runOnce(
  options: MetaGradientOptions,
  totalSteps: number,
  seed: number,
  evaluate: boolean,
): Promise<Run> {
  const t0 = performance.now();
  const result = await metaRl.metaGradient(options).train({ totalSteps, seed });
  const seconds = (performance.now() - t0) / 1000;
  const h = result.history;
  const onlineReward = h.reduce((a, s) => a + s.meanReward, 0) / h.length;
  const evalReturn = evaluate
    ? (await rl.evaluate(result.policy, { episodes: 100, seed: 1000 + seed })).meanReturn
    : Number.NaN;
  return { result, evalReturn, onlineReward, seconds };
}

/** Plots history fields of one run (e.g. meta.gamma) against env steps into DIR/name.svg (+ .json). */
export async function plotHistory(
  dir: string,
  name: string,
  result: MetaGradientResult,
  fields: string[],
  title: string,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rows = result.history.map((s) => ({
    steps: s.steps,
    meanReturn: s.meanReturn,
    meanReward: s.meanReward,
    ...s.meta,
  }));
  writeFileSync(`${dir}/${name}.json`, JSON.stringify(rows));
  const svg = await renderSvg(lineChartSpec(rows, { x: 'steps', y: fields, title, xTitle: 'env steps' }));
  writeFileSync(`${dir}/${name}.svg`, svg);
}

/** `--name value` from argv. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}
