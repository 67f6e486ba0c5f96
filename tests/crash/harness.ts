import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { io } from 'socket.io-client';
import type { Report, ReportInputDraft } from '@truceline/shared';
import { makeReport } from '../support/reports.js';
import { api, login } from '../support/server.js';
import type { ClientSocket } from '../support/sockets.js';
import { between, seededRandom } from './random.js';
import { CRASH_ADMIN_PASSWORD, type ChildServer, startChild } from './server-child.js';

/** How each submitter reaches the server: the three ways a report can arrive. */
const KINDS = ['websocket', 'polling', 'rest'] as const;
type Kind = (typeof KINDS)[number];

const CATEGORIES = ['shelling', 'explosion', 'small_arms_fire', 'drone_sighting', 'heavy_weapons'] as const;
/** Submissions each submitter keeps in flight: enough that a commit is running at almost any moment. */
const IN_FLIGHT = 4;
const SUBMITTERS_PER_KIND = 2;
const CHILD_ENV = { READ_RATE_LIMIT: '0', READ_CONCURRENCY: '0' };

export interface SoakSummary {
  seed: number;
  rounds: number;
  acknowledged: number;
  /** Sent but never acknowledged (the kill cut them off); each resubmitted after the restart. */
  unacknowledged: number;
  /** Acknowledged reports missing after the restart, or stored with other content. */
  lost: number;
  /** Reports stored more than once (the same content under two ids). */
  duplicates: number;
  /** Stored reports nobody sent. */
  strays: number;
  /** Error acknowledgements while the server ran (none expected: no limits are on). */
  refused: number;
  problems: string[];
}

interface Ledger {
  /** id → exact input, for every acknowledged report, over all rounds. */
  acked: Map<string, ReportInputDraft>;
  /** Sent this round and not (yet) acknowledged, with the token of the account that sent it. */
  pending: Map<string, { input: ReportInputDraft; token: string }>;
  refused: number;
}

/** A report whose content says who sent it, so a copy under another id is seen as a duplicate. */
function reportFor(random: () => number, tag: string): ReportInputDraft {
  return makeReport({
    category: CATEGORIES[between(random, 0, CATEGORIES.length - 1)],
    location: { lon: 37.7 + random() * 0.1, lat: 48.1 + random() * 0.1, accuracyM: between(random, 5, 500), source: 'gps' },
    description: `crash harness ${tag}`,
  });
}

function onAck(ledger: Ledger, input: ReportInputDraft, ok: boolean, onAcked: () => void): void {
  ledger.pending.delete(input.id);
  if (!ok) {
    ledger.refused++;
    return;
  }
  ledger.acked.set(input.id, input);
  onAcked();
}

interface Submitter {
  /** Starts sending; resolves once every request sent has settled or its connection has gone. */
  run(): Promise<unknown>;
}

/** Connected before any submitter starts, so an early kill cannot fail a handshake. */
async function socketSubmitter(
  url: string,
  token: string,
  transport: 'websocket' | 'polling',
  next: () => ReportInputDraft | undefined,
  ledger: Ledger,
  onAcked: () => void,
): Promise<Submitter> {
  const socket: ClientSocket = io(url, { auth: { token }, transports: [transport], upgrade: false, reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('hello', resolve);
  });
  const gone = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  const send = (): void => {
    const input = next();
    if (!input || !socket.connected) return;
    ledger.pending.set(input.id, { input, token });
    socket.emit('report:submit', input, (result) => {
      onAck(ledger, input, result.ok, onAcked);
      send();
    });
  };
  return {
    run: () => {
      for (let i = 0; i < IN_FLIGHT; i++) send();
      return gone.then(() => socket.close());
    },
  };
}

