import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Report, ReportInputDraft, SyncResponse } from '@truceline/shared';
import { api, login } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { type ClientSocket, type Transport, connect } from '../support/sockets.js';
import { redisUrl, scaleOutAvailable } from '../support/scale-out-env.js';
import { type OwnPostgres, ownPostgresAvailable, startOwnPostgres } from '../support/own-postgres.js';
import { CLUSTER_ADMIN_PASSWORD, type Cluster, startCluster } from './cluster.js';

// This test crashes PostgreSQL, so it brings a cluster of its own (never DATABASE_URL's); the
// machine's Redis is shared, under the cluster's own key prefix.
const available = scaleOutAvailable({ redis: true }) && ownPostgresAvailable();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `check` holds, polling; fails with `what` after `ms` (generous: the machine may be busy). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

type Via = 'websocket' | 'polling' | 'rest';

/**
 * One submission and what its sender was told: `stored` (acknowledged new), `duplicate`
 * (acknowledged as stored before), `refused` (told `unavailable`: nothing saved), `unknown` (no
 * answer: the sender cannot tell), `unexpected` (any other answer, a failure of this test).
 */
interface Outcome {
  report: ReportInputDraft;
  via: Via;
  sentAt: number;
  answeredAt: number;
  result: 'stored' | 'duplicate' | 'refused' | 'unknown' | 'unexpected';
  stored?: Report;
  detail?: string;
}

/** A report somewhere in a wide box, so the stream makes many small incidents rather than one huge one. */
function spreadReport(): ReportInputDraft {
  return makeReport({ location: { lon: 30 + Math.random() * 8, lat: 45 + Math.random() * 5, accuracyM: 50, source: 'gps' } });
}

const ANSWER_MS = 20_000;
const IN_FLIGHT_PER_TRANSPORT = 3;

async function submitOverSocket(socket: ClientSocket, via: Via, report: ReportInputDraft): Promise<Outcome> {
  const sentAt = Date.now();
  const done = (o: Pick<Outcome, 'result' | 'stored' | 'detail'>): Outcome => ({ report, via, sentAt, answeredAt: Date.now(), ...o });
  try {
    const ack = await socket.timeout(ANSWER_MS).emitWithAck('report:submit', report);
    if (ack.ok) return done({ result: ack.duplicate ? 'duplicate' : 'stored', stored: ack.report });
    if (ack.error.code === 'unavailable') return done({ result: 'refused' });
    return done({ result: 'unexpected', detail: JSON.stringify(ack) });
  } catch (error) {
    return done({ result: 'unknown', detail: String(error) });
  }
}

async function submitOverRest(url: string, token: string, report: ReportInputDraft): Promise<Outcome> {
  const sentAt = Date.now();
  const done = (o: Pick<Outcome, 'result' | 'stored' | 'detail'>): Outcome => ({ report, via: 'rest', sentAt, answeredAt: Date.now(), ...o });
  try {
    const res = await api<{ report: Report; error?: { code: string } }>(url, 'POST', '/api/reports', { token, body: report, signal: AbortSignal.timeout(ANSWER_MS) });
    if (res.status === 201) return done({ result: 'stored', stored: res.body.report });
    if (res.status === 200) return done({ result: 'duplicate', stored: res.body.report });
    if (res.status === 503 && res.body.error?.code === 'unavailable') return done({ result: 'refused' });
    return done({ result: 'unexpected', detail: `${res.status} ${JSON.stringify(res.body)}` });
  } catch (error) {
    return done({ result: 'unknown', detail: String(error) });
  }
}

/** What a submitter sent and what the server keeps of it (the server writes times with milliseconds). */
function content(r: ReportInputDraft | Report) {
  return { id: r.id, category: r.category, observedAtMs: Date.parse(r.observedAt), method: r.method, location: r.location };
}

/** Every report after `afterSeq`, page by page, over the socket; with the head the last page gave. */
async function syncAll(socket: ClientSocket, afterSeq: number): Promise<{ reports: Report[]; head: number }> {
  const reports: Report[] = [];
  let from = afterSeq;
  for (;;) {
    const page = (await socket.timeout(ANSWER_MS).emitWithAck('reports:sync', { afterSeq: from })) as SyncResponse;
    reports.push(...page.reports);
    from = page.lastSeq;
    if (!page.hasMore) return { reports, head: page.lastSeq };
  }
}

