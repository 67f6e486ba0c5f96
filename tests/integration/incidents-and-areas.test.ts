import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Area, type IncidentListResponse, type IncidentState, type Report, isMergedIncident } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { isoSeconds, minutesAgo } from '../support/time.js';


/** Degrees of longitude per kilometre at latitude `lat`. */
const lonPerKm = (lat: number) => 1 / (111.32 * Math.cos((lat * Math.PI) / 180));

describe('incidents and areas through the API', () => {
  let server: TestServer;
  let monitorA: Account;
  let monitorB: Account;
  let coordinator: Account;
  let watcher: ClientSocket;
  let incidentEvents: ReturnType<typeof collect<'incident:updated'>>;
  let reportEvents: ReturnType<typeof collect<'report:updated'>>;
  let areaEvents: ReturnType<typeof collect<'area:updated'>>;
  let monitorWatcher: ClientSocket;
  let incidentEventsAtMonitor: ReturnType<typeof collect<'incident:updated'>>;
  let areaEventsAtMonitor: ReturnType<typeof collect<'area:updated'>>;

  beforeAll(async () => {
    server = await startServer();
    [monitorA, monitorB, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    watcher = (await connect(server.url, coordinator.token)).socket;
    incidentEvents = collect(watcher, 'incident:updated');
    reportEvents = collect(watcher, 'report:updated');
    areaEvents = collect(watcher, 'area:updated');
    monitorWatcher = (await connect(server.url, monitorB.token)).socket;
    incidentEventsAtMonitor = collect(monitorWatcher, 'incident:updated');
    areaEventsAtMonitor = collect(monitorWatcher, 'area:updated');
  });
  afterAll(async () => {
    watcher.close();
    monitorWatcher.close();
    await server.close();
  });

  async function submit(account: Account, overrides: Parameters<typeof makeReport>[0]): Promise<Report> {
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: account.token, body: makeReport(overrides) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.report;
  }
  const incidents = async (token = monitorA.token) =>
    (await api<IncidentListResponse>(server.url, 'GET', '/api/incidents', { token })).body.incidents.filter(
      (i): i is IncidentState => !isMergedIncident(i),
    );
  const areas = async () => (await api<{ areas: Area[] }>(server.url, 'GET', '/api/areas', { token: monitorA.token })).body.areas;
  const place = (lat: number, kmEast: number) => ({ lon: 30 + kmEast * lonPerKm(lat), lat, accuracyM: 50 });

  it('groups two compatible reports 1 km and 5 minutes apart into one incident, from two monitors', async () => {
    const at = minutesAgo(40);
    const a = await submit(monitorA, { category: 'shelling', observedAt: isoSeconds(at), location: place(46, 0) });
    const b = await submit(monitorB, { category: 'explosion', observedAt: isoSeconds(at + 5 * 60_000), location: place(46, 1) });
    expect(a.incidentId).toEqual(expect.any(String));
    expect(b.incidentId).toBe(a.incidentId);

    // Coordinators see how many monitors reported it; monitors do not (contract v1.1).
    const incident = (await incidents(coordinator.token)).find((i) => i.id === a.incidentId)!;
    expect(incident).toMatchObject({ reportCount: 2, monitorCount: 2, firstObservedAt: a.observedAt, lastObservedAt: b.observedAt });
    expect(new Set(incident.reportIds)).toEqual(new Set([a.id, b.id]));
    expect(new Set(incident.categories)).toEqual(new Set(['shelling', 'explosion']));
    const atMonitor = (await incidents()).find((i) => i.id === a.incidentId)!;
    expect(atMonitor).not.toHaveProperty('monitorCount');
    for (const [events, listed] of [[incidentEvents, incident], [incidentEventsAtMonitor, atMonitor]] as const) {
      const update = await events.until((i) => i.id === a.incidentId && !isMergedIncident(i) && i.reportCount === 2);
      expect(update).toEqual(listed);
    }
  });

  it('keeps an incompatible category at the same place and time in its own incident', async () => {
    const at = minutesAgo(40);
    const fire = await submit(monitorA, { category: 'shelling', observedAt: isoSeconds(at), location: place(45, 0) });
    const restriction = await submit(monitorA, { category: 'monitor_restriction', observedAt: isoSeconds(at), location: place(45, 0) });
    expect(restriction.incidentId).toEqual(expect.any(String));
    expect(restriction.incidentId).not.toBe(fire.incidentId);
  });

  // 2 km apart with 50 m circles: 1.9 km edge to edge, beyond the 1 km margin; the bridge is 0.9 km from each.
  it('merges two incidents that a third report bridges: the earlier survives, the other points to it', async () => {
    const at = minutesAgo(60);
    const west = await submit(monitorA, { category: 'shelling', observedAt: isoSeconds(at), location: place(44, 0) });
    const east = await submit(monitorB, { category: 'shelling', observedAt: isoSeconds(at + 2 * 60_000), location: place(44, 2) });
    expect(east.incidentId).not.toBe(west.incidentId);

    const bridge = await submit(monitorA, { category: 'explosion', observedAt: isoSeconds(at + 60_000), location: place(44, 1) });
    expect(bridge.incidentId).toBe(west.incidentId);
    const tombstone = await incidentEvents.until((i) => i.id === east.incidentId && isMergedIncident(i));
    expect(tombstone).toMatchObject({ id: east.incidentId, mergedInto: west.incidentId, seq: expect.any(Number) });
    const moved = await reportEvents.until((r) => r.id === east.id && r.incidentId === west.incidentId);
    expect(moved.seq).toBeGreaterThan(east.seq);

    const listed = await incidents();
    expect(listed.some((i) => i.id === east.incidentId)).toBe(false);
    const survivor = listed.find((i) => i.id === west.incidentId)!;
    expect(survivor.reportCount).toBe(3);
    expect(survivor.firstObservedAt).toBe(west.observedAt);
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${east.id}`, { token: monitorA.token });
    expect(stored.body.report.incidentId).toBe(west.incidentId);
  });

  it('groups the same three reports the same way whatever order they arrive in', async () => {
    const at = minutesAgo(50);
    const reportsAt = (lat: number) => ({
      west: { category: 'shelling' as const, observedAt: isoSeconds(at), location: place(lat, 0) },
      east: { category: 'shelling' as const, observedAt: isoSeconds(at + 2 * 60_000), location: place(lat, 2) },
      bridge: { category: 'explosion' as const, observedAt: isoSeconds(at + 60_000), location: place(lat, 1) },
    });
    for (const [lat, order] of [
      [38, ['bridge', 'west', 'east']],
      [37, ['east', 'bridge', 'west']],
    ] as const) {
      const inputs = reportsAt(lat);
      const stored: Report[] = [];
      for (const key of order) stored.push(await submit(monitorA, inputs[key]));
      const ids = await Promise.all(
        stored.map(async (r) => (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${r.id}`, { token: monitorA.token })).body.report.incidentId),
      );
      expect(new Set(ids).size, `order ${order.join(', ')}`).toBe(1);
      expect((await incidents()).find((i) => i.id === ids[0])?.reportCount).toBe(3);
    }
  });

  it('counts reports per area cell, by category, and announces each change with area:updated', async () => {
    const at = minutesAgo(20);
    const first = await submit(monitorA, { category: 'shelling', observedAt: isoSeconds(at), location: place(43, 0) });
    const second = await submit(monitorB, { category: 'small_arms_fire', observedAt: isoSeconds(at + 60_000), location: place(43, 0.1) });
    expect(second.areaId).toBe(first.areaId);

    const area = (await areas()).find((a) => a.id === first.areaId)!;
    expect(area).toMatchObject({ count: 2, byCategory: { shelling: 1, small_arms_fire: 1 }, lastObservedAt: second.observedAt });
    expect(Math.abs(area.center.lat - 43)).toBeLessThan(0.05);
    for (const events of [areaEvents, areaEventsAtMonitor]) {
      const announced = await events.until((a) => a.id === first.areaId && a.count === 2);
      expect(announced).toEqual(area);
    }
  });

  it('narrows GET /api/incidents and GET /api/areas with the report filters', async () => {
    const at = minutesAgo(25);
    const here = await submit(monitorA, { category: 'armed_clash', observedAt: isoSeconds(at), location: place(41, 0) });
    const there = await submit(monitorA, { category: 'armed_clash', observedAt: isoSeconds(at), location: place(40, 0) });
    const inBox = await api<IncidentListResponse>(server.url, 'GET', '/api/incidents?bbox=29.9,40.9,30.1,41.1', { token: monitorA.token });
    expect(inBox.body.incidents.map((i) => i.id)).toEqual([here.incidentId]);
    const byCategory = await api<IncidentListResponse>(server.url, 'GET', '/api/incidents?category=armed_clash', { token: monitorA.token });
    expect(new Set(byCategory.body.incidents.map((i) => i.id))).toEqual(new Set([here.incidentId, there.incidentId]));
    const areasInBox = await api<{ areas: Area[]; asOfSeq: number }>(server.url, 'GET', '/api/areas?bbox=29.9,39.9,30.1,40.1', {
      token: monitorA.token,
    });
    expect(areasInBox.body.areas.map((a) => a.id)).toEqual([there.areaId]);
    expect(areasInBox.body.asOfSeq).toBeGreaterThanOrEqual(there.seq);
  });

  it('lists at most 50 report ids in an incident, while counting them all', async () => {
    const at = minutesAgo(35);
    const batch = Array.from({ length: 60 }, (_, i) =>
      makeReport({ category: 'shelling', observedAt: isoSeconds(at + i * 1000), location: place(39, 0) }),
    );
    const socket = (await connect(server.url, monitorA.token)).socket;
    try {
      const ack = await emitAck(socket, 'reports:submit', batch);
      expect('results' in ack && ack.results.every((r) => r.ok)).toBe(true);
    } finally {
      socket.close();
    }
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${batch[0]!.id}`, { token: monitorA.token });
    const incident = (await incidents()).find((i) => i.id === stored.body.report.incidentId)!;
    expect(incident.reportCount).toBe(60);
    expect(incident.reportIds.length).toBeGreaterThan(0);
    expect(incident.reportIds.length).toBeLessThanOrEqual(50);
    const ids = new Set(batch.map((r) => r.id));
    expect(incident.reportIds.every((id) => ids.has(id))).toBe(true);
  });

  it('takes a rejected report out of its incident and area counts, and brings it back when verified', async () => {
    const at = minutesAgo(30);
    const kept = await submit(monitorA, { category: 'shelling', observedAt: isoSeconds(at), location: place(42, 0) });
    const doubtful = await submit(monitorB, { category: 'shelling', observedAt: isoSeconds(at + 60_000), location: place(42, 0.2) });
    expect(doubtful.incidentId).toBe(kept.incidentId);
    expect(doubtful.areaId).toBe(kept.areaId);

    const review = (status: string) =>
      api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${doubtful.id}`, { token: coordinator.token, body: { status, note: 'Doubtful.' } });
    const rejected = await review('rejected');
    expect(rejected.status).toBe(200);
    expect(rejected.body.report).toMatchObject({ status: 'rejected', incidentId: null });
    await incidentEvents.until((i) => i.id === kept.incidentId && !isMergedIncident(i) && i.reportCount === 1);
    await areaEvents.until((a) => a.id === kept.areaId && a.count === 1);
    const incident = (await incidents()).find((i) => i.id === kept.incidentId)!;
    expect(incident).toMatchObject({ reportCount: 1, reportIds: [kept.id] });
    expect((await areas()).find((a) => a.id === kept.areaId)).toMatchObject({ count: 1, byCategory: { shelling: 1 } });

    const restored = await review('verified');
    expect(restored.body.report).toMatchObject({ status: 'verified', incidentId: kept.incidentId });
    expect((await incidents()).find((i) => i.id === kept.incidentId)).toMatchObject({ reportCount: 2 });
    expect((await areas()).find((a) => a.id === kept.areaId)).toMatchObject({ count: 2 });
  });
});
