// Calls every exported native function with many malformed argument lists and reports, as one
// JSON line, how each call ended. Run in a child process by test/fuzz_native.test.ts, so a
// crash shows up as a failed test instead of killing the runner. Half the lists have the
// export's own argument count (addon.kernelArity), so the calls get past the count check into
// the bodies; some arguments are scalars objects whose first field read detaches the call's
// buffers (a body must read its scalars before it holds a buffer).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xorshift } from './xorshift.mjs';

//   node test/fuzz/native_fuzz.mjs [callsPerExport] [seed]
// The seed (argv, else OUTERLOOP_FUZZ_SEED, else drawn from the clock) is printed first on stderr:
// rerun with it to reproduce a failure. OUTERLOOP_NATIVE_PATH picks the binary (the ASan build).
const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const addon = process.env.OUTERLOOP_NATIVE_PATH
  ? require(process.env.OUTERLOOP_NATIVE_PATH)
  : require('node-gyp-build')(root);
const callsPerFunction = Number(process.argv[2] ?? 1500);
const seedArg = process.argv[3] ?? process.env.OUTERLOOP_FUZZ_SEED;
const seed = seedArg !== undefined ? Number(seedArg) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
process.stderr.write(`native-fuzz seed ${seed} (rerun: node test/fuzz/native_fuzz.mjs ${callsPerFunction} ${seed})\n`);

// Deterministic from the seed so a failure reproduces.
const rand = xorshift(seed);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

function detached(Ctor, n) {
  const a = new Ctor(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}
function shared(Ctor, n) {
  return new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
}
const ctors = [Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array, Int8Array, Uint8ClampedArray];
const lengths = [0, 1, 2, 3, 4, 5, 8, 16, 64, 100, 1000];
const numbers = [
  0,
  1,
  2,
  3,
  4,
  7,
  10,
  64,
  500,
  -1,
  -7,
  0.5,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e300,
  -0,
];

// A scalars object: every field read gives a number, a name or a boolean; the first read may
// detach every buffer among the call's arguments.
function scalars(args) {
  let armed = rand() < 0.5;
  return new Proxy(
    {},
    {
      get(_target, field) {
        if (typeof field !== 'string') return undefined;
        if (armed) {
          armed = false;
          for (const a of args)
            if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0)
              structuredClone(a.buffer, { transfer: [a.buffer] });
        }
        const r = rand();
        if (r < 0.6) return pick(numbers);
        if (r < 0.85) return pick(['clip', 'dpo', 'mdpo', 'pg', 'mse', 'crossEntropy', 'secondOrder', 'implicit', 'x']);
        return rand() < 0.5;
      },
    },
  );
}

function value(args) {
  const r = rand();
  if (r < 0.05) return scalars(args);
  if (r < 0.35) return pick(numbers);
  if (r < 0.75) {
    const Ctor = rand() < 0.6 ? pick([Float32Array, Int32Array, Uint32Array, Uint8Array]) : pick(ctors);
    const n = pick(lengths);
    const kind = rand();
    if (kind < 0.05) return detached(Ctor, n);
    if (kind < 0.1) return shared(Ctor, n);
    const a = new Ctor(n);
    const fill = rand();
    for (let i = 0; i < n; i++) a[i] = fill < 0.2 ? NaN : fill < 0.4 ? -1 : fill < 0.7 ? i % 3 : (rand() - 0.5) * 4;
    return a;
  }
  return pick([
    undefined,
    null,
    true,
    false,
    'x',
    '',
    {},
    [],
    [1, 2, 3],
    () => 0,
    Symbol('s'),
    10n,
    new ArrayBuffer(8),
    new DataView(new ArrayBuffer(8)),
  ]);
}

const skip = new Set(['threads']); // resizes the process-wide pool; tested on its own
const summary = {
  seed,
  functions: 0,
  calls: 0,
  returned: 0,
  typeErrors: 0,
  rangeErrors: 0,
  otherErrors: 0,
  unclear: [],
  /** Per export: [calls, returned]. */
  perExport: {},
};

// A clear error names what was wrong: "argument: expected …" (the argument, an argument's field
// such as "scalars.b1", or an element such as "config[0] (kind)"), or "kernelName: expected N
// arguments".
const NAMES_ARGUMENT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(\[\d+\])?( \(\w+\))?: \S/;

async function callOnce(name, fn, args) {
  summary.calls++;
  summary.perExport[name] ??= [0, 0];
  const row = summary.perExport[name];
  row[0]++;
  try {
    const r = fn(...args);
    if (r && typeof r.then === 'function') await r;
    summary.returned++;
    row[1]++;
  } catch (e) {
    if (e instanceof TypeError) summary.typeErrors++;
    else if (e instanceof RangeError) summary.rangeErrors++;
    else summary.otherErrors++;
    const msg = e instanceof Error ? e.message : String(e);
    const clear =
      (e instanceof TypeError || e instanceof RangeError) &&
      NAMES_ARGUMENT.test(msg) &&
      !/bad_alloc|std::|napi|Napi|unknown error/i.test(msg);
    if (!clear && summary.unclear.length < 20) summary.unclear.push({ name, message: msg, args: args.map(describe) });
  }
}
function describe(v) {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length ?? v.byteLength})`;
  if (typeof v === 'bigint' || typeof v === 'symbol') return String(v);
  return JSON.stringify(v) ?? String(v);
}

for (const [name, fn] of Object.entries(addon)) {
  if (typeof fn !== 'function' || skip.has(name)) continue;
  summary.functions++;
  const arity = addon.kernelArity[name] ?? 0;
  for (let i = 0; i < callsPerFunction; i++) {
    const length = rand() < 0.5 ? arity : Math.floor(rand() * (arity + 3));
    const args = [];
    for (let a = 0; a < length; a++) args.push(value(args));
    await callOnce(name, fn, args);
  }
}
// The pool size accepts only integers in [1, 256].
for (const bad of [0, -1, 1.5, NaN, Infinity, 257, 'x', null]) await callOnce('threads', addon.threads, [bad]);
process.stdout.write(`${JSON.stringify(summary)}\n`);
// Exit non-zero on an unclear error or an export that accepted most malformed lists, so a CI step
// that runs this script alone fails (test/fuzz_native.test.ts checks the same on the summary).
const lenient = Object.entries(summary.perExport).filter(
  ([name, [calls, returned]]) => name !== 'simd' && name !== 'cuda' && returned / calls > 0.25,
);
if (summary.unclear.length > 0 || summary.otherErrors > 0 || lenient.length > 0) {
  process.stderr.write(`native-fuzz FAILED (seed ${seed}): ${JSON.stringify({ unclear: summary.unclear, lenient })}\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(
    `native-fuzz: ${summary.calls} calls to ${summary.functions} exports, all clear (seed ${seed})\n`,
  );
}
