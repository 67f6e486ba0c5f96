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
 * stream's order. A broadcast whose append fails (Redis away) still reaches this process's own
 * sockets at once (the client's offline queue is off); other processes' watchers notice the gap
 * by `seq:head` and fill it with `reports:sync` / `GET /api/sync`.
 */
export function redisAdapter(redis: RedisConnection, log: Logger): ReturnType<typeof createAdapter> {
  const { client } = redis;
  // The adapter swallows a failed publish (it only logs it to `debug`): count it here.
  let lastLogged = 0;
  const counted =
    <A extends unknown[], R>(name: string, command: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      command(...args).catch((error: unknown) => {
        reportAdapterError();
        const now = Date.now();
        if (now - lastLogged >= 1_000) {
          lastLogged = now;
          log.warn({ err: error, command: name }, 'redis adapter publish failed; delivered to local sockets only');
        }
        throw error;
      });
  const overrides: Record<string | symbol, unknown> = {
    xAdd: counted('XADD', client.xAdd.bind(client)),
    publish: counted('PUBLISH', client.publish.bind(client)),
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
