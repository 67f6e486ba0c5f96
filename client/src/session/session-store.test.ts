import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The browser's localStorage, as far as the session store uses it. */
class MemoryStorage {
  private readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

const USER = { id: 'u1', username: 'anna', role: 'monitor' as const };

/** A fresh copy of the store module: what a page reload gets. */
async function reloadStore() {
  vi.resetModules();
  return (await import('./session-store')).useSession;
}

beforeEach(() => {
  vi.stubGlobal('localStorage', new MemoryStorage());
});

describe('session store', () => {
  it('stays signed in across a reload', async () => {
    (await reloadStore()).getState().signedIn('token-1', USER);
    const after = (await reloadStore()).getState();
    expect(after).toMatchObject({ status: 'signed-in', token: 'token-1', user: USER });
  });

  it('forgets the token but remembers whose outbox waits when the session expires', async () => {
    (await reloadStore()).getState().signedIn('token-1', USER);
    (await reloadStore()).getState().expired();
    const after = (await reloadStore()).getState();
    expect(after).toMatchObject({ status: 'expired', token: undefined, user: USER });
  });

  it('forgets everything on sign-out', async () => {
    (await reloadStore()).getState().signedIn('token-1', USER);
    (await reloadStore()).getState().signedOut();
    expect((await reloadStore()).getState()).toMatchObject({ status: 'signed-out', token: undefined, user: undefined });
  });

  it('starts signed out when the stored session is unreadable', async () => {
    localStorage.setItem('truceline.session', '{not json');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect((await reloadStore()).getState().status).toBe('signed-out');
  });
});
