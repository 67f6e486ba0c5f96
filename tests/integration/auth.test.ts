import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectErrorData, MeResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, login, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, disconnected } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectErrorBody, expectHttpError } from '../support/errors.js';


const PROTECTED_ROUTES: [method: string, route: string, body?: unknown][] = [
  ['GET', '/api/me'],
  ['POST', '/api/auth/logout'],
  ['GET', '/api/reports'],
  ['POST', '/api/reports', makeReport()],
  ['GET', `/api/reports/${makeReport().id}`],
  ['PATCH', `/api/reports/${makeReport().id}`, { status: 'verified' }],
  ['GET', '/api/incidents'],
  ['GET', '/api/areas'],
  ['GET', '/api/export.geojson'],
  ['GET', '/api/users'],
  ['POST', '/api/users', { username: 'intruder', password: 'intruder-password', role: 'admin' }],
];

function refusal(error: Error & { data?: unknown }): ConnectErrorData['error'] {
  expectErrorBody(error.data, 'unauthorized');
  return (error.data as ConnectErrorData).error;
}

describe('authentication', () => {
  let server: TestServer;
  let monitor: Account;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
    [monitor] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  it.each(PROTECTED_ROUTES)('refuses %s %s without a token with 401', async (method, route, body) => {
    expectHttpError(await api(server.url, method, route, { body }), 'unauthorized');
  });

  it.each(PROTECTED_ROUTES)('refuses %s %s with a bad token with 401', async (method, route, body) => {
    expectHttpError(await api(server.url, method, route, { body, token: 'x'.repeat(43) }), 'unauthorized');
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await api(server.url, 'GET', '/api/me', { headers: { authorization: `Basic ${monitor.token}` } });
    expectHttpError(res, 'unauthorized');
  });

  it('answers GET /api/health with 200 without a token, and shows lastSeq only with a valid one', async () => {
    const res = await api<{ status: string }>(server.url, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    const withBadToken = await api(server.url, 'GET', '/api/health', { token: 'not-a-session-token' });
    expect(withBadToken).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(withBadToken.body).not.toHaveProperty('lastSeq');
    const signedIn = await api(server.url, 'GET', '/api/health', { token: monitor.token });
    expect(signedIn).toMatchObject({ status: 200, body: { status: 'ok', lastSeq: expect.any(Number) } });
  });

  it('answers GET /api/me with the signed-in user', async () => {
    const res = await api<MeResponse>(server.url, 'GET', '/api/me', { token: monitor.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual(monitor.user);
  });

  it('refuses a wrong password with 401 and the error body', async () => {
    const res = await api(server.url, 'POST', '/api/auth/login', { body: { username: monitor.user.username, password: 'not-the-password' } });
    expectHttpError(res, 'unauthorized');
    expect(JSON.stringify(res.body)).not.toContain('token');
  });

  it('refuses an unknown username with the same 401 as a wrong password', async () => {
    const res = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever-password' } });
    expectHttpError(res, 'unauthorized');
  });

  it.each([
    ['no auth', {}],
    ['no token', { token: undefined }],
    ['a token that was never issued', { token: 'y'.repeat(43) }],
    ['a token that is not a string', { token: 12345 }],
  ])('refuses a socket with %s: connect_error carries error.code unauthorized', async (_name, auth) => {
    const error = await connectError(server.url, auth);
    expect(refusal(error).code).toBe('unauthorized');
  });

  it('logout revokes that token: REST 401 after, its socket is disconnected, other sessions live on', async () => {
    const session = await login(server.url, monitor.user.username, monitor.password);
    const { socket } = await connect(server.url, session.token);
    open.push(socket);
    const gone = disconnected(socket);

    const res = await api(server.url, 'POST', '/api/auth/logout', { token: session.token });
    expect(res.status).toBeLessThan(300);
    expect(await gone).toBe('io server disconnect');

    expectHttpError(await api(server.url, 'GET', '/api/me', { token: session.token }), 'unauthorized');
    refusal(await connectError(server.url, { token: session.token }));
    // Signing out on one device leaves the others signed in.
    expect((await api(server.url, 'GET', '/api/me', { token: monitor.token })).status).toBe(200);
  });

  it('disabling a user disconnects all their sockets at once and their token stops working', async () => {
    const [victim] = await createUsers(server, ['monitor'] as const);
    const phone = await connect(server.url, victim.token);
    const laptop = await connect(server.url, victim.token);
    open.push(phone.socket, laptop.socket);
    const gone = Promise.all([disconnected(phone.socket), disconnected(laptop.socket)]);

    const res = await api<{ user: { disabled: boolean } }>(server.url, 'PATCH', `/api/users/${victim.user.id}`, {
      token: server.adminToken,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);

    expectHttpError(await api(server.url, 'GET', '/api/me', { token: victim.token }), 'unauthorized');
    expectHttpError(await api(server.url, 'POST', '/api/reports', { token: victim.token, body: makeReport() }), 'unauthorized');
    refusal(await connectError(server.url, { token: victim.token }));
    expectHttpError(
      await api(server.url, 'POST', '/api/auth/login', { body: { username: victim.user.username, password: victim.password } }),
      'unauthorized',
    );
  });
});

describe('users API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const asAdmin = <T>(method: string, route: string, body?: unknown) => api<T>(server.url, method, route, { token: server.adminToken, body });
  type UserBody = { user: { id: string; username: string; role: string; disabled: boolean; createdAt: string } };

  it('creates an account with 201, lists it without secrets, and refuses its name in another letter case with 409', async () => {
    const created = await asAdmin<UserBody>('POST', '/api/users', { username: 'Olena.K', password: 'a-long-password', role: 'monitor' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ id: expect.any(String), username: 'Olena.K', role: 'monitor', disabled: false });

    expectHttpError(await asAdmin('POST', '/api/users', { username: 'olena.k', password: 'another-password', role: 'coordinator' }), 'conflict');

    const list = await asAdmin<{ users: UserBody['user'][] }>('GET', '/api/users');
    expect(list.status).toBe(200);
    expect(list.body.users.filter((u) => u.username.toLowerCase() === 'olena.k')).toEqual([created.body.user]);
    expect(list.body.users.map((u) => u.username)).toContain('admin');
    expect(JSON.stringify(list.body)).not.toMatch(/password|hash|scrypt/i);
  });

  it('changes a role with PATCH, and the same token gains what the role grants', async () => {
    const [account] = await createUsers(server, ['monitor'] as const);
    expectHttpError(await api(server.url, 'GET', '/api/export.geojson', { token: account.token }), 'forbidden');

    const res = await asAdmin<UserBody>('PATCH', `/api/users/${account.user.id}`, { role: 'coordinator' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: account.user.id, role: 'coordinator', disabled: false });
    expect((await api(server.url, 'GET', '/api/export.geojson', { token: account.token })).status).toBe(200);
    const me = await api<MeResponse>(server.url, 'GET', '/api/me', { token: account.token });
    expect(me.body.user.role).toBe('coordinator');
  });

  it.each([
    ['a password under 10 characters', { username: 'shortpw', password: 'short', role: 'monitor' }],
    ['an unknown role', { username: 'superuser', password: 'a-long-password', role: 'root' }],
    ['a username with spaces', { username: 'two words', password: 'a-long-password', role: 'monitor' }],
    ['an unknown field', { username: 'extra', password: 'a-long-password', role: 'monitor', admin: true }],
  ])('refuses an account with %s as invalid', async (_name, body) => {
    expectHttpError(await asAdmin('POST', '/api/users', body), 'invalid');
  });

  it('answers PATCH of an unknown or malformed user id with 404, and an empty change with 400', async () => {
    expectHttpError(await asAdmin('PATCH', '/api/users/0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b', { role: 'monitor' }), 'not_found');
    expectHttpError(await asAdmin('PATCH', '/api/users/not-an-id', { role: 'monitor' }), 'not_found');
    const list = await asAdmin<{ users: UserBody['user'][] }>('GET', '/api/users');
    expectHttpError(await asAdmin('PATCH', `/api/users/${list.body.users[0]!.id}`, {}), 'invalid');
  });
});
