// The worker_threads transport: the same jobs as on the queue, run by N threads of this process
// (no Redis). Each thread takes one job at a time; results come back by job, so the split over
// threads never changes a value.
import type { Worker } from 'node:worker_threads';
import { OuterloopError } from '../errors.js';
import { checkInteger } from '../util/check.js';
import { spawnEntryWorker } from '../util/spawn_worker.js';
import type { AnyJob } from './payload.js';
import type { Transport } from './transport.js';

// The thread entry is cluster/thread_entry (see util/spawn_worker.ts for where it is found).
function spawn(): Worker {
  return spawnEntryWorker(import.meta.url, 'cluster', 'thread_entry', 'cluster: threads');
}

interface Pending {
  job: AnyJob;
  resolve: (v: Float64Array) => void;
  reject: (e: Error) => void;
}

/** A pool of `threads` worker threads running jobs. */
export function threadTransport(threads: number): Transport {
  checkInteger(threads, 'cluster: threads', 1, 1024);
  const queue: Pending[] = [];
  const busy = new Map<Worker, { id: number; p: Pending }>();
  const idle: Worker[] = [];
  let nextId = 0;
  let closed = false;
  let alive = threads;

  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.pop() as Worker;
      const p = queue.shift() as Pending;
      const id = nextId++;
      busy.set(w, { id, p });
      w.postMessage({ id, job: p.job });
    }
  };
  const workers = Array.from({ length: threads }, () => {
    const w = spawn();
    w.on('message', (msg: { id: number; values?: Float64Array; error?: string }) => {
      const b = busy.get(w);
      if (!b || b.id !== msg.id) return;
      busy.delete(w);
      idle.push(w);
      if (msg.error !== undefined) b.p.reject(new OuterloopError(msg.error));
      else b.p.resolve(msg.values as Float64Array);
      pump();
    });
    const fail = (e: Error) => {
      const b = busy.get(w);
      busy.delete(w);
      b?.p.reject(new OuterloopError(`cluster: thread stopped: ${e.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (closed) return;
      fail(new Error(`exit code ${code}`));
      // A dead thread takes no more jobs; with none left, what waits would wait forever.
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
      if (--alive === 0)
        for (const p of queue.splice(0)) p.reject(new OuterloopError('cluster: threads: every worker thread stopped'));
    });
    idle.push(w);
    return w;
  });

  return {
    evaluate(jobs) {
      if (closed) return Promise.reject(new OuterloopError('cluster: threads: transport is closed'));
      const all = jobs.map(
        (job) => new Promise<Float64Array>((resolve, reject) => queue.push({ job, resolve, reject })),
      );
      pump();
      return Promise.all(all);
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new OuterloopError('cluster: threads: transport closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
