#!/usr/bin/env node
// Builds the addon with node-gyp: incrementally when build/ was configured from the current
// binding.gyp and source list, reconfiguring otherwise (a new .cc file needs a new Makefile).
// Builds are serialized with flock (when available) so parallel builds in one tree do not collide.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const sources = execFileSync(process.execPath, ['scripts/native_sources.cjs'], { encoding: 'utf8' });
const stamp = 'build/outerloop-sources.txt';
const configured =
  existsSync('build/Makefile') &&
  statSync('build/Makefile').mtimeMs >= statSync('binding.gyp').mtimeMs &&
  existsSync(stamp) &&
  readFileSync(stamp, 'utf8') === sources;
const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
const run = (args) => {
  const cmd = hasFlock ? ['flock', '.native-build.lock', 'npx', ...args] : ['npx', ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!configured) {
  run(['node-gyp', 'configure']);
  writeFileSync(stamp, sources);
}
run(['node-gyp', 'build', '-j', 'max']);
