// Reaching Redis: the URL, a bounded reachability probe (so an absent server is a clear error
// after a few seconds, never a hang in the client's endless reconnects), and clients from the
// `ioredis` driver BullMQ runs on (loaded when first needed: only Redis runs need it).
import * as net from 'node:net';
import { OuterloopError } from '../errors.js';
import { checkInteger } from '../util/check.js';

/** Where a Redis server listens. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
}

/** A redis:// URL as an address; a RangeError names what is wrong. */
export function parseRedisUrl(url: string, name = 'cluster: redis'): RedisAddress {
  if (typeof url !== 'string') throw new TypeError(`${name}: expected a redis:// URL`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RangeError(`${name}: expected a redis://host:port URL, got '${url}'`);
  }
  if (u.protocol !== 'redis:') throw new RangeError(`${name}: expected the redis: scheme, got '${u.protocol}'`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new RangeError(`${name}: database: expected an integer, got '${u.pathname}'`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

function tryConnect(a: RedisAddress, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: a.host, port: a.port });
    const t = setTimeout(() => s.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.end();
      resolve();
    });
    s.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/**
 * Resolves once a TCP connection to the server succeeds; after `attempts` failures (300 ms apart,
 * each bounded by 1 s) rejects with an OuterloopError naming the address and the last cause.
 */
export async function probeRedis(a: RedisAddress, attempts = 10): Promise<void> {
  checkInteger(attempts, 'cluster: connectAttempts', 1, 1000);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await tryConnect(a, 1000);
      return;
    } catch (e) {
      last = e;
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, 300));
    }
  }
  const cause = last instanceof Error ? ((last as NodeJS.ErrnoException).code ?? last.message) : String(last);
  throw new OuterloopError(
    `cluster: Redis at ${a.host}:${a.port} is unreachable after ${attempts} attempts (${cause}); start redis-server or fix the URL`,
  );
}

/** The part of an ioredis client used here. */
export interface RedisClient {
  on(event: 'error' | 'ready' | 'end', listener: (e?: Error) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

type RedisCtor = new (options: Record<string, unknown>) => RedisClient;
let ctor: Promise<RedisCtor> | undefined;

// The driver is named through a variable so the library builds and type-checks without it.
const DRIVER = 'ioredis';

async function loadDriver(): Promise<RedisCtor> {
  ctor ??= import(DRIVER).then(
    (m: { Redis?: RedisCtor; default?: RedisCtor }) => (m.Redis ?? m.default) as RedisCtor,
    () => {
      ctor = undefined;
      throw new OuterloopError("cluster: the Redis transport needs the 'ioredis' package (npm install ioredis)");
    },
  );
  return ctor;
}

/** True when the `ioredis` driver can be loaded. */
export async function redisDriverAvailable(): Promise<boolean> {
  try {
    await loadDriver();
    return true;
  } catch {
    return false;
  }
}

/** A client as BullMQ wants it (no per-command retry cap; reconnects every ≤ 1 s). */
export async function redisClient(a: RedisAddress): Promise<RedisClient> {
  const Redis = await loadDriver();
  return new Redis({
    host: a.host,
    port: a.port,
    db: a.db,
    username: a.username,
    password: a.password,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  });
}
