// The body of a `threads` transport worker: check each job, run it, post its values back.
import { parentPort } from 'node:worker_threads';
import { runAnyJob } from './jobs.js';
import { parseAnyJob } from './payload.js';

const port = parentPort;
if (!port) throw new Error('cluster: thread_entry runs only as a worker thread');
port.on('message', async (msg: { id: number; job: unknown }) => {
  try {
    const values = await runAnyJob(parseAnyJob(msg.job));
    port.postMessage({ id: msg.id, values }, [values.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
