import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { createAccount } from './bootstrap.js';
import { Sessions, sessionEnded } from './sessions.js';

const DAY = 86_400_000;

describe('Sessions', () => {
  let dir: string;
  let store: SqliteStore;
  const clock = { now: Date.UTC(2026, 0, 1) };
  let sessions: Sessions;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-sessions-'));
    store = SqliteStore.open(dir);
    await createAccount(store, 'Mykola', 'a-long-password', 'monitor');
    sessions = new Sessions(store, { idleDays: 14, maxDays: 90 }, () => clock.now);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs in case-insensitively and refuses a wrong password', async () => {
    expect((await sessions.login('mykola', 'a-long-password'))?.user.username).toBe('Mykola');
    expect(await sessions.login('Mykola', 'a-long-passwore')).toBeUndefined();
    expect(await sessions.login('nobody', 'a-long-password')).toBeUndefined();
  });

  it('keeps a token alive while it is used and expires it after SESSION_IDLE_DAYS unused', async () => {
    const { token } = (await sessions.login('Mykola', 'a-long-password'))!;
    clock.now += 13 * DAY;
    expect(await sessions.authenticate(token)).toBeDefined();
    // Used on day 13: the 14 days count again from there.
    clock.now += 13 * DAY;
    expect(await sessions.authenticate(token)).toBeDefined();
    clock.now += 14 * DAY + 1;
    expect(await sessions.authenticate(token)).toBeUndefined();
  });

  it('ends a session SESSION_MAX_DAYS after sign-in even while it is used', async () => {
    const signedInAt = clock.now;
    const { token } = (await sessions.login('Mykola', 'a-long-password'))!;
    // Used every week: never idle.
    while (clock.now + 7 * DAY <= signedInAt + 90 * DAY) {
      clock.now += 7 * DAY;
      expect(await sessions.authenticate(token)).toBeDefined();
    }
    clock.now = signedInAt + 90 * DAY + 1;
    expect(await sessions.authenticate(token)).toBeUndefined();
  });

  it('stores only a hash of the token and forgets it on logout', async () => {
    const { token } = (await sessions.login('Mykola', 'a-long-password'))!;
    for (const file of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(dir, file)).includes(token)).toBe(false);
    const auth = (await sessions.authenticate(token))!;
    await sessions.logout(auth.sessionId, auth.user);
    expect(await sessions.authenticate(token)).toBeUndefined();
  });
});

describe('sessionEnded', () => {
  const limits = { idleDays: 14, maxDays: 90 };
  const live = { createdAtMs: 0, lastUsedMs: 0, revoked: false, userDisabled: false };
  it.each<[string, Partial<typeof live>, number, ReturnType<typeof sessionEnded>]>([
    ['live', {}, 14 * DAY, undefined],
    ['revoked', { revoked: true }, 0, 'revoked'],
    ['user disabled', { userDisabled: true }, 0, 'disabled'],
    ['unused for more than SESSION_IDLE_DAYS', {}, 14 * DAY + 1, 'idle'],
    ['used lately but signed in more than SESSION_MAX_DAYS ago', { lastUsedMs: 90 * DAY }, 90 * DAY + 1, 'max_age'],
  ])('%s', (_why, state, now, expected) => {
    expect(sessionEnded({ ...live, ...state }, now, limits)).toBe(expected);
  });
});
