// Loaded in a worker thread by test/worker_threads.test.ts: the addon must be context-aware and
// usable from several JS threads at once (the native pool serializes their jobs).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const addon = require('node-gyp-build')(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const out = new Float32Array(workerData.n);
for (let i = 0; i < workerData.repeats; i++) addon.randomNormal(new Uint32Array([workerData.seed, 0]), 0, out);
parentPort.postMessage({ sum: addon.sum(out) });
