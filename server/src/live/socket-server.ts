import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import { type ConnectErrorData, LIVE_FORMATS, type LiveFormat, PROTOCOL_VERSION, SOCKET_LIMITS, toUtcIso } from '@truceline/shared';
import type { Logger } from 'pino';
import { ROOMS, audienceRoom, can } from '../auth/access.js';
import type { Sessions } from '../auth/sessions.js';
import type { Config } from '../config.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import { addressKey, clientAddress } from '../net/client-address.js';
import type { ReadLimits } from '../read/read-limits.js';
import type { Store } from '../storage/store.js';
import { InFlight, quiesce } from './in-flight.js';
import { EngineConnectionCap } from './engine-connection-cap.js';
import { originCheck } from './origin-policy.js';
import { PresenceTracker } from './presence.js';
import { Publisher } from './publisher.js';
import { SessionWatch } from './session-watch.js';
import { registerHandlers } from './socket-handlers.js';
import type { TrucelineServer, TrucelineSocket } from './types.js';
import type { RedisConnection } from '../redis/redis-client.js';
import { answerPresence, clusterPresence } from './cluster-presence.js';
import { RedisConnectionCounts } from './redis-connection-counts.js';
import { redisAdapter } from './redis-adapter.js';

export interface LiveDeps {
  config: Config;
  sessions: Sessions;
  pipeline: IngestPipeline;
  store: Store;
  log: Logger;
  readLimits: ReadLimits;
  /** Set with `REDIS_URL`: fan-out, the connection cap and presence across processes. */
  redis?: RedisConnection;
}

export interface Live {
  io: TrucelineServer;
  publisher: Publisher;
  presence: PresenceTracker;
  /** Disconnects every socket of a user (disabled, role changed) or of one session (logout). */
  disconnectUser(userId: string): void;
  disconnectSession(sessionId: string): void;
  /** Draining: new handshakes are refused while open connections finish. */
  refuseNewConnections(): void;
  /** Ends a user's sessions' sockets but those of `exceptSessionId` (password changed or reset): `session:ended`, then disconnect. */
  endUserSessions(userId: string, exceptSessionId?: string): void;
  /** Checks every connected socket's session again now (what the `SESSION_CHECK_SECONDS` interval does). */
  checkSessions(): Promise<void>;
  close(): Promise<void>;
}

/** How long a graceful close waits for open connections to flush their last acks. */
const FLUSH_GRACE_MS = 5_000;

class RefusedConnection extends Error {
  readonly data: ConnectErrorData;
  constructor(code: 'unauthorized' | 'rate_limited' | 'invalid', message: string) {
    super(message);
    this.data = { error: { code, message } };
  }
}

/** The handshake's `live` option; `undefined` when it names no known format. */
function liveFormat(value: unknown): LiveFormat | undefined {
  if (value === undefined) return 'items';
  return LIVE_FORMATS.find((format) => format === value);
}

