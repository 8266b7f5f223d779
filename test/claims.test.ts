// Claims of the README and the TSDoc that only show in a fresh process: the js fallback and its
// one warning when the addon cannot load, OUTERLOOP_THREADS, and the CLI's --version, info and
// meta. Each runs in a child process (environment variables are read once, at load).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendByName } from '../src/backend/index.js';
import { scratchDir } from './helpers/cli.js';

/** Whether the addon loads here (a child without OUTERLOOP_BACKEND then runs native), even when this suite is forced to js. */
const nativeLoads = backendByName('native') !== undefined;

const ROOT = path.resolve(import.meta.dirname, '..');
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const tmp = scratchDir('outerloop-claims-');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node with tsx in the checkout; env adds to (or, with undefined, removes from) this process's. */
function node(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: merged as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Evaluates an ES module snippet that can import the library as `lib`. */
const script = (body: string) => [
  '--input-type=module',
  '-e',
  `const lib = await import(${JSON.stringify(path.join(ROOT, 'src/index.ts'))});\n${body}`,
];

const cli = (...args: string[]) => node(['src/cli/run.ts', ...args], { OUTERLOOP_BACKEND: undefined });

describe('backend selection in a fresh process', () => {
  it('falls back to js with exactly one OUTERLOOP_NO_NATIVE warning when the addon cannot load', async () => {
    // Several calls through different modules: the warning comes once, and the library works.
    const r = await node(
      script(`
        const { backend, random, optim, evo } = lib;
        const names = [backend.current(), backend.current(), ...backend.available()];
        const p = new Float32Array([1, 2]);
        const adam = optim.adam({ lr: 0.1 });
        const st = adam.init(p);
        adam.step(p, new Float32Array([1, -1]), st);
        const z = random.normal(random.key(1), 4);
        const e = evo.snes(); const s = e.init(random.key(0), [1, 1]); e.ask(s, random.key(2));
        console.log(JSON.stringify({ names, p: Array.from(p), finite: z.every(Number.isFinite), threads: backend.threads() }));
      `),
      { OUTERLOOP_NATIVE_PATH: path.join(tmp, 'missing', 'outerloop.node'), OUTERLOOP_BACKEND: undefined },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    expect(out).toMatchObject({ names: ['js', 'js', 'js'], finite: true, threads: 1 });
    // Adam's first step moves each parameter by lr against the gradient's sign.
    expect(out.p[0]).toBeCloseTo(0.9, 6);
    expect(out.p[1]).toBeCloseTo(2.1, 6);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('OUTERLOOP_NO_NATIVE'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/native addon could not be loaded \(/);
    expect(r.stderr.split('using the slower js backend')).toHaveLength(2);
    expect(r.stderr).toMatch(/missing/); // the loader's reason, naming the path
  });

  it('OUTERLOOP_BACKEND=js is silent; OUTERLOOP_BACKEND=native with no addon is a clear error', async () => {
    const missing = path.join(tmp, 'missing', 'outerloop.node');
    const [quiet, forced] = await Promise.all([
      node(script('console.log(lib.backend.current());'), { OUTERLOOP_NATIVE_PATH: missing, OUTERLOOP_BACKEND: 'js' }),
      node(script('console.log(lib.backend.current());'), {
        OUTERLOOP_NATIVE_PATH: missing,
        OUTERLOOP_BACKEND: 'native',
      }),
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout.trim()).toBe('js');
    expect(quiet.stderr).not.toMatch(/OUTERLOOP_NO_NATIVE|Warning/);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toMatch(/native addon could not be loaded/);
  });

  it.skipIf(!nativeLoads)('OUTERLOOP_THREADS sets the native thread count, and a bad value is refused', async () => {
    const [three, bad] = await Promise.all([
      node(script('console.log(lib.backend.threads(), lib.backend.info().threads);'), {
        OUTERLOOP_THREADS: '3',
        OUTERLOOP_BACKEND: undefined,
        OUTERLOOP_NATIVE_PATH: undefined,
      }),
      node(script('console.log(lib.backend.current());'), {
        OUTERLOOP_THREADS: 'many',
        OUTERLOOP_BACKEND: undefined,
        OUTERLOOP_NATIVE_PATH: undefined,
      }),
    ]);
    expect(three.code).toBe(0);
    expect(three.stdout.trim()).toBe('3 3');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/OUTERLOOP_THREADS: expected an integer in \[1, 256\], got 'many'/);
  });
});

describe('the outerloop command', () => {
  it('--version prints the package version; info reports backend, version, threads, simd and cuda', async () => {
    const [version, text, json, js] = await Promise.all([
      cli('--version'),
      cli('info'),
      cli('info', '--json'),
      node(['src/cli/run.ts', 'info', '--json'], { OUTERLOOP_BACKEND: 'js' }),
    ]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(PACKAGE_VERSION);
    const info = JSON.parse(json.stdout);
    expect(Object.keys(info).sort()).toEqual(['cuda', 'name', 'physics', 'simd', 'threads', 'version']);
    expect(info.version).toBe(PACKAGE_VERSION);
    expect(info.name).toBe(nativeLoads ? 'native' : 'js');
    expect(Number.isInteger(info.threads) && info.threads >= 1).toBe(true);
    expect(typeof info.simd).toBe('string');
    expect(info.simd.length).toBeGreaterThan(0);
    expect(typeof info.cuda).toBe('boolean');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      `outerloop ${PACKAGE_VERSION}\nbackend  ${info.name}\nthreads  ${info.threads}\nsimd     ${info.simd}\ncuda     ${info.cuda ? 'yes' : 'no'}\n`,
    );
    expect(JSON.parse(js.stdout)).toMatchObject({ name: 'js', threads: 1, version: PACKAGE_VERSION });
  });

  it('meta maml --task sine meta-trains, evaluates and prints one JSON summary', async () => {
    const r = await cli(
      'meta',
      'maml',
      '--task',
      'sine',
      '--iterations',
      '3',
      '--meta-batch',
      '2',
      '--shots',
      '5',
      '--hidden',
      '8',
      '--eval-tasks',
      '4',
      '--seed',
      '1',
      '--json',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] as string);
    expect(summary).toMatchObject({ learner: 'maml', iterations: 3, evalTasks: 4 });
    for (const k of ['0', '1', '10']) {
      expect(Number.isFinite(summary.mse[k])).toBe(true);
      expect(summary.mse[k]).toBeGreaterThan(0);
    }
  });
});
