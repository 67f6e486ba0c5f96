import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeBearingReport } from '../support/reports.js';
import { distanceM } from '../support/geo.js';

interface FeatureCollection {
  features: { id: string; geometry: { type: string; coordinates: number[] } }[];
}

/** A GeoJSON/WGS84 position as the contract and RFC 7946 readers take it. */
function expectValidPosition([lon, lat]: readonly number[], what: string): void {
  expect(lon, `${what} lon`).toBeGreaterThanOrEqual(-180);
  expect(lon, `${what} lon`).toBeLessThan(180);
  expect(lat, `${what} lat`).toBeGreaterThanOrEqual(-90);
  expect(lat, `${what} lat`).toBeLessThanOrEqual(90);
}

// Issue 9 §2: turf stored these at lon 270 and 180.0134898, outside every bbox and the export's range.
describe('bearing reports from the pole and the antimeridian', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;
  const distance = { min: 1000, max: 2000 };
  const atPole = makeBearingReport({
    observer: { lon: 180, lat: 90 },
    bearing: { fromDeg: 90, toDeg: 90, reference: 'true' },
    distanceM: distance,
  });
  const onAntimeridian = makeBearingReport({
    category: 'small_arms_fire',
    observer: { lon: 180, lat: 0 },
    bearing: { fromDeg: 90, toDeg: 90, reference: 'true' },
    distanceM: distance,
  });
  const reports = [atPole, onAntimeridian];
  const stored = new Map<string, Report>();

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
    for (const body of reports) {
      const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      stored.set(body.id, res.body.report);
    }
  });
  afterAll(() => server.close());

  it('stores a valid location, still at the mid distance from the observer', async () => {
    for (const body of reports) {
      const res = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${body.id}`, { token: coordinator.token });
      const { location } = res.body.report;
      expect(res.body.report).toEqual(stored.get(body.id));
      expectValidPosition([location.lon, location.lat], `report ${body.id}`);
      expect(distanceM(body.observer!, location)).toBeCloseTo(1500, 1);
    }
    // Looking east from 180° lands just east of the antimeridian, at 179.9865° W.
    expect(stored.get(onAntimeridian.id)?.location.lon).toBeCloseTo(-179.9865102, 6);
  });

  it('finds them with a whole-world bbox and with a small bbox around each', async () => {
    const ids = async (bbox: string): Promise<string[]> => {
      const res = await api<{ reports: Report[] }>(server.url, 'GET', `/api/reports?bbox=${bbox}`, { token: coordinator.token });
      expect(res.status).toBe(200);
      return res.body.reports.map((r) => r.id).sort();
    };
    expect(await ids('-180,-90,180,90')).toEqual(reports.map((r) => r.id).sort());
    expect(await ids('-180,-1,-179.9,1')).toEqual([onAntimeridian.id]);
    // The same place through a bbox that crosses the antimeridian.
    expect(await ids('179.9,-1,-179.9,1')).toEqual([onAntimeridian.id]);
    expect(await ids('-180,89.9,180,90')).toEqual([atPole.id]);
  });

  it('gives their incidents valid locations a whole-world bbox finds', async () => {
    const res = await api<{ incidents: Incident[] }>(server.url, 'GET', '/api/incidents?bbox=-180,-90,180,90', { token: coordinator.token });
    expect(res.status).toBe(200);
    const ids = reports.map((r) => stored.get(r.id)?.incidentId).sort();
    expect(res.body.incidents.map((i) => i.id).sort()).toEqual(ids);
    for (const incident of res.body.incidents) {
      if ('location' in incident) expectValidPosition([incident.location.lon, incident.location.lat], `incident ${incident.id}`);
    }
  });

  it('exports valid point coordinates', async () => {
    const res = await fetch(`${server.url}/api/export.geojson?bbox=-180,-90,180,90`, {
      headers: { authorization: `Bearer ${coordinator.token}` },
    });
    expect(res.status).toBe(200);
    const collection = (await res.json()) as FeatureCollection;
    expect(collection.features.map((f) => f.id).sort()).toEqual(reports.map((r) => r.id).sort());
    for (const feature of collection.features) {
      expect(feature.geometry.type).toBe('Point');
      expectValidPosition(feature.geometry.coordinates, `feature ${feature.id}`);
      const report = stored.get(feature.id);
      expect(feature.geometry.coordinates).toEqual([report?.location.lon, report?.location.lat]);
    }
  });
});
