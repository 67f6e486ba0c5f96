import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEnded } from '@truceline/shared';
import { ADMIN_PASSWORD, type TestServer, api, createUsers, login, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, disconnected } from '../support/sockets.js';
import { expectErrorBody, expectHttpError } from '../support/errors.js';

const DAY = 86_400_000;

/**
 * Live sockets' sessions are checked again while they stay connected. The server's session clock
 * is the test's (`clock.now`), and `app.checkSessions()` runs the check the interval runs.
 */
describe('live session re-check', () => {
  const clock = { now: Date.now() };
  let server: TestServer;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ now: () => clock.now, env: { SESSION_IDLE_DAYS: '14', SESSION_MAX_DAYS: '30' } });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  /** A fresh account signed in now (by the server's clock) with one live socket. */
  async function signedIn() {
    const [account] = await createUsers(server, ['monitor'] as const);
    const { token } = await login(server.url, account.user.username, ADMIN_PASSWORD);
    const { socket } = await connect(server.url, token);
    open.push(socket);
    const told = new Promise<SessionEnded>((resolve) => socket.once('session:ended', resolve));
    return { token, socket, told, gone: disconnected(socket) };
  }

  async function expectEnded(s: Awaited<ReturnType<typeof signedIn>>, reason: SessionEnded['reason']) {
    expect((await s.told).reason).toBe(reason);
    expect(await s.gone).toBe('io server disconnect');
    // What the web client does next: the token is refused, so it signs in again instead of looping.
    const refused = await connectError(server.url, { token: s.token });
    expectErrorBody(refused.data, 'unauthorized');
    expectHttpError(await api(server.url, 'GET', '/api/me', { token: s.token }), 'unauthorized');
  }

  it('drops the socket of a session revoked elsewhere (another process, the CLI) at the next check', async () => {
    const s = await signedIn();
    const me = await api<{ user: { id: string } }>(server.url, 'GET', '/api/me', { token: s.token });
    // Straight in the database, as `pnpm user:passwd` does from another process: no call reaches the live sockets.
    await server.app.store.revokeUserSessions(me.body.user.id, clock.now);
    expect(s.socket.connected).toBe(true);
    await server.app.checkSessions();
    await expectEnded(s, 'revoked');
  });

  it('drops a connected socket whose session went unused for SESSION_IDLE_DAYS', async () => {
    const s = await signedIn();
    clock.now += 7 * DAY;
    await server.app.checkSessions();
    // Still served after the check: a round trip, not a look at a flag the disconnect may not have reached yet.
    await s.socket.timeout(5_000).emitWithAck('reports:sync', {});
    // That sync was a use; from here the 14 days count again.
    clock.now += 14 * DAY + 60_000;
    await server.app.checkSessions();
    await expectEnded(s, 'idle');
  });

  it('keeps a connected socket that is in use past SESSION_IDLE_DAYS, and its token with it; SESSION_MAX_DAYS ends it anyway', async () => {
    const signedInAt = clock.now;
    const s = await signedIn();
    // Used over the socket only, never over HTTP: a sync every 6 days for 4 weeks.
    while (clock.now + 6 * DAY < signedInAt + 30 * DAY) {
      clock.now += 6 * DAY;
      await s.socket.timeout(5_000).emitWithAck('reports:sync', {});
      await server.app.checkSessions();
    }
    await s.socket.timeout(5_000).emitWithAck('reports:sync', {});
    expect(clock.now - signedInAt).toBeGreaterThan(14 * DAY);
    expect((await api(server.url, 'GET', '/api/me', { token: s.token })).status).toBe(200);

    clock.now = signedInAt + 30 * DAY + 60_000;
    await s.socket.timeout(5_000).emitWithAck('reports:sync', {});
    await server.app.checkSessions();
    await expectEnded(s, 'max_age');
  });
});