function restSubmitter(url: string, token: string, next: () => ReportInputDraft | undefined, ledger: Ledger, onAcked: () => void): Submitter {
  const lane = async (): Promise<void> => {
    for (let input = next(); input; input = next()) {
      ledger.pending.set(input.id, { input, token });
      const res = await fetch(`${url}/api/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }).catch(() => undefined);
      // A connection cut by the kill: the report stays pending, as a client would keep it in its outbox.
      if (!res) return;
      await res.text().catch(() => undefined);
      onAck(ledger, input, res.status === 201 || res.status === 200, onAcked);
    }
  };
  return { run: () => Promise.all(Array.from({ length: IN_FLIGHT }, lane)) };
}

/** Every stored report, read as an admin through `GET /api/sync`. */
async function storedReports(url: string, token: string): Promise<Report[]> {
  const out: Report[] = [];
  let afterSeq = 0;
  for (;;) {
    const res = await api<{ reports: Report[]; lastSeq: number; hasMore: boolean }>(url, 'GET', `/api/sync?afterSeq=${afterSeq}&limit=10000`, { token });
    if (res.status !== 200) throw new Error(`GET /api/sync answered ${res.status}: ${JSON.stringify(res.body)}`);
    out.push(...res.body.reports);
    if (!res.body.hasMore) return out;
    afterSeq = res.body.lastSeq;
  }
}

/** Times come back in UTC with milliseconds (`…:33.000Z` for `…:33Z`): the same instant is the same content. */
function sameField(key: string, stored: unknown, sent: unknown): boolean {
  if ((key === 'observedAt' || key === 'observedUntil') && typeof stored === 'string' && typeof sent === 'string') {
    return Date.parse(stored) === Date.parse(sent);
  }
  return isDeepStrictEqual(stored, sent);
}

/** Checks the store against the ledger: every acknowledged report once, with exactly the content sent. */
function audit(stored: Report[], ledger: Ledger, sent: Set<string>, summary: SoakSummary, when: string): void {
  const byId = new Map<string, Report>();
  const byContent = new Map<string, number>();
  for (const report of stored) {
    if (byId.has(report.id)) {
      summary.duplicates++;
      summary.problems.push(`${when}: id ${report.id} listed twice`);
    }
    byId.set(report.id, report);
    const tag = report.description ?? '';
    byContent.set(tag, (byContent.get(tag) ?? 0) + 1);
    if (!sent.has(report.id)) {
      summary.strays++;
      summary.problems.push(`${when}: stored report ${report.id} was never sent`);
    }
  }
  for (const [tag, n] of byContent) {
    if (n > 1) {
      summary.duplicates += n - 1;
      summary.problems.push(`${when}: "${tag}" stored ${n} times`);
    }
  }
  for (const [id, input] of ledger.acked) {
    const report = byId.get(id);
    const differs = report ? Object.keys(input).filter((key) => !sameField(key, (report as Record<string, unknown>)[key], (input as Record<string, unknown>)[key])) : [];
    if (!report || differs.length > 0) {
      summary.lost++;
      summary.problems.push(`${when}: acknowledged ${id} ${report ? `stored with other ${differs.join(', ')}` : 'is missing'}`);
    }
  }
}

export interface SoakOptions {
  rounds: number;
  seed: number;
  /** Called after each round, e.g. to print progress. */
  onRound?: (round: number, summary: SoakSummary) => void;
}

/**
 * The crash harness. Each round starts the built server on the same SQLite file, runs two
 * submitters per transport (Socket.IO websocket, Socket.IO long-polling, REST) with four
 * submissions each in flight, and SIGKILLs the process when the round's acknowledgements cross
 * a random threshold (or, every third round, after a random delay), so the kill lands while
 * group commits are being written and acknowledged. After the restart every acknowledged
 * report must be there exactly once with its exact content; then every unacknowledged one is
 * resubmitted, and none may be stored twice.
 */
export async function soak(options: SoakOptions): Promise<SoakSummary> {
  const random = seededRandom(options.seed);
  const summary: SoakSummary = {
    seed: options.seed,
    rounds: 0,
    acknowledged: 0,
    unacknowledged: 0,
    lost: 0,
    duplicates: 0,
    strays: 0,
    refused: 0,
    problems: [],
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-crash-'));
  const ledger: Ledger = { acked: new Map(), pending: new Map(), refused: 0 };
  const sent = new Set<string>();
  let server: ChildServer | undefined;
  try {
    server = await startChild(dataDir, CHILD_ENV);
    const admin = await login(server.url, 'admin', CRASH_ADMIN_PASSWORD);
    const monitors: string[] = [];
    for (let i = 0; i < KINDS.length * SUBMITTERS_PER_KIND; i++) {
      const username = `crash${i}`;
      const password = `crash-monitor-password-${i}`;
      const made = await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username, password, role: 'monitor' } });
      if (made.status !== 201) throw new Error(`creating ${username}: ${made.status}`);
      monitors.push((await login(server.url, username, password)).token);
    }

    for (let round = 1; round <= options.rounds; round++) {
      const byTimer = round % 3 === 0;
      const threshold = between(random, 10, 250);
      let ackedThisRound = 0;
      let serial = 0;
      let killed = false;
      const running = server;
      const kill = (): void => {
        if (killed) return;
        killed = true;
        running.child.kill('SIGKILL');
      };
      const next = (): ReportInputDraft | undefined => {
        if (killed) return undefined;
        const input = reportFor(random, `r${round} n${++serial} seed ${options.seed}`);
        sent.add(input.id);
        return input;
      };
      const onAcked = (): void => {
        summary.acknowledged++;
        if (!byTimer && ++ackedThisRound >= threshold) kill();
      };
      const submitters: Submitter[] = [];
      for (const [i, token] of monitors.entries()) {
        const kind: Kind = KINDS[i % KINDS.length] as Kind;
        submitters.push(kind === 'rest' ? restSubmitter(running.url, token, next, ledger, onAcked) : await socketSubmitter(running.url, token, kind, next, ledger, onAcked));
      }
      const settled = Promise.all(submitters.map((s) => s.run()));
      if (byTimer) setTimeout(kill, between(random, 50, 1500));
      const exit = await running.exited;
      if (exit.signal !== 'SIGKILL') throw new Error(`round ${round}: the server exited by itself (${exit.code}):\n${running.output()}`);
      // Acks already in the client's socket buffers still arrive; wait for every connection to end.
      await settled;

      server = await startChild(dataDir, CHILD_ENV);
      const unacked = [...ledger.pending.values()];
      ledger.pending.clear();
      summary.unacknowledged += unacked.length;
      audit(await storedReports(server.url, admin.token), ledger, sent, summary, `round ${round} after the restart`);

      // What the kill cut off, sent again as a client's outbox would: stored once, whoever got it first.
      for (const { input, token } of unacked) {
        const res = await api(server.url, 'POST', '/api/reports', { token, body: input });
        if (res.status === 201 || res.status === 200) ledger.acked.set(input.id, input);
        else summary.problems.push(`round ${round}: resubmitting ${input.id} answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      const afterResend = await storedReports(server.url, admin.token);
      audit(afterResend, ledger, sent, summary, `round ${round} after resubmitting`);
      if (afterResend.length !== ledger.acked.size) {
        summary.problems.push(`round ${round}: ${afterResend.length} stored, ${ledger.acked.size} acknowledged in all`);
      }
      summary.rounds = round;
      summary.refused = ledger.refused;
      options.onRound?.(round, summary);
      if (summary.problems.length > 0) break;
    }
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return summary;
}

/** The one line `pnpm soak` prints. */
export function summaryLine(s: SoakSummary): string {
  return (
    `soak: rounds=${s.rounds} acknowledged=${s.acknowledged} unacknowledged=${s.unacknowledged} ` +
    `lost=${s.lost} duplicates=${s.duplicates} strays=${s.strays} refused=${s.refused} seed=${s.seed}`
  );
}
