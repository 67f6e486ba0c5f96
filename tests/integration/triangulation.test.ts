import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IncidentListResponse, type IncidentState, type Report, isMergedIncident } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect } from '../support/sockets.js';
import { makeBearingReport } from '../support/reports.js';
import { destination, distanceM, initialBearingDeg as bearingDeg } from '../support/geo.js';
import { isoSeconds, minutesAgo } from '../support/time.js';

/** Where the shell landed. */
const TRUTH = { lon: 37.82, lat: 48.21 };
/** Three checkpoints around it: [metres from the truth, bearing from the truth, the monitor's compass error]. */
const CHECKPOINTS: [number, number, number][] = [
  [2600, 200, 1.5],
  [3100, 300, -1],
  [2200, 80, 0.5],
];

describe('three monitors report one explosion by bearing from three checkpoints', () => {
  let server: TestServer;
  let monitors: Account[];
  let coordinator: Account;
  let watcher: ClientSocket;
  let monitorWatcher: ClientSocket;
  let atCoordinator: ReturnType<typeof collect<'incident:updated'>>;
  let atMonitor: ReturnType<typeof collect<'incident:updated'>>;
  const reports: Report[] = [];

  beforeAll(async () => {
    server = await startServer();
    const accounts = await createUsers(server, ['monitor', 'monitor', 'monitor', 'coordinator'] as const);
    monitors = accounts.slice(0, 3);
    coordinator = accounts[3];
    watcher = (await connect(server.url, coordinator.token)).socket;
    monitorWatcher = (await connect(server.url, monitors[0]!.token)).socket;
    atCoordinator = collect(watcher, 'incident:updated');
    atMonitor = collect(monitorWatcher, 'incident:updated');
  });
  afterAll(async () => {
    watcher.close();
    monitorWatcher.close();
    await server.close();
  });

  const incident = async (id: string, token = coordinator.token): Promise<IncidentState | undefined> =>
    (await api<IncidentListResponse>(server.url, 'GET', '/api/incidents', { token })).body.incidents.find(
      (i): i is IncidentState => !isMergedIncident(i) && i.id === id,
    );

  it('places the incident where the bearings cross, within its stated uncertainty, and sends it live', async () => {
    const at = isoSeconds(minutesAgo(10));
    for (const [i, [metres, fromTruth, error]] of CHECKPOINTS.entries()) {
      const checkpoint = destination(TRUTH, fromTruth, metres);
      const deg = Math.round(((bearingDeg(checkpoint, TRUTH) + error + 360) % 360) * 10) / 10;
      const body = makeBearingReport({
        category: 'explosion',
        observedAt: at,
        observer: { lon: checkpoint.lon, lat: checkpoint.lat, accuracyM: 10 },
        bearing: { fromDeg: deg, toDeg: deg, reference: 'true' },
        // Roughly right: the monitors judged the distance from the sound's delay.
        distanceM: { min: Math.round(metres * 0.7), max: Math.round(metres * 1.4) },
      });
      const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitors[i]!.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      reports.push(res.body.report);
    }
    const incidentId = reports[0]!.incidentId as string;
    expect(reports.map((r) => r.incidentId)).toEqual([incidentId, incidentId, incidentId]);

    const listed = await incident(incidentId);
    expect(listed).toMatchObject({ locationMethod: 'triangulated', reportCount: 3, monitorCount: 3 });
    expect(new Set(listed?.triangulation?.reportIds)).toEqual(new Set(reports.map((r) => r.id)));
    expect(listed?.triangulation?.crossingAngleDeg).toBeGreaterThan(60);
    const off = distanceM(listed!.location, TRUTH);
    expect(off).toBeLessThan(listed!.uncertaintyM);
    // Far better than any one report's own guess.
    expect(listed!.uncertaintyM).toBeLessThan(Math.min(...reports.map((r) => r.uncertaintyM)));

    const live = await atCoordinator.until((i) => i.id === incidentId && !isMergedIncident(i) && i.reportCount === 3);
    expect(live).toEqual(listed);
    // Monitors get the fix too, without the monitor count and with the radius rounded up to 100 m.
    const monitorLive = await atMonitor.until((i) => i.id === incidentId && !isMergedIncident(i) && i.reportCount === 3);
    expect(monitorLive).not.toHaveProperty('monitorCount');
    expect(monitorLive).toMatchObject({ location: listed!.location, locationMethod: 'triangulated', triangulation: listed!.triangulation });
    expect(await incident(incidentId, monitors[1]!.token)).toEqual(monitorLive);
  });

  it('describes the incident as a mission report does, and the day\'s summary counts it once', async () => {
    const incidentId = reports[0]!.incidentId as string;
    const listed = await incident(incidentId);
    // "x.x km DIR of Town (Region)": the nearest settlement of 1,000+, from it to the fix.
    expect(listed?.place?.text).toMatch(/^(\d+\.\d km (N|NE|E|SE|S|SW|W|NW) of|in) [^()]+ \([^()]+ Oblast\)$/);
    const day = new Date(Date.parse(reports[0]!.observedAt));
    const since = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate())).toISOString();
    const until = new Date(Date.parse(since) + 86_400_000).toISOString();
    const summary = await api<{ total: { incidents: number; reports: number; violations: number } }>(
      server.url,
      'GET',
      `/api/summary?since=${since}&until=${until}&period=day`,
      { token: coordinator.token },
    );
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body.total).toMatchObject({ incidents: 1, reports: 3, violations: 1 });
  });

  it('falls back to the centroid when rejections leave bearings from one place only', async () => {
    const incidentId = reports[0]!.incidentId as string;
    const reject = async (report: Report) => {
      const res = await api(server.url, 'PATCH', `/api/reports/${report.id}`, { token: coordinator.token, body: { status: 'rejected', note: 'Not an explosion.' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const afterSeq = (await incident(incidentId))!.seq;
    await reject(reports[2]!);
    const two = await atCoordinator.until((i) => i.id === incidentId && i.seq > afterSeq);
    expect(two).toMatchObject({ reportCount: 2, locationMethod: 'triangulated', triangulation: { reportIds: [reports[0]!.id, reports[1]!.id] } });
    expect(distanceM((two as IncidentState).location, TRUTH)).toBeLessThan((two as IncidentState).uncertaintyM);

    await reject(reports[1]!);
    const one = await atCoordinator.until((i) => i.id === incidentId && i.seq > two.seq);
    expect(one).toMatchObject({ reportCount: 1, locationMethod: 'centroid', location: reports[0]!.location });
    expect(one).not.toHaveProperty('triangulation');
    expect(await incident(incidentId)).toEqual(one);
  });
});
