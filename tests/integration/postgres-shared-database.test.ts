import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Area, Report } from '@truceline/shared';
import { freshDatabase, scaleOutAvailable } from '../support/scale-out-env.js';
import { type TestAccount, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';

/**
 * Two server processes' worth of Truceline (two full apps in this process, each with its own
 * store, index and commit queue) on one PostgreSQL database, talking REST: what the database
 * and the write lock must make consistent without any fan-out between them.
 */
describe.runIf(scaleOutAvailable({ postgres: true }))('two servers on one PostgreSQL database', () => {
  let db: { url: string; drop: () => Promise<void> };
  let a: TestServer;
  let b: TestServer;
  let monitors: readonly TestAccount[];

  beforeAll(async () => {
    db = await freshDatabase();
    a = await startServer({ env: { DATABASE_URL: db.url } });
    b = await startServer({ env: { DATABASE_URL: db.url } });
    // Accounts and sessions live in the database: made through A, they sign in on B as well.
    monitors = await createUsers(a, ['monitor', 'monitor', 'monitor', 'monitor']);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const post = (server: TestServer, account: TestAccount, body: unknown) =>
    api<{ report: Report; duplicate?: boolean }>(server.url, 'POST', '/api/reports', { token: account.token, body });

  it('answers the replay sent to the other server with 200 duplicate, the stored report unchanged', async () => {
    const input = makeReport();
    const first = await post(a, monitors[0]!, input);
    expect(first.status).toBe(201);
    const replay = await post(b, monitors[0]!, input);
    expect(replay.status).toBe(200);
    expect(replay.body.report).toEqual(first.body.report);
    const conflict = await post(b, monitors[0]!, { ...input, count: 9 });
    expect(conflict.status).toBe(409);
  });

  it('puts simultaneous reports of one event on the two servers into one incident, with exact area counts', async () => {
    // Several events, each reported at once to A and to B by different monitors.
    const events = Array.from({ length: 6 }, (_, i) => ({ lon: 36 + i * 0.5, lat: 47.5 }));
    const areasBefore = new Map((await api<{ areas: Area[] }>(b.url, 'GET', '/api/areas', { token: monitors[0]!.token })).body.areas.map((x) => [x.id, x.count]));
    const pairs = await Promise.all(
      events.map(async (at, i) => {
        const observedAt = new Date(Date.now() - 120_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const [onA, onB] = await Promise.all([
          post(a, monitors[i % 2]!, makeReport({ observedAt, location: { lon: at.lon, lat: at.lat, accuracyM: 50, source: 'gps' } })),
          post(b, monitors[2 + (i % 2)]!, makeReport({ observedAt, location: { lon: at.lon + 0.001, lat: at.lat, accuracyM: 50, source: 'gps' } })),
        ]);
        expect([onA.status, onB.status]).toEqual([201, 201]);
        return [onA.body.report, onB.body.report] as const;
      }),
    );
    // The later of each pair was planned with the earlier one in view, whichever server took it.
    const stored = await Promise.all(
      pairs.map(async ([x, y]) => [
        (await api<{ report: Report }>(a.url, 'GET', `/api/reports/${x.id}`, { token: monitors[0]!.token })).body.report,
        (await api<{ report: Report }>(b.url, 'GET', `/api/reports/${y.id}`, { token: monitors[0]!.token })).body.report,
      ]),
    );
    for (const [x, y] of stored) {
      expect(x!.incidentId).toEqual(expect.any(String));
      expect(y!.incidentId).toBe(x!.incidentId);
    }
    expect(new Set(stored.map(([x]) => x!.incidentId)).size).toBe(events.length);
    for (const server of [a, b]) {
      const areas = (await api<{ areas: Area[] }>(server.url, 'GET', '/api/areas', { token: monitors[0]!.token })).body.areas;
      const byId = new Map(areas.map((x) => [x.id, x.count]));
      const expected = new Map<string, number>();
      for (const [x, y] of stored) for (const r of [x!, y!]) expected.set(r.areaId, (expected.get(r.areaId) ?? areasBefore.get(r.areaId) ?? 0) + 1);
      for (const [areaId, count] of expected) expect(byId.get(areaId)).toBe(count);
    }
  });

  it('gives both servers one gap-free seq history, and the same watermark', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 === 0 ? a : b, monitors[i % 4]!, makeReport())));
    const fromA = await api<{ reports: Report[]; lastSeq: number }>(a.url, 'GET', '/api/sync?afterSeq=0', { token: monitors[0]!.token });
    const fromB = await api<{ reports: Report[]; lastSeq: number }>(b.url, 'GET', '/api/sync?afterSeq=0', { token: monitors[0]!.token });
    expect(fromB.body.lastSeq).toBe(fromA.body.lastSeq);
    expect(fromB.body.reports.map((r) => r.id)).toEqual(fromA.body.reports.map((r) => r.id));
    const seqs = fromA.body.reports.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(fromA.body.reports).toHaveLength(1 + 12 + 10);
  });
});
