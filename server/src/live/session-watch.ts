import type { SessionEndReason, SessionEnded } from '@truceline/shared';
import type { Logger } from 'pino';
import { ROOMS } from '../auth/access.js';
import { type SessionLimits, TOUCH_EVERY_MS, sessionEnded } from '../auth/sessions.js';
import type { Store } from '../storage/store.js';
import type { TrucelineServer, TrucelineSocket } from './types.js';

const MESSAGES: Record<SessionEndReason, string> = {
  revoked: 'This session was signed out (logout, or a password change); sign in again.',
  disabled: 'This account was disabled.',
  idle: 'This session expired after SESSION_IDLE_DAYS unused; sign in again.',
  max_age: 'This session reached SESSION_MAX_DAYS since sign-in; sign in again.',
};

export function sessionEndedMessage(reason: SessionEndReason): SessionEnded {
  return { reason, message: MESSAGES[reason] };
}

export interface SessionWatchDeps {
  io: TrucelineServer;
  store: Store;
  limits: SessionLimits;
  now: () => number;
  log: Logger;
  /** How often connected sockets' sessions are checked again. */
  intervalMs: number;
}

/**
 * A socket is authenticated once, at its handshake; this keeps checking. Every `intervalMs`
 * each connected socket's session is looked up again (one query for all of them) and a socket
 * whose session was revoked, idled out, outlived `SESSION_MAX_DAYS` or whose user was disabled
 * is told `session:ended` and disconnected. What a client sends counts as use of its session,
 * as an HTTP request does: its events, and the heartbeat (pong) its engine answers every ping
 * with while the app is open and connected. So a device that stays connected (a coordinator's
 * wall map, a phone left on the live feed) does not idle out while it is in use; one switched
 * off or closed stops answering and idles out as usual. `SESSION_MAX_DAYS` and revocation
 * still end any session, connected or not.
 */
export class SessionWatch {
  /** When each session's sockets last emitted, for sessions not touched since. */
  private readonly activeAt = new Map<string, number>();
  private readonly touchedAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SessionWatchDeps) {
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => deps.log.error({ err: error }, 'session re-check failed'));
    }, deps.intervalMs);
    this.timer.unref();
  }

  /** Counts every event the socket emits, and every heartbeat it answers, as use of its session. */
  track(socket: TrucelineSocket): void {
    const { sessionId } = socket.data;
    const used = () => this.activeAt.set(sessionId, this.deps.now());
    socket.use((_packet, next) => {
      used();
      next();
    });
    socket.conn.on('heartbeat', used);
  }

  /** Checks every connected socket's session now (the interval calls this; so may tests). */
  check(): Promise<void> {
    this.running ??= this.checkOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    const { io, store, limits, now } = this.deps;
    const connected = new Set<string>();
    for (const socket of io.sockets.sockets.values()) if (socket.data.sessionId) connected.add(socket.data.sessionId);
    // Use first, so a session in use is not judged idle by a last-used time the sockets have not written yet.
    for (const [sessionId, at] of this.activeAt) {
      if (!connected.has(sessionId)) this.activeAt.delete(sessionId);
      // At most once a minute, as `Sessions` does; a use too soon after the last touch waits for the next check.
      else if (at - (this.touchedAt.get(sessionId) ?? 0) >= TOUCH_EVERY_MS) {
        this.activeAt.delete(sessionId);
        this.touchedAt.set(sessionId, at);
        await store.touchSession(sessionId, at);
      }
    }
    for (const sessionId of this.touchedAt.keys()) if (!connected.has(sessionId)) this.touchedAt.delete(sessionId);
    if (connected.size === 0) return;
    const states = await store.sessionStates([...connected]);
    const at = now();
    for (const sessionId of connected) {
      const state = states.get(sessionId);
      const reason = state ? sessionEnded(state, at, limits) : 'revoked';
      if (reason) this.end(ROOMS.session(sessionId), reason);
    }
  }

  /** Tells the sockets in `room` (but those in `except`) why, then disconnects them. */
  end(room: string, reason: SessionEndReason, except?: string): void {
    const target = except ? this.deps.io.in(room).except(except) : this.deps.io.in(room);
    target.emit('session:ended', sessionEndedMessage(reason));
    target.disconnectSockets(true);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