export function attachSocketServer(httpServer: HttpServer, deps: LiveDeps): Live {
  const { config, sessions, log } = deps;
  let draining = false;
  const addressOf = (req: IncomingMessage) => clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustProxy);
  // Counted like the sign-in limits: an IPv6 subscriber by its /64, which it can fill with addresses.
  const sharedCounts = deps.redis ? new RedisConnectionCounts(deps.redis) : undefined;
  const connectionCap = new EngineConnectionCap(
    config.maxConnectionsPerIp,
    (req) => addressKey(addressOf(req)),
    (address) => log.warn({ address }, 'socket refused: MAX_CONNECTIONS_PER_IP'),
    sharedCounts,
  );
  const originAllowed = originCheck(config);
  const io: TrucelineServer = new Server(httpServer, {
    serveClient: false,
    ...(deps.redis ? { adapter: redisAdapter(deps.redis, log) } : {}),
    // Room for a full 1 MiB batch plus framing; the handlers enforce the contract's limits
    // with an error ack, instead of Socket.IO silently dropping the connection.
    maxHttpBufferSize: 2 * SOCKET_LIMITS.maxMessageBytes,
    pingInterval: 20_000,
    pingTimeout: 25_000,
    // A backstop only: `connectionCap` drops a connection that has not signed in within
    // SOCKET_CONNECT_TIMEOUT_MS first (Socket.IO's own close would leave an idle polling one
    // waiting 30 s for a poll, see EngineConnectionCap).
    connectTimeout: 2 * config.socketConnectTimeoutMs,
    ...(config.allowedOrigins ? { cors: { origin: config.allowedOrigins, credentials: false } } : {}),
    allowRequest: connectionCap.guard((req, callback) => {
      if (draining) return callback('the server is shutting down', false);
      const origin = req.headers.origin;
      // Browsers always send Origin; scripts and servers may not (they still need a token).
      if (origin === undefined) return callback(null, true);
      if (originAllowed(origin, req.socket.localPort)) return callback(null, true);
      log.warn({ origin }, 'socket refused: origin not allowed');
      callback(`origin ${origin} is not allowed (PUBLIC_URL, ALLOWED_ORIGINS)`, false);
    }),
  });
  connectionCap.count(io.engine, config.socketConnectTimeoutMs);
  // A long-polling client's messages arrive as POST bodies: until one is read, its reports are
  // in flight as much as a handler still awaiting a commit.
  const inFlight = new InFlight();
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: (error?: Error) => void) => {
    if (req.method === 'POST') res.once('close', inFlight.begin());
    next();
  });
  const publisher = new Publisher(io, () => deps.store.lastSeq(), log, deps.redis !== undefined);
  // Each process tells its own coordinators (with REDIS_URL, the list of every process).
  const presence: PresenceTracker = new PresenceTracker(
    (p) => io.local.to(ROOMS.privileged).emit('presence:update', p),
    undefined,
    deps.redis ? clusterPresence(io, () => presence.snapshot()) : undefined,
  );
  if (deps.redis) answerPresence(io, presence);
  const watch = new SessionWatch({ io, store: deps.store, limits: sessions.limits, now: sessions.now, log, intervalMs: config.sessionCheckSeconds * 1000 });

  io.use((socket, next) => {
    const address = addressOf(socket.request);
    const refuse = () => {
      next(new RefusedConnection('rate_limited', `Too many connections from ${address} (MAX_CONNECTIONS_PER_IP).`));
      // Socket.IO sends the refusal on the next tick, and only while the connection is open; a
      // close after that waits for it to be flushed, and frees the slot sooner than the sign-in
      // deadline would.
      const conn = socket.conn;
      setImmediate(() => conn.close());
    };
    const refused = connectionCap.refusesSignIn(socket.conn);
    if (refused === true) return refuse();
    // Counted across processes (REDIS_URL): the count is a round trip away.
    if (refused !== false) {
      void refused.then((over) => (over ? refuse() : signIn()));
      return;
    }
    signIn();

    function signIn(): void {
      const options = socket.handshake.auth as Record<string, unknown> | undefined;
      const token: unknown = options?.token;
      const live = liveFormat(options?.live);
      if (!live) {
        return next(new RefusedConnection('invalid', `Unknown live format ${JSON.stringify(options?.live)}: use one of ${LIVE_FORMATS.join(', ')}.`));
      }
      sessions
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((auth) => {
          if (!auth) return next(new RefusedConnection('unauthorized', 'Sign in again: the session token is missing, expired or revoked.'));
          socket.data = { user: auth.user, sessionId: auth.sessionId, address, live };
          next();
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'socket authentication failed');
          next(new Error('authentication unavailable'));
        });
    }
  });

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    connectionCap.signedIn(socket.conn);
    // Only the session's own room at once (it ends the session); the rooms that carry live
    // messages are joined right after `hello`, so `hello` is the first event, as the contract says.
    void socket.join(ROOMS.session(sessionId));
    presence.join(user);
    watch.track(socket);
    socket.on('disconnect', () => {
      presence.leave(user.id);
    });
    registerHandlers(socket, { pipeline: deps.pipeline, store: deps.store, inFlight, log, readLimits: deps.readLimits });
    void greet(socket).catch((error: unknown) => {
      log.error({ err: error }, 'hello: could not read the watermark');
      socket.disconnect(true);
    });
  });

  /**
   * `hello` with the committed watermark, then the live rooms. A commit above that watermark whose
   * message went out before the join would pass this socket by: a second reading after the join
   * covers it, sent as `seq:head` when it moved, and the client syncs the gap.
   */
  async function greet(socket: TrucelineSocket): Promise<void> {
    const { user, live } = socket.data;
    const lastSeq = await deps.store.lastSeq();
    if (!socket.connected) return;
    socket.emit('hello', { user, serverTime: toUtcIso(Date.now()), lastSeq, protocolVersion: PROTOCOL_VERSION, live });
    await socket.join([audienceRoom(user.role), ROOMS.user(user.id), ROOMS.format(live)]);
    // With REDIS_URL the list is asked of every process: it comes a round trip after hello.
    if (can(user, 'presence:read')) void presence.current().then((p) => socket.connected && socket.emit('presence:update', p));
    const after = await deps.store.lastSeq();
    if (after > lastSeq && socket.connected) socket.emit('seq:head', { lastSeq: after });
  }

  const head = setInterval(() => publisher.emitHead(), SOCKET_LIMITS.seqHeadIntervalMs);
  head.unref();

  return {
    io,
    publisher,
    presence,
    disconnectUser: (userId) => io.in(ROOMS.user(userId)).disconnectSockets(true),
    disconnectSession: (sessionId) => io.in(ROOMS.session(sessionId)).disconnectSockets(true),
    refuseNewConnections: () => {
      draining = true;
    },
    endUserSessions: (userId, exceptSessionId) =>
      watch.end(ROOMS.user(userId), 'revoked', exceptSessionId === undefined ? undefined : ROOMS.session(exceptSessionId)),
    checkSessions: () => watch.check(),
    close: async () => {
      clearInterval(head);
      watch.close();
      presence.close();
      sharedCounts?.close();
      // Let messages already sent finish: read, committed and acknowledged.
      await quiesce(() => inFlight.count > 0, { maxMs: FLUSH_GRACE_MS });
      // A disconnect first flushes what each connection still has queued (the acks of the
      // last commits); io.close() alone would discard it. Wait for those flushes, but not
      // for a client that stopped reading: its queue may never drain.
      const flushed = [...io.sockets.sockets.values()].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.conn.readyState === 'closed') resolve();
            else socket.conn.once('close', () => resolve());
          }),
      );
      io.disconnectSockets(true);
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(flushed), new Promise<void>((resolve) => (giveUp = setTimeout(resolve, FLUSH_GRACE_MS)))]);
      clearTimeout(giveUp);
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
    },
  };
}
