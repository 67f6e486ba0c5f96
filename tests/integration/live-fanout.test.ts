import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { type TestServer, api, createUser, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';

describe('live fan-out', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('delivers a report submitted over a socket and one over REST to two watchers', async () => {
    const reporter = await createUser(server, 'monitor');
    const watcherA = await createUser(server, 'monitor');
    const watcherB = await createUser(server, 'coordinator');
    const a = await connect(server.url, watcherA.token);
    const b = await connect(server.url, watcherB.token);
    const r = await connect(server.url, reporter.token);
    sockets.push(a.socket, b.socket, r.socket);
    const seenA = collect(a.socket, 'reports:new');
    const seenB = collect(b.socket, 'reports:new');

    const viaSocket = makeReport();
    const ack = await emitAck(r.socket, 'report:submit', viaSocket);
    expect(ack).toMatchObject({ ok: true, duplicate: false });

    const viaRest = makeReport({ category: 'small_arms_fire' });
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: reporter.token, body: viaRest });
    expect(res.status).toBe(201);

    for (const seen of [seenA, seenB]) {
      await seen.until((batch) => batch.some((x) => x.id === viaSocket.id));
      await seen.until((batch) => batch.some((x) => x.id === viaRest.id));
    }
    const fromA = seenA.seen.flat().find((x) => x.id === viaSocket.id)!;
    const fromB = seenB.seen.flat().find((x) => x.id === viaSocket.id)!;
    // A monitor never learns who reported, nor where they stood; a coordinator does.
    expect(fromA.reporter).toBeUndefined();
    expect(fromB.reporter).toEqual({ id: reporter.user.id, username: reporter.user.username });
    expect(fromB.seq).toBe(fromA.seq);
  });
});
