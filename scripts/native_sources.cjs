#!/usr/bin/env node
// The one list of C++ sources, read by binding.gyp (node-gyp) and CMakeLists.txt (cmake-js):
// every .cc under native/core and native/napi, sorted so both builds see the same order.
// CUDA sources (native/cuda/*.cu) are CMake-only and listed there.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith('.cc')) out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}
const sources = [...walk(path.join(root, 'native/core')), ...walk(path.join(root, 'native/napi'))].sort();
const sep = process.argv.includes('--cmake') ? ';' : ' ';
process.stdout.write(sources.join(sep));
