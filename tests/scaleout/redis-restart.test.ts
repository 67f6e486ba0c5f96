import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, SyncResponse } from '@truceline/shared';
import { api, login } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { type ClientSocket, TRANSPORTS, connect } from '../support/sockets.js';
import { freshDatabase, scaleOutAvailable } from '../support/scale-out-env.js';
import { CLUSTER_ADMIN_PASSWORD, type Cluster, startCluster } from './cluster.js';
import { freePort } from '../support/free-port.js';
import { killRedis, startRedis } from './own-redis.js';

const available = scaleOutAvailable();

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!available).each(TRANSPORTS)('Redis restarted under two processes, over %s', (transport) => {
  let redis: ChildProcess | undefined;
  let redisPort: number;
  let cluster: Cluster;
  let drop: () => Promise<void> = () => Promise.resolve();
  const sockets: ClientSocket[] = [];
  const open = async (url: string, token: string, before?: (socket: ClientSocket) => void) => {
    const opened = await connect(url, token, before, { transports: [transport], upgrade: false });
    sockets.push(opened.socket);
    return opened;
  };
  const stopRedis = () => killRedis(redis);

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const db = await freshDatabase();
    drop = db.drop;
    cluster = await startCluster({ processes: 2, databaseUrl: db.url, redisUrl: `redis://127.0.0.1:${redisPort}`, env: { MAX_CONNECTIONS_PER_IP: '0' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop().catch(() => undefined);
    await stopRedis();
    await drop();
  });

  it('loses no stored report, keeps serving local watchers, and lets the others catch up with seq:head and sync', async () => {
    const admin = await login(cluster.urls[0]!, 'admin', CLUSTER_ADMIN_PASSWORD);
    const created = await api(cluster.urls[0]!, 'POST', '/api/users', {
      token: admin.token,
      body: { username: `mon-${transport}`, password: 'a-long-enough-monitor-password', role: 'monitor' },
    });
    expect(created.status).toBe(201);
    const monitor = await login(cluster.urls[0]!, `mon-${transport}`, 'a-long-enough-monitor-password');

    // A watcher on each process, the submitter on process 0.
    const here = new Map<string, Report>();
    await open(cluster.urls[0]!, admin.token, (s) => s.on('reports:new', (rs) => rs.forEach((r) => here.set(r.id, r))));
    const there = new Map<string, Report>();
    const heads: number[] = [];
    const { socket: remote, hello } = await open(cluster.urls[1]!, admin.token, (s) => {
      s.on('reports:new', (rs) => rs.forEach((r) => there.set(r.id, r)));
      s.on('seq:head', (h) => heads.push(h.lastSeq));
    });
    let seenSeq = hello.lastSeq;
    remote.on('reports:new', (rs) => (seenSeq = Math.max(seenSeq, ...rs.map((r) => r.seq))));
    const { socket: submitter } = await open(cluster.urls[0]!, monitor.token);
    const before = makeReport();
    expect(await submitter.emitWithAck('report:submit', before)).toMatchObject({ ok: true });
    await until('the first report on the other process', () => there.has(before.id));

    await stopRedis();
    // Stored and acknowledged while Redis is away; this process's own watcher still gets them live.
    const during = Array.from({ length: 3 }, () => makeReport());
    for (const report of during) expect(await submitter.emitWithAck('report:submit', report)).toMatchObject({ ok: true, duplicate: false });
    await until('the local watcher to get them live', () => during.every((r) => here.has(r.id)));
    expect((await api(cluster.urls[1]!, 'GET', '/api/health')).status).toBe(200);
    expect(cluster.output(0)).toMatch(/redis connection failed/);

    const seqBeforeOutage = seenSeq;
    const storedSeqs = (await Promise.all(during.map((r) => api<{ report: Report }>(cluster.urls[1]!, 'GET', `/api/reports/${r.id}`, { token: admin.token })))).map(
      (res) => res.body.report.seq,
    );
    expect(during.some((r) => there.has(r.id))).toBe(false);

    redis = await startRedis(redisPort);
    // The processes reconnect by themselves: live fan-out resumes (the first reports after the
    // restart may go while the adapter is still reconnecting, so send until one crosses).
    const deadline = Date.now() + 30_000;
    let crossed: string | undefined;
    while (!crossed) {
      if (Date.now() > deadline) throw new Error('no report crossed to the other process after Redis came back');
      const report = makeReport();
      expect(await submitter.emitWithAck('report:submit', report)).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (there.has(report.id)) crossed = report.id;
    }
    // …and the other process's watcher learns of the gap from seq:head (every 10 s, the
    // committed watermark) and fills it with reports:sync.
    const headsBefore = heads.length;
    await until('a seq:head after the restart', () => heads.length > headsBefore, 15_000);
    expect(heads.at(-1)).toBeGreaterThanOrEqual(Math.max(...storedSeqs));
    const filled = new Map<string, Report>();
    let from = seqBeforeOutage;
    for (;;) {
      const page = (await remote.emitWithAck('reports:sync', { afterSeq: from })) as SyncResponse;
      for (const report of page.reports) filled.set(report.id, report);
      from = page.lastSeq;
      if (!page.hasMore) break;
    }
    for (const report of during) expect(filled.has(report.id), report.id).toBe(true);
    expect(cluster.output(1)).toMatch(/redis connection restored/);
  }, 90_000);
});
