import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';


describe('live fan-out', () => {
  let server: TestServer;
  let reporter: Account;
  let watcherA: Account;
  let watcherB: Account;
  let r: ClientSocket;
  let a: ClientSocket;
  let b: ClientSocket;

  beforeAll(async () => {
    server = await startServer();
    [reporter, watcherA, watcherB] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    a = (await connect(server.url, watcherA.token)).socket;
    b = (await connect(server.url, watcherB.token)).socket;
    r = (await connect(server.url, reporter.token)).socket;
  });
  afterAll(async () => {
    for (const s of [a, b, r]) s.close();
    await server.close();
  });

  it('delivers a report submitted over a socket and one over REST to two watchers', async () => {
    const seenA = collect(a, 'reports:new');
    const seenB = collect(b, 'reports:new');

    const viaSocket = makeReport();
    const ack = await emitAck(r, 'report:submit', viaSocket);
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
    // What is broadcast is what is stored (as this viewer may see it).
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${viaRest.id}`, { token: watcherB.token });
    expect(seenB.seen.flat().find((x) => x.id === viaRest.id)).toEqual(stored.body.report);
  });

  it('sends a reports:submit batch to each watcher as one reports:new message, in seq order', async () => {
    const seenA = collect(a, 'reports:new');
    const seenB = collect(b, 'reports:new');
    const batch = Array.from({ length: 5 }, (_, i) => makeReport({ count: i + 1 }));
    const ack = await emitAck(r, 'reports:submit', batch);
    expect(ack).toMatchObject({ results: batch.map(() => ({ ok: true, duplicate: false })) });

    const ids = new Set(batch.map((x) => x.id));
    for (const seen of [seenA, seenB]) {
      // The reporter's next report is a barrier: commits are broadcast in order, so anything
      // of the batch sent as a separate message would have arrived before it.
      const marker = makeReport();
      await seen.until((m) => m.some((x) => ids.has(x.id)));
      expect((await api(server.url, 'POST', '/api/reports', { token: reporter.token, body: marker })).status).toBe(201);
      await seen.until((m) => m.some((x) => x.id === marker.id));

      const messages = seen.seen.filter((m) => m.some((x) => ids.has(x.id)));
      expect(messages).toHaveLength(1);
      const message = messages[0]!;
      expect(message.map((x) => x.id)).toEqual(batch.map((x) => x.id));
      const seqs = message.map((x) => x.seq);
      expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
      expect(new Set(seqs).size).toBe(5);
    }
  });
});
