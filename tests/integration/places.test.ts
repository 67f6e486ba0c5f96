import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { ConfigError, createTruceline, loadConfig } from '@truceline/server';
import type { IncidentState, PlaceMatch, Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer, tempDataDir } from '../support/server.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';

/** GeoNames' Avdiivka (Donetsk Oblast). */
const AVDIIVKA = { lon: 37.74255, lat: 48.13989 };
const PLACE_TEXT = /^(\d+\.\d km (N|NE|E|SE|S|SW|W|NW) of Avdiivka \(Donetsk Oblast\)|in Avdiivka \(Donetsk Oblast\))$/;

function gazetteerCsv(dataDir: string, name: string, text: string): void {
  fs.mkdirSync(path.join(dataDir, 'gazetteer'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'gazetteer', name), text);
}

describe('places of reports and incidents', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(() => server.close());

  it('names the nearest settlement, the distance and the bearing from it, for a report 3 km north-east of Avdiivka', async () => {
    // 2.1 km east and 2.2 km north of the settlement: ~3 km at ~44°.
    const body = makeReport({ location: { lon: AVDIIVKA.lon + 0.0283, lat: AVDIIVKA.lat + 0.0198 } });
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
    expect(res.status).toBe(201);
    expect(res.body.report.place).toEqual({
      name: 'Avdiivka',
      admin1: 'Donetsk Oblast',
      countryCode: 'UA',
      distanceM: expect.any(Number),
      bearingDeg: expect.any(Number),
      text: '3.0 km NE of Avdiivka (Donetsk Oblast)',
    });
    expect(res.body.report.place!.distanceM).toBeGreaterThan(2950);
    expect(res.body.report.place!.distanceM).toBeLessThan(3050);
    expect(res.body.report.place!.bearingDeg).toBeGreaterThan(40);
    expect(res.body.report.place!.bearingDeg).toBeLessThan(50);
    // Stored with the report: the same place when read back, by the coordinator and by another monitor.
    const read = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${body.id}`, { token: coordinator.token });
    expect(read.body.report.place).toEqual(res.body.report.place);
    const [other] = await createUsers(server, ['monitor'] as const);
    const seen = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${body.id}`, { token: other!.token });
    expect(seen.body.report.place).toEqual(res.body.report.place);
  });

  it('places a bearing report where its derived location is, and its incident too', async () => {
    const body = makeBearingReport();
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
    expect(res.status).toBe(201);
    expect(res.body.report.place?.text).toMatch(PLACE_TEXT);
    const incidents = await api<{ incidents: IncidentState[] }>(server.url, 'GET', '/api/incidents', { token: coordinator.token });
    const incident = incidents.body.incidents.find((i) => i.id === res.body.report.incidentId)!;
    expect(incident.place?.text).toMatch(PLACE_TEXT);
    expect(incident.place?.name).toBe('Avdiivka');
  });

  it('exports the place as four flat properties', async () => {
    const body = makeReport({ location: { lon: AVDIIVKA.lon, lat: AVDIIVKA.lat - 0.03 } });
    const stored = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
    const res = await fetch(`${server.url}/api/export.geojson`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    const collection = (await res.json()) as { features: { id: string; properties: Record<string, unknown> }[] };
    const feature = collection.features.find((f) => f.id === body.id)!;
    const place = stored.body.report.place!;
    expect(place.text).toBe('3.3 km S of Avdiivka (Donetsk Oblast)');
    expect(feature.properties).toMatchObject({
      place: place.text,
      placeAdmin1: 'Donetsk Oblast',
      placeDistanceM: place.distanceM,
      placeBearingDeg: place.bearingDeg,
    });
  });

  it('GET /api/places finds Avdiivka by a prefix, most populous first', async () => {
    const res = await api<{ places: PlaceMatch[] }>(server.url, 'GET', '/api/places?q=avdi', { token: monitor.token });
    expect(res.status).toBe(200);
    expect(res.body.places[0]).toEqual({ name: 'Avdiivka', admin1: 'Donetsk Oblast', countryCode: 'UA', ...AVDIIVKA, population: 35826 });
    expect(res.body.places.map((p) => p.admin1)).toContain('Chernihiv Oblast');
    const accents = await api<{ places: PlaceMatch[] }>(server.url, 'GET', '/api/places?q=KRAKOW&limit=1', { token: monitor.token });
    expect(accents.body.places.map((p) => [p.name, p.countryCode])).toEqual([['Kraków', 'PL']]);
  });

  it('GET /api/places needs a token and a query of one to 100 letters and a limit of 1 to 50', async () => {
    expectHttpError(await api(server.url, 'GET', '/api/places?q=avdi'), 'unauthorized');
    expectHttpError(await api(server.url, 'GET', '/api/places', { token: monitor.token }), 'invalid');
    expectHttpError(await api(server.url, 'GET', '/api/places?q=%20', { token: monitor.token }), 'invalid');
    expectHttpError(await api(server.url, 'GET', '/api/places?q=avdi&limit=51', { token: monitor.token }), 'invalid');
    expectHttpError(await api(server.url, 'GET', `/api/places?q=${'a'.repeat(101)}`, { token: monitor.token }), 'invalid');
    expectHttpError(await api(server.url, 'GET', '/api/places?q=avdi&near=1', { token: monitor.token }), 'invalid');
  });
});

