import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, type ReportInputDraft, SUMMARY_CSV_COLUMNS, SummaryResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';

// Europe/Kyiv is +02:00 in January: the 19:30 cut-off is 17:30 UTC.
const DAY1 = { since: '2026-01-14T17:30:00Z', until: '2026-01-15T17:30:00Z' };
const DAY2 = { since: '2026-01-15T17:30:00Z', until: '2026-01-16T17:30:00Z' };

const A = { lon: 37.75, lat: 48.14, accuracyM: 50 };
const B = { lon: 37.3, lat: 48.0, accuracyM: 50 };
const C = { lon: 38.0, lat: 48.5, accuracyM: 50 };
const D = { lon: 36.5, lat: 47.5, accuracyM: 50 };

const report = (observedAt: string, location: typeof A, over: Partial<ReportInputDraft> = {}): ReportInputDraft =>
  makeReport({ observedAt, location, ...over });

describe('GET /api/summary', () => {
  let server: TestServer;
  let m1: Account;
  let m2: Account;
  let m3: Account;
  let coordinator: Account;

  // Incident A (day 1): three monitors heard the same 40 explosions (40/40/35) ...
  const a1 = report('2026-01-15T10:00:00Z', A, { category: 'explosion', count: 40, weapon: 'artillery', assessment: 'impact', casualties: { killed: 1, injured: 2 } });
  const a2 = report('2026-01-15T10:05:00Z', A, { category: 'explosion', count: 40, casualties: { killed: 0, injured: 3 } });
  const a3 = report('2026-01-15T10:10:00Z', A, { category: 'explosion', count: 35 });
  // ... a report that a correction supersedes (80, 5 killed) and its correction (30) ...
  const a4 = report('2026-01-15T10:02:00Z', A, { category: 'explosion', count: 80, casualties: { killed: 5, injured: 0 } });
  const a4fix = report('2026-01-15T10:02:00Z', A, { category: 'explosion', count: 30, supersedes: a4.id });
  // ... and a rejected one (100, 10 killed).
  const a5 = report('2026-01-15T10:03:00Z', A, { category: 'explosion', count: 100, casualties: { killed: 10, injured: 10 } });
  // Incident B: first observed 19:29 local (day 1), a second report at 19:35 (day 2).
  const b1 = report('2026-01-15T17:29:00Z', B, { category: 'small_arms_fire', count: 5, countUnit: 'bursts' });
  const b2 = report('2026-01-15T17:35:00Z', B, { category: 'small_arms_fire' });
  // Incident C: 19:31 local (day 2), no count: one violation.
  const c1 = report('2026-01-15T17:31:00Z', C, { category: 'shelling' });
  // Incident D (day 2): a report and its correction: the correction's figures count.
  const d1 = report('2026-01-16T08:00:00Z', D, { category: 'explosion', count: 7, weapon: 'mortar' });
  const d1fix = report('2026-01-16T08:00:00Z', D, { category: 'explosion', count: 2, weapon: 'mortar', supersedes: d1.id });

  const summary = (query: string, token = coordinator.token) => api<SummaryResponse>(server.url, 'GET', `/api/summary?${query}`, { token });

  beforeAll(async () => {
    server = await startServer({ env: { MISSION_TIMEZONE: 'Europe/Kyiv' } });
    [m1, m2, m3, coordinator] = await createUsers(server, ['monitor', 'monitor', 'monitor', 'coordinator'] as const);
    const submissions: [Account, ReportInputDraft][] = [
      [m1, a1], [m2, a2], [m3, a3], [m1, a4], [m1, a4fix], [m2, a5], [m1, b1], [m2, b2], [m3, c1], [m3, d1], [m3, d1fix],
    ];
    for (const [who, body] of submissions) {
      const res = await api(server.url, 'POST', '/api/reports', { token: who.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    for (const id of [a5.id]) {
      expect((await api(server.url, 'PATCH', `/api/reports/${id}`, { token: coordinator.token, body: { status: 'rejected', note: 'Mistaken.' } })).status).toBe(200);
    }
  });
  afterAll(() => server.close());

  it('counts each incident once, with its largest count and casualties, in the 19:30 period of its first observation', async () => {
    const res = await summary(`since=${DAY1.since}&until=${DAY2.until}&cutoff=19:30`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = SummaryResponse.parse(res.body);
    expect(body).toMatchObject({ timezone: 'Europe/Kyiv', cutoff: '19:30', period: 'day' });
    expect(body.asOfSeq).toBeGreaterThan(0);
    expect(body.periods).toEqual([
      {
        start: '2026-01-14T17:30:00.000Z',
        end: '2026-01-15T17:30:00.000Z',
        incidents: 2,
        violations: 40 + 5,
        explosions: 40,
        killed: 1,
        injured: 3,
        reports: 4 + 2,
        byCategory: { explosion: 1, small_arms_fire: 1 },
        byWeapon: { artillery: 1 },
        byAssessment: { impact: 1 },
      },
      {
        start: '2026-01-15T17:30:00.000Z',
        end: '2026-01-16T17:30:00.000Z',
        incidents: 2,
        violations: 1 + 2,
        explosions: 2,
        killed: 0,
        injured: 0,
        reports: 2,
        byCategory: { shelling: 1, explosion: 1 },
        byWeapon: { mortar: 1 },
        byAssessment: {},
      },
    ]);
    expect(body.total).toMatchObject({ incidents: 4, violations: 48, explosions: 42, killed: 1, injured: 3, reports: 8 });
  });

  it('moves the day boundary with the cut-off (default 00:00 in MISSION_TIMEZONE)', async () => {
    const body = SummaryResponse.parse((await summary('since=2026-01-14T22:00:00Z&until=2026-01-16T22:00:00Z')).body);
    expect(body.cutoff).toBe('00:00');
    expect(body.periods.map((p) => [p.start, p.incidents, p.violations])).toEqual([
      ['2026-01-14T22:00:00.000Z', 3, 40 + 5 + 1],
      ['2026-01-15T22:00:00.000Z', 1, 2],
    ]);
  });

  it('leaves out an incident first observed before since, though one of its reports is in range', async () => {
    const body = SummaryResponse.parse((await summary(`since=${DAY2.since}&until=${DAY2.until}&cutoff=19:30&category=small_arms_fire`)).body);
    expect(body.total.incidents).toBe(0);
    const day1 = SummaryResponse.parse((await summary(`since=${DAY1.since}&until=${DAY1.until}&cutoff=19:30&category=small_arms_fire`)).body);
    expect(day1.total).toMatchObject({ incidents: 1, violations: 5, explosions: 0, reports: 2 });
  });

  it('buckets by hour and by week', async () => {
    const hours = SummaryResponse.parse((await summary(`since=2026-01-15T09:30:00Z&until=2026-01-15T11:30:00Z&period=hour&cutoff=19:30`)).body);
    expect(hours.periods.map((p) => [p.start, p.incidents])).toEqual([
      ['2026-01-15T09:30:00.000Z', 1],
      ['2026-01-15T10:30:00.000Z', 0],
    ]);
    // Monday 12 January 2026, 19:30 local.
    const weeks = SummaryResponse.parse((await summary(`since=2026-01-12T17:30:00Z&until=2026-01-19T17:30:00Z&period=week&cutoff=19:30`)).body);
    expect(weeks.periods).toHaveLength(1);
    expect(weeks.periods[0]).toMatchObject({ start: '2026-01-12T17:30:00.000Z', end: '2026-01-19T17:30:00.000Z', incidents: 4, violations: 48 });
  });

  it('gives the same figures as CSV, one row per period with a column per category', async () => {
    const query = `since=${DAY1.since}&until=${DAY2.until}&cutoff=19:30`;
    const json = SummaryResponse.parse((await summary(query)).body);
    const res = await fetch(`${server.url}/api/summary.csv?${query}`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="truceline-summary-.+\.csv"$/);
    const [header, ...rows] = (await res.text()).trimEnd().split('\r\n');
    expect(header!.split(',')).toEqual(SUMMARY_CSV_COLUMNS);
    expect(header).toContain('byCategory_monitor_restriction');
    expect(rows.map((r) => r.split(','))).toEqual(
      json.periods.map((p) => [
        p.start, p.end, ...[p.incidents, p.violations, p.explosions, p.killed, p.injured, p.reports].map(String),
        ...CATEGORIES.map((c) => String(p.byCategory[c] ?? 0)),
      ]),
    );
  });

  it('is for coordinators and admins: 403 for monitors, 401 without a token', async () => {
    expectHttpError(await summary('', m1.token), 'forbidden');
    expectHttpError(await api(server.url, 'GET', '/api/summary.csv', { token: m1.token }), 'forbidden');
    expectHttpError(await api(server.url, 'GET', '/api/summary'), 'unauthorized');
    expect((await summary(`since=${DAY1.since}&until=${DAY1.until}`, server.adminToken)).status).toBe(200);
  });

  it.each([
    ['an unknown period', 'period=month', 'period'],
    ['a cut-off without leading zero', 'cutoff=7:30', 'cutoff'],
    ['a cut-off past 23:59', 'cutoff=24:00', 'cutoff'],
    ['a cut-off given twice', 'cutoff=19:30&cutoff=20:00', 'cutoff'],
    ['until before since', `since=${DAY2.since}&until=${DAY1.since}`, 'until'],
    ['hours over six years', 'since=2020-01-01T00:00:00Z&until=2026-01-01T00:00:00Z&period=hour', 'period'],
  ])('refuses %s with 400 invalid', async (_why, query, path) => {
    const res = await summary(query);
    expectHttpError(res, 'invalid');
    expect((res.body as unknown as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain(path);
  });
});
