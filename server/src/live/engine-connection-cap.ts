import type { IncomingMessage } from 'node:http';

/** engine.io's `allowRequest` hook: it runs for a handshake request, before the connection has an id. */
export type AllowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void;

/** The part of an engine.io connection the cap uses. */
interface EngineSocket {
  readonly request: IncomingMessage;
  once(event: 'close', listener: () => void): unknown;
  close(discard?: boolean): unknown;
}

/** The part of the engine.io server (`io.engine`) the cap uses. */
interface Engine {
  on(event: 'connection', listener: (socket: EngineSocket) => void): unknown;
}

/**
 * Connections per address across all processes (`redis-connection-counts.ts`). Without it the
 * cap counts this process's connections only.
 */
export interface SharedConnectionCounts {
  /** Adds connection `id`; resolves with the address's open connections everywhere, this one included. */
  opened(address: string, id: string): Promise<number>;
  closed(address: string, id: string): void;
  countOf(address: string): Promise<number>;
}

/**
 * `MAX_CONNECTIONS_PER_IP` counted at the engine.io connection, from its handshake to its close,
 * whether or not a Socket.IO connection with a valid token ever rides on it. Counted only once
 * signed in, thirty bare handshakes from one address could each stay open for the whole connect
 * timeout.
 *
 * Past the cap, the contract's refusal still holds: the handshake opens, and the Socket.IO
 * connect on it is refused with `rate_limited` in `connect_error` (`refusesSignIn`), so a client
 * can tell it from a network failure; the connection then closes. Only an address at twice the
 * cap is refused at the handshake itself (engine.io answers `403` with the message, before any
 * connection state exists): there a flood of bare handshakes stops.
 *
 * A slot is only worth capping if an idle one cannot be held for long: a connection that has not
 * signed in within `signInWithinMs` is dropped, discarding its transport. Socket.IO's own
 * `connectTimeout` closes such a connection gracefully, but a polling one that is not polling
 * then waits 30 s (engine.io's fixed close timeout) for a request to carry the close packet, and
 * keeps its slot meanwhile; so that timeout must be the later one.
 */
export class EngineConnectionCap {
  private readonly open = new Map<string, number>();
  private readonly signInDeadlines = new WeakMap<EngineSocket, NodeJS.Timeout>();
  /** Connections opened while their address was at the cap: no sign-in on them. */
  private readonly overCap = new WeakSet<EngineSocket>();
  /** Connections whose shared count is still being taken: their sign-in waits for it. */
  private readonly verdicts = new WeakMap<EngineSocket, Promise<boolean>>();
  private nextId = 0;

  constructor(
    /** Connections per address; 0 = no cap. */
    private readonly max: number,
    private readonly addressOf: (req: IncomingMessage) => string,
    private readonly onRefused: (address: string) => void = () => undefined,
    /** Counts across processes; while it fails (Redis away) this process's own count decides. */
    private readonly shared?: SharedConnectionCounts,
  ) {}

  /** Open connections past which a handshake is refused outright. */
  private get ceiling(): number {
    return 2 * this.max;
  }

  /** `allowRequest` that refuses an address at twice the cap, and otherwise asks `next`. */
  guard(next: AllowRequest): AllowRequest {
    return (req, callback) => {
      if (this.max <= 0) return next(req, callback);
      const address = this.addressOf(req);
      const decide = (open: number) => {
        if (open >= this.ceiling) {
          this.onRefused(address);
          return callback(`Too many connections from ${address}: at most ${this.max} at a time (MAX_CONNECTIONS_PER_IP).`, false);
        }
        next(req, callback);
      };
      if (!this.shared) return decide(this.countOf(address));
      this.shared.countOf(address).then(decide, () => decide(this.countOf(address)));
    };
  }

  /** Counts each connection of `engine` until it closes, and drops those not signed in within `signInWithinMs`. */
  count(engine: Engine, signInWithinMs: number): void {
    engine.on('connection', (socket) => {
      const address = this.addressOf(socket.request);
      const now = this.countOf(address) + 1;
      this.open.set(address, now);
      // Discarded: closed at once, without waiting for the client to poll.
      const deadline = setTimeout(() => socket.close(true), signInWithinMs);
      deadline.unref();
      this.signInDeadlines.set(socket, deadline);
      const id = String(this.nextId++);
      socket.once('close', () => {
        clearTimeout(deadline);
        const left = this.countOf(address) - 1;
        if (left > 0) this.open.set(address, left);
        else this.open.delete(address);
        this.shared?.closed(address, id);
      });
      if (this.max <= 0) return;
      const judge = (open: number) => {
        if (open <= this.max) return;
        this.onRefused(address);
        // Handshakes admitted together can overshoot the ceiling (a WebSocket upgrade completes a
        // turn after its `allowRequest`); such a connection is closed as soon as it exists.
        if (open > this.ceiling) socket.close();
        else this.overCap.add(socket);
      };
      if (!this.shared) return judge(now);
      const verdict = this.shared.opened(address, id).then(judge, () => judge(this.countOf(address)));
      this.verdicts.set(
        socket,
        verdict.then(() => this.overCap.has(socket)),
      );
    });
  }

  /** Whether `socket` opened past the cap: a Socket.IO connect on it gets `rate_limited`. */
  refusesSignIn(socket: EngineSocket): boolean | Promise<boolean> {
    return this.verdicts.get(socket) ?? this.overCap.has(socket);
  }

  /** A Socket.IO connection with a valid token rides on `socket`: it may stay. */
  signedIn(socket: EngineSocket): void {
    clearTimeout(this.signInDeadlines.get(socket));
    this.signInDeadlines.delete(socket);
  }

  /** Open connections from `address`. */
  countOf(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