describe('a mission gazetteer in DATA_DIR/gazetteer', () => {
  let server: TestServer;
  let monitor: Account;
  // A village GeoNames' cities of 1,000+ lack, 1.6 km north-west of Avdiivka's centre.
  const village = { lon: 37.73, lat: 48.15 };

  beforeAll(async () => {
    const dataDir = tempDataDir();
    gazetteerCsv(dataDir, 'villages.csv', `name,lat,lon,admin1,population\nStepove Khutir,${village.lat},${village.lon},Donetsk Oblast,\n`);
    // Same name within 1 km: the mission's spelling and position replace GeoNames' entry.
    gazetteerCsv(dataDir, 'official.csv', 'name,lat,lon,admin1,population\nYASYNUVATA,48.1300,37.8600,,\n');
    server = await startServer({ dataDir });
    [monitor] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(() => server.close());

  it('names a mission village when it is nearer than any default settlement, whatever its population', async () => {
    const body = makeReport({ location: { lon: village.lon + 0.002, lat: village.lat } });
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
    expect(res.body.report.place).toMatchObject({ name: 'Stepove Khutir', admin1: 'Donetsk Oblast', countryCode: 'UA', text: 'in Stepove Khutir (Donetsk Oblast)' });
    // Farther from the village than from Avdiivka, Avdiivka is named as before.
    const near = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport({ location: AVDIIVKA }) });
    expect(near.body.report.place?.text).toBe('in Avdiivka (Donetsk Oblast)');
  });

  it('replaces a default entry of the same name within 1 km, keeping its region', async () => {
    const res = await api<{ places: PlaceMatch[] }>(server.url, 'GET', '/api/places?q=yasynuvata', { token: monitor.token });
    expect(res.body.places).toEqual([{ name: 'YASYNUVATA', admin1: 'Donetsk Oblast', countryCode: 'UA', lon: 37.86, lat: 48.13, population: null }]);
    const mission = await api<{ places: PlaceMatch[] }>(server.url, 'GET', '/api/places?q=stepove%20k', { token: monitor.token });
    expect(mission.body.places.map((p) => p.name)).toEqual(['Stepove Khutir']);
  });

  it('a bad row stops the start with a ConfigError naming the file and line', async () => {
    const dataDir = tempDataDir();
    gazetteerCsv(dataDir, 'broken.csv', 'name,lat,lon,admin1,population\nGood,48.1,37.7,,\nBad,148.1,37.7,,\n');
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-for-tests', LOG_LEVEL: 'silent' });
    const start = createTruceline(config, pino({ level: 'silent' }));
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(`${path.join(dataDir, 'gazetteer', 'broken.csv')}:3: lat must be a number in [-90, 90], got "148.1"`);
  });
});

describe('reports and incidents stored before places existed', () => {
  it('get their place at the next start, with a new seq so a catching-up client receives it', async () => {
    const dataDir = tempDataDir();
    let server = await startServer({ dataDir });
    const [monitor] = await createUsers(server, ['monitor'] as const);
    const body = makeReport();
    const stored = (await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor!.token, body })).body.report;
    await server.close();
    // What a database written by the previous version holds: no place anywhere.
    const db = new Database(path.join(dataDir, 'truceline.sqlite'));
    db.exec("UPDATE reports SET body = json_remove(body, '$.place'); UPDATE incidents SET state = json_remove(state, '$.place')");
    db.close();

    server = await startServer({ dataDir });
    try {
      const token = (await createUsers(server, ['coordinator'] as const))[0]!.token;
      const sync = await api<{ reports: Report[] }>(server.url, 'GET', `/api/sync?afterSeq=${stored.seq}`, { token });
      expect(sync.body.reports.map((r) => [r.id, r.place?.text])).toEqual([[body.id, 'in Avdiivka (Donetsk Oblast)']]);
      const incidents = await api<{ incidents: IncidentState[] }>(server.url, 'GET', '/api/incidents', { token });
      expect(incidents.body.incidents.map((i) => i.place?.text)).toEqual(['in Avdiivka (Donetsk Oblast)']);
      expect(incidents.body.incidents[0]!.seq).toBeGreaterThan(stored.seq);
    } finally {
      await server.close();
    }
  });
});
