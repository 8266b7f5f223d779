// Loads the compiled addon: OUTERLOOP_NATIVE_PATH if set, else node-gyp-build's search
// (build/Release, then prebuilds/<platform>-<arch>/). Only src/backend/native imports this.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../types.js';

/** The raw addon: every Backend kernel, plus each export's argument count from the napi tables. */
export type NativeAddon = Omit<Backend, 'name'> & { readonly kernelArity: Readonly<Record<string, number>> };

const require = createRequire(import.meta.url);

/** The directory of outerloop's package.json, found by walking up from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'outerloop') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('outerloop: cannot find the package root');
    dir = parent;
  }
}

/** Loads the addon or throws the loader's error. */
export function loadAddon(): NativeAddon {
  const explicit = process.env.OUTERLOOP_NATIVE_PATH;
  if (explicit) return require(explicit) as NativeAddon;
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  return nodeGypBuild(packageRoot()) as NativeAddon;
}
