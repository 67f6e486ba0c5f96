import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Report, magneticDeclinationDeg } from '@truceline/shared';
import { type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeBearingReport } from '../support/reports.js';
import { angleDiff, destination, distanceM } from '../support/geo.js';

const norm = (d: number) => ((d % 360) + 360) % 360;

describe('magnetic bearings', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer();
    [{ token }] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(() => server.close());

  async function submitAndRead(body: ReturnType<typeof makeBearingReport>): Promise<Report> {
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${body.id}`, { token });
    expect(stored.body.report).toEqual(res.body.report);
    return stored.body.report;
  }

  it.each([
    ['a single bearing', 80, 80],
    ['a sector', 60, 110],
    ['a sector that crosses north once corrected', 340, 355],
    ['a sector across north', 350, 20],
  ])('puts %s read off a compass where the same true bearing lands', async (_name, from, to) => {
    const observer = { lon: 37.62, lat: 48.05, accuracyM: 10 };
    const magnetic = makeBearingReport({ observer, bearing: { fromDeg: from, toDeg: to, reference: 'magnetic' }, distanceM: { min: 2500, max: 3500 } });
    const declination = magneticDeclinationDeg(observer, new Date(magnetic.observedAt));
    // Ukraine's declination is several degrees east; a zero here would make this test prove nothing.
    expect(Math.abs(declination)).toBeGreaterThan(3);
    const trueBearing = { fromDeg: norm(from + declination), toDeg: norm(to + declination), reference: 'true' as const };
    const truth = makeBearingReport({ observer, observedAt: magnetic.observedAt, bearing: trueBearing, distanceM: magnetic.distanceM });

    const m = await submitAndRead(magnetic);
    const t = await submitAndRead(truth);

    expect(m.locationMethod).toBe('bearing');
    expect(distanceM(m.location, t.location)).toBeLessThan(1);
    expect(angleDiff(m.bearingTrue!.fromDeg, t.bearingTrue!.fromDeg)).toBeLessThan(0.01);
    expect(angleDiff(m.bearingTrue!.toDeg, t.bearingTrue!.toDeg)).toBeLessThan(0.01);
    expect(m.bearingTrue!.fromDeg).toBeGreaterThanOrEqual(0);
    expect(m.bearingTrue!.toDeg).toBeLessThan(360);
    // The compass reading is kept as given, next to its correction.
    expect(m.bearing).toEqual({ fromDeg: from, toDeg: to, reference: 'magnetic' });
    expect(t.bearingTrue).toEqual({ fromDeg: trueBearing.fromDeg, toDeg: trueBearing.toDeg });

    // And both sit where the contract says: mid-sector, mid-distance from the observer.
    const width = norm(trueBearing.toDeg - trueBearing.fromDeg);
    const expected = destination(observer, norm(trueBearing.fromDeg + width / 2), 3000);
    expect(distanceM(t.location, expected)).toBeLessThan(1);
  });

  it.each([
    ['a single bearing', 90, 90],
    ['a 40° sector', 70, 110],
    ['a 180° sector across north', 270, 90],
  ])('gives %s an uncertainty radius that reaches the farthest point of its wedge, plus the observer accuracy', async (_name, from, to) => {
    const observer = { lon: 37.62, lat: 48.05, accuracyM: 25 };
    const report = await submitAndRead(
      makeBearingReport({ observer, bearing: { fromDeg: from, toDeg: to, reference: 'true' }, distanceM: { min: 1000, max: 3000 } }),
    );
    // The wedge's outline, sampled far finer than the contract's one degree: near arc, far arc, corners.
    const width = norm(to - from);
    let farthest = 0;
    for (let step = 0; step <= width * 20; step++) {
      const theta = from + step / 20;
      for (const d of [1000, 3000]) farthest = Math.max(farthest, distanceM(report.location, destination(observer, theta, d)));
    }
    expect(report.uncertaintyM).toBeGreaterThanOrEqual(farthest + observer.accuracyM - 1);
    expect(report.uncertaintyM).toBeLessThanOrEqual(farthest + observer.accuracyM + 5);
  });
});
