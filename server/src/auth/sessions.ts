import { v7 as uuidv7 } from 'uuid';
import type { User } from '@truceline/shared';
import type { Store } from '../storage/store.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { hashToken, newToken } from './tokens.js';

const DAY_MS = 86_400_000;
// Recording "last used" on every request would turn each read into a write; once a
// minute is plenty for an expiry counted in days.
const TOUCH_EVERY_MS = 60_000;

export interface Authenticated {
  user: User;
  sessionId: string;
}

/** Logins, token checks and revocation over the store's sessions table. */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly idleDays: number,
    private readonly now: () => number = Date.now,
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
    const session = await this.store.findSession(hashToken(token), now - this.idleDays * DAY_MS);
    if (!session || session.user.disabled) return undefined;
    if (now - session.lastUsedMs > TOUCH_EVERY_MS) await this.store.touchSession(session.sessionId, now);
    const { id, username, role } = session.user;
    return { user: { id, username, role }, sessionId: session.sessionId };
  }

  logout(sessionId: string): Promise<void> {
    return this.store.revokeSession(sessionId, this.now());
  }
}
