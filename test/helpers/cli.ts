// What the CLI suites share: a scratch folder that goes away after the file's tests, and the
// command run in-process with what it prints on stdout captured.
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
