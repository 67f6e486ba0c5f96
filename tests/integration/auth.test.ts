import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectErrorData, MeResponse } from '@truceline/shared';
import { type TestServer, api, createUsers, login, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, disconnected } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectErrorBody, expectHttpError } from '../support/errors.js';

type Account = Awaited<ReturnType<typeof createUsers<['monitor']>>>[0];

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

  it('answers GET /api/health with 200 without a token', async () => {
    const res = await api<{ status: string }>(server.url, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
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
