import { v7 as uuidv7 } from 'uuid';
import type { SessionEndReason, User } from '@truceline/shared';
import type { SessionState, Store } from '../storage/store.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { hashToken, newToken } from './tokens.js';

const DAY_MS = 86_400_000;
// Recording "last used" on every request would turn each read into a write; once a
// minute is plenty for an expiry counted in days.
export const TOUCH_EVERY_MS = 60_000;

export interface Authenticated {
  user: User;
  sessionId: string;
}

/** How long sessions live: `SESSION_IDLE_DAYS` unused, `SESSION_MAX_DAYS` from sign-in in any case. */
export interface SessionLimits {
  idleDays: number;
  maxDays: number;
}

/** Why a session may no longer be used at `now`, or undefined while it may. HTTP and live sockets both ask here. */
export function sessionEnded(state: SessionState, now: number, limits: SessionLimits): SessionEndReason | undefined {
  if (state.revoked) return 'revoked';
  if (state.userDisabled) return 'disabled';
  if (now - state.lastUsedMs > limits.idleDays * DAY_MS) return 'idle';
  if (now - state.createdAtMs > limits.maxDays * DAY_MS) return 'max_age';
  return undefined;
}

/** Logins, token checks and revocation over the store's sessions table. */
export class Sessions {
  constructor(
    private readonly store: Store,
    readonly limits: SessionLimits,
    readonly now: () => number = Date.now,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; user: User } | undefined> {
    const found = await this.store.findUserByName(username);
    if (!found) return verifyAgainstDummy(password).then(() => undefined);
    if (!(await verifyPassword(password, found.passwordHash)) || found.disabled) return undefined;
    const token = newToken();
    await this.store.createSession({ id: uuidv7(), tokenHash: hashToken(token), userId: found.id, createdAtMs: this.now() });
    return { token, user: { id: found.id, username: found.username, role: found.role } };
  }

  async authenticate(token: string | undefined): Promise<Authenticated | undefined> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return undefined;
    const now = this.now();
    const session = await this.store.findSession(hashToken(token), now - this.limits.idleDays * DAY_MS);
    if (!session) return undefined;
    const state = { ...session, revoked: false, userDisabled: session.user.disabled };
    if (sessionEnded(state, now, this.limits)) return undefined;
    if (now - session.lastUsedMs > TOUCH_EVERY_MS) await this.store.touchSession(session.sessionId, now);
    const { id, username, role } = session.user;
    return { user: { id, username, role }, sessionId: session.sessionId };
  }

  /** Revokes the session; `by` (its user signing out) is recorded in the audit log. */
  logout(sessionId: string, by: { id: string; username: string }): Promise<void> {
    const atMs = this.now();
    return this.store.revokeSession(sessionId, atMs, [
      { atMs, actor: by, action: 'session.revoke', target: { type: 'session', id: sessionId } },
    ]);
  }
}
