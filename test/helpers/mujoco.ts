// Whether the MuJoCo suites can run here, and why not: they need the native backend in use, built
// with the MuJoCo headers, and libmujoco loadable at run time. The reason is printed once.
import { getBackend } from '../../src/backend/index.js';
import { mujocoStatus } from '../../src/backend/mujoco.js';

const status = mujocoStatus(getBackend());
/** Null when MuJoCo envs can run, else why they cannot. */
export const mujocoSkipReason: string | null =
  status.version === null ? `no MuJoCo engine on the '${getBackend().name}' backend: ${status.error}` : null;
if (mujocoSkipReason !== null) console.warn(`MuJoCo tests skipped: ${mujocoSkipReason}`);
