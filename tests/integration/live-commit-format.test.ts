import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitMessage, LiveFormat, OwnCommitMessage, Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, emitAck } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';

/** Every event a socket receives, in arrival order. */
function recorder(socket: ClientSocket) {
  const events: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  const commits = () => events.filter((e) => e.event === 'commit').map((e) => e.payload as CommitMessage);
  return {
    events,
    commits,
    /** Waits for the `commit` message that carries the report `id` (new or updated). */
    async commitWith(id: string, key: 'reports' | 'updated' = 'reports'): Promise<CommitMessage> {
      for (let i = 0; i < 200; i++) {
        const hit = commits().find((c) => c[key]?.some((r) => r.id === id));
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no commit with ${id}`);
    },
    names: () => events.map((e) => e.event),
  };
}

const PRIVATE = ['reporter', 'observer', 'bearing', 'bearingTrue', 'distanceM'] as const;

describe('live formats: commit and none', () => {
  let server: TestServer;
  let reporter: Account;
  let monitor: Account;
  let coordinator: Account;
  const sockets: ClientSocket[] = [];
  const open = async (account: Account, live?: LiveFormat) => {
    const { socket, hello } = await connect(server.url, account.token, () => undefined, live ? { auth: { token: account.token, live } } : {});
    sockets.push(socket);
    return { socket, hello, log: recorder(socket) };
  };

  beforeAll(async () => {
    server = await startServer();
    [reporter, monitor, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('is chosen in the handshake and confirmed in hello; an unknown format is refused with invalid', async () => {
    expect((await open(monitor, 'commit')).hello.live).toBe('commit');
    expect((await open(monitor)).hello.live).toBe('items');
    const error = await connectError(server.url, { token: monitor.token, live: 'everything' });
    expect(error.data).toMatchObject({ error: { code: 'invalid' } });
  });

  it('sends one commit message with the reports, incidents and areas, and no per-item events', async () => {
    const watcher = await open(coordinator, 'commit');
    const sender = await open(reporter, 'commit');
    const report = makeBearingReport();
    const ack = await emitAck(sender.socket, 'report:submit', report);
    expect(ack).toMatchObject({ ok: true });

    const message = await watcher.log.commitWith(report.id);
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${report.id}`, { token: coordinator.token });
    expect(message.reports).toEqual([stored.body.report]);
    const seqs = [...message.reports!, ...message.incidents!, ...message.areas!].map((x) => x.seq);
    expect(message.lastSeq).toBe(Math.max(...seqs));
    expect(message.incidents?.map((i) => i.id)).toContain(stored.body.report.incidentId);
    expect(message.areas?.map((a) => a.id)).toContain(stored.body.report.areaId);
    expect(message.updated).toBeUndefined();
    for (const item of ['reports:new', 'incident:updated', 'area:updated', 'report:updated']) expect(watcher.log.names()).not.toContain(item);
  });

  it('redacts other monitors’ reports and sends a reporter its own in full just before', async () => {
    const other = await open(monitor, 'commit');
    const second = await open(reporter, 'commit'); // the reporter's other device
    const sender = await open(reporter, 'commit');
    const report = makeBearingReport();
    expect(await emitAck(sender.socket, 'report:submit', report)).toMatchObject({ ok: true });

    const seen = (await other.log.commitWith(report.id)).reports!.find((r) => r.id === report.id)!;
    for (const key of PRIVATE) expect(seen[key]).toBeUndefined();
    expect(JSON.stringify(other.log.events)).not.toContain(reporter.user.id);

    for (const device of [second, sender]) {
      const redacted = (await device.log.commitWith(report.id)).reports!.find((r) => r.id === report.id)!;
      const ownAt = device.log.events.findIndex((e) => e.event === 'commit:own' && (e.payload as OwnCommitMessage).reports?.some((r) => r.id === report.id));
      const commitAt = device.log.events.findIndex((e) => e.event === 'commit' && (e.payload as CommitMessage).reports?.some((r) => r.id === report.id));
      expect(ownAt).toBeGreaterThanOrEqual(0);
      expect(ownAt).toBeLessThan(commitAt);
      const own = (device.log.events[ownAt]!.payload as OwnCommitMessage).reports!.find((r) => r.id === report.id)!;
      expect(own.reporter).toEqual({ id: reporter.user.id, username: reporter.user.username });
      expect(own.observer).toEqual(report.observer);
      expect(own.seq).toBe(redacted.seq);
      expect(redacted.reporter).toBeUndefined();
    }
    // A coordinator sees everything already: no personal message on top.
    const boss = await open(coordinator, 'commit');
    const mine = makeReport();
    await api(server.url, 'POST', '/api/reports', { token: coordinator.token, body: mine });
    expect((await boss.log.commitWith(mine.id)).reports![0]!.reporter?.id).toBe(coordinator.user.id);
    expect(boss.log.names()).not.toContain('commit:own');
  });

  it('serves the per-item events unchanged to sockets that did not choose a format, with the same content', async () => {
    const modern = await open(coordinator, 'commit');
    const legacy = await open(coordinator);
    const report = makeReport({ category: 'small_arms_fire' });
    await api(server.url, 'POST', '/api/reports', { token: reporter.token, body: report });

    const message = await modern.log.commitWith(report.id);
    for (let i = 0; i < 200 && !legacy.log.events.some((e) => e.event === 'area:updated'); i++) await new Promise((r) => setTimeout(r, 25));
    const of = (event: string) => legacy.log.events.filter((e) => e.event === event).map((e) => e.payload);
    expect(of('reports:new')).toEqual([message.reports]);
    expect(of('incident:updated')).toEqual(message.incidents);
    expect(of('area:updated')).toEqual(message.areas);
    expect(legacy.log.names()).not.toContain('commit');
  });

  it('sends a submit-only (none) socket its acknowledgements and no report, incident or area events', async () => {
    const uplink = await open(reporter, 'none');
    expect(uplink.hello.live).toBe('none');
    const watcher = await open(coordinator, 'commit');
    const report = makeReport();
    expect(await emitAck(uplink.socket, 'report:submit', report)).toMatchObject({ ok: true, report: { id: report.id } });
    const other = makeReport();
    await api(server.url, 'POST', '/api/reports', { token: monitor.token, body: other });
    await watcher.log.commitWith(other.id);
    expect(uplink.log.names().filter((n) => n !== 'seq:head')).toEqual([]);
  });

  it('carries a review as updated, in full to coordinators and to the reporter, redacted to other monitors', async () => {
    const boss = await open(coordinator, 'commit');
    const other = await open(monitor, 'commit');
    const owner = await open(reporter, 'commit');
    const report = makeBearingReport();
    const created = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: reporter.token, body: report });
    const reviewed = await api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${report.id}`, {
      token: coordinator.token,
      body: { status: 'verified', expectedSeq: created.body.report.seq },
    });
    expect(reviewed.status).toBe(200);

    expect((await boss.log.commitWith(report.id, 'updated')).updated).toEqual([reviewed.body.report]);
    const redacted = (await other.log.commitWith(report.id, 'updated')).updated![0]!;
    expect(redacted.status).toBe('verified');
    for (const key of PRIVATE) expect(redacted[key]).toBeUndefined();
    await owner.log.commitWith(report.id, 'updated');
    const own = owner.log.events.find((e) => e.event === 'commit:own' && (e.payload as OwnCommitMessage).updated?.some((r) => r.id === report.id));
    expect((own?.payload as OwnCommitMessage).updated).toEqual([reviewed.body.report]);
  });
});
