import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_PROPERTY_KEYS, type Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';
import { isoSeconds, minutesAgo } from '../support/time.js';


interface Feature {
  type: string;
  id: string;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}
interface FeatureCollection {
  type: string;
  features: Feature[];
}

describe('GeoJSON export', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;
  const bearing = makeBearingReport({
    observedAt: isoSeconds(minutesAgo(20)),
    observedUntil: isoSeconds(minutesAgo(15)),
    count: 12,
    countApprox: true,
    casualties: { killed: 0, injured: 2 },
    description: 'Twelve "impacts" <b>north</b> of the road, ünïcödé ✓',
  });
  const inputs = [
    makeReport({ observedAt: isoSeconds(minutesAgo(5)), category: 'shelling' }),
    makeReport({ observedAt: isoSeconds(minutesAgo(90)), category: 'explosion', location: { lon: 36.23, lat: 49.99 } }),
    makeReport({ observedAt: isoSeconds(minutesAgo(300)), category: 'small_arms_fire', location: { lon: 36.25, lat: 50.01 } }),
    makeReport({ observedAt: isoSeconds(minutesAgo(600)), category: 'shelling', location: { lon: 35.0, lat: 47.8 }, weapon: 'mortar' }),
    bearing,
  ];

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
    for (const body of inputs) {
      const res = await api(server.url, 'POST', '/api/reports', { token: monitor.token, body });
      expect(res.status).toBe(201);
    }
    // One reviewed report, so a status filter has something to leave out.
    const review = await api(server.url, 'PATCH', `/api/reports/${inputs[3]!.id}`, { token: coordinator.token, body: { status: 'rejected', note: 'Duplicate.' } });
    expect(review.status).toBe(200);
  });
  afterAll(() => server.close());

  async function exportAs(token: string, query = ''): Promise<{ status: number; contentType: string | null; collection: FeatureCollection }> {
    const res = await fetch(`${server.url}/api/export.geojson${query}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), collection: JSON.parse(text) as FeatureCollection };
  }

  async function listed(query = ''): Promise<Report[]> {
    const res = await api<{ reports: Report[] }>(server.url, 'GET', `/api/reports?limit=1000${query ? `&${query.slice(1)}` : ''}`, {
      token: coordinator.token,
    });
    expect(res.status).toBe(200);
    return res.body.reports;
  }

  it('is a FeatureCollection of every stored report, served as application/geo+json', async () => {
    const { status, contentType, collection } = await exportAs(coordinator.token);
    expect(status).toBe(200);
    expect(contentType?.split(';')[0]).toBe('application/geo+json');
    expect(collection.type).toBe('FeatureCollection');
    const reports = await listed();
    expect(reports).toHaveLength(inputs.length);
    expect(collection.features.map((f) => f.id).sort()).toEqual(reports.map((r) => r.id).sort());
  });

  it('gives every feature a Point [lon, lat] and every property key, as flat scalars', async () => {
    const { collection } = await exportAs(coordinator.token);
    const byId = new Map((await listed()).map((r) => [r.id, r]));
    for (const feature of collection.features) {
      const report = byId.get(feature.id)!;
      expect(feature.type).toBe('Feature');
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [report.location.lon, report.location.lat] });
      expect(Object.keys(feature.properties).sort()).toEqual([...EXPORT_PROPERTY_KEYS].sort());
      for (const value of Object.values(feature.properties)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof value);
      for (const value of Object.values(feature.properties)) if (typeof value === 'object') expect(value).toBeNull();
      expect(feature.properties).toMatchObject({
        category: report.category,
        observedAt: report.observedAt,
        status: report.status,
        reporter: monitor.user.username,
        reporterId: monitor.user.id,
        incidentId: report.incidentId,
        areaId: report.areaId,
      });
    }
  });

  it('flattens a bearing report into observer, true bearing and distance columns', async () => {
    const { collection } = await exportAs(coordinator.token);
    const stored = (await listed()).find((r) => r.id === bearing.id)!;
    const feature = collection.features.find((f) => f.id === bearing.id)!;
    expect(feature.properties).toEqual(
      expect.objectContaining({
        observedUntil: stored.observedUntil,
        locationMethod: 'bearing',
        uncertaintyM: stored.uncertaintyM,
        observerLon: bearing.observer!.lon,
        observerLat: bearing.observer!.lat,
        bearingFromDeg: stored.bearingTrue!.fromDeg,
        bearingToDeg: stored.bearingTrue!.toDeg,
        distanceMinM: bearing.distanceM!.min,
        distanceMaxM: bearing.distanceM!.max,
        count: 12,
        countApprox: true,
        killed: 0,
        injured: 2,
        description: bearing.description,
        weapon: null,
        supersedes: null,
      }),
    );
  });

  it('flattens the place into place, placeAdmin1, placeDistanceM and placeBearingDeg', async () => {
    const { collection } = await exportAs(coordinator.token);
    const byId = new Map((await listed()).map((r) => [r.id, r]));
    for (const feature of collection.features) {
      const place = byId.get(feature.id)!.place!;
      expect(place.text).toMatch(/ of |^in /);
      expect(feature.properties).toMatchObject({
        place: place.text,
        placeAdmin1: place.admin1,
        placeDistanceM: place.distanceM,
        placeBearingDeg: place.bearingDeg,
      });
    }
  });

  it.each([
    ['category', '?category=shelling,explosion'],
    ['bbox', '?bbox=36,49.5,36.5,50.5'],
    ['since', `?since=${encodeURIComponent(isoSeconds(minutesAgo(100)))}`],
    ['until', `?until=${encodeURIComponent(isoSeconds(minutesAgo(100)))}`],
    ['since, until and category', `?since=${encodeURIComponent(isoSeconds(minutesAgo(400)))}&until=${encodeURIComponent(isoSeconds(minutesAgo(10)))}&category=explosion,small_arms_fire`],
    ['status', '?status=pending'],
  ])('with a %s filter, holds exactly what GET /api/reports lists with it', async (_name, query) => {
    const { status, collection } = await exportAs(coordinator.token, query);
    expect(status).toBe(200);
    const reports = await listed(query);
    // A filter that matched everything or nothing would prove little.
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.length).toBeLessThan(inputs.length);
    expect(collection.features.map((f) => f.id).sort()).toEqual(reports.map((r) => r.id).sort());
  });

  it('is open to admins, and refuses a bad filter with 400', async () => {
    expect((await exportAs(server.adminToken)).collection.features).toHaveLength(inputs.length);
    expectHttpError(await api(server.url, 'GET', '/api/export.geojson?category=nuclear', { token: coordinator.token }), 'invalid');
    expectHttpError(await api(server.url, 'GET', '/api/export.geojson?bbox=1,2,3', { token: coordinator.token }), 'invalid');
  });
});
