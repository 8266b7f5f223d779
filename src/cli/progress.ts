// The terminal progress bar the long-running commands share (train, meta): value/total in some
// unit, the rate per second, and any running figures (recent mean return, loss) the caller
// passes. Disabled (for --json or a non-terminal), it does nothing, so callers never branch.
import cliProgress from 'cli-progress';

/** A running figure shown after the rate, e.g. { key: 'meanReturn', label: 'return' }. */
export interface ProgressField {
  key: string;
  label: string;
  /** Digits after the point (default 1). */
  digits?: number;
}

export interface ProgressOptions {
  /** The value at completion (e.g. total env steps). */
  total: number;
  /** Unit of the value, shown as 'steps' and 'steps/s' (default 'steps'). */
  unit?: string;
  /** Running figures shown on the bar. */
  fields?: ProgressField[];
  /** false: draw nothing (default: true when the stream is a terminal). */
  enabled?: boolean;
  /** Where to draw (default process.stderr, so stdout stays clean for --json). */
  stream?: NodeJS.WriteStream;
}

export interface Progress {
  /** Sets the current value and, optionally, running figures (undefined shows '-'). */
  update(value: number, figures?: Record<string, number | undefined>): void;
  /** Draws the final state and releases the terminal. Safe to call twice. */
  stop(): void;
}

/** 1234 -> '1.23k', 2.5e6 -> '2.50M'. */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

function formatFigure(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** A progress bar; a no-op when disabled. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled) return { update() {}, stop() {} };
  const unit = options.unit ?? 'steps';
  const fields = options.fields ?? [];
  const fieldFormat = fields.map((f) => ` | ${f.label} {${f.key}}`).join('');
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {percentage}% | {valueText}/{totalText} ${unit} | {rate} ${unit}/s${fieldFormat} | ETA {eta_formatted}`,
      stream,
      hideCursor: true,
      fps: 10,
      etaBuffer: 50,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = performance.now();
  const payload = (value: number, figures: Record<string, number | undefined>) => {
    const seconds = (performance.now() - start) / 1000;
    const p: Record<string, string> = {
      valueText: formatCount(value),
      totalText: formatCount(options.total),
      rate: formatCount(seconds > 0 ? value / seconds : 0),
    };
    for (const f of fields) p[f.key] = formatFigure(figures[f.key], f.digits ?? 1);
    return p;
  };
  bar.start(options.total, 0, payload(0, {}));
  let stopped = false;
  return {
    update(value, figures = {}) {
      if (!stopped) bar.update(Math.min(value, options.total), payload(value, figures));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
