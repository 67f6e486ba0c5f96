import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Area, Presence, Report, SyncResponse } from '@truceline/shared';
import { api, login } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { type ClientSocket, TRANSPORTS, type Transport, connect } from '../support/sockets.js';
import { freshDatabase, redisUrl, scaleOutAvailable } from '../support/scale-out-env.js';
import { CLUSTER_ADMIN_PASSWORD, type Cluster, startCluster } from './cluster.js';

const available = scaleOutAvailable();

/** Resolves when `check` holds, polling; fails with `what` after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every `reports:new` a socket receives, by report id: a count above 1 is a duplicate delivery. */
function collect(socket: ClientSocket): Map<string, Report[]> {
  const seen = new Map<string, Report[]>();
  socket.on('reports:new', (reports) => {
    for (const report of reports) seen.set(report.id, [...(seen.get(report.id) ?? []), report]);
  });
  return seen;
}

describe.skipIf(!available).each(TRANSPORTS)('three processes on one PostgreSQL and one Redis, over %s', (transport: Transport) => {
  let cluster: Cluster;
  let drop: () => Promise<void> = () => Promise.resolve();
  const accounts: Record<'m1' | 'm2' | 'm3' | 'c1' | 'c2', { token: string; id: string }> = {} as never;
  const sockets: ClientSocket[] = [];
  const open = async (url: string, token: string, before?: (socket: ClientSocket) => void) => {
    const { socket, hello } = await connect(url, token, before, { transports: [transport], upgrade: false });
    sockets.push(socket);
    return { socket, hello };
  };

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    cluster = await startCluster({ processes: 3, databaseUrl: db.url, redisUrl: redisUrl!, env: { MAX_CONNECTIONS_PER_IP: '0' } });
    const admin = await login(cluster.urls[0]!, 'admin', CLUSTER_ADMIN_PASSWORD);
    const roles = { m1: 'monitor', m2: 'monitor', m3: 'monitor', c1: 'coordinator', c2: 'coordinator' } as const;
    await Promise.all(
      Object.entries(roles).map(async ([name, role], i) => {
        const username = `${name}-${transport}`;
        const password = `password-of-${username}-long-enough`;
        const created = await api(cluster.urls[0]!, 'POST', '/api/users', { token: admin.token, body: { username, password, role } });
        expect(created.status).toBe(201);
        // Signed in on another process than the one that created the account: accounts and sessions are shared.
        const session = await login(cluster.urls[(i + 1) % 3]!, username, password);
        accounts[name as keyof typeof roles] = { token: session.token, id: session.user.id };
      }),
    );
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
    await drop();
  });

  it('delivers a report submitted on one process exactly once to watchers on every process', async () => {
    const watchers = await Promise.all([
      open(cluster.urls[0]!, accounts.c1.token),
      open(cluster.urls[1]!, accounts.c2.token),
      open(cluster.urls[1]!, accounts.m2.token),
      open(cluster.urls[2]!, accounts.c1.token),
      open(cluster.urls[2]!, accounts.m2.token),
    ]);
    const received = watchers.map(({ socket }) => collect(socket));
    const { socket: submitter } = await open(cluster.urls[0]!, accounts.m1.token);
    const reports = Array.from({ length: 5 }, (_, i) => makeReport({ location: { lon: 30 + i * 0.5, lat: 40, accuracyM: 20, source: 'gps' } }));
    for (const report of reports) {
      const ack = await submitter.emitWithAck('report:submit', report);
      expect(ack).toMatchObject({ ok: true, duplicate: false });
    }
    await until('every watcher to receive every report', () => received.every((seen) => reports.every((r) => seen.has(r.id))));
    // Anything delivered twice (by the stream and again locally, or by two processes) arrives within this.
    await pause(1_000);
    for (const [w, seen] of received.entries()) {
      for (const report of reports) expect(seen.get(report.id), `watcher ${w}, report ${report.id}`).toHaveLength(1);
    }
    // Watchers on other processes get the monitors' redacted copy too: coordinators see the reporter, monitors do not.
    expect(received[1]!.get(reports[0]!.id)![0]!.reporter?.id).toBe(accounts.m1.id);
    expect(received[4]!.get(reports[0]!.id)![0]!.reporter).toBeUndefined();
  });

  it('answers the idempotent replay sent to another process with duplicate', async () => {
    const report = makeReport();
    const { socket } = await open(cluster.urls[1]!, accounts.m1.token);
    expect(await socket.emitWithAck('report:submit', report)).toMatchObject({ ok: true, duplicate: false });
    const replay = await api<{ report: Report }>(cluster.urls[2]!, 'POST', '/api/reports', { token: accounts.m1.token, body: report });
    expect(replay.status).toBe(200);
    expect(replay.body.report.id).toBe(report.id);
    const { socket: other } = await open(cluster.urls[0]!, accounts.m1.token);
    expect(await other.emitWithAck('report:submit', report)).toMatchObject({ ok: true, duplicate: true });
    // The same id with other content from another process is a conflict, not a second report.
    const changed = await api(cluster.urls[0]!, 'POST', '/api/reports', { token: accounts.m1.token, body: { ...report, method: 'seen' } });
    expect(changed.status).toBe(409);
  });

  it('puts two reports of one event, submitted at the same moment on two processes, in one incident with an exact area count', async () => {
    const [{ socket: a }, { socket: b }] = await Promise.all([open(cluster.urls[0]!, accounts.m1.token), open(cluster.urls[2]!, accounts.m2.token)]);
    const observedAt = new Date(Date.now() - 120_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Ten events far apart, each seen by both monitors within metres of each other, sent together.
    const pairs = Array.from({ length: 10 }, (_, i) => {
      const lon = 20 + i;
      return [
        makeReport({ observedAt, category: 'shelling', location: { lon, lat: 45, accuracyM: 30, source: 'gps' } }),
        makeReport({ observedAt, category: 'shelling', location: { lon: lon + 0.0002, lat: 45.0001, accuracyM: 30, source: 'gps' } }),
      ] as const;
    });
    const acks = await Promise.all(pairs.flatMap(([first, second]) => [a.emitWithAck('report:submit', first), b.emitWithAck('report:submit', second)]));
    for (const ack of acks) expect(ack).toMatchObject({ ok: true });
    const stored = async (id: string) => (await api<{ report: Report }>(cluster.urls[1]!, 'GET', `/api/reports/${id}`, { token: accounts.c1.token })).body.report;
    const areas = (await api<{ areas: Area[] }>(cluster.urls[1]!, 'GET', '/api/areas', { token: accounts.c1.token })).body.areas;
    for (const [first, second] of pairs) {
      const [x, y] = await Promise.all([stored(first.id), stored(second.id)]);
      expect(x.incidentId).not.toBeNull();
      expect(y.incidentId).toBe(x.incidentId);
      expect(y.areaId).toBe(x.areaId);
      const area = areas.find((candidate) => candidate.id === x.areaId);
      expect(area?.count).toBe(2);
      expect(area?.byCategory).toEqual({ shelling: 2 });
    }
    const incidents = (await api<{ incidents: { id: string; reportIds?: string[]; reportCount?: number }[] }>(cluster.urls[2]!, 'GET', '/api/incidents', { token: accounts.c1.token })).body.incidents;
    const first = await stored(pairs[0]![0].id);
    expect(incidents.filter((incident) => incident.id === first.incidentId)).toHaveLength(1);
  });

  it('shows a coordinator on one process the presence of a monitor on another', async () => {
    const updates: Presence[] = [];
    await open(cluster.urls[0]!, accounts.c2.token, (socket) => socket.on('presence:update', (p) => updates.push(p)));
    const online = (userId: string) => updates.at(-1)?.online.some((entry) => entry.userId === userId) ?? false;
    // m3 connects nowhere else, so its one socket decides whether it is online.
    const { socket: monitor } = await open(cluster.urls[2]!, accounts.m3.token);
    await until('the monitor on process 2 to appear', () => online(accounts.m3.id));
    monitor.close();
    await until('the monitor to leave', () => !online(accounts.m3.id));
  });

  it('lets the clients of a SIGKILLed process reconnect to another and fill the gap with seq:head and sync', async () => {
    const { socket: watcher, hello } = await open(cluster.urls[2]!, accounts.c1.token);
    const seen = collect(watcher);
    let lastSeq = hello.lastSeq;
    watcher.on('reports:new', (reports) => (lastSeq = Math.max(lastSeq, ...reports.map((r) => r.seq))));
    const { socket: submitter } = await open(cluster.urls[1]!, accounts.m1.token);
    const before = makeReport();
    await submitter.emitWithAck('report:submit', before);
    await until('the report before the kill', () => seen.has(before.id));

    const disconnected = new Promise<void>((resolve) => watcher.once('disconnect', () => resolve()));
    expect(await cluster.kill(2, 'SIGKILL')).toBeNull();
    await disconnected;
    // Stored while the watcher has no connection at all.
    const missed = Array.from({ length: 4 }, () => makeReport());
    for (const report of missed) expect(await submitter.emitWithAck('report:submit', report)).toMatchObject({ ok: true });

    // What a client does when its server is gone: connect to another one (here, as a load balancer would send it).
    const heads: number[] = [];
    const { socket: again, hello: rehello } = await open(cluster.urls[0]!, accounts.c1.token, (socket) => socket.on('seq:head', (h) => heads.push(h.lastSeq)));
    const live = collect(again);
    expect(rehello.lastSeq).toBeGreaterThan(lastSeq);
    const filled = new Map<string, Report>();
    let after = lastSeq;
    for (;;) {
      const page = (await again.emitWithAck('reports:sync', { afterSeq: after })) as SyncResponse;
      for (const report of page.reports) filled.set(report.id, report);
      after = page.lastSeq;
      if (!page.hasMore) break;
    }
    expect(after).toBeGreaterThanOrEqual(rehello.lastSeq);
    for (const report of missed) expect(filled.has(report.id) || live.has(report.id), report.id).toBe(true);
    expect(filled.has(before.id)).toBe(false);

    // The killed process comes back on its port, and serves the same picture.
    await cluster.restart(2);
    const { hello: back } = await open(cluster.urls[2]!, accounts.c1.token);
    expect(back.lastSeq).toBeGreaterThanOrEqual(rehello.lastSeq);
  });
});
