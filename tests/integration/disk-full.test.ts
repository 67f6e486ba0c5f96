import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import type { Store } from '@truceline/server';
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
    server = await startServer({ wrapStore });
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
    // and the rest are refused until the back-off's next try (a second; a slow machine may reach it).
    expect(indexLoads - loadsAtStart).toBeGreaterThanOrEqual(1);
    expect(indexLoads - loadsAtStart).toBeLessThanOrEqual(2);

    const degraded = await health();
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/SQLITE_FULL/) });

    full = false;
    // A client retries until the back-off lets a commit through (the first one waits a second).
    const retried = makeReport();
    let status = 0;
    for (let attempt = 0; attempt < 60 && status !== 201; attempt++) {
      status = (await post(retried)).status;
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(201);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });

    // Nothing acknowledged is lost, and nothing refused was stored.
    expect((await api(server.url, 'GET', `/api/reports/${before.id}`, { token: monitor.token })).status).toBe(200);
    for (const input of refused) expect((await api(server.url, 'GET', `/api/reports/${input.id}`, { token: monitor.token })).status).toBe(404);
  });
});
