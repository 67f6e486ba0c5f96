import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type BootstrapOutcome, ensureAdmin } from './auth/bootstrap.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Sessions } from './auth/sessions.js';
import type { Config } from './config.js';
import { createExpressApp } from './http/express-app.js';
import { type HttpRoute, listRoutes } from './http/route-list.js';
import type { Broadcaster } from './ingest/broadcast.js';
import { CommitQueue } from './ingest/commit-queue.js';
import { backfillPlaces } from './ingest/backfill-places.js';
import { loadIncidentIndex } from './ingest/load-index.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { RateLimiter, type SubmissionLimiter } from './ingest/rate-limiter.js';
import { RedisRateLimiter } from './ingest/redis-rate-limiter.js';
import { redisLoginLimiters } from './auth/redis-login-limiters.js';
import { type RedisConnection, connectRedis } from './redis/redis-client.js';
import { listedOrigins } from './live/origin-policy.js';
import { type Live, attachSocketServer } from './live/socket-server.js';
import { Places } from './places/places.js';
import { ReadLimits } from './read/read-limits.js';
import { createLogger } from './logger.js';
import { startMetricsServer } from './metrics/metrics-http.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { assertOneRequestOwner, createHttpServer } from './net/http-server.js';
import { widerDirWarning } from './storage/sqlite/private-files.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';

const AUDIT_HEAD_EVERY_MS = 3_600_000;

export { loadConfig, ConfigError, type Config } from './config.js';
export type { Store } from './storage/store.js';
export type { HttpRoute } from './http/route-list.js';

export interface Truceline {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  readonly admin: BootstrapOutcome;
  /** Binds `config.host:config.port`; resolves with the URL clients use. */
  listen(): Promise<string>;
  /** Checks every live socket's session again now (revoked, idle, too old); the `SESSION_CHECK_SECONDS` interval does it too. */
  checkSessions(): Promise<void>;
  /** Every method and path the HTTP app routes (the published description must list each `/api` one). */
  routes(): HttpRoute[];
  /** The `METRICS_PORT` listener's URL once listening, if there is one. */
  metricsUrl(): string | undefined;
  /** Graceful stop: refuse new work, finish what is in flight, close the database. */
  close(): Promise<void>;
}

/** What tests may replace. */
export interface TrucelineOptions {
  /** The server's clock for sessions (sign-in, expiry, the live re-check) and the commit back-off. */
  now?: () => number;
  /** Wraps the opened store: the seam tests use to make storage fail (a full disk) under a real server. */
  wrapStore?: (store: Store) => Store;
}

