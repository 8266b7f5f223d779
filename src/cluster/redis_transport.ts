// The BullMQ transport, master side: a generation's jobs go into the queue in one round trip and
// the master waits for each job's end through the queue's event stream. Redis going away while a
// run waits is an error after `downMs`, never an endless wait.
import { type ConnectionOptions, type Job, Queue, QueueEvents } from 'bullmq';
import { OuterloopError } from '../errors.js';
import { decodeFloat64, JOB_KIND, type JobData, resultSchema } from './payload.js';
import { parseRedisUrl, probeRedis, type RedisClient, redisClient } from './redis_conn.js';
import type { Transport } from './transport.js';

/** Default queue name, shared by masters and `outerloop worker`. */
export const DEFAULT_QUEUE = 'outerloop-evaluate';

export interface RedisTransportOptions {
  url: string;
  queue?: string | undefined;
  connectAttempts?: number | undefined;
  /** How long Redis may stay unreachable during a run before it fails, default 10 000 ms. */
  downMs?: number;
}

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

  return {
    async evaluate(jobs: readonly JobData[]) {
      const run = async () => {
        const added: Job[] = await queue.addBulk(
          jobs.map((data) => ({
            name: JOB_KIND,
            data,
            opts: {
              jobId: `${data.run}:${data.generation}:${data.start}`,
              removeOnComplete: { age: 600 },
              removeOnFail: { age: 3600 },
            },
          })),
        );
        return Promise.all(
          added.map(async (job) => {
            let r: unknown;
            try {
              r = await job.waitUntilFinished(events);
            } catch (e) {
              throw new OuterloopError(
                `cluster: job ${job.id} failed on a worker: ${e instanceof Error ? e.message : String(e)}`,
              );
            }
            const parsed = resultSchema.safeParse(r);
            if (!parsed.success) throw new OuterloopError(`cluster: job ${job.id}: malformed result`);
            return decodeFloat64(parsed.data.values);
          }),
        );
      };
      try {
        return await Promise.race([run(), watchdog()]);
      } finally {
        for (const s of stops.splice(0)) s();
      }
    },
    async close() {
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
