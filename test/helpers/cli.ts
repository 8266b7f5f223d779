// What the CLI suites share: a scratch folder that goes away after the file's tests, the command
// run in-process with what it prints on stdout captured, and a run interrupted with Ctrl-C.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** A fresh folder under the system temp folder, removed after the calling file's tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `outerloop ...args` in-process and returns what it printed on stdout. */
export async function cli(...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await main(['node', 'outerloop', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

/**
 * Runs `outerloop ...args` in a child process until its run folder `dir` holds a few metrics rows
 * (30 s at most), then interrupts it with SIGINT, as Ctrl-C does; returns its exit code and stdout.
 */
export async function interruptedRun(args: string[], dir: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args, '--out', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  const metrics = path.join(dir, 'metrics.jsonl');
  for (let i = 0; i < 3000; i++) {
    await new Promise((r) => setTimeout(r, 10));
    if (fs.existsSync(metrics) && fs.readFileSync(metrics, 'utf8').split('\n').length > 3) break;
  }
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout };
}
