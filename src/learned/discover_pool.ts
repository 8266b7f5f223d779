// Inner PPO runs of discovery, in this thread or on worker threads. The cluster `threads`
// transport does not fit: its jobs carry member vectors and a fitness named by module, with no
// place for the run's options (envs, PPO settings, the drift's shape); so this is a small pool of
// the same kind (one run per message, results by index), spawned as cluster/threads.ts spawns (util/spawn_worker.ts).
import type { Worker } from 'node:worker_threads';
import { OuterloopError } from '../errors.js';
import { spawnEntryWorker } from '../util/spawn_worker.js';
import type { InnerRun } from './discover.js';

function spawn(): Worker {
  return spawnEntryWorker(import.meta.url, 'learned', 'discover_thread', 'learned');
}

/** The final return of each run, in order; `threads` 0 runs them here, one after another. */
export async function runParallel(runs: readonly InnerRun[], threads: number): Promise<number[]> {
  const { innerRunReturn } = await import('./discover.js');
  if (threads === 0) {
    const out: number[] = [];
    for (const run of runs) out.push(await innerRunReturn(run));
    return out;
  }
  const out = new Array<number>(runs.length).fill(Number.NaN);
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, runs.length) }, spawn);
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const give = () => {
              if (next >= runs.length) return resolve();
              const i = next++;
              w.once('message', (msg: { value?: number; error?: string }) => {
                if (msg.error !== undefined) return reject(new OuterloopError(`learned: inner run ${i}: ${msg.error}`));
                out[i] = msg.value as number;
                give();
              });
              w.postMessage(runs[i]);
            };
            w.once('error', reject);
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
