// Crash safety of the files the library writes (checkpoints and results, through
// src/io/atomic.ts): a process SIGKILLed while writing in a loop, many times; several processes
// writing the same path at once while another reads it; a write that fails part-way (the file
// size limit, as a full disk would) — every time the file on disk is a complete checkpoint of one
// version (its CRC, its version number and its contents agree), never a torn one, and a failed
// write reports a clear error naming the file and leaves the previous checkpoint as it was.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, saveCheckpoint } from '../src/io/checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'outerloop-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writer = join(import.meta.dirname, 'fixtures', 'checkpoint_writer.ts');

function versionSize(v: number): number {
  return 1000 + ((v * 7919) % 200_000);
}

/** Reads `file` and checks it is one whole version; returns that version. */
function checkWhole(file: string): number {
  const c = decodeCheckpoint(readFileSync(file), { source: file });
  expect(c.kind).toBe('test.crash');
  const v = c.meta.version as number;
  const x = c.arrays.x as Float64Array;
  expect(x.length).toBe(versionSize(v));
  expect(x.every((e) => e === v)).toBe(true);
  return v;
}

function startWriter(file: string, start: number, count: number, mode: 'sync' | 'async'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', writer, file, String(start), String(count), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function untilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => (out.includes('ready') ? resolve() : reject(new Error(`writer exited ${code}`))));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => child.on('exit', () => r()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash-safe checkpoint files', () => {
  it('a writer SIGKILLed mid-loop, 20 times, always leaves a complete checkpoint', async () => {
    const file = join(dir, 'killed.ckpt');
    let version = 0;
    const seen = new Set<number>();
    for (let round = 0; round < 20; round++) {
      const child = startWriter(file, version, 1_000_000, round % 2 === 0 ? 'async' : 'sync');
      await untilReady(child);
      // Kill at a varying point of the write loop (deterministic delays).
      await sleep(5 + ((round * 37) % 60));
      child.kill('SIGKILL');
      await exited(child);
      const v = checkWhole(file);
      expect(v).toBeGreaterThanOrEqual(version);
      seen.add(v);
      version = v + 1;
    }
    // The kills landed at different points (not all before the first rename).
    expect(seen.size).toBeGreaterThan(10);
  }, 120_000);

  it('concurrent writers to one path, with a reader, never expose a torn file', async () => {
    const file = join(dir, 'shared.ckpt');
    await saveCheckpoint(file, { kind: 'test.crash', meta: { version: 0 }, arrays: { x: new Float64Array(1000) } });
    const writers = [startWriter(file, 1, 150, 'async'), startWriter(file, 100_000, 150, 'sync')];
    const done = Promise.all(writers.map(exited));
    let reads = 0;
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      checkWhole(file);
      reads++;
      await sleep(1);
    }
    for (const w of writers) expect(w.exitCode).toBe(0);
    const v = checkWhole(file);
    expect(v === 150 || v === 100_149).toBe(true);
    expect(reads).toBeGreaterThan(5);
    // Every writer cleaned up its temporary files.
    expect(readdirSync(dir).filter((f) => f.startsWith('.shared.ckpt.'))).toEqual([]);
  }, 120_000);

  it('a write that fails part-way (file size limit) throws a clear error and keeps the old file', async () => {
    const file = join(dir, 'full.ckpt');
    await saveCheckpoint(file, {
      kind: 'test.crash',
      meta: { version: 7 },
      arrays: { x: new Float64Array(versionSize(7)).fill(7) },
    });
    // ulimit -f 64: files past 32 KiB cannot grow (EFBIG), as on a full disk (ENOSPC).
    const r = spawnSync(
      'bash',
      ['-c', `ulimit -f 64; exec "${process.execPath}" --import tsx "${writer}" "${file}" 8 1 async`],
      { encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/full\.ckpt/);
    expect(r.stderr).toMatch(/EFBIG|file too large/);
    expect(checkWhole(file)).toBe(7);
    expect(readdirSync(dir).filter((f) => f.startsWith('.full.ckpt.'))).toEqual([]);
  }, 60_000);
});
