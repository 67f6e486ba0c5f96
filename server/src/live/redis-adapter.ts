import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { reportAdapterError } from '../redis/adapter-errors.js';
import type { RedisConnection } from '../redis/redis-client.js';

/** The stream and channel names of a deployment: one stream per `REDIS_PREFIX`, so tests (and missions) sharing a Redis never hear each other. */
export function adapterNames(prefix: string): { streamName: string; channelPrefix: string; sessionKeyPrefix: string } {
  return { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io`, sessionKeyPrefix: `${prefix}:sio:session:` };
}

/**
 * Socket.IO's Redis streams adapter: every broadcast (`io.to(room).emit`) is appended to one
 * Redis stream that every process reads, so a watcher on any process receives it once, in the
 * stream's order; server-to-server messages (each commit, see `Publisher`) go by Redis pub/sub.
 * A commit whose publish fails (Redis away) still reaches this process's own sockets at once
 * (the client's offline queue is off); other processes' watchers notice the gap by `seq:head`
 * and fill it with `reports:sync` / `GET /api/sync`.
 */
export function redisAdapter(redis: RedisConnection, log: Logger): ReturnType<typeof createAdapter> {
  const { client } = redis;
  // The adapter swallows a failed XADD (it only logs it to `debug`): count it here. A PUBLISH
  // (commits between processes, fetchSockets) it does not even await, so its failure would be
  // an unhandled rejection that ends the process: counted, logged and answered with "nobody
  // heard it" (the reply's meaning), which no caller of the adapter reads.
  let lastLogged = 0;
  const report = (name: string, error: unknown): void => {
    reportAdapterError();
    const now = Date.now();
    if (now - lastLogged >= 1_000) {
      lastLogged = now;
      log.warn({ err: error, command: name }, 'redis adapter publish failed; delivered to local sockets only');
    }
  };
  const xAdd = client.xAdd.bind(client);
  const publish = client.publish.bind(client);
  const overrides: Record<string | symbol, unknown> = {
    xAdd: (...args: Parameters<typeof xAdd>) =>
      xAdd(...args).catch((error: unknown) => {
        report('XADD', error);
        throw error;
      }),
    publish: (...args: Parameters<typeof publish>) =>
      publish(...args).catch((error: unknown) => {
        report('PUBLISH', error);
        return 0;
      }),
  };
  // Everything else goes to the client itself (its methods use private state: bind them to it).
  const publisher = new Proxy(client, {
    get: (target, property) => {
      if (property in overrides) return overrides[property];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return createAdapter(publisher, { ...adapterNames(redis.prefix), maxLen: 10_000 });
}
