import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_REPORT_FIELDS, SYNC_HEADERS, type Report, type SyncResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { connect, emitAck } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';

// `GET /api/sync`: the web client's bulk catch-up, `reports:sync` over HTTP with pages of up to 10,000.
describe('GET /api/sync (bulk catch-up)', () => {
  let server: TestServer;
  let monitorA: Account;
  let monitorB: Account;
  let coordinator: Account;
  const fromA = makeBearingReport();
  const fromB = makeBearingReport({ category: 'explosion' });
  const others = Array.from({ length: 5 }, (_, i) => makeReport({ location: { lon: 30 + i, lat: 50 } }));

  const sync = async (token: string, query: string): Promise<SyncResponse> => {
    const res = await api<SyncResponse>(server.url, 'GET', `/api/sync?${query}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    server = await startServer();
    [monitorA, monitorB, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    expect((await api(server.url, 'POST', '/api/reports', { token: monitorA.token, body: fromA })).status).toBe(201);
    expect((await api(server.url, 'POST', '/api/reports', { token: monitorB.token, body: fromB })).status).toBe(201);
    for (const r of others) expect((await api(server.url, 'POST', '/api/reports', { token: monitorA.token, body: r })).status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
  });

  it('needs a token', async () => {
    const res = await api<{ error: { code: string } }>(server.url, 'GET', '/api/sync');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('answers what reports:sync answers, page for page', async () => {
    const socket = (await connect(server.url, coordinator.token)).socket;
    try {
      for (const [afterSeq, limit] of [[0, 3], [0, 1000], [2, 2]] as const) {
        const overHttp = await sync(coordinator.token, `afterSeq=${afterSeq}&limit=${limit}`);
        const overSocket = (await emitAck(socket, 'reports:sync', { afterSeq, limit })) as SyncResponse;
        expect(overHttp).toEqual(overSocket);
      }
    } finally {
      socket.close();
    }
  });

  it('pages add up: every report once, ascending by seq, hasMore until the end', async () => {
    const seen: Report[] = [];
    let afterSeq = 0;
    for (let pages = 0; pages < 10; pages++) {
      const page = await sync(coordinator.token, `afterSeq=${afterSeq}&limit=2`);
      seen.push(...page.reports);
      expect(page.reports.length).toBeLessThanOrEqual(2);
      afterSeq = page.lastSeq;
      if (!page.hasMore) break;
    }
    const seqs = seen.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seen.map((r) => r.id)).size).toBe(7);
    const head = await sync(coordinator.token, 'afterSeq=0&limit=10000');
    expect(head.hasMore).toBe(false);
    expect(afterSeq).toBe(head.lastSeq);
    expect(await sync(coordinator.token, `afterSeq=${afterSeq}`)).toEqual({ reports: [], lastSeq: afterSeq, hasMore: false });
  });

  it('repeats lastSeq and hasMore in headers that arrive before the body', async () => {
    for (const query of ['afterSeq=0&limit=2', 'afterSeq=0&limit=10000']) {
      const res = await api<SyncResponse>(server.url, 'GET', `/api/sync?${query}`, { token: coordinator.token });
      expect(res.status).toBe(200);
      expect(res.headers.get(SYNC_HEADERS.lastSeq)).toBe(String(res.body.lastSeq));
      expect(res.headers.get(SYNC_HEADERS.hasMore)).toBe(String(res.body.hasMore));
    }
    // A refused request has no page, so no page headers.
    const refused = await api(server.url, 'GET', '/api/sync?limit=10001', { token: coordinator.token });
    expect(refused.status).toBe(400);
    expect(refused.headers.get(SYNC_HEADERS.lastSeq)).toBeNull();
  });

  it("never gives a monitor another monitor's reporter, observer, bearing or distance", async () => {
    const { reports } = await sync(monitorB.token, 'afterSeq=0&limit=10000');
    const a = reports.find((r) => r.id === fromA.id);
    expect(a).toBeDefined();
    for (const key of PRIVATE_REPORT_FIELDS) expect(a, `${key} leaked`).not.toHaveProperty(key);
    for (const key of ['bearing', 'bearingTrue', 'distanceM'] as const) expect(a, `${key} leaked`).not.toHaveProperty(key);
    // Its own report in full, and the coordinator sees both in full.
    const own = reports.find((r) => r.id === fromB.id);
    expect(own?.reporter?.id).toBe(monitorB.user.id);
    expect(own).toHaveProperty('observer');
    const all = (await sync(coordinator.token, 'afterSeq=0&limit=10000')).reports;
    expect(all.find((r) => r.id === fromA.id)?.reporter?.id).toBe(monitorA.user.id);
    expect(all.find((r) => r.id === fromA.id)).toHaveProperty('distanceM');
  });

  it.each(['limit=0', 'limit=10001', 'limit=x', 'afterSeq=-1', 'since=2026-01-01T00:00:00Z'])('refuses %s as invalid', async (query) => {
    const res = await api<{ error: { code: string } }>(server.url, 'GET', `/api/sync?${query}`, { token: coordinator.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid');
  });
});
