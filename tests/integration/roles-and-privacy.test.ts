import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Incident, type IncidentState, PRIVATE_REPORT_FIELDS, type Presence, type Report, type SyncResponse, isMergedIncident } from '@truceline/shared';
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

describe("what a monitor can tell about another monitor's device", () => {
  let server: TestServer;
  let author: Account;
  let viewer: Account;
  let coordinator: Account;
  let items: ClientSocket;
  let commits: ClientSocket;
  // Single bearings at one distance, 50 km apart (one incident each), that differ in the observer's GPS accuracy.
  const precise = makeBearingReport({ observer: { lon: 37.7, lat: 48.1, accuracyM: 4 }, bearing: { fromDeg: 90, toDeg: 90, reference: 'true' }, distanceM: { min: 1500, max: 1500 } });
  const vague = makeBearingReport({ observer: { lon: 38.4, lat: 48.1, accuracyM: 43 }, bearing: { fromDeg: 90, toDeg: 90, reference: 'true' }, distanceM: { min: 1500, max: 1500 } });
  const ids = [precise.id, vague.id];
  let liveReports: Report[];
  let liveIncidents: Incident[];
  let commitIncidents: Incident[];

  beforeAll(async () => {
    server = await startServer();
    [author, viewer, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    items = (await connect(server.url, viewer.token)).socket;
    commits = (await connect(server.url, viewer.token, undefined, { auth: { token: viewer.token, live: 'commit' } })).socket;
    const newReports = collect(items, 'reports:new');
    const incidentUpdates = collect(items, 'incident:updated');
    const commitMessages = collect(commits, 'commit');
    for (const input of [precise, vague]) {
      expect((await api(server.url, 'POST', '/api/reports', { token: author.token, body: input })).status).toBe(201);
    }
    await newReports.until((batch) => batch.some((r) => r.id === vague.id));
    await commitMessages.until((m) => (m.reports ?? []).some((r) => r.id === vague.id));
    liveReports = newReports.seen.flat().filter((r) => ids.includes(r.id));
    liveIncidents = incidentUpdates.seen;
    commitIncidents = commitMessages.seen.flatMap((m) => m.incidents ?? []);
  });
  afterAll(async () => {
    items.close();
    commits.close();
    await server.close();
  });

  /** The two reports' uncertainty as the viewer got them: equal, and not either observer's accuracy. */
  function expectSameUncertainty(reports: Report[]): void {
    const byId = new Map(reports.map((r) => [r.id, r.uncertaintyM]));
    expect(byId.get(precise.id)).toBeDefined();
    expect(byId.get(precise.id)).toBe(byId.get(vague.id));
    expect([4, 43]).not.toContain(byId.get(precise.id));
  }

  it('stores the accuracy in the uncertainty, which the author and coordinators see', async () => {
    const own = await api<{ reports: Report[] }>(server.url, 'GET', '/api/reports?reporter=me', { token: author.token });
    expect(own.body.reports.filter((r) => ids.includes(r.id)).map((r) => r.uncertaintyM).sort()).toEqual([4, 43]);
  });

  it('gets the same redacted uncertainty for both in reports:new, GET /api/reports, GET /api/sync and reports:sync', async () => {
    expectSameUncertainty(liveReports);
    expectSameUncertainty((await api<{ reports: Report[] }>(server.url, 'GET', '/api/reports', { token: viewer.token })).body.reports);
    expectSameUncertainty((await api<SyncResponse>(server.url, 'GET', '/api/sync?afterSeq=0', { token: viewer.token })).body.reports);
    const ack = await emitAck(items, 'reports:sync', { afterSeq: 0 });
    expectSameUncertainty('reports' in ack ? ack.reports : []);
  });

  it('gets incidents without monitorCount and with the same uncertainty for both, live and listed; coordinators get the count', async () => {
    const listed = (await api<{ incidents: IncidentState[] }>(server.url, 'GET', '/api/incidents', { token: viewer.token })).body.incidents;
    for (const seen of [listed, liveIncidents, commitIncidents]) {
      const states = seen.filter((i): i is IncidentState => !isMergedIncident(i));
      expect(states).toHaveLength(2);
      for (const incident of states) expect(incident).not.toHaveProperty('monitorCount');
      expect(states[0]!.uncertaintyM).toBe(states[1]!.uncertaintyM);
    }
    const forCoordinator = (await api<{ incidents: IncidentState[] }>(server.url, 'GET', '/api/incidents', { token: coordinator.token })).body.incidents;
    expect(forCoordinator.map((i) => i.monitorCount)).toEqual([1, 1]);
  });
});
