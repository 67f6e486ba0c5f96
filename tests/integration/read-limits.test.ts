import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError, expectHttpError } from '../support/errors.js';

type Answer = { status: number; body: unknown; headers: Headers };

/** Asserts a 429 with `Retry-After` in whole seconds matching `retryAfterMs`; returns the error. */
function expectRetryAfter(res: Answer): ApiError {
  expectHttpError(res, 'rate_limited');
  const { error } = res.body as { error: ApiError };
  expect(error.retryAfterMs).toBeGreaterThan(0);
  expect(res.headers.get('retry-after')).toBe(String(Math.ceil(error.retryAfterMs! / 1000)));
  return error;
}

// Reads cost their account points (a request, or 1,000 items served) from READ_RATE_LIMIT a minute,
// over HTTP and `reports:sync` alike (issue 9 §4).
describe('READ_RATE_LIMIT=20', () => {
  const BUDGET = 20;
  let server: TestServer;
  let hammering: Account;
  let other: Account;
  let overSocket: Account;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { READ_RATE_LIMIT: String(BUDGET) } });
    [hammering, other, overSocket] = await createUsers(server, ['monitor', 'monitor', 'monitor'] as const);
    expect((await api(server.url, 'POST', '/api/reports', { token: other.token, body: makeReport() })).status).toBe(201);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  const get = (token: string, route: string) => api(server.url, 'GET', route, { token });

  it('answers a monitor hammering /api/sync?limit=10000 with 429 and Retry-After, while health and other accounts still answer', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await get(hammering.token, '/api/sync?limit=10000')).status).toBe(200);
    const error = expectRetryAfter(await get(hammering.token, '/api/sync?limit=10000'));
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(error.message).toMatch(/READ_RATE_LIMIT/);
    // One budget for every read route of the account.
    for (const route of ['/api/incidents', '/api/areas', '/api/reports']) expectRetryAfter(await get(hammering.token, route));

    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
    for (const route of ['/api/sync?limit=10000', '/api/incidents', '/api/areas', '/api/reports']) {
      expect((await get(other.token, route)).status, route).toBe(200);
    }
  });

  it('charges reports:sync from the same budget, with a rate_limited error ack', async () => {
    const { socket } = await connect(server.url, overSocket.token);
    open.push(socket);
    for (let i = 0; i < BUDGET; i++) expect(await emitAck(socket, 'reports:sync', { afterSeq: 0 })).toMatchObject({ hasMore: false });
    const refused = await emitAck(socket, 'reports:sync', { afterSeq: 0 });
    expectAckError(refused, 'rate_limited');
    expect((refused as { error: ApiError }).error.retryAfterMs).toBeGreaterThan(0);
    expectRetryAfter(await get(overSocket.token, '/api/sync'));
    // The socket itself stays up.
    expect(await emitAck(socket, 'report:submit', makeReport())).toMatchObject({ ok: true });
  });
});

/** An export whose client stops reading once the headers are in: it stays in flight on the server. */
function stalledExport(url: string, token: string): Promise<{ status: number; abort(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/export.geojson`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.pause();
      resolve({ status: res.statusCode ?? 0, abort: () => req.destroy() });
    });
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
  });
}

describe('READ_CONCURRENCY=2', () => {
  let server: TestServer;
  let exporter: Account;
  let otherCoordinator: Account;

  beforeAll(async () => {
    server = await startServer({ env: { READ_CONCURRENCY: '2' } });
    let monitor: Account;
    [exporter, otherCoordinator, monitor] = await createUsers(server, ['coordinator', 'coordinator', 'monitor'] as const);
    // ~8 MB of export (2,000 four-byte characters a report): more than the socket buffers
    // between a server and a client that stopped reading hold, so such an export cannot finish.
    const { socket } = await connect(server.url, monitor.token);
    try {
      for (let batch = 0; batch < 10; batch++) {
        const reports = Array.from({ length: 100 }, (_, i) =>
          makeReport({ description: '🔥'.repeat(2000), location: { lon: 30 + i * 0.05, lat: 45 + batch * 0.05 } }),
        );
        const answer = (await emitAck(socket, 'reports:submit', reports)) as { results: { ok: boolean }[] };
        expect(answer.results.every((r) => r.ok)).toBe(true);
      }
    } finally {
      socket.close();
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses an account a third read while two slow exports run, and frees a slot when an export is aborted', async () => {
    const first = await stalledExport(server.url, exporter.token);
    const second = await stalledExport(server.url, exporter.token);
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = expectRetryAfter(await api(server.url, 'GET', '/api/export.geojson', { token: exporter.token }));
    expect(third.message).toMatch(/READ_CONCURRENCY/);
    expectRetryAfter(await api(server.url, 'GET', '/api/sync', { token: exporter.token }));
    // Another account is not held up; its export runs to the end.
    const theirs = await api(server.url, 'GET', '/api/export.geojson', { token: otherCoordinator.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ type: 'FeatureCollection' });

    first.abort();
    // The server sees the abort a moment after the client; nothing tells the client when.
    await expect.poll(async () => (await api(server.url, 'GET', '/api/areas', { token: exporter.token })).status, { timeout: 5_000 }).toBe(200);
    // Freed once: a new slow export takes the slot, and the account is at its two again.
    const replacement = await stalledExport(server.url, exporter.token);
    expect(replacement.status).toBe(200);
    expectRetryAfter(await api(server.url, 'GET', '/api/incidents', { token: exporter.token }));
    second.abort();
    replacement.abort();
  });
});
