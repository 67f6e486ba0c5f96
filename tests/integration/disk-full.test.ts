import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import type { Store } from '@truceline/server';
import { COMMIT_RETRY } from '../../server/src/ingest/commit-queue.js';
import { expectAckError, expectHttpError } from '../support/errors.js';
import { makeReport } from '../support/reports.js';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, emitAck } from '../support/sockets.js';

/** What better-sqlite3 throws when the disk is full. */
function sqliteFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

describe('when the disk fills up', () => {
  let server: TestServer;
  let monitor: Account;
  let socket: ClientSocket;
  let full = false;
  // The server's clock: the back-off between tries is the test's to pass, not a real second.
  const clock = { now: Date.now() };
  // Every load of the incident index (the start, and each rebuild) asks for the newest observation once.
  let indexLoads = 0;

  const wrapStore = (store: Store): Store => {
    const commit = store.commit.bind(store);
    store.commit = (batch) => (full ? Promise.reject(sqliteFull()) : commit(batch));
    const newest = store.newestObservedAtMs.bind(store);
    store.newestObservedAtMs = () => {
      indexLoads++;
      return newest();
    };
    return store;
  };

  beforeAll(async () => {
    server = await startServer({ wrapStore, now: () => clock.now });
    [monitor] = await createUsers(server, ['monitor'] as const);
    socket = (await connect(server.url, monitor.token)).socket;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  const post = (body: unknown) => api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
  const health = () => api<{ status: string; reason?: string }>(server.url, 'GET', '/api/health');

  it('refuses submissions with 503, says so on /api/health, rebuilds the index once rather than per failure, and recovers', async () => {
    const before = makeReport();
    expect((await post(before)).status).toBe(201);
    expect((await health()).status).toBe(200);
    const loadsAtStart = indexLoads;

    full = true;
    const refused = [makeReport(), makeReport(), makeReport()];
    for (const res of await Promise.all(refused.map(post))) expectHttpError(res, 'unavailable');
    for (let i = 0; i < 20; i++) {
      const input = makeReport();
      refused.push(input);
      expectHttpError(await post(input), 'unavailable');
    }
    const overSocket = makeReport();
    refused.push(overSocket);
    expectAckError(await emitAck(socket, 'report:submit', overSocket), 'unavailable');
    // Before, each of these 21 failing commits rebuilt the whole index. Now the first rebuilds
    // and the rest are refused until the back-off's next try (a second on the server's clock).
    expect(indexLoads - loadsAtStart).toBe(1);

    const degraded = await health();
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/SQLITE_FULL/) });

    // The back-off over, with no submission meanwhile: ready to try again, not stuck at 503.
    clock.now += COMMIT_RETRY.firstMs;
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    // Still full: the next try fails, rebuilds once more, and waits twice as long.
    const stillFull = makeReport();
    refused.push(stillFull);
    expectHttpError(await post(stillFull), 'unavailable');
    expect(indexLoads - loadsAtStart).toBe(2);
    expect((await health()).status).toBe(503);
    clock.now += COMMIT_RETRY.firstMs;
    expectHttpError(await post(makeReport()), 'unavailable');
    expect(indexLoads - loadsAtStart).toBe(2);

    full = false;
    clock.now += COMMIT_RETRY.firstMs;
    const retried = makeReport();
    expect((await post(retried)).status).toBe(201);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });

    // Nothing acknowledged is lost, and nothing refused was stored.
    expect((await api(server.url, 'GET', `/api/reports/${before.id}`, { token: monitor.token })).status).toBe(200);
    for (const input of refused) expect((await api(server.url, 'GET', `/api/reports/${input.id}`, { token: monitor.token })).status).toBe(404);
  });
});
