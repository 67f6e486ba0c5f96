import { describe, expect, it } from 'vitest';
import type { IncidentListResponse, Report } from '@truceline/shared';
import { type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { isoSeconds } from '../support/time.js';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * The incident index holds only the recent window after a start (INCIDENT_INDEX_DAYS); older
 * stretches load, as whole incidents, when a report needs them. These cases touch incidents that
 * are not loaded after the restart and must come out exactly as with everything loaded.
 */
describe('a restart with a windowed incident index', () => {
  it('an old report bridges two old incidents; rejecting and un-rejecting it splits and merges them again', async () => {
    const first = await startServer();
    const [monitor, coordinator] = await createUsers(first, ['monitor', 'coordinator'] as const);
    const base = Math.floor((Date.now() - 90 * DAY) / 3_600_000) * 3_600_000;
    const at = (minutes: number) => isoSeconds(base + minutes * MIN);
    const place = { lon: 37.75, lat: 48.14, accuracyM: 50, source: 'gps' as const };
    // Two incidents 90 days ago: 0–8 min and 42–50 min (34 min apart: not linked).
    const a = [makeReport({ observedAt: at(0), location: place }), makeReport({ observedAt: at(8), location: place })];
    const b = [makeReport({ observedAt: at(42), location: place }), makeReport({ observedAt: at(50), location: place })];
    const recent = makeReport({ location: { lon: 36.2, lat: 49.9 } });
    const post = async (server: TestServer, body: unknown) => {
      const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body });
      expect(res.status).toBe(201);
      return res.body.report;
    };
    const storedA = [];
    for (const body of a) storedA.push(await post(first, body));
    const storedB = [];
    for (const body of b) storedB.push(await post(first, body));
    await post(first, recent);
    const incidentA = storedA[0]?.incidentId as string;
    const incidentB = storedB[0]?.incidentId as string;
    expect(storedA[1]?.incidentId).toBe(incidentA);
    expect(storedB[1]?.incidentId).toBe(incidentB);
    expect(incidentB).not.toBe(incidentA);
    await first.close();

    const incidentOf = async (server: TestServer, id: string) =>
      (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${id}`, { token: coordinator.token })).body.report.incidentId;
    const incidentsNear = async (server: TestServer) =>
      (
        await api<IncidentListResponse>(server.url, 'GET', `/api/incidents?since=${at(-60)}&until=${at(120)}`, { token: coordinator.token })
      ).body.incidents;

    // A week's window: neither old incident is loaded after this start.
    const second = await startServer({ dataDir: first.dataDir, env: { INCIDENT_INDEX_DAYS: '7' } });
    let bridge: Report;
    try {
      bridge = await post(second, makeReport({ observedAt: at(25), location: place }));
      // Linked to both (17 min either side): the incidents merge into the earlier one.
      expect(bridge.incidentId).toBe(incidentA);
      for (const r of [...storedA, ...storedB]) expect(await incidentOf(second, r.id)).toBe(incidentA);
      const merged = await incidentsNear(second);
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatchObject({ id: incidentA, reportCount: 5, firstObservedAt: new Date(base).toISOString() });
    } finally {
      await second.close();
    }

    const third = await startServer({ dataDir: first.dataDir, env: { INCIDENT_INDEX_DAYS: '7' } });
    try {
      // Rejecting the bridge after another restart (nothing old loaded) splits the incident again:
      // the part with the earliest report keeps the id.
      const rejected = await api<{ report: Report }>(third.url, 'PATCH', `/api/reports/${bridge.id}`, {
        token: coordinator.token,
        body: { status: 'rejected', note: 'Bridge report was mistaken.' },
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body.report.incidentId).toBeNull();
      for (const r of storedA) expect(await incidentOf(third, r.id)).toBe(incidentA);
      const split = await incidentOf(third, storedB[0]?.id as string);
      expect(split).not.toBe(incidentA);
      expect(await incidentOf(third, storedB[1]?.id as string)).toBe(split);
      expect((await incidentsNear(third)).map((i) => ('reportCount' in i ? i.reportCount : -1)).sort()).toEqual([2, 2]);
    } finally {
      await third.close();
    }

    const fourth = await startServer({ dataDir: first.dataDir, env: { INCIDENT_INDEX_DAYS: '7' } });
    try {
      // Un-rejecting it (its neighbourhood is not loaded either) merges them once more.
      const back = await api<{ report: Report }>(fourth.url, 'PATCH', `/api/reports/${bridge.id}`, {
        token: coordinator.token,
        body: { status: 'pending' },
      });
      expect(back.status).toBe(200);
      expect(back.body.report.incidentId).toBe(incidentA);
      for (const r of [...storedA, ...storedB]) expect(await incidentOf(fourth, r.id)).toBe(incidentA);
      // New recent reports still group as before.
      const next = await post(fourth, makeReport({ location: { lon: 36.2, lat: 49.9 } }));
      expect(next.incidentId).not.toBe(incidentA);
    } finally {
      await fourth.close();
    }
  });
});
