import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Report, type ReportListResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { connect } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';
import { isoSeconds, minutesAgo } from '../support/time.js';


describe('reading reports', () => {
  let server: TestServer;
  let mine: Account;
  let theirs: Account;
  const at = minutesAgo(600);
  const minute = 60_000;
  // Known times, places and categories; one observation window spans three hours.
  const seeded = {
    old: makeReport({ observedAt: isoSeconds(at), category: 'shelling' }),
    window: makeReport({ observedAt: isoSeconds(at + 60 * minute), observedUntil: isoSeconds(at + 240 * minute), category: 'small_arms_fire' }),
    recent: makeReport({ observedAt: isoSeconds(at + 300 * minute), category: 'explosion', location: { lon: 36.2, lat: 49.9 } }),
    east: makeReport({ observedAt: isoSeconds(at + 10 * minute), category: 'shelling', location: { lon: 179.5, lat: -16.5 } }),
    west: makeReport({ observedAt: isoSeconds(at + 20 * minute), category: 'shelling', location: { lon: -179.5, lat: -16.6 } }),
    twinA: makeReport({ observedAt: isoSeconds(at + 30 * minute), category: 'drone_sighting' }),
    twinB: makeReport({ observedAt: isoSeconds(at + 30 * minute), category: 'drone_sighting' }),
  };
  const fromOther = makeReport({ observedAt: isoSeconds(at + 90 * minute), category: 'other' });

  beforeAll(async () => {
    server = await startServer();
    [mine, theirs] = await createUsers(server, ['monitor', 'monitor'] as const);
    for (const body of Object.values(seeded)) {
      expect((await api(server.url, 'POST', '/api/reports', { token: mine.token, body })).status).toBe(201);
    }
    expect((await api(server.url, 'POST', '/api/reports', { token: theirs.token, body: fromOther })).status).toBe(201);
  });
  afterAll(() => server.close());

  const list = (query: string, token = mine.token) => api<ReportListResponse>(server.url, 'GET', `/api/reports${query}`, { token });
  const idsOf = async (query: string) => {
    const res = await list(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return new Set(res.body.reports.map((r) => r.id));
  };
  const q = (time: number) => encodeURIComponent(isoSeconds(time));

  it('lists newest observation first, with asOfSeq covering every report listed', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    const times = res.body.reports.map((r) => Date.parse(r.observedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(res.body.reports).toHaveLength(8);
    expect(res.body.nextCursor).toBeUndefined();
    expect(res.body.asOfSeq).toBeGreaterThanOrEqual(Math.max(...res.body.reports.map((r) => r.seq)));
  });

  it('pages with limit and nextCursor through every report exactly once, in order', async () => {
    const whole = (await list('?limit=1000')).body.reports.map((r) => r.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.reports.length).toBeLessThanOrEqual(3);
      paged.push(...res.body.reports.map((r) => r.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(whole);
  });

  it('filters by category, status and reporter=me', async () => {
    expect(await idsOf('?category=shelling,explosion')).toEqual(new Set([seeded.old.id, seeded.recent.id, seeded.east.id, seeded.west.id]));
    expect(await idsOf('?status=verified')).toEqual(new Set());
    expect((await idsOf('?status=pending')).size).toBe(8);
    expect(await idsOf('?reporter=me')).toEqual(new Set(Object.values(seeded).map((r) => r.id)));
  });

  it("lets a coordinator or admin filter by any reporter's id", async () => {
    const res = await api<ReportListResponse>(server.url, 'GET', `/api/reports?reporter=${theirs.user.id}`, { token: server.adminToken });
    expect(res.body.reports.map((r) => r.id)).toEqual([fromOther.id]);
  });

  it('selects reports whose observation window overlaps [since, until)', async () => {
    // The window report started before `since` but was still going on: it overlaps.
    expect(await idsOf(`?since=${q(at + 200 * minute)}`)).toEqual(new Set([seeded.window.id, seeded.recent.id]));
    // `until` is exclusive: a report observed exactly then is out.
    expect(await idsOf(`?since=${q(at + 15 * minute)}&until=${q(at + 60 * minute)}`)).toEqual(
      new Set([seeded.west.id, seeded.twinA.id, seeded.twinB.id]),
    );
  });

  it('filters by bbox, and a bbox with minLon > maxLon crosses the antimeridian', async () => {
    expect(await idsOf('?bbox=36,49,37,50.5')).toEqual(new Set([seeded.recent.id]));
    expect(await idsOf('?bbox=179,-17,-179,-16')).toEqual(new Set([seeded.east.id, seeded.west.id]));
    expect(await idsOf('?bbox=179,-17,180,-16')).toEqual(new Set([seeded.east.id]));
  });

  it.each([
    ['limit over 1000', '?limit=1001'],
    ['limit 0', '?limit=0'],
    ['limit not a number', '?limit=ten'],
    ['a cursor this server never issued', '?cursor=bm90LWEtY3Vyc29y'],
    ['since after until', `?since=${encodeURIComponent('2026-01-02T00:00:00Z')}&until=${encodeURIComponent('2026-01-01T00:00:00Z')}`],
    ['a since without offset', '?since=2026-01-01T00:00:00'],
    ['an unknown category', '?category=nuclear'],
    ['a bbox with three numbers', '?bbox=1,2,3'],
    ['a bbox with minLat > maxLat', '?bbox=0,10,1,5'],
    ['an unknown parameter', '?sort=asc'],
    ['a parameter given twice', '?limit=5&limit=6'],
    ['a __proto__ parameter', '?__proto__=x'],
    ['a constructor parameter', '?constructor=x'],
  ])('refuses %s with 400 invalid', async (_name, query) => {
    expectHttpError(await list(query), 'invalid');
  });

  it('answers an unknown and a malformed report id with 404', async () => {
    expectHttpError(await api(server.url, 'GET', `/api/reports/${makeReport().id}`, { token: mine.token }), 'not_found');
    expectHttpError(await api(server.url, 'GET', '/api/reports/12345', { token: mine.token }), 'not_found');
  });

  it('greets a socket with hello: the user, the server time, the head seq and the protocol version', async () => {
    const before = Date.now();
    const { socket, hello } = await connect(server.url, mine.token);
    socket.close();
    expect(hello.user).toEqual(mine.user);
    expect(Math.abs(Date.parse(hello.serverTime) - before)).toBeLessThan(60_000);
    expect(hello.serverTime).toMatch(/Z$/);
    expect(hello.protocolVersion).toBe(PROTOCOL_VERSION);
    const head = await api<{ lastSeq: number }>(server.url, 'GET', '/api/health', { token: mine.token });
    expect(hello.lastSeq).toBe(head.body.lastSeq);
    const reports: Report[] = (await list('?limit=1000')).body.reports;
    expect(hello.lastSeq).toBeGreaterThanOrEqual(Math.max(...reports.map((r) => r.seq)));
  });
});
