import { type ManagerOptions, type SocketOptions, io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Hello, ServerToClientEvents } from '@truceline/shared';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const TRANSPORTS = ['websocket', 'polling'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * The transport every live test runs over. The integration suite runs twice (see
 * `vitest.config.ts`): once over websocket, once over HTTP long-polling alone, as a client
 * behind a proxy that refuses the upgrade connects; neither run may upgrade to the other.
 */
export function testTransport(): Transport {
  const chosen = process.env.TRUCELINE_TEST_TRANSPORT ?? 'websocket';
  const transport = TRANSPORTS.find((t) => t === chosen);
  if (!transport) throw new Error(`TRUCELINE_TEST_TRANSPORT must be one of ${TRANSPORTS.join(', ')}, got ${chosen}`);
  return transport;
}

function transportOptions(): Partial<ManagerOptions & SocketOptions> {
  return { transports: [testTransport()], upgrade: false };
}

/**
 * A real socket.io-client connection, resolved once the server's `hello` arrived. `before`
 * runs before the handshake, to attach listeners that must not miss what follows `hello`.
 */
export async function connect(
  url: string,
  token: string,
  before: (socket: ClientSocket) => void = () => undefined,
  extra: Partial<ManagerOptions & SocketOptions> = {},
): Promise<{ socket: ClientSocket; hello: Hello }> {
  const socket: ClientSocket = io(url, { auth: { token }, ...transportOptions(), reconnection: false, forceNew: true, ...extra });
  before(socket);
  const hello = await new Promise<Hello>((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
  });
  const used = socket.io.engine.transport.name;
  if (!extra.transports && used !== testTransport()) throw new Error(`connected over ${used}, not ${testTransport()}`);
  return { socket, hello };
}

/** Resolves with the connect_error a refused handshake produces. */
export function connectError(url: string, auth: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Error & { data?: unknown }> {
  const socket: ClientSocket = io(url, { auth, ...transportOptions(), reconnection: false, forceNew: true, ...extra });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('connection was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error as Error & { data?: unknown });
    });
  });
}

type EventArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Collects every payload of `event` from now on; `until` waits for one matching a predicate. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const seen: EventArgs<E>[] = [];
  const waiters: { test: (v: EventArgs<E>) => boolean; resolve: (v: EventArgs<E>) => void }[] = [];
  const listener = (payload: EventArgs<E>) => {
    seen.push(payload);
    for (const w of [...waiters]) {
      if (w.test(payload)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  };
  // The event map's listener types are per event; this generic collector takes any payload.
  (socket as unknown as { on(e: string, l: (p: EventArgs<E>) => void): void }).on(event, listener);
  return {
    seen,
    until(test: (v: EventArgs<E>) => boolean = () => true): Promise<EventArgs<E>> {
      const hit = seen.find(test);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

export function emitAck<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => {
    (socket as unknown as { emit(e: string, p: unknown, ack: (r: unknown) => void): void }).emit(event, payload, (r: unknown) =>
      resolve(r as Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]),
    );
  });
}

/** Resolves with the reason once the server (or anything) disconnects `socket`. */
export function disconnected(socket: ClientSocket): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}
