#!/usr/bin/env node
// Builds the addon with node-gyp: incrementally when build/ is configured from the current
// binding.gyp, from scratch otherwise. Builds are serialized with flock (when available) so
// parallel builds in one tree do not collide.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const makefile = 'build/Makefile';
const configured = existsSync(makefile) && statSync(makefile).mtimeMs >= statSync('binding.gyp').mtimeMs;
const gyp = ['node-gyp', configured ? 'build' : 'rebuild', '-j', 'max'];
const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
const cmd = hasFlock ? ['flock', '.native-build.lock', 'npx', ...gyp] : ['npx', ...gyp];
const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
process.exit(r.status ?? 1);
