// Starts a worker thread on one of the package's thread entries (src/<dir>/<name>.ts). From the
// sources (tests, tsx) the entry is a .ts file that needs tsx's loader registered inside the
// thread first; in the bundle it is dist/esm/<dir>/<name>.js beside or above the chunk that calls
// this (the CommonJS build uses the ESM one, so tsup.config.ts lists every entry).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OuterloopError } from '../errors.js';

/**
 * A worker running entry `<dir>/<name>`; `callerUrl` is the calling module's `import.meta.url`
 * (a file in src/<dir>/, or a bundle chunk). Throws an OuterloopError naming `what` when the
 * build lacks the entry.
 * @internal
 */
export function spawnEntryWorker(callerUrl: string, dir: string, name: string, what: string): Worker {
  if (callerUrl.endsWith('.ts')) {
    const ts = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${ts}); });`, {
      eval: true,
    });
  }
  for (const rel of [`./${name}.js`, `./${dir}/${name}.js`, `../esm/${dir}/${name}.js`]) {
    const file = fileURLToPath(new URL(rel, callerUrl));
    if (existsSync(file)) return new Worker(file);
  }
  throw new OuterloopError(`${what}: the worker entry ${dir}/${name}.js is missing from this build`);
}
