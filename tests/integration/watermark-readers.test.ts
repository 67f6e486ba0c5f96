import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Report, SOCKET_LIMITS, SYNC_HEADERS, type SyncResponse } from '@truceline/shared';
import type { Store } from '@truceline/server';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';

/**
 * Every reader's head is the store's committed watermark, `store.lastSeq()`, never a count this
 * process keeps: commits made by another process sharing the database move it without passing
 * through this process's publisher. The wrapped store plays that other process: its watermark
 * runs ahead of what this one committed.
 */
describe('the committed watermark as every head', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;
  let elsewhere = 0;
  let commitAfterNextRead = 0;
  const open: ClientSocket[] = [];

  const wrapStore = (store: Store): Store => {
    const lastSeq = store.lastSeq.bind(store);
    store.lastSeq = async () => {
      const seq = Math.max(await lastSeq(), elsewhere);
      // Another process commits right after this reading (see the hello race test).
      elsewhere += commitAfterNextRead;
      commitAfterNextRead = 0;
      return seq;
    };
    return store;
  };

  beforeAll(async () => {
    server = await startServer({ wrapStore });
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  it('hello, reports:sync, GET /api/sync, asOfSeq and seq:head all say how far the database is, not how far this process got', async () => {
    const mine = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport() });
    expect(mine.status).toBe(201);
    const ownSeq = mine.body.report.seq;
    // Other processes committed 40 changes after this one's last.
    elsewhere = ownSeq + 40;

    const events: string[] = [];
    const { socket, hello } = await connect(server.url, coordinator.token, (s) => s.onAny((event: string) => events.push(event)));
    open.push(socket);
    // `hello` is the first event of a connection, and carries the watermark.
    expect(events[0]).toBe('hello');
    expect(hello.lastSeq).toBe(elsewhere);

    const synced = (await emitAck(socket, 'reports:sync', { afterSeq: ownSeq })) as SyncResponse;
    expect(synced).toMatchObject({ reports: [], lastSeq: elsewhere, hasMore: false });

    const bulk = await api<SyncResponse>(server.url, 'GET', `/api/sync?afterSeq=${ownSeq}`, { token: monitor.token });
    expect(bulk.body.lastSeq).toBe(elsewhere);
    expect(bulk.headers.get(SYNC_HEADERS.lastSeq)).toBe(String(elsewhere));

    for (const route of ['/api/reports', '/api/incidents', '/api/areas']) {
      const listed = await api<{ asOfSeq: number }>(server.url, 'GET', route, { token: coordinator.token });
      expect(listed.body.asOfSeq, route).toBe(elsewhere);
    }

    const head = await new Promise<{ lastSeq: number }>((resolve) => socket.once('seq:head', resolve));
    expect(head.lastSeq).toBe(elsewhere);
  }, SOCKET_LIMITS.seqHeadIntervalMs + 20_000);

  it('a commit landing between hello and the join of the live rooms is announced at once by seq:head', async () => {
    const before = await api<{ lastSeq: number }>(server.url, 'GET', '/api/health', { token: coordinator.token });
    elsewhere = before.body.lastSeq;
    const heads: number[] = [];
    const events: string[] = [];
    // The next reading of the watermark is hello's (the handshake reads none).
    commitAfterNextRead = 3;
    const { socket, hello } = await connect(server.url, coordinator.token, (s) => {
      s.onAny((event: string) => events.push(event));
      s.on('seq:head', (h) => heads.push(h.lastSeq));
    });
    open.push(socket);
    expect(events[0]).toBe('hello');
    expect(hello.lastSeq).toBeLessThan(elsewhere);
    // Well before the periodic seq:head (10 s): the reading after the join saw it.
    await expect.poll(() => heads, { timeout: SOCKET_LIMITS.seqHeadIntervalMs / 2 }).toContain(elsewhere);
  });

  it('a page that stops short of the watermark claims only what it holds', async () => {
    elsewhere = 0;
    const sent = [makeReport(), makeReport(), makeReport()];
    const seqs: number[] = [];
    for (const body of sent) seqs.push((await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body })).body.report.seq);
    elsewhere = (seqs.at(-1) as number) + 10;
    const page = await api<SyncResponse>(server.url, 'GET', `/api/sync?afterSeq=${(seqs[0] as number) - 1}&limit=2`, { token: coordinator.token });
    expect(page.body).toMatchObject({ lastSeq: seqs[1], hasMore: true });
    const rest = await api<SyncResponse>(server.url, 'GET', `/api/sync?afterSeq=${page.body.lastSeq}&limit=2`, { token: coordinator.token });
    expect(rest.body.reports.map((r) => r.seq)).toEqual([seqs[2]]);
    expect(rest.body).toMatchObject({ lastSeq: elsewhere, hasMore: false });
  });
});
