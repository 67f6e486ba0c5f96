import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionEnded, PASSWORD_MIN_LENGTH } from '@truceline/shared';
import { ConfigError, createTruceline, loadConfig } from '@truceline/server';
import { pino } from 'pino';
import { type TestAccount, type TestServer, api, createUsers, login, startServer, tempDataDir } from '../support/server.js';
import { type ClientSocket, connect, disconnected } from '../support/sockets.js';
import { expectHttpError } from '../support/errors.js';

function ended(socket: ClientSocket): Promise<SessionEnded> {
  return new Promise((resolve) => socket.once('session:ended', resolve));
}

function issuePaths(body: unknown): string[] {
  return ((body as { error: { issues?: { path: string }[] } }).error.issues ?? []).map((i) => i.path);
}

describe('password rules', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it.each([
    ['a common password', 'petro', '1234567890'],
    ['a common password in other letter case', 'petro', 'PassWord123'],
    ['the username', 'petro.kovalenko', 'Petro.Kovalenko'],
    ['a password under the minimum', 'petro', 'x'.repeat(PASSWORD_MIN_LENGTH - 1)],
  ])('POST /api/users refuses %s as invalid on password', async (_why, username, password) => {
    const res = await api(server.url, 'POST', '/api/users', { token: server.adminToken, body: { username, password, role: 'monitor' } });
    expectHttpError(res, 'invalid');
    expect(issuePaths(res.body)).toEqual(['password']);
  });

  it.each([
    ['too short', 'x', /at least 10/],
    ['common', '1234567890', /common/],
  ])('refuses to create the admin with an ADMIN_PASSWORD that is %s, naming the rule', async (_why, password, rule) => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), ADMIN_PASSWORD: password, LOG_LEVEL: 'silent' });
    const start = createTruceline(config, pino({ level: 'silent' }));
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(rule);
    await expect(start).rejects.toThrow(/ADMIN_PASSWORD/);
  });
});

describe('POST /api/me/password', () => {
  let server: TestServer;
  let account: TestAccount;
  beforeAll(async () => {
    server = await startServer();
    [account] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(() => server.close());

  const change = (token: string, body: unknown) => api(server.url, 'POST', '/api/me/password', { token, body });

  it('refuses a wrong current password as invalid on currentPassword, and the session lives on', async () => {
    const res = await change(account.token, { currentPassword: 'not-the-password', newPassword: 'a-brand-new-passphrase' });
    expectHttpError(res, 'invalid');
    expect(issuePaths(res.body)).toEqual(['currentPassword']);
    expect((await api(server.url, 'GET', '/api/me', { token: account.token })).status).toBe(200);
  });

  it.each([
    ['common', '1234567890'],
    ['the username', 'USERNAME'],
    ['too short', 'short'],
  ])('refuses a new password that is %s as invalid on newPassword', async (_why, newPassword) => {
    const password = newPassword === 'USERNAME' ? account.user.username.toUpperCase() : newPassword;
    const res = await change(account.token, { currentPassword: account.password, newPassword: password });
    expectHttpError(res, 'invalid');
    expect(issuePaths(res.body)).toEqual(['newPassword']);
  });

  it('limits wrong current passwords like sign-ins: it is a password oracle too', async () => {
    const [victim] = await createUsers(server, ['monitor'] as const);
    for (let i = 0; i < 6; i++) {
      expectHttpError(await change(victim.token, { currentPassword: `guess-number-${i}`, newPassword: 'a-brand-new-passphrase' }), 'invalid');
    }
    const refused = await change(victim.token, { currentPassword: victim.password, newPassword: 'a-brand-new-passphrase' });
    expectHttpError(refused, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Sign-ins by that name share the count.
    expectHttpError(
      await api(server.url, 'POST', '/api/auth/login', { body: { username: victim.user.username, password: victim.password } }),
      'rate_limited',
    );
  });

  it('changes it: the old one stops working, other sessions are revoked and their sockets told and dropped, this one stays', async () => {
    const other = await login(server.url, account.user.username, account.password);
    const here = await connect(server.url, account.token);
    const there = await connect(server.url, other.token);
    const told = ended(there.socket);
    const gone = disconnected(there.socket);
    let hereEnded = false;
    here.socket.on('session:ended', () => (hereEnded = true));

    const res = await change(account.token, { currentPassword: account.password, newPassword: 'a-brand-new-passphrase' });
    expect(res.status).toBe(204);
    expect((await told).reason).toBe('revoked');
    expect(await gone).toBe('io server disconnect');

    expectHttpError(await api(server.url, 'GET', '/api/me', { token: other.token }), 'unauthorized');
    expect((await api(server.url, 'GET', '/api/me', { token: account.token })).status).toBe(200);
    // This device's socket is still live: it answers a sync.
    const sync = await here.socket.timeout(5_000).emitWithAck('reports:sync', {});
    expect(sync).toMatchObject({ hasMore: false });
    expect(here.socket.connected).toBe(true);
    expect(hereEnded).toBe(false);
    here.socket.close();

    expectHttpError(
      await api(server.url, 'POST', '/api/auth/login', { body: { username: account.user.username, password: account.password } }),
      'unauthorized',
    );
    expect((await login(server.url, account.user.username, 'a-brand-new-passphrase')).user.id).toBe(account.user.id);
  });
});

describe('PATCH /api/users/:id {password}', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('refuses a weak password as invalid on password', async () => {
    const [account] = await createUsers(server, ['monitor'] as const);
    const res = await api(server.url, 'PATCH', `/api/users/${account.user.id}`, { token: server.adminToken, body: { password: 'qwertyuiop' } });
    expectHttpError(res, 'invalid');
    expect(issuePaths(res.body)).toEqual(['password']);
  });

  it('resets it: every session of the user is revoked and its sockets told and dropped; the new password signs in', async () => {
    const [account] = await createUsers(server, ['monitor'] as const);
    const phone = await connect(server.url, account.token);
    const told = ended(phone.socket);
    const gone = disconnected(phone.socket);

    const res = await api<{ user: { id: string } }>(server.url, 'PATCH', `/api/users/${account.user.id}`, {
      token: server.adminToken,
      body: { password: 'reset-by-the-admin-42' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.user.id);
    expect((await told).reason).toBe('revoked');
    expect(await gone).toBe('io server disconnect');
    expectHttpError(await api(server.url, 'GET', '/api/me', { token: account.token }), 'unauthorized');
    expect((await login(server.url, account.user.username, 'reset-by-the-admin-42')).user.id).toBe(account.user.id);
    // The admin's own session is untouched.
    expect((await api(server.url, 'GET', '/api/me', { token: server.adminToken })).status).toBe(200);
  });
});
