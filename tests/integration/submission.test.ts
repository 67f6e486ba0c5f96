import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError, expectHttpError } from '../support/errors.js';
import { isoWithOffset, minutesAgo } from '../support/time.js';

describe('what a submission stores', () => {
  let server: TestServer;
  let monitor: Account;
  let other: Account;
  let socket: ClientSocket;

  beforeAll(async () => {
    server = await startServer();
    [monitor, other] = await createUsers(server, ['monitor', 'monitor'] as const);
    socket = (await connect(server.url, monitor.token)).socket;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  const post = (body: unknown, token = monitor.token) => api<{ report: Report }>(server.url, 'POST', '/api/reports', { token, body });

  it('stores the input with defaults, times in UTC, and the server-derived fields', async () => {
    const at = minutesAgo(45);
    const input = makeReport({ observedAt: isoWithOffset(at, 180), observedUntil: isoWithOffset(at + 120_000, -240), count: 110, countApprox: true });
    const before = Date.now();
    const res = await post(input);
    expect(res.status).toBe(201);
    const report = res.body.report;
    expect(report).toMatchObject({
      id: input.id,
      category: input.category,
      method: input.method,
      location: input.location,
      count: 110,
      countApprox: true,
      countUnit: 'explosions',
      confidence: 'medium',
      status: 'pending',
      locationMethod: 'direct',
      uncertaintyM: input.location!.accuracyM,
      reporter: { id: monitor.user.id, username: monitor.user.username },
      areaId: expect.any(String),
      incidentId: expect.any(String),
      seq: expect.any(Number),
    });
    expect(Date.parse(report.observedAt)).toBe(at);
    expect(report.observedAt).toMatch(/Z$/);
    expect(Date.parse(report.observedUntil!)).toBe(at + 120_000);
    expect(report.observedUntil).toMatch(/Z$/);
    expect(report.receivedAt).toMatch(/Z$/);
    expect(Date.parse(report.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(report.receivedAt)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('gives every new report a larger seq than the last', async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) seqs.push((await post(makeReport())).body.report.seq);
    const viaSocket = await emitAck(socket, 'report:submit', makeReport());
    if (viaSocket.ok) seqs.push(viaSocket.report.seq);
    expect(seqs).toHaveLength(4);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(4);
  });

  it('stores a correction as a new report that supersedes the original, whose content stays as it was', async () => {
    const original = (await post(makeReport({ count: 3 }))).body.report;
    const correction = makeReport({ count: 30, supersedes: original.id });
    const res = await post(correction);
    expect(res.status).toBe(201);
    expect(res.body.report).toMatchObject({ id: correction.id, supersedes: original.id, count: 30 });
    const stillThere = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${original.id}`, { token: monitor.token });
    // Only what being superseded changes (issue 10): it leaves its incident, under a new seq.
    const { incidentId: _incident, seq: _seq, ...content } = original;
    expect(stillThere.body.report).toEqual({ ...content, incidentId: null, supersededBy: correction.id, seq: expect.any(Number) });
    expect(stillThere.body.report.seq).toBeGreaterThan(original.seq);
  });

  it("refuses to supersede an unknown report or another account's report", async () => {
    expectHttpError(await post(makeReport({ supersedes: makeReport().id })), 'invalid');
    const theirs = (await post(makeReport(), other.token)).body.report;
    const res = await post(makeReport({ supersedes: theirs.id }));
    expectHttpError(res, 'invalid');
  });

  it("answers superseding another account's report exactly as superseding an unknown id, over REST and socket", async () => {
    const theirs = (await post(makeReport(), other.token)).body.report;
    const unknown = makeReport().id;
    const overRest = await Promise.all([theirs.id, unknown].map(async (target) => (await post(makeReport({ supersedes: target }))).body));
    expect(JSON.stringify(overRest[0])).toBe(JSON.stringify(overRest[1]));
    const overSocket = await Promise.all([theirs.id, unknown].map((target) => emitAck(socket, 'report:submit', makeReport({ supersedes: target }))));
    expectAckError(overSocket[0], 'invalid');
    expect(JSON.stringify(overSocket[0])).toBe(JSON.stringify(overSocket[1]));
  });

  it('refuses a reports:submit batch of more than 100 reports as a whole, and stores none of it', async () => {
    const batch = Array.from({ length: 101 }, () => makeReport());
    const ack = await emitAck(socket, 'reports:submit', batch);
    expectAckError(ack, 'too_large');
    expect((await api(server.url, 'GET', `/api/reports/${batch[0]!.id}`, { token: monitor.token })).status).toBe(404);
  });

  it('accepts a batch of exactly 100 reports', async () => {
    const batch = Array.from({ length: 100 }, () => makeReport({ category: 'drone_sighting' }));
    const ack = await emitAck(socket, 'reports:submit', batch);
    expect('results' in ack && ack.results.every((r) => r.ok && !r.duplicate)).toBe(true);
  });

  it('answers a reports:submit that is not an array with invalid', async () => {
    const ack = await emitAck(socket, 'reports:submit', makeReport() as unknown as Parameters<typeof emitAck<'reports:submit'>>[2]);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