describe.skipIf(!available)('PostgreSQL restarted (immediate shutdown) under three processes', () => {
  let postgres: OwnPostgres | undefined;
  let cluster: Cluster | undefined;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    cluster = await startCluster({ processes: 3, databaseUrl: postgres.url, redisUrl: redisUrl!, env: { MAX_CONNECTIONS_PER_IP: '0' } });
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop().catch(() => undefined);
    await postgres?.destroy();
  }, 60_000);

  it('acknowledges only what it stored, loses nothing acknowledged, and serves again by itself', async () => {
    const c = cluster!;
    const db = postgres!;
    const outcomes: Outcome[] = [];
    const timeline: string[] = [];
    // A failure here is a timing story: tell it, with what the servers and PostgreSQL said.
    onTestFailed(() => {
      const counts = new Map<string, number>();
      for (const o of outcomes) counts.set(`${o.via} ${o.result}`, (counts.get(`${o.via} ${o.result}`) ?? 0) + 1);
      const tail = (text: string) => text.slice(-6_000);
      process.stderr.write(
        [
          `timeline: ${timeline.join(', ')}`,
          `outcomes: ${[...counts].map(([k, n]) => `${k}: ${n}`).join(', ')}`,
          ...c.urls.map((url, i) => `--- process ${i} (${url}):\n${tail(c.output(i))}`),
          `--- PostgreSQL:\n${tail(db.log())}`,
        ].join('\n') + '\n',
      );
    });
    const open = async (url: string, token: string, transport: Transport, before?: (socket: ClientSocket) => void) => {
      const opened = await connect(url, token, before, { transports: [transport], upgrade: false });
      sockets.push(opened.socket);
      return opened;
    };
    const admin = await login(c.urls[0]!, 'admin', CLUSTER_ADMIN_PASSWORD);
    const monitors = await Promise.all(
      c.urls.map(async (url, i) => {
        const username = `pg-restart-monitor-${i}`;
        const password = `password-of-${username}`;
        const created = await api(c.urls[0]!, 'POST', '/api/users', { token: admin.token, body: { username, password, role: 'monitor' } });
        expect(created.status).toBe(201);
        return login(url, username, password);
      }),
    );

    // A watcher on each process, connected before anything is sent.
    const watchers = await Promise.all(
      c.urls.map(async (url) => {
        const live = new Map<string, number>();
        const heads: number[] = [];
        const { socket, hello } = await open(url, admin.token, 'websocket', (s) => {
          s.on('reports:new', (rs) => rs.forEach((r) => live.set(r.id, (live.get(r.id) ?? 0) + 1)));
          s.on('seq:head', (h) => heads.push(h.lastSeq));
        });
        return { socket, hello, live, heads };
      }),
    );

    // Submitters on every transport, one transport per process, sending without pause until told to stop.
    const { socket: wsSubmitter } = await open(c.urls[0]!, monitors[0]!.token, 'websocket');
    const { socket: pollSubmitter } = await open(c.urls[1]!, monitors[1]!.token, 'polling');
    const senders: Record<Via, (report: ReportInputDraft) => Promise<Outcome>> = {
      websocket: (report) => submitOverSocket(wsSubmitter, 'websocket', report),
      polling: (report) => submitOverSocket(pollSubmitter, 'polling', report),
      rest: (report) => submitOverRest(c.urls[2]!, monitors[2]!.token, report),
    };
    let sending = true;
    // Several in flight on each transport, so the crash finds group commits under way.
    const loops = (Object.keys(senders) as Via[]).flatMap((via) => Array.from({ length: IN_FLIGHT_PER_TRANSPORT }, () => via)).map(async (via) => {
      while (sending) {
        const outcome = await senders[via](spreadReport());
        outcomes.push(outcome);
        // Refusals come back at once during the back-off: do not spin on them.
        await pause(outcome.result === 'refused' || outcome.result === 'unknown' ? 100 : 10);
      }
    });

    // PostgreSQL crashes at a random moment of the stream, stays down a few seconds, comes back.
    const t0 = Date.now();
    const at = (what: string) => {
      const now = Date.now();
      timeline.push(`${what} +${now - t0} ms`);
      return now;
    };
    await pause(1_500 + Math.random() * 2_500);
    const stopBegan = at('stop');
    await db.stop({ mode: 'immediate' });
    const downFrom = at('down');
    // A read over a live socket meets the same: `unavailable` (try again), not `internal`.
    const syncWhileDown = (await watchers[0]!.socket.timeout(10_000).emitWithAck('reports:sync', { afterSeq: 0, limit: 1 })) as { ok?: false; error?: { code: string } };
    expect(syncWhileDown.error?.code, 'reports:sync while PostgreSQL is down').toBe('unavailable');
    await pause(4_000);
    const downUntil = at('start');
    await db.start();
    const upAt = at('up');

    // The processes serve again without a restart: health back to 200, and every transport's
    // submissions acknowledged again.
    for (const url of c.urls) await until(`health 200 on ${url}`, async () => (await api(url, 'GET', '/api/health')).status === 200);
    for (const via of Object.keys(senders) as Via[]) {
      await until(`an acknowledged ${via} submission after the restart`, () => outcomes.some((o) => o.via === via && o.result === 'stored' && o.sentAt > upAt));
    }
    sending = false;
    await Promise.all(loops);
    at('sent');

    const unexpected = outcomes.filter((o) => o.result === 'unexpected');
    expect(unexpected.map((o) => `${o.via}: ${o.detail}`)).toEqual([]);
    const before = outcomes.filter((o) => o.answeredAt < stopBegan);
    expect(before.length, 'submissions acknowledged before the crash').toBeGreaterThan(0);
    expect(before.filter((o) => o.result !== 'stored').map((o) => `${o.via}: ${o.result} ${o.detail ?? ''}`)).toEqual([]);
    // Sent and answered while PostgreSQL was down: refused (never acknowledged), on every transport.
    const whileDown = outcomes.filter((o) => o.sentAt >= downFrom && o.answeredAt <= downUntil);
    expect(whileDown.filter((o) => o.result !== 'refused').map((o) => `${o.via}: ${o.result}`)).toEqual([]);
    for (const via of Object.keys(senders) as Via[]) expect(whileDown.some((o) => o.via === via), `${via} refused while down`).toBe(true);

    // Acknowledged reports carry what was sent.
    const acked = outcomes.filter((o) => o.result === 'stored' || o.result === 'duplicate');
    for (const o of acked) expect(content(o.stored!)).toEqual(content(o.report));

    // Nothing refused while PostgreSQL was down can have been stored: resending stores it now
    // (201). Those in flight at the crash may have committed without an answer: 201 or 200.
    // A second resend of each is a duplicate: stored once.
    const unacked = outcomes.filter((o) => o.result === 'refused' || o.result === 'unknown');
    expect(unacked.length).toBeGreaterThan(0);
    const certainlyNotStored = new Set(unacked.filter((o) => o.sentAt >= downFrom && o.answeredAt <= downUntil).map((o) => o.report.id));
    // Resent as their own sender (another account's id would be a conflict), over REST to process 0.
    const tokenOf: Record<Via, string> = { websocket: monitors[0]!.token, polling: monitors[1]!.token, rest: monitors[2]!.token };
    for (const round of [1, 2]) {
      for (const o of unacked) {
        const res = await api<{ report: Report }>(c.urls[0]!, 'POST', '/api/reports', { token: tokenOf[o.via], body: o.report });
        const expected = round === 2 ? [200] : certainlyNotStored.has(o.report.id) ? [201] : [200, 201];
        expect(expected, `resend ${round} of ${o.report.id} (${o.via}, ${o.result}) answered ${res.status}`).toContain(res.status);
        expect(content(res.body.report)).toEqual(content(o.report));
      }
    }

    // The database holds every sent report exactly once, and nothing else.
    const sent = new Map(outcomes.map((o) => [o.report.id, o.report]));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let storedIds: string[];
    try {
      storedIds = (await client.query<{ id: string }>('SELECT id FROM reports')).rows.map((r) => r.id);
    } finally {
      await client.end();
    }
    expect(storedIds.length).toBe(sent.size);
    expect(new Set(storedIds)).toEqual(new Set(sent.keys()));

    // Every watcher received every stored report, live or through sync from its hello, none live
    // twice, and all three reached the same head: the committed watermark of each process.
    const heads = await Promise.all(
      watchers.map(async (w, i) => {
        expect(w.socket.connected, `watcher on process ${i} still connected`).toBe(true);
        const { reports, head } = await syncAll(w.socket, w.hello.lastSeq);
        const seen = new Set([...w.live.keys(), ...reports.map((r) => r.id)]);
        const missing = [...sent.keys()].filter((id) => !seen.has(id));
        expect(missing, `reports watcher ${i} never got`).toEqual([]);
        expect([...w.live].filter(([, n]) => n > 1), `live duplicates on watcher ${i}`).toEqual([]);
        for (const r of reports) expect(content(r)).toEqual(content(sent.get(r.id)!));
        return head;
      }),
    );
    expect(new Set(heads).size).toBe(1);
    for (const url of c.urls) {
      const health = await api<{ lastSeq: number }>(url, 'GET', '/api/health', { token: admin.token });
      expect(health.body.lastSeq).toBe(heads[0]);
    }
    // …and the periodic seq:head tells each watcher that head, with nothing sent meanwhile.
    for (const [i, w] of watchers.entries()) await until(`seq:head ${heads[0]} on watcher ${i}`, () => w.heads.at(-1) === heads[0], 30_000);
  }, 300_000);
});
