import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_REPORT_FIELDS, type Presence, type Report, type SyncResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';


/** Another monitor's report: none of the fields that would locate its reporter. */
function expectRedacted(report: Report | undefined): void {
  expect(report).toBeDefined();
  for (const key of PRIVATE_REPORT_FIELDS) expect(report, `${key} leaked`).not.toHaveProperty(key);
  expect(report!.location).toBeDefined();
}

/** A bearing report as its reporter or a coordinator sees it. */
function expectFull(report: Report | undefined, reporter: Account): void {
  expect(report).toBeDefined();
  expect(report!.reporter).toEqual({ id: reporter.user.id, username: reporter.user.username });
  for (const key of ['observer', 'bearing', 'bearingTrue', 'distanceM'] as const) expect(report, key).toHaveProperty(key);
}

describe('what each role may do and see', () => {
  let server: TestServer;
  let monitorA: Account;
  let monitorB: Account;
  let coordinator: Account;
  const sockets: Record<'a' | 'b' | 'c', ClientSocket> = {} as Record<'a' | 'b' | 'c', ClientSocket>;
  let presenceAtA: ReturnType<typeof collect<'presence:update'>>;
  let presenceAtB: ReturnType<typeof collect<'presence:update'>>;
  let presenceAtC: ReturnType<typeof collect<'presence:update'>>;
  // B's bearing report and A's own, stored once for the read-path tests.
  const fromB = makeBearingReport();
  const fromA = makeBearingReport({ category: 'explosion' });
  const live: Partial<Record<'a' | 'b' | 'c', Report>> = {};

  beforeAll(async () => {
    server = await startServer();
    [monitorA, monitorB, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    // Presence listeners go on before `hello`, so even the greeting snapshot would be caught.
    sockets.c = (await connect(server.url, coordinator.token, (s) => (presenceAtC = collect(s, 'presence:update')))).socket;
    sockets.a = (await connect(server.url, monitorA.token, (s) => (presenceAtA = collect(s, 'presence:update')))).socket;
    sockets.b = (await connect(server.url, monitorB.token, (s) => (presenceAtB = collect(s, 'presence:update')))).socket;

    const seen = { a: collect(sockets.a, 'reports:new'), b: collect(sockets.b, 'reports:new'), c: collect(sockets.c, 'reports:new') };
    expect(await emitAck(sockets.b, 'report:submit', fromB)).toMatchObject({ ok: true });
    expect(await emitAck(sockets.a, 'report:submit', fromA)).toMatchObject({ ok: true });
    for (const who of ['a', 'b', 'c'] as const) {
      await seen[who].until((batch) => batch.some((r) => r.id === fromA.id));
      live[who] = seen[who].seen.flat().find((r) => r.id === fromB.id);
    }
  });
  afterAll(async () => {
    for (const s of Object.values(sockets)) s.close();
    await server.close();
  });

  const get = <T>(token: string, route: string) => api<T>(server.url, 'GET', route, { token });

  it('refuses a monitor a review with 403', async () => {
    const res = await api(server.url, 'PATCH', `/api/reports/${fromB.id}`, { token: monitorA.token, body: { status: 'verified' } });
    expectHttpError(res, 'forbidden');
    expect((await get<{ report: Report }>(coordinator.token, `/api/reports/${fromB.id}`)).body.report.status).toBe('pending');
  });

  it('refuses a monitor the export with 403', async () => {
    expectHttpError(await get(monitorA.token, '/api/export.geojson'), 'forbidden');
  });

  it('refuses a monitor and a coordinator the user list and user creation with 403', async () => {
    for (const token of [monitorA.token, coordinator.token]) {
      expectHttpError(await get(token, '/api/users'), 'forbidden');
      const create = await api(server.url, 'POST', '/api/users', { token, body: { username: 'sneaky', password: 'sneaky-password', role: 'admin' } });
      expectHttpError(create, 'forbidden');
    }
  });

  it('refuses a monitor a filter on another reporter with 403', async () => {
    expectHttpError(await get(monitorA.token, `/api/reports?reporter=${monitorB.user.id}`), 'forbidden');
  });

  it("hides another monitor's reporter, observer, bearing and distance in reports:new, but not from its reporter or a coordinator", () => {
    expectRedacted(live.a);
    expectFull(live.b, monitorB);
    expectFull(live.c, monitorB);
  });

  it("hides them in GET /api/reports and GET /api/reports/:id, and shows a monitor's own reports in full", async () => {
    const list = await get<{ reports: Report[] }>(monitorA.token, '/api/reports');
    expectRedacted(list.body.reports.find((r) => r.id === fromB.id));
    expectFull(list.body.reports.find((r) => r.id === fromA.id), monitorA);
    expectRedacted((await get<{ report: Report }>(monitorA.token, `/api/reports/${fromB.id}`)).body.report);
    expectFull((await get<{ report: Report }>(monitorA.token, `/api/reports/${fromA.id}`)).body.report, monitorA);
    expectFull((await get<{ report: Report }>(monitorB.token, `/api/reports/${fromB.id}`)).body.report, monitorB);
  });

  it('shows a coordinator every field of every report', async () => {
    const list = await get<{ reports: Report[] }>(coordinator.token, '/api/reports');
    expectFull(list.body.reports.find((r) => r.id === fromB.id), monitorB);
    expectFull(list.body.reports.find((r) => r.id === fromA.id), monitorA);
  });

  it('hides them in reports:sync', async () => {
    const res = (await emitAck(sockets.a, 'reports:sync', { afterSeq: 0 })) as SyncResponse;
    expectRedacted(res.reports.find((r) => r.id === fromB.id));
    expectFull(res.reports.find((r) => r.id === fromA.id), monitorA);
    const coord = (await emitAck(sockets.c, 'reports:sync', { afterSeq: 0 })) as SyncResponse;
    expectFull(coord.reports.find((r) => r.id === fromB.id), monitorB);
  });

  it('hides them in report:updated', async () => {
    const updated = { a: collect(sockets.a, 'report:updated'), b: collect(sockets.b, 'report:updated'), c: collect(sockets.c, 'report:updated') };
    const res = await api(server.url, 'PATCH', `/api/reports/${fromB.id}`, { token: coordinator.token, body: { status: 'verified' } });
    expect(res.status).toBe(200);
    const isIt = (r: Report) => r.id === fromB.id && r.status === 'verified';
    expectRedacted(await updated.a.until(isIt));
    expectFull(await updated.b.until(isIt), monitorB);
    expectFull(await updated.c.until(isIt), monitorB);
  });

  it('sends presence:update to coordinators, listing who is online, and never to monitors', async () => {
    const everyone = (p: Presence) =>
      [monitorA, monitorB, coordinator].every((u) => p.online.some((o) => o.userId === u.user.id && o.username === u.user.username && o.role === u.user.role));
    await presenceAtC.until(everyone);

    // Presence and the next broadcast leave in that order; once the marker arrives at the monitors, nothing else is in flight.
    const marker = makeReport();
    const markers = [collect(sockets.a, 'reports:new'), collect(sockets.b, 'reports:new')];
    expect((await api(server.url, 'POST', '/api/reports', { token: coordinator.token, body: marker })).status).toBe(201);
    for (const m of markers) await m.until((batch) => batch.some((r) => r.id === marker.id));
    expect(presenceAtA.seen).toEqual([]);
    expect(presenceAtB.seen).toEqual([]);
  });
});
