import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Area, type IncidentListResponse, type IncidentState, type Report, isMergedIncident } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { isoSeconds, minutesAgo } from '../support/time.js';

/** Degrees of longitude per kilometre at latitude `lat`. */
const lonPerKm = (lat: number) => 1 / (111.32 * Math.cos((lat * Math.PI) / 180));
const latPerKm = 1 / 111.2;

describe('fusion: reports link by the regions they describe', () => {
  let server: TestServer;
  let monitorA: Account;
  let monitorB: Account;
  let coordinator: Account;
  let watcher: ClientSocket;
  let reportEvents: ReturnType<typeof collect<'report:updated'>>;
  let incidentEvents: ReturnType<typeof collect<'incident:updated'>>;
  let areaEvents: ReturnType<typeof collect<'area:updated'>>;

  beforeAll(async () => {
    server = await startServer();
    [monitorA, monitorB, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    watcher = (await connect(server.url, coordinator.token)).socket;
    reportEvents = collect(watcher, 'report:updated');
    incidentEvents = collect(watcher, 'incident:updated');
    areaEvents = collect(watcher, 'area:updated');
  });
  afterAll(async () => {
    watcher.close();
    await server.close();
  });

  async function post(account: Account, body: object): Promise<Report> {
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: account.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.report;
  }
  const incidents = async () =>
    (await api<IncidentListResponse>(server.url, 'GET', '/api/incidents', { token: coordinator.token })).body.incidents.filter(
      (i): i is IncidentState => !isMergedIncident(i),
    );
  const areas = async () => (await api<{ areas: Area[] }>(server.url, 'GET', '/api/areas', { token: coordinator.token })).body.areas;

  it('does not link two bearing reports whose wedges point apart, although their old circles overlapped', async () => {
    const at = isoSeconds(minutesAgo(30));
    const checkpoint = { lon: 36.2, lat: 47.2, accuracyM: 10 };
    // From one checkpoint: one event north-east, another south-west, each 2–8 km out.
    const ne = await post(monitorA, makeBearingReport({ observedAt: at, observer: checkpoint, bearing: { fromDeg: 0, toDeg: 90, reference: 'true' }, distanceM: { min: 2_000, max: 8_000 } }));
    const sw = await post(monitorB, makeBearingReport({ observedAt: at, observer: checkpoint, bearing: { fromDeg: 180, toDeg: 270, reference: 'true' }, distanceM: { min: 2_000, max: 8_000 } }));
    // The circles the old rule compared: centres ~10 km apart, radii ~5.7 km each.
    const centres = Math.hypot((ne.location.lon - sw.location.lon) / lonPerKm(47.2), (ne.location.lat - sw.location.lat) / latPerKm) * 1000;
    expect(centres).toBeLessThan(ne.uncertaintyM + sw.uncertaintyM);
    expect(sw.incidentId).not.toBe(ne.incidentId);
  });

  it('links a bearing wedge to a GPS report it passes within 1 km of, and not one 1.5 km off', async () => {
    const at = minutesAgo(30);
    const observer = { lon: 36.5, lat: 47.0, accuracyM: 10 };
    // A single bearing due east, 1–9 km: a line along the parallel.
    const ray = await post(monitorA, makeBearingReport({ observedAt: isoSeconds(at), observer, bearing: { fromDeg: 90, toDeg: 90, reference: 'true' }, distanceM: { min: 1_000, max: 9_000 } }));
    const near = await post(monitorB, makeReport({
      observedAt: isoSeconds(at + 2 * 60_000),
      location: { lon: 36.5 + 7 * lonPerKm(47), lat: 47 + 0.8 * latPerKm, accuracyM: 20, source: 'gps' },
    }));
    const far = await post(monitorB, makeReport({
      observedAt: isoSeconds(at + 3 * 60_000),
      location: { lon: 36.5 + 3 * lonPerKm(47), lat: 47 - 1.5 * latPerKm, accuracyM: 20, source: 'gps' },
    }));
    expect(near.incidentId).toBe(ray.incidentId);
    expect(far.incidentId).not.toBe(ray.incidentId);
  });

  it('takes a superseded report out of its incident and area counts; the correction counts instead', async () => {
    const at = minutesAgo(20);
    const here = { lon: 35.5, lat: 46.5, accuracyM: 30, source: 'gps' as const };
    const other = await post(monitorB, makeReport({ observedAt: isoSeconds(at), location: here }));
    const first = await post(monitorA, makeReport({ observedAt: isoSeconds(at + 60_000), location: here }));
    expect(first.areaId).toBe(other.areaId);
    expect(first.incidentId).toBe(other.incidentId);
    expect((await areas()).find((a) => a.id === first.areaId)).toMatchObject({ count: 2 });

    // The correction moves the event 6 km north: out of reach of the first incident.
    const correction = await post(monitorA, makeReport({
      observedAt: isoSeconds(at + 60_000),
      location: { ...here, lat: here.lat + 6 * latPerKm },
      supersedes: first.id,
    }));
    expect(correction.incidentId).not.toBe(other.incidentId);
    const updated = await reportEvents.until((r) => r.id === first.id && r.supersededBy === correction.id);
    expect(updated).toMatchObject({ incidentId: null, supersededBy: correction.id });
    expect(updated.seq).toBeGreaterThan(first.seq);
    await incidentEvents.until((i) => i.id === other.incidentId && !isMergedIncident(i) && i.reportCount === 1);
    await areaEvents.until((a) => a.id === first.areaId && a.count === 1);

    const incident = (await incidents()).find((i) => i.id === other.incidentId)!;
    expect(incident).toMatchObject({ reportCount: 1, reportIds: [other.id] });
    const listedAreas = await areas();
    expect(listedAreas.find((a) => a.id === first.areaId)).toMatchObject({ count: 1 });
    expect(listedAreas.find((a) => a.id === correction.areaId)).toMatchObject({ count: 1 });
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${first.id}`, { token: coordinator.token });
    expect(stored.body.report).toMatchObject({ incidentId: null, supersededBy: correction.id });

    // Reviewing the superseded report records the verdict but brings nothing back.
    const verified = await api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${first.id}`, { token: coordinator.token, body: { status: 'rejected', note: 'Mistaken.' } });
    expect(verified.body.report).toMatchObject({ status: 'rejected', incidentId: null });
    const back = await api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${first.id}`, { token: coordinator.token, body: { status: 'verified' } });
    expect(back.body.report).toMatchObject({ status: 'verified', incidentId: null });
    expect((await areas()).find((a) => a.id === first.areaId)).toMatchObject({ count: 1 });
  });

  it('keeps within the incident limits: a night-long report and a far-reaching circle bridge nothing', async () => {
    const at = minutesAgo(10 * 60);
    const spot = { lon: 34.5, lat: 46.0, accuracyM: 50, source: 'gps' as const };
    const burst = await post(monitorA, makeReport({ observedAt: isoSeconds(at + 60 * 60_000), location: spot }));
    // "Intermittent shelling 20:00–04:00": 8 h, longer than any incident may last.
    const night = await post(monitorB, makeReport({ observedAt: isoSeconds(at), observedUntil: isoSeconds(at + 8 * 60 * 60_000), location: spot }));
    expect(night.incidentId).not.toBe(burst.incidentId);

    // Two vague fixes whose 6 km circles overlap, centres 11 km apart: beyond the 10 km extent.
    const west = await post(monitorA, makeReport({ observedAt: isoSeconds(at + 2 * 60 * 60_000), location: { ...spot, lat: 45.5, accuracyM: 6_000 } }));
    const east = await post(monitorB, makeReport({
      observedAt: isoSeconds(at + 2 * 60 * 60_000),
      location: { ...spot, lat: 45.5, lon: spot.lon + 11 * lonPerKm(45.5), accuracyM: 6_000 },
    }));
    expect(east.incidentId).not.toBe(west.incidentId);
    // Closer than the extent (and beyond it from `east`), such a circle links as before.
    const near = await post(monitorB, makeReport({
      observedAt: isoSeconds(at + 2 * 60 * 60_000),
      location: { ...spot, lat: 45.5, lon: spot.lon - 4 * lonPerKm(45.5), accuracyM: 6_000 },
    }));
    expect(near.incidentId).toBe(west.incidentId);
    expect(near.incidentId).not.toBe(east.incidentId);
  });

  it('cuts a chain of short, close reports at the incident limits, and the live picture agrees', async () => {
    // 45 reports 10 min apart, each 400 m further north: every one links to the next, and the
    // chain runs 7 h 20 min and 17.6 km, over both limits.
    const at = minutesAgo(8 * 60);
    const from = { lon: 35.1, lat: 45.2 };
    const chain: Report[] = [];
    for (let i = 0; i < 45; i++) {
      const location = { lon: from.lon, lat: from.lat + 0.4 * i * latPerKm, accuracyM: 30, source: 'gps' as const };
      chain.push(await post(i % 2 === 0 ? monitorA : monitorB, makeReport({ observedAt: isoSeconds(at + i * 10 * 60_000), location })));
    }
    const ids = new Set(chain.map((r) => r.id));
    const mine = (await incidents()).filter((i) => i.reportIds.some((id) => ids.has(id)));
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.reduce((n, i) => n + i.reportCount, 0)).toBe(45);
    const byId = new Map(chain.map((r) => [r.id, r]));
    for (const incident of mine) {
      const members = incident.reportIds.map((id) => byId.get(id) as Report);
      const starts = members.map((r) => Date.parse(r.observedAt));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(6 * 60 * 60_000);
      const lats = members.map((r) => r.location.lat);
      expect((Math.max(...lats) - Math.min(...lats)) / latPerKm).toBeLessThanOrEqual(10.01);
    }
    // What the coordinator saw live ends where the list is: the last state of each incident.
    await expect.poll(() => {
      const last = new Map<string, number>();
      for (const event of incidentEvents.seen) if (!isMergedIncident(event)) last.set(event.id, event.reportCount);
      return mine.every((i) => last.get(i.id) === i.reportCount);
    }).toBe(true);
  });
});
