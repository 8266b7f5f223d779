// The browser builds of vega, vega-lite and vega-embed, read from the installed packages so the
// report inlines them: the page opens from disk with no server and no network.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { OuterloopError } from '../errors.js';

/** The three scripts, in the order the page loads them (vega-embed needs the other two). */
export interface VegaScripts {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

// The packages' exports maps hide build/, but their entry points live in it: resolve the entry and
// read the minified UMD bundle next to it.
function umd(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new OuterloopError(`report: the '${pkg}' package is not installed (a dependency of outerloop)`);
  }
  const full = path.join(path.dirname(entry), file);
  if (!fs.existsSync(full)) throw new OuterloopError(`report: ${full} is missing (reinstall '${pkg}')`);
  return fs.readFileSync(full, 'utf8');
}

/** Reads the minified browser bundles of vega, vega-lite and vega-embed from node_modules. */
export function readVegaScripts(): VegaScripts {
  return {
    vega: umd('vega', 'vega.min.js'),
    vegaLite: umd('vega-lite', 'vega-lite.min.js'),
    vegaEmbed: umd('vega-embed', 'vega-embed.min.js'),
  };
}
