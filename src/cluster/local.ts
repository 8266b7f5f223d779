// The in-process transport: jobs run one after another on the calling thread. It is what a
// fitness reference uses without a cluster, and the reference the other transports must equal.
import { runAnyJob } from './jobs.js';
import type { Transport } from './transport.js';

/** Runs every job in this process. */
export function localTransport(): Transport {
  return {
    async evaluate(jobs) {
      const out: Float64Array[] = [];
      for (const job of jobs) out.push(await runAnyJob(job));
      return out;
    },
    async close() {},
  };
}
