// Which MuJoCo engine a backend can use: the one place the library path is chosen
// (OUTERLOOP_MUJOCO_LIB, else the default names) and the engine is described for backend.info().
import type { MujocoEngineStatus } from './kernels/mujoco.js';
import type { Backend } from './types.js';

/** The libmujoco path to load: OUTERLOOP_MUJOCO_LIB, or '' for the default search. */
export function mujocoLibPath(): string {
  return process.env.OUTERLOOP_MUJOCO_LIB ?? '';
}

/** The backend's engine status for the configured library path. */
export function mujocoStatus(b: Backend): MujocoEngineStatus {
  return b.mujocoEngine(mujocoLibPath());
}

/** 'mujoco 2.2.2 (native, dlopen)' when the backend can step MuJoCo models, else null. */
export function physicsEngine(b: Backend): string | null {
  const s = mujocoStatus(b);
  return s.version === null ? null : `mujoco ${s.version} (native, dlopen)`;
}
