import { describe, expect, it } from 'vitest';
import type { AreaListResponse, IncidentListResponse, Report, ReportListResponse, UserListResponse } from '@truceline/shared';
import { type TestServer, api, createUsers, startServer } from '../support/server.js';
import { connect, disconnected, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { isoSeconds, minutesAgo } from '../support/time.js';

interface Snapshot {
  reports: Report[];
  incidents: IncidentListResponse['incidents'];
  areas: AreaListResponse['areas'];
  users: UserListResponse['users'];
}

async function snapshot(server: TestServer): Promise<Snapshot> {
  const token = server.adminToken;
  const get = async <T>(route: string) => {
    const res = await api<T>(server.url, 'GET', route, { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  return {
    reports: (await get<ReportListResponse>('/api/reports?limit=1000')).reports,
    incidents: (await get<IncidentListResponse>('/api/incidents')).incidents,
    areas: (await get<AreaListResponse>('/api/areas')).areas,
    users: (await get<UserListResponse>('/api/users')).users,
  };
}

describe('a restart', () => {
  it('keeps reports, incidents, areas, users, sessions and seq, and seq keeps growing', async () => {
    const first = await startServer();
    const [monitor, coordinator] = await createUsers(first, ['monitor', 'coordinator'] as const);
    const at = minutesAgo(30);
    const near = [
      makeReport({ observedAt: isoSeconds(at), location: { lon: 37.75, lat: 48.14, accuracyM: 50 } }),
      makeReport({ observedAt: isoSeconds(at + 60_000), category: 'explosion', location: { lon: 37.76, lat: 48.14, accuracyM: 50 } }),
    ];
    const far = makeReport({ category: 'small_arms_fire', location: { lon: 36.2, lat: 49.9 } });
    for (const body of [...near, far]) expect((await api(first.url, 'POST', '/api/reports', { token: monitor.token, body })).status).toBe(201);
    const review = await api(first.url, 'PATCH', `/api/reports/${far.id}`, { token: coordinator.token, body: { status: 'verified' } });
    expect(review.status).toBe(200);
    const before = await snapshot(first);
    expect(before.incidents.length).toBeGreaterThanOrEqual(2);
    const { socket, hello } = await connect(first.url, monitor.token);
    socket.close();
    await first.close();

    const second = await startServer({ dataDir: first.dataDir });
    try {
      const after = await snapshot(second);
      expect(after).toEqual(before);
      expect(second.app.admin.created).toBe(false);
      // Sessions are stored too: monitors offline for days must not be signed out by a deploy.
      expect((await api(second.url, 'GET', '/api/me', { token: monitor.token })).status).toBe(200);

      const again = await connect(second.url, monitor.token);
      again.socket.close();
      expect(again.hello.lastSeq).toBe(hello.lastSeq);

      // The grouping index is rebuilt from disk: a third report of the same event joins the stored incident.
      const third = makeReport({ observedAt: isoSeconds(at + 120_000), location: { lon: 37.755, lat: 48.141, accuracyM: 50 } });
      const res = await api<{ report: Report }>(second.url, 'POST', '/api/reports', { token: monitor.token, body: third });
      expect(res.status).toBe(201);
      expect(res.body.report.seq).toBeGreaterThan(hello.lastSeq);
      const incidentOfNear = before.reports.find((r) => r.id === near[0]!.id)!.incidentId;
      expect(res.body.report.incidentId).toBe(incidentOfNear);
      // A replay of a report stored before the restart is still a replay.
      expect((await api(second.url, 'POST', '/api/reports', { token: monitor.token, body: far })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('finishes and acknowledges a submission that is in flight when a graceful close begins', async () => {
    const first = await startServer();
    const [monitor] = await createUsers(first, ['monitor'] as const);
    const { socket } = await connect(first.url, monitor.token);
    const input = makeReport();

    const ack = emitAck(socket, 'report:submit', input);
    const closed = first.close();
    // Fails fast, rather than by timeout, if the socket is cut before its ack.
    const cut = disconnected(socket).then((reason) => ({ ok: 'cut' as const, reason }));
    const result = await Promise.race([ack, cut]);
    await closed;
    socket.close();
    expect(result).toMatchObject({ ok: true, duplicate: false });
    if (result.ok !== true) return;

    const second = await startServer({ dataDir: first.dataDir });
    try {
      const stored = await api<{ report: Report }>(second.url, 'GET', `/api/reports/${input.id}`, { token: second.adminToken });
      expect(stored.status).toBe(200);
      expect(stored.body.report.seq).toBe(result.report.seq);
    } finally {
      await second.close();
    }
  });
});
