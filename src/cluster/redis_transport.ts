// The BullMQ transport, master side: a generation's jobs go into the queue in one round trip and
// the master waits for each job's end through the queue's event stream. Redis going away while a
// run waits is an error after `downMs`, never an endless wait.
import { type ConnectionOptions, Job, Queue, QueueEvents } from 'bullmq';
import { OuterloopError } from '../errors.js';
import { type AnyJob, decodeFloat64, jobId, resultSchema } from './payload.js';
import { parseRedisUrl, probeRedis, type RedisClient, redisClient } from './redis_conn.js';
import type { Transport } from './transport.js';

/** Default queue name, shared by masters and `outerloop worker`. */
export const DEFAULT_QUEUE = 'outerloop-evaluate';

/** Where the master side of the Redis queue connects (see `redisTransport`). */
export interface RedisTransportOptions {
  /** Redis URL, e.g. 'redis://127.0.0.1:6379'. */
  url: string;
  /** Queue name, default 'outerloop-evaluate'. */
  queue?: string | undefined;
  /** Connection attempts (1 s timeout, 300 ms apart) before an OuterloopError, default 10. */
  connectAttempts?: number | undefined;
  /** How long Redis may stay unreachable during a run before it fails, default 10 000 ms. */
  downMs?: number;
  /**
   * How long a generation may wait with none of its jobs started or finished and no job of the
   * queue running (no worker serving it) before it fails with an error saying how to start one,
   * default 60 000 ms.
   */
  timeoutMs?: number;
}

/** Default of `timeoutMs`: a minute without any worker taking a job. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The master side of the queue: jobs in, values out. */
export async function redisTransport(o: RedisTransportOptions): Promise<Transport> {
  const address = parseRedisUrl(o.url, 'optimize: cluster.redis');
  await probeRedis(address, o.connectAttempts ?? 10);
  const name = o.queue ?? DEFAULT_QUEUE;
  const clients: RedisClient[] = [await redisClient(address), await redisClient(address)];
  const [qc, ec] = clients as [RedisClient, RedisClient];
  const queue = new Queue(name, { connection: qc as unknown as ConnectionOptions });
  const events = new QueueEvents(name, { connection: ec as unknown as ConnectionOptions });
  // A broken connection is watched here: while down, waits fail after downMs.
  const downMs = o.downMs ?? 10_000;
  let downSince: number | undefined;
  let lastError = '';
  for (const c of clients) {
    c.on('error', (e) => {
      downSince ??= Date.now();
      lastError = e?.message ?? 'error';
    });
    c.on('ready', () => {
      downSince = undefined;
    });
  }
  // Every waiting job listens on these emitters: a generation has more than Node's default 10.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  queue.on('error', () => {});
  events.on('error', () => {});
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  // No worker: jobs sit in the queue and the run would wait forever. Progress is any job of this
  // generation starting or ending; a job of the queue running (possibly another run's) also counts
  // as a worker being there, so a slow job never trips this.
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let lastProgress = Date.now();
  events.on('active', ({ jobId }) => {
    if (pending.has(jobId)) lastProgress = Date.now();
  });
  const idle = (ids: readonly string[]) =>
    new Promise<never>((_, reject) => {
      let checking = false;
      const t = setInterval(async () => {
        if (checking || downSince !== undefined || Date.now() - lastProgress <= timeoutMs) return;
        checking = true;
        try {
          const [active, workers] = await Promise.all([queue.getActiveCount(), queue.getWorkersCount()]);
          if (active > 0) {
            lastProgress = Date.now();
            return;
          }
          clearInterval(t);
          // Jobs nobody took are withdrawn, so a worker started later does not run a dead run's work.
          await Promise.allSettled(ids.filter((id) => pending.has(id)).map((id) => queue.remove(id)));
          reject(
            new OuterloopError(
              `cluster: no worker took a job from queue '${name}' at ${o.url} for ${timeoutMs} ms ` +
                `(${workers} worker${workers === 1 ? '' : 's'} connected); start one with ` +
                `\`outerloop worker --redis ${o.url} --queue ${name}\`, or raise cluster.timeoutMs (--job-timeout)`,
            ),
          );
        } catch {
          // Connection trouble: the watchdog reports it.
        } finally {
          checking = false;
        }
      }, 200);
      t.unref();
      stops.push(() => clearInterval(t));
    });
  const watchdog = () =>
    new Promise<never>((_, reject) => {
      const t = setInterval(() => {
        if (downSince !== undefined && Date.now() - downSince > downMs) {
          clearInterval(t);
          reject(new OuterloopError(`cluster: lost Redis at ${o.url} for over ${downMs} ms (${lastError})`));
        }
      }, 200);
      t.unref();
      stops.push(() => clearInterval(t));
    });
  const stops: (() => void)[] = [];

  // Each job's end arrives on the event stream; a tick also reads the jobs themselves when no
  // event came for a second, since a stream reader can miss events (it starts at '$', and the
  // stream is trimmed under load).
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let lastEvent = Date.now();
  const settle = (id: string, r: unknown) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    lastEvent = Date.now();
    lastProgress = lastEvent;
    p.resolve(r);
  };
  const fail = (id: string, why: string) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.reject(new OuterloopError(`cluster: job ${id} failed on a worker: ${why}`));
  };
  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => fail(jobId, failedReason));
  let polling = false;
  const poll = setInterval(async () => {
    if (polling || pending.size === 0 || Date.now() - lastEvent < 1000 || downSince !== undefined) return;
    polling = true;
    try {
      for (const id of [...pending.keys()]) {
        const job = await Job.fromId(queue, id);
        if (job?.finishedOn === undefined) continue;
        if (job.failedReason) fail(id, job.failedReason);
        else settle(id, job.returnvalue);
      }
    } catch {
      // Connection trouble: the watchdog reports it.
    } finally {
      polling = false;
      lastEvent = Date.now();
    }
  }, 250);
  poll.unref();

  return {
    async evaluate(jobs: readonly AnyJob[]) {
      const run = async () => {
        const ids = jobs.map(jobId);
        const results = ids.map(
          (id) => new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject })),
        );
        lastEvent = Date.now();
        lastProgress = lastEvent;
        await queue.addBulk(
          jobs.map((data, j) => ({
            name: data.kind,
            data,
            // Count-based trimming stays O(1) per job; the window keeps every job of a generation
            // readable for the polling safety net.
            opts: { jobId: ids[j] as string, removeOnComplete: { count: 100_000 }, removeOnFail: { count: 10_000 } },
          })),
        );
        return Promise.all(
          results.map(async (p, j) => {
            const r = await p;
            const parsed = resultSchema.safeParse(typeof r === 'string' ? JSON.parse(r) : r);
            if (!parsed.success) throw new OuterloopError(`cluster: job ${ids[j]}: malformed result`);
            return decodeFloat64(parsed.data.values);
          }),
        );
      };
      try {
        const ids = jobs.map(jobId);
        return await Promise.race([run(), watchdog(), idle(ids)]);
      } finally {
        for (const s of stops.splice(0)) s();
        for (const id of pending.keys()) pending.delete(id);
      }
    },
    async close() {
      clearInterval(poll);
      for (const s of stops.splice(0)) s();
      // A graceful close waits on the connection: with Redis gone it would never return.
      if (downSince !== undefined) for (const c of clients) c.disconnect();
      const closing = Promise.allSettled([queue.close(), events.close()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closing, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      for (const c of clients) c.disconnect();
    },
  };
}
