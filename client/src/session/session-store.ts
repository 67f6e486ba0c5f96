import type { User } from '@truceline/shared';
import { create } from 'zustand';

const STORAGE_KEY = 'truceline.session';

export type SessionStatus = 'signed-out' | 'signed-in' | 'expired';

export interface SessionState {
  status: SessionStatus;
  token: string | undefined;
  /** The signed-in user; kept after expiry so the outbox knows whose reports it holds. */
  user: User | undefined;
  signedIn(token: string, user: User): void;
  /** The server refused the token (revoked, expired, user disabled). */
  expired(): void;
  signedOut(): void;
}

interface Persisted {
  token?: string;
  user?: User;
  status: SessionStatus;
}

function load(): Persisted {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return { status: 'signed-out' };
    const data = JSON.parse(raw) as Persisted;
    return data.user ? data : { status: 'signed-out' };
  } catch (error) {
    console.warn('session: stored session unreadable, starting signed out', error);
    return { status: 'signed-out' };
  }
}

function save(p: Persisted): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(p));
}

/** Who is signed in. Persisted in localStorage so a reload (or a day offline) keeps the session. */
export const useSession = create<SessionState>((set, get) => {
  const initial = load();
  return {
    status: initial.status,
    token: initial.token,
    user: initial.user,
    signedIn(token, user) {
      save({ token, user, status: 'signed-in' });
      set({ status: 'signed-in', token, user });
    },
    expired() {
      const { user } = get();
      save({ ...(user ? { user } : {}), status: 'expired' });
      set({ status: 'expired', token: undefined });
    },
    signedOut() {
      localStorage.removeItem(STORAGE_KEY);
      set({ status: 'signed-out', token: undefined, user: undefined });
    },
  };
});
