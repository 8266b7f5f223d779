// The body of a discovery worker thread: run each inner PPO run it is sent, post its return back.
import { parentPort } from 'node:worker_threads';
import { type InnerRun, innerRunReturn } from './discover.js';

const port = parentPort;
if (!port) throw new Error('learned: discover_thread runs only as a worker thread');
port.on('message', async (run: InnerRun) => {
  try {
    port.postMessage({ value: await innerRunReturn(run) });
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
