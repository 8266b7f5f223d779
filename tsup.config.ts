import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

// The browser bundle (outerloop/browser): the js backend only. The addon loader is replaced by a
// stub that always fails (so the js backend is selected), and Node-only modules (node:fs, …, and
// the cluster's bullmq) by a module whose every use throws a clear error: file-based calls fail at
// run time, everything else works.
const NODE_ONLY = new RegExp(`^(node:.*|${builtinModules.join('|')}|bullmq|ioredis)(/.*)?$`);
// A stand-in module for a Node-only import: the real module's export names (read from Node at
// build time, so named imports bind), each a proxy that throws when called or constructed.
async function nodeStub(name: string): Promise<string> {
  let names: string[] = [];
  try {
    names = Object.keys(await import(name)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  } catch {
    // not installed here: a default export only
  }
  return [
    'const stub = (name) => new Proxy(function () {',
    "  throw new Error('outerloop/browser: ' + name + ' is not available in a browser');",
    "}, { get: (t, k) => (k === 'prototype' ? t.prototype : typeof k === 'symbol' ? undefined : stub(name + '.' + String(k))) });",
    `const m = stub(${JSON.stringify(name)});`,
    'export default m;',
    ...names.map((k) => `export const ${k} = m.${k};`),
  ].join('\n');
}

const ADDON = path.join('src', 'backend', 'native', 'addon');

/** esbuild plugin of the browser bundle (also used by test/browser_bundle.test.ts). */
export const browserPlugin: Plugin = {
  name: 'outerloop-browser',
  setup(build) {
    build.onResolve({ filter: /addon\.js$/ }, (a) =>
      path.join(a.resolveDir, a.path).endsWith(`${ADDON}.js`)
        ? { path: path.resolve(import.meta.dirname, 'src/browser_addon.ts') }
        : undefined,
    );
    build.onResolve({ filter: NODE_ONLY }, (a) => ({ path: a.path, namespace: 'node-only' }));
    build.onLoad({ filter: /.*/, namespace: 'node-only' }, async (a) => ({
      contents: await nodeStub(a.path),
      loader: 'js',
    }));
  },
};

/**
 * Prepended to the browser bundle: Node's setImmediate (the trainers yield to the event loop with
 * it between updates), over a MessageChannel so it is not clamped to 4 ms as setTimeout is.
 */
export const browserBanner = `if (typeof globalThis.setImmediate !== 'function') {
  const ch = new MessageChannel(), queue = [];
  ch.port1.onmessage = () => { const [f, a] = queue.shift(); f(...a); };
  globalThis.setImmediate = (f, ...a) => { queue.push([f, a]); ch.port2.postMessage(0); };
}`;

/** The environment variables the library reads, fixed for the browser (the js backend). */
export const browserDefine: Record<string, string> = {
  'process.env.OUTERLOOP_BACKEND': '"js"',
  'process.env.OUTERLOOP_THREADS': 'undefined',
  'process.env.OUTERLOOP_NATIVE_PATH': 'undefined',
};

// ESM and CommonJS builds of the library and the CLI, and the browser bundle; declarations come
// from tsc (tsconfig.build.json).
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'cli/run': 'src/cli/run.ts',
      'cluster/thread_entry': 'src/cluster/thread_entry.ts',
      'learned/discover_thread': 'src/learned/discover_thread.ts',
    },
    format: ['esm'],
    outDir: 'dist/esm',
    target: 'node20',
    platform: 'node',
    splitting: true,
    sourcemap: true,
    clean: true,
    dts: false,
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    outDir: 'dist/cjs',
    outExtension: () => ({ js: '.cjs' }),
    target: 'node20',
    platform: 'node',
    shims: true,
    sourcemap: true,
    clean: true,
    // CommonJS consumers need CommonJS declarations (index.d.cts): dist/types is ESM (type: module).
    dts: { entry: { index: 'src/index.ts' } },
  },
  {
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    outDir: 'dist/browser',
    target: 'es2022',
    platform: 'browser',
    // One file: a page or worker imports it with no loader (the cluster's dynamic import is inlined).
    splitting: false,
    minify: true,
    sourcemap: true,
    clean: true,
    dts: false,
    noExternal: [/.*/],
    define: browserDefine,
    banner: { js: browserBanner },
    esbuildPlugins: [browserPlugin],
  },
]);
