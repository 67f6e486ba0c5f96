import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { reportAdapterError } from '../../server/src/redis/adapter-errors.js';
import type { Store } from '../../server/src/storage/store.js';
import { type TestAccount, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

/** One sample of the Prometheus text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length !== 1) throw new Error(`${hits.length} samples of ${name} ${JSON.stringify(labels)}`);
  return (hits[0] as Sample).value;
}

async function scrape(url: string, token: string | undefined = TOKEN): Promise<Sample[]> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

/** A store whose commits wait until `open()`: writes pile up in the queue while the test scrapes. */
function gatedCommits(): { wrap: (store: Store) => Store; close(): void; open(): void } {
  let gate: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  return {
    close() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open() {
      release();
    },
    wrap: (store) =>
      new Proxy(store, {
        get(target, property) {
          const member: unknown = Reflect.get(target, property, target);
          if (typeof member !== 'function') return member;
          if (property === 'commit') return async (...args: Parameters<Store['commit']>) => gate.then(() => target.commit(...args));
          return (member as (...args: unknown[]) => unknown).bind(target);
        },
      }),
  };
}

describe('GET /metrics on the main port, behind METRICS_TOKEN', () => {
  const commits = gatedCommits();
  let server: TestServer;
  let monitor: TestAccount;
  let coordinator: TestAccount;
  let sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { METRICS_TOKEN: TOKEN }, wrapStore: commits.wrap });
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('refuses a scrape without the token, or with another one, and never answers with the app shell', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-of-the-same-kind' }, { authorization: TOKEN }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toMatch(/truceline_|<html/i);
    }
  });

  it('counts a stored report, its commit, its broadcast and the sockets that watch, and not its replay', async () => {
    const { socket: watcher } = await connect(server.url, monitor.token);
    const { socket: cell } = await connect(server.url, coordinator.token, () => undefined, { auth: { token: coordinator.token, live: 'commit' } });
    sockets = [watcher, cell];
    const before = await scrape(`${server.url}/metrics`);
    expect(value(before, 'truceline_sockets', { role: 'monitor', format: 'items' })).toBe(1);
    expect(value(before, 'truceline_sockets', { role: 'coordinator', format: 'commit' })).toBe(1);
    expect(value(before, 'truceline_sockets', { role: 'admin', format: 'items' })).toBe(0);

    const seen = collect(watcher, 'reports:new');
    const report = makeReport();
    const ack = await emitAck(watcher, 'report:submit', report);
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    await seen.until((reports) => reports.some((r) => r.id === report.id));
    const replay = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: report });
    expect(replay.status).toBe(200);
    const stored = (ack as { report: Report }).report;

    const after = await scrape(`${server.url}/metrics`);
    const moved = (name: string) => value(after, name) - value(before, name);
    expect(moved('truceline_reports_stored_total')).toBe(1);
    expect(moved('truceline_commit_seconds_count')).toBe(1);
    expect(moved('truceline_broadcast_seconds_count')).toBe(1);
    // The replay is answered from the store before the queue: one write waited for a commit.
    expect(moved('truceline_write_seconds_count')).toBe(1);
    expect(value(after, 'truceline_commit_seconds_sum')).toBeGreaterThan(0);
    // The report's seq, and then those of its incident and area rows.
    expect(value(after, 'truceline_watermark_seq')).toBe(await server.app.store.lastSeq());
    expect(value(after, 'truceline_watermark_seq')).toBeGreaterThan(value(before, 'truceline_watermark_seq'));
    expect(value(after, 'truceline_watermark_seq')).toBeGreaterThanOrEqual(stored.seq);
    expect(value(after, 'truceline_watermark_lag_seconds')).toBe(0);
    expect(value(after, 'truceline_commit_queue_waiting')).toBe(0);
    // prom-client's defaults: the event loop's lag among them.
    expect(value(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('shows writes waiting for a stalled commit as watermark lag', async () => {
    commits.close();
    const pending = api(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport() });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stalled = await scrape(`${server.url}/metrics`);
      expect(value(stalled, 'truceline_commit_queue_waiting')).toBe(1);
      expect(value(stalled, 'truceline_watermark_lag_seconds')).toBeGreaterThanOrEqual(0.25);
    } finally {
      commits.open();
    }
    expect((await pending).status).toBe(201);
    const flowing = await scrape(`${server.url}/metrics`);
    expect(value(flowing, 'truceline_commit_queue_waiting')).toBe(0);
    expect(value(flowing, 'truceline_watermark_lag_seconds')).toBe(0);
  });

  it('counts adapter errors reported by the fan-out code', async () => {
    const before = value(await scrape(`${server.url}/metrics`), 'truceline_adapter_errors_total');
    reportAdapterError();
    expect(value(await scrape(`${server.url}/metrics`), 'truceline_adapter_errors_total')).toBe(before + 1);
  });
});

describe('GET /metrics elsewhere', () => {
  it('is not there (404, not the app shell) when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/truceline_|<html/i);
      expect(server.app.metricsUrl()).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('is served on METRICS_PORT, on loopback, without a token, and only there', async () => {
    const server = await startServer({ env: { METRICS_PORT: '0' } });
    try {
      const url = server.app.metricsUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const samples = await scrape(url as string, undefined);
      expect(value(samples, 'truceline_reports_stored_total')).toBe(0);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${new URL(url as string).origin}/api/health`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('asks for the token on METRICS_PORT too when both are set', async () => {
    const server = await startServer({ env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN } });
    try {
      const url = server.app.metricsUrl() as string;
      expect((await fetch(url)).status).toBe(401);
      expect(value(await scrape(url), 'truceline_reports_stored_total')).toBe(0);
      expect(value(await scrape(`${server.url}/metrics`), 'truceline_reports_stored_total')).toBe(0);
    } finally {
      await server.close();
    }
  });
});
