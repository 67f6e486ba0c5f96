import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import type { Store } from '@truceline/server';
import { expectAckError, expectHttpError } from '../support/errors.js';
import { makeReport } from '../support/reports.js';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, emitAck } from '../support/sockets.js';

/** What `pg` throws while the database restarts. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

// A database restart fails the reads a submission makes before the commit queue (its stored
// copy, the REST caller's session), not only the commit: those refusals must say `unavailable`
// (retry, nothing saved) as a failed commit does, not `internal`.
describe('while the store cannot be reached', () => {
  let server: TestServer;
  let monitor: Account;
  let socket: ClientSocket;
  let down = false;

  const wrapStore = (store: Store): Store => {
    const findReports = store.findReports.bind(store);
    store.findReports = (ids) => (down ? Promise.reject(connectionRefused()) : findReports(ids));
    const findSession = store.findSession.bind(store);
    store.findSession = (...args) => (down ? Promise.reject(connectionRefused()) : findSession(...args));
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

  it('refuses submissions over REST and the socket as unavailable, and stores them once it is back', async () => {
    down = true;
    const one = makeReport();
    const batch = [makeReport(), makeReport()];
    expectHttpError(await post(one), 'unavailable');
    expectAckError(await emitAck(socket, 'report:submit', one), 'unavailable');
    const answer = await emitAck(socket, 'reports:submit', batch);
    if (!('results' in answer)) throw new Error(`the batch itself was refused: ${JSON.stringify(answer)}`);
    expect(answer.results).toHaveLength(2);
    for (const result of answer.results) expectAckError(result, 'unavailable');

    down = false;
    expect((await post(one)).status).toBe(201);
    expect(await emitAck(socket, 'reports:submit', batch)).toMatchObject({ results: [{ ok: true, duplicate: false }, { ok: true, duplicate: false }] });
  });
});
