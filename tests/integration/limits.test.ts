import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, SubmitResult } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError, expectErrorBody, expectHttpError } from '../support/errors.js';


describe('RATE_LIMIT=2', () => {
  let server: TestServer;
  let accounts: readonly Account[];
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT: '2' } });
    accounts = await createUsers(server, ['monitor', 'monitor', 'monitor'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  const post = (token: string, body: unknown) => api<{ report: Report }>(server.url, 'POST', '/api/reports', { token, body });

  it('refuses the third submission in a minute with 429, Retry-After and retryAfterMs, and stores nothing', async () => {
    const { token } = accounts[0]!;
    const [a, b, c] = [makeReport(), makeReport(), makeReport()];
    expect((await post(token, a)).status).toBe(201);
    expect((await post(token, b)).status).toBe(201);

    const refused = await post(token, c);
    expectHttpError(refused, 'rate_limited');
    const retryAfterMs = (refused.body as unknown as { error: { retryAfterMs: number } }).error.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    const header = refused.headers.get('retry-after');
    expect(header).toMatch(/^\d+$/);
    expect(Number(header)).toBe(Math.ceil(retryAfterMs / 1000));
    expect((await api(server.url, 'GET', `/api/reports/${c.id}`, { token })).status).toBe(404);

    // Replays still succeed: an outbox retrying after a lost response is not refused.
    expect((await post(token, a)).status).toBe(200);
  });

  it('answers an over-limit socket submission with rate_limited and retryAfterMs, per item in a batch', async () => {
    const { token } = accounts[1]!;
    const { socket } = await connect(server.url, token);
    open.push(socket);
    const [a, b, c, d] = [makeReport(), makeReport(), makeReport(), makeReport()];
    expect(await emitAck(socket, 'report:submit', a)).toMatchObject({ ok: true, duplicate: false });
    expect(await emitAck(socket, 'report:submit', b)).toMatchObject({ ok: true, duplicate: false });

    const refused = await emitAck(socket, 'report:submit', c);
    expectAckError(refused, 'rate_limited');
    expect((refused as Extract<SubmitResult, { ok: false }>).error.retryAfterMs).toBeGreaterThan(0);

    expect(await emitAck(socket, 'report:submit', a)).toMatchObject({ ok: true, duplicate: true });
    const batch = await emitAck(socket, 'reports:submit', [b, d]);
    expect(batch).toMatchObject({
      results: [
        { ok: true, duplicate: true },
        { ok: false, id: d.id, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } },
      ],
    });
  });

  it('does not count replays against the limit, and counts per account', async () => {
    const { token } = accounts[2]!;
    const first = makeReport();
    expect((await post(token, first)).status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await post(token, first)).status).toBe(200);
    // Had the four replays cost a token each, this second new report would be refused.
    expect((await post(token, makeReport())).status).toBe(201);
    expectHttpError(await post(token, makeReport()), 'rate_limited');
  });
});

describe('TRUST_PROXY=1 with MAX_CONNECTIONS_PER_IP=1', () => {
  let server: TestServer;
  let token: string;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '1', MAX_CONNECTIONS_PER_IP: '1' } });
    [{ token }] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server.close();
  });

  const via = (forwardedFor: string) => ({ extraHeaders: { 'x-forwarded-for': forwardedFor } });

  it('counts clients by the address the proxy adds, not by entries a client wrote before it', async () => {
    open.push((await connect(server.url, token, undefined, via('198.51.100.1'))).socket);
    open.push((await connect(server.url, token, undefined, via('198.51.100.2'))).socket);
    const refused = await connectError(server.url, { token }, via('198.51.100.1'));
    expectErrorBody(refused.data, 'rate_limited');
    expect(JSON.stringify(refused.data)).toMatch(/198\.51\.100\.1.*MAX_CONNECTIONS_PER_IP/);
    // The proxy appends the real peer; a forged entry to its left changes nothing.
    expectErrorBody((await connectError(server.url, { token }, via('203.0.113.50, 198.51.100.2'))).data, 'rate_limited');
  });

  it('counts an IPv6 client by its /64: a new address in the same prefix is the same subscriber', async () => {
    open.push((await connect(server.url, token, undefined, via('2001:db8:5:6::1'))).socket);
    expectErrorBody((await connectError(server.url, { token }, via('2001:db8:5:6:ffff::2'))).data, 'rate_limited');
    open.push((await connect(server.url, token, undefined, via('2001:db8:5:7::1'))).socket);
  });
});

describe('connection limits and origins', () => {
  let capped: TestServer;
  let restricted: TestServer;
  let token: string;
  let restrictedToken: string;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    [capped, restricted] = await Promise.all([
      startServer({ env: { MAX_CONNECTIONS_PER_IP: '2' } }),
      startServer({ env: { ALLOWED_ORIGINS: 'http://app.example,https://ops.example' } }),
    ]);
    [[{ token }], [{ token: restrictedToken }]] = await Promise.all([
      createUsers(capped, ['monitor'] as const),
      createUsers(restricted, ['monitor'] as const),
    ]);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([capped.close(), restricted.close()]);
  });

  const withOrigin = (origin: string) => ({ extraHeaders: { origin } });

  it('with MAX_CONNECTIONS_PER_IP=2, refuses a third socket from one address; a foreign Origin is refused and not counted', async () => {
    const evil = await connectError(capped.url, { token }, withOrigin('http://evil.example'));
    expect(evil).toBeInstanceOf(Error);
    // By default only the server's own origin may open sockets.
    const own = await connect(capped.url, token, undefined, withOrigin(capped.url));
    const second = await connect(capped.url, token);
    open.push(own.socket, second.socket);

    expectErrorBody((await connectError(capped.url, { token })).data, 'rate_limited');
    // Without TRUST_PROXY, a client-written X-Forwarded-For does not make it another address.
    expectErrorBody((await connectError(capped.url, { token }, { extraHeaders: { 'x-forwarded-for': '203.0.113.7' } })).data, 'rate_limited');
  });

  it('with ALLOWED_ORIGINS, admits listed origins and clients that send none, and refuses others', async () => {
    for (const origin of ['http://app.example', 'https://ops.example']) {
      const { socket } = await connect(restricted.url, restrictedToken, undefined, withOrigin(origin));
      open.push(socket);
    }
    const { socket } = await connect(restricted.url, restrictedToken);
    open.push(socket);
    for (const origin of ['http://evil.example', restricted.url, 'http://app.example.evil.example']) {
      const error = await connectError(restricted.url, { token: restrictedToken }, withOrigin(origin));
      expect(error, origin).toBeInstanceOf(Error);
    }
  });
});
