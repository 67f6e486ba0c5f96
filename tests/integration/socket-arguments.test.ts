import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, createUsers, startServer } from '../support/server.js';
import { connect } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError } from '../support/errors.js';

const ACK_TIMEOUT_MS = 5000;

/**
 * The ack is the last argument of an event, whatever comes before it (Socket.IO's client puts
 * it there): an event sent with too few or too many arguments is answered, never left waiting.
 */
describe('socket events with the wrong number of arguments', () => {
  let server: TestServer;
  // Untyped: these calls break the event map on purpose.
  let socket: Socket;

  beforeAll(async () => {
    server = await startServer();
    const [monitor] = await createUsers(server, ['monitor'] as const);
    socket = (await connect(server.url, monitor.token)).socket as unknown as Socket;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('report:submit and reports:submit with only an ack are answered invalid', async () => {
    for (const event of ['report:submit', 'reports:submit']) {
      expectAckError(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event), 'invalid');
    }
  });

  it('reports:sync with only an ack syncs from the start (its argument is optional)', async () => {
    const answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('reports:sync')) as { reports: unknown[]; lastSeq: number };
    expect(Array.isArray(answer.reports)).toBe(true);
    expect(answer.lastSeq).toBeTypeOf('number');
  });

  it('an extra argument before the ack is refused with invalid, and the report is not stored', async () => {
    const report = makeReport();
    expectAckError(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('report:submit', report, 'extra'), 'invalid');
    expect(await server.app.store.getReport(report.id)).toBeUndefined();
    const sync = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('reports:sync', { afterSeq: 0 }, 'extra')) as unknown;
    expectAckError(sync, 'invalid');
  });
});

describe('socket events the server does not handle', () => {
  let server: TestServer;
  let socket: Socket;

  beforeAll(async () => {
    server = await startServer();
    const [monitor] = await createUsers(server, ['monitor'] as const);
    socket = (await connect(server.url, monitor.token)).socket as unknown as Socket;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('are answered not_found when they carry an ack, and the socket stays usable', async () => {
    expectAckError(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('report:sumbit', makeReport()), 'not_found');
    expectAckError(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('__proto__'), 'not_found');
    socket.emit('no:ack', 1);
    const answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('reports:sync', {})) as { reports: unknown[] };
    expect(Array.isArray(answer.reports)).toBe(true);
  });
});
