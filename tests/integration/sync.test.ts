import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, SyncResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, disconnected, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError } from '../support/errors.js';


async function sync(socket: ClientSocket, args: { afterSeq?: number; limit?: number }): Promise<SyncResponse> {
  const res = await emitAck(socket, 'reports:sync', args);
  if (!('reports' in res)) throw new Error(`sync failed: ${JSON.stringify(res)}`);
  return res;
}

describe('sync after a missed stretch', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  const submit = (report: ReturnType<typeof makeReport>) =>
    api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: report });
  const review = (id: string, status: string) =>
    api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${id}`, { token: coordinator.token, body: { status, note: 'Reviewed in the sync test.' } });

  it('returns each report changed while away once, ascending by seq, in pages that add up', async () => {
    const first = await connect(server.url, coordinator.token);
    open.push(first.socket);
    const seen = collect(first.socket, 'reports:new');
    const older = makeReport({ category: 'armed_clash', location: { lon: 30.5, lat: 50.4 } });
    expect((await submit(older)).status).toBe(201);
    const applied = await seen.until((batch) => batch.some((r) => r.id === older.id));
    const lastApplied = Math.max(...applied.map((r) => r.seq));

    const gone = disconnected(first.socket);
    first.socket.close();
    await gone;

    // While away: seven new reports (some group, so earlier ones move between incidents) and two reviews of the older one.
    const missed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = makeReport({ location: { lon: 37.75 + i * 0.005, lat: 48.14 } });
      missed.push(r.id);
      expect((await submit(r)).status).toBe(201);
    }
    expect((await review(older.id, 'verified')).status).toBe(200);
    const finalOlder = await review(older.id, 'rejected');
    expect(finalOlder.status).toBe(200);

    const back = await connect(server.url, coordinator.token);
    open.push(back.socket);
    const pages: SyncResponse[] = [];
    let after = lastApplied;
    for (;;) {
      const page = await sync(back.socket, { afterSeq: after, limit: 3 });
      pages.push(page);
      if (page.reports.length > 0) expect(page.lastSeq).toBeGreaterThanOrEqual(page.reports.at(-1)!.seq);
      after = page.lastSeq;
      if (!page.hasMore) break;
      expect(page.reports).toHaveLength(3);
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);

    const all = pages.flatMap((p) => p.reports);
    const seqs = all.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.every((s) => s > lastApplied)).toBe(true);
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...missed, older.id]));
    // The current state, not a replay of history.
    expect(all.find((r) => r.id === older.id)).toEqual(finalOlder.body.report);
    expect(pages.at(-1)!.lastSeq).toBeGreaterThanOrEqual(back.hello.lastSeq);

    const caughtUp = await sync(back.socket, { afterSeq: pages.at(-1)!.lastSeq });
    expect(caughtUp).toEqual({ reports: [], lastSeq: pages.at(-1)!.lastSeq, hasMore: false });
  });

  it('matches one unpaged sync to the paged result and reports the head as lastSeq', async () => {
    const { socket, hello } = await connect(server.url, coordinator.token);
    open.push(socket);
    const whole = await sync(socket, {});
    expect(whole.hasMore).toBe(false);
    expect(whole.lastSeq).toBe(hello.lastSeq);
    expect(whole.reports.map((r) => r.seq)).toEqual(whole.reports.map((r) => r.seq).sort((a, b) => a - b));
    const listed = await api<{ reports: Report[] }>(server.url, 'GET', '/api/reports?limit=1000', { token: coordinator.token });
    expect(new Set(whole.reports.map((r) => r.id))).toEqual(new Set(listed.body.reports.map((r) => r.id)));
  });

  it.each([
    ['a limit over 1000', { limit: 1001 }],
    ['a limit of 0', { limit: 0 }],
    ['a negative afterSeq', { afterSeq: -1 }],
    ['a fractional afterSeq', { afterSeq: 1.5 }],
    ['an unknown field', { afterSeq: 0, since: 'yesterday' }],
    ['a __proto__ key', JSON.parse('{"afterSeq": 0, "__proto__": {"limit": 5}}') as object],
    ['a string afterSeq', { afterSeq: '5' }],
  ])('refuses a sync request with %s as invalid', async (_name, args) => {
    const { socket } = await connect(server.url, monitor.token);
    open.push(socket);
    const res = await emitAck(socket, 'reports:sync', args as { afterSeq?: number; limit?: number });
    expectAckError(res, 'invalid');
  });
});
