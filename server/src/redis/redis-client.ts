import { createClient } from 'redis';
import type { Logger } from 'pino';
import { reportAdapterError } from './adapter-errors.js';

export type RedisClient = ReturnType<typeof createClient>;

/** What this process shares through Redis, and how it talks to it. */
export interface RedisConnection {
  /** Commands (limits, connection counts, the adapter's publishes): fail at once while Redis is away. */
  readonly client: RedisClient;
  /** Every key and stream of this deployment starts with it (`REDIS_PREFIX`), so tests and missions can share one Redis. */
  readonly prefix: string;
  /** Whether the command connection is up right now. */
  readonly ready: boolean;
  close(): Promise<void>;
}

export class RedisStartError extends Error {}

/** Reconnect delays once serving: quick at first, then every 5 s for as long as Redis is away. */
function backoffMs(retries: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(retries, 6));
}

/** Shows the URL without its password: it goes into logs and error messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Connects before the port opens. A Redis that does not answer at start is a configuration
 * error (`RedisStartError`: the process exits 1 with its message); one that goes away later is
 * an outage: the process keeps serving its own sockets (publishes fail at once instead of
 * queueing, so a local broadcast never waits for Redis), logs, counts adapter errors and
 * reconnects by itself.
 */
export async function connectRedis(url: string, prefix: string, log: Logger, connectTimeoutMs = 5_000): Promise<RedisConnection> {
  let serving = false;
  let lastLogged = 0;
  const client = createClient({
    url,
    // A command while disconnected rejects instead of waiting in an unbounded queue: the
    // adapter then delivers to local sockets at once, and the limits fall back to memory.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Before the first connection, give up (start fails); after it, retry forever.
      reconnectStrategy: (retries, cause) => (serving ? backoffMs(retries) : new RedisStartError(cause.message)),
    },
  });
  // The adapter's duplicates (the stream reader, the subscriber) keep their offline queue: a
  // blocking XREAD that rejected at once would spin the adapter's read loop while Redis is away.
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((overrides?: Parameters<RedisClient['duplicate']>[0]) => duplicate({ ...overrides, disableOfflineQueue: false })) as RedisClient['duplicate'];
  client.on('error', (error: Error) => {
    if (!serving) return;
    reportAdapterError();
    // One line per outage second is enough: a reconnect loop would fill the log.
    const now = Date.now();
    if (now - lastLogged >= 1_000) {
      lastLogged = now;
      log.error({ err: error }, 'redis connection failed; serving local sockets only, reconnecting');
    }
  });
  client.on('ready', () => {
    if (serving) log.warn('redis connection restored');
  });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new RedisStartError(
      `Redis at ${redactedUrl(url)} (REDIS_URL) does not answer: ${reason}. Start Redis, fix REDIS_URL, or unset it to run as one process.`,
    );
  }
  serving = true;
  return {
    client,
    prefix,
    get ready() {
      return client.isReady;
    },
    close: async () => {
      serving = false;
      if (!client.isOpen) return;
      try {
        await client.quit();
      } catch {
        await client.disconnect().catch(() => undefined);
      }
    },
  };
}
