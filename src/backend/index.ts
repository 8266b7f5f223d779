// Backend selection: OUTERLOOP_BACKEND picks one at load; otherwise native when the addon loads,
// else js with one warning. Public modules call getBackend(); nothing else imports the addon.
import { OuterloopError } from '../errors.js';
import { VERSION } from '../version.js';
import { createJsBackend } from './js/index.js';
import { physicsEngine } from './mujoco.js';
import { loadAddon } from './native/addon.js';
import { createNativeBackend } from './native/index.js';
import type { Backend, BackendInfo, BackendName } from './types.js';

export type { Backend, BackendInfo, BackendName } from './types.js';

let jsBackend: Backend | undefined;
let nativeBackend: Backend | undefined;
let nativeError: unknown;
let nativeTried = false;
let current: Backend | undefined;

function tryNative(): Backend | undefined {
  if (!nativeTried) {
    nativeTried = true;
    try {
      nativeBackend = createNativeBackend(loadAddon());
      const threads = process.env.OUTERLOOP_THREADS;
      if (threads !== undefined && threads !== '') {
        const n = Number(threads);
        if (!Number.isInteger(n) || n < 1 || n > 256)
          throw new RangeError(`OUTERLOOP_THREADS: expected an integer in [1, 256], got '${threads}'`);
        nativeBackend.threads(n);
      }
    } catch (e) {
      if (e instanceof RangeError) throw e;
      nativeError = e;
      nativeBackend = undefined;
    }
  }
  return nativeBackend;
}

/** The backend instance of a name, or undefined when native cannot load. */
export function backendByName(name: BackendName): Backend | undefined {
  if (name === 'js') {
    jsBackend ??= createJsBackend();
    return jsBackend;
  }
  return tryNative();
}

function select(): Backend {
  const wanted = process.env.OUTERLOOP_BACKEND;
  if (wanted !== undefined && wanted !== '') {
    if (wanted !== 'native' && wanted !== 'js')
      throw new RangeError(`OUTERLOOP_BACKEND: expected 'native' or 'js', got '${wanted}'`);
    return use(wanted);
  }
  const native = tryNative();
  if (native) return native;
  process.emitWarning(
    `outerloop: the native addon could not be loaded (${String(nativeError)}); using the slower js backend. ` +
      'Rebuild it with `npm run build:native` or set OUTERLOOP_BACKEND=js to silence this.',
    { code: 'OUTERLOOP_NO_NATIVE' },
  );
  return backendByName('js') as Backend;
}

/** The backend every public module calls. */
export function getBackend(): Backend {
  current ??= select();
  return current;
}

/** Names of the backends that can run here. */
export function available(): BackendName[] {
  return tryNative() ? ['native', 'js'] : ['js'];
}

/** Switches backend; throws when native is asked for and cannot load. */
export function use(name: BackendName): Backend {
  if (name !== 'native' && name !== 'js')
    throw new RangeError(`backend.use: expected 'native' or 'js', got '${String(name)}'`);
  const b = backendByName(name);
  if (!b)
    throw new OuterloopError(`backend.use('native'): the native addon could not be loaded: ${String(nativeError)}`);
  current = b;
  return b;
}

/** The public `backend` namespace. */
export const backend = {
  /** The name of the backend in use. */
  current(): BackendName {
    return getBackend().name;
  },
  /** Switches backend; throws a clear error when native is unavailable. */
  use(name: BackendName): void {
    use(name);
  },
  /** Gets, or sets when n is given, the native thread count (js always reports 1). */
  threads(n?: number): number {
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 256))
      throw new RangeError(`backend.threads: expected an integer in [1, 256], got ${n}`);
    return getBackend().threads(n);
  },
  /** Backend name, version, threads, instruction set, CUDA availability and the MuJoCo engine found. */
  info(): BackendInfo {
    const b = getBackend();
    return {
      name: b.name,
      version: VERSION,
      threads: b.threads(),
      simd: b.simd(),
      cuda: b.cuda(),
      physics: physicsEngine(b),
    };
  },
  /** Backends that can run here ('native' only when the addon loads). */
  available,
};