/** Resolves after the event loop's next check phase: pending I/O has been read, pending promise callbacks have run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Wires config → storage → grouping → ingest → HTTP and Socket.IO; nothing listens until `listen()`. */
export async function createTruceline(
  config: Config,
  log: Logger = createLogger(config.logLevel),
  options: TrucelineOptions = {},
): Promise<Truceline> {
  let lifecycle: 'starting' | 'ready' | 'draining' = 'starting';
  if (!listedOrigins(config)) {
    log.warn(
      'PUBLIC_URL is not set: browsers may open live connections only at localhost or an IP address of this server; set PUBLIC_URL to the address monitors open',
    );
  }
  // A mission's gazetteer CSVs are checked before anything opens (a bad row stops the start with
  // its file and line); the GeoNames list loads in the background like the incident index.
  const places = Places.start(config.dataDir, config.placeMinPopulation, log);
  // Before the store: a Redis that does not answer stops the start with its own message.
  const redis: RedisConnection | undefined = config.redisUrl ? await connectRedis(config.redisUrl, config.redisPrefix, log) : undefined;
  const opened = await openStore(config, log).catch(async (error: unknown) => {
    await redis?.close();
    throw error;
  });
  const dirWarning = widerDirWarning(config.dataDir);
  if (dirWarning) log.warn(dirWarning);
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const admin = await ensureAdmin(store, config.dataDir, config.adminPassword).catch(async (error: unknown) => {
    await store.close();
    await redis?.close();
    throw error;
  });
  // Loaded in the background: the port opens at once and /api/health says 503 until it is done.
  const startedAt = Date.now();
  // The watermark the index was loaded at lets its first commit catch up with what others (and
  // the places backfill) wrote since, rather than start over.
  const indexWindow = { windowDays: config.incidentIndexDays, watermark: () => store.lastSeq() };
  const index = loadIncidentIndex(store, config.grouping, indexWindow).then((loaded) => {
    const from = loaded.loadedIntervals[0]?.[0];
    const since = from !== undefined && Number.isFinite(from) ? new Date(from).toISOString() : 'all';
    log.info({ members: loaded.size, since, ms: Date.now() - startedAt }, 'incident index loaded');
    return loaded;
  });

  // Prometheus metrics only when someone may read them (docs/deploy.md, "Metrics").
  const metrics = config.metricsToken !== undefined || config.metricsPort !== undefined ? new ServerMetrics() : undefined;
  let metricsServer: { url: string; close(): Promise<void> } | undefined;
  // The queue is built before the socket server that publishes its commits; this forwards to it.
  const publish: { to?: Broadcaster } = {};
  const queue = new CommitQueue(
    metrics ? metrics.store(store) : store,
    // Nothing commits, and health stays 503, until places can be named, and have been given to
    // whatever was stored before places existed (a one-time step on an upgraded database).
    Promise.all([index, places.ready]).then(async ([loaded]) => {
      await backfillPlaces(store, places.placeOf, log);
      return loaded;
    }),
    () => loadIncidentIndex(store, config.grouping, indexWindow),
    { committed: (events) => (metrics ? metrics.broadcast(events, () => publish.to?.committed(events)) : publish.to?.committed(events)) },
    log,
    undefined,
    options.now,
    places.placeOf,
  );
  const sessions = new Sessions(store, { idleDays: config.sessionIdleDays, maxDays: config.sessionMaxDays }, options.now);
  const limiter: SubmissionLimiter = redis ? new RedisRateLimiter(redis, config.rateLimit, log) : new RateLimiter(config.rateLimit);
  const pipeline = new IngestPipeline(store, metrics ? metrics.queue(queue) : queue, limiter, Date.now, places);
  const sweeper = setInterval(() => limiter.sweep(), 60_000);
  sweeper.unref();
  // The audit chain's head in the log every hour and at shutdown: a copy of the log kept
  // elsewhere then proves history up to that entry was not rewritten since (docs/audit.md).
  const logAuditHead = async (when: string) => log.info({ auditHead: await store.auditHead(), when }, 'audit head');
  const auditHeadTimer = setInterval(() => {
    logAuditHead('hourly').catch((error: unknown) => log.warn({ err: error }, 'could not read the audit head'));
  }, AUDIT_HEAD_EVERY_MS);
  auditHeadTimer.unref();
  const readLimits = new ReadLimits({ perMinute: config.readRateLimit, concurrency: config.readConcurrency });
  // The express app must own the HTTP server's `request` event before Socket.IO attaches: engine.io
  // then keeps it as the handler for every path that is not `/socket.io/`. A `request` listener
  // added after Socket.IO would also see its long-polling requests and write (headers, a 404) to
  // responses that engine.io owns; that stopped the process (ERR_HTTP_HEADERS_SENT) whenever a
  // client fell back to polling. `live` is bound below; the app calls it only once serving.
  const app = createExpressApp({
    config,
    store,
    sessions,
    pipeline,
    log,
    loginLimiter: new LoginLimiter(redis ? redisLoginLimiters(redis) : undefined),
    readLimits,
    // The committed watermark: every reader's head (ARCHITECTURE.md, "Sequence").
    headSeq: () => store.lastSeq(),
    lifecycle: () => lifecycle,
    commitTrouble: () => queue.failing,
    disconnectUser: (id) => live.disconnectUser(id),
    disconnectSession: (id) => live.disconnectSession(id),
    endUserSessions: (id, except) => live.endUserSessions(id, except),
    places,
    metrics,
  });
  const httpServer = createHttpServer(config, app);
  const live: Live = attachSocketServer(httpServer, { config, sessions, pipeline, store, log, readLimits, redis });
  assertOneRequestOwner(httpServer);
  metrics?.watchSockets(live.io);
  metrics?.watchWatermark(() => store.lastSeq());
  publish.to = live.publisher;

  let closing: Promise<void> | undefined;
  return {
    config,
    log,
    store,
    admin,
    checkSessions: () => live.checkSessions(),
    routes: () => listRoutes(app),
    metricsUrl: () => metricsServer?.url,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          const url = `${config.tlsCert ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
          log.info({ url }, 'listening; loading the incident index');
          (metrics && config.metricsPort !== undefined
            ? startMetricsServer(metrics.registry, config.metricsPort, config.metricsHost, config.metricsToken).then((started) => {
                metricsServer = started;
                log.info({ url: started.url }, 'metrics listening');
              })
            : Promise.resolve()
          )
            .then(() => queue.ready())
            .then(() => {
              if (lifecycle === 'starting') lifecycle = 'ready';
              resolve(url);
            }, reject);
        });
      }),
    close: () => {
      closing ??= (async () => {
        lifecycle = 'draining';
        clearInterval(sweeper);
        clearInterval(auditHeadTimer);
        live.refuseNewConnections();
        // The listener stays open until the live connections are closed: a long-polling client
        // sends each submission, and collects each ack, on an HTTP request of its own (often a
        // kept-alive connection), so closing it first would cut what websocket clients keep.
        // Socket.IO's close below closes the listener; 'close' fires when every connection ended.
        const stopped = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
        // Submissions already sent on open connections are in flight too: give the event loop
        // poll phases to read them, commit them, and let their acks go out (the turn after the
        // drain runs the handlers' continuations) before the sockets close. Disconnecting
        // first would store such a report but lose its ack.
        await nextTurn();
        await nextTurn();
        await queue.drain();
        await nextTurn();
        await live.close();
        httpServer.closeIdleConnections();
        await queue.drain();
        // In-flight HTTP requests have had the drain to finish; cut what is left (stuck exports, slow readers).
        const grace = setTimeout(() => httpServer.closeAllConnections(), 5_000);
        await stopped;
        clearTimeout(grace);
        await queue.drain();
        // Last, when nothing more can be appended: the head as the database is left.
        await logAuditHead('shutdown');
        await metricsServer?.close();
        await store.close();
        await redis?.close();
        log.info('stopped');
      })();
      return closing;
    },
  };
}
