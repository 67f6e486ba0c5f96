import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ReportInputDraft } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectAckError, expectHttpError } from '../support/errors.js';
import { isoSeconds, isoWithOffset, minutesAgo } from '../support/time.js';


describe('idempotent submission', () => {
  let server: TestServer;
  let reporter: Account;
  let other: Account;
  let reporterSocket: ClientSocket;
  let watcher: ClientSocket;

  beforeAll(async () => {
    server = await startServer();
    [reporter, other] = await createUsers(server, ['monitor', 'monitor'] as const);
    const [watcherAccount] = await createUsers(server, ['coordinator'] as const);
    reporterSocket = (await connect(server.url, reporter.token)).socket;
    watcher = (await connect(server.url, watcherAccount.token)).socket;
  });
  afterAll(async () => {
    reporterSocket.close();
    watcher.close();
    await server.close();
  });

  const post = (token: string, body: unknown) => api<{ report: Report }>(server.url, 'POST', '/api/reports', { token, body });

  /**
   * Submits a fresh report and waits until the watcher has it. Live events on one socket
   * arrive in commit order, so anything a replay had broadcast would have arrived before it.
   */
  async function barrier(seen: ReturnType<typeof collect<'reports:new'>>): Promise<void> {
    const marker = makeReport({ category: 'other' });
    expect((await post(reporter.token, marker)).status).toBe(201);
    await seen.until((batch) => batch.some((r) => r.id === marker.id));
  }

  const timesSeen = (seen: ReturnType<typeof collect<'reports:new'>>, id: string) => seen.seen.flat().filter((r) => r.id === id).length;

  it('answers a REST replay with 200 and the stored report, and broadcasts nothing', async () => {
    const seen = collect(watcher, 'reports:new');
    const input = makeReport();
    const first = await post(reporter.token, input);
    expect(first.status).toBe(201);

    const replay = await post(reporter.token, input);
    expect(replay.status).toBe(200);
    expect(replay.body.report).toEqual(first.body.report);

    await barrier(seen);
    expect(timesSeen(seen, input.id)).toBe(1);
  });

  it('acks a socket replay with duplicate: true and the stored report, and broadcasts nothing', async () => {
    const seen = collect(watcher, 'reports:new');
    const input = makeReport();
    const first = await emitAck(reporterSocket, 'report:submit', input);
    expect(first).toMatchObject({ ok: true, duplicate: false });

    const again = await emitAck(reporterSocket, 'report:submit', input);
    expect(again).toEqual({ ok: true, duplicate: true, report: first.ok ? first.report : undefined });
    // The replay may come over the other transport too (an outbox retrying by REST).
    const viaRest = await post(reporter.token, input);
    expect(viaRest.status).toBe(200);

    await barrier(seen);
    expect(timesSeen(seen, input.id)).toBe(1);
  });

  it('treats reordered keys, another offset for the same instant, id case and explicit defaults as the same content', async () => {
    const at = minutesAgo(30);
    const input: ReportInputDraft = makeReport({ observedAt: isoWithOffset(at, 120), observedUntil: isoWithOffset(at + 60_000, -330) });
    expect((await post(reporter.token, input)).status).toBe(201);

    const reordered = Object.fromEntries(Object.entries(input).reverse()) as ReportInputDraft;
    const location = input.location!;
    const variants: ReportInputDraft[] = [
      reordered,
      { ...input, observedAt: isoSeconds(at), observedUntil: isoSeconds(at + 60_000) },
      { ...input, observedAt: new Date(at).toISOString() },
      { ...input, id: input.id.toUpperCase() },
      { ...input, countUnit: 'explosions', confidence: 'medium' },
      { ...input, location: { source: location.source, accuracyM: location.accuracyM, lat: location.lat, lon: location.lon } },
    ];
    for (const variant of variants) {
      const res = await post(reporter.token, variant);
      expect(res.status, JSON.stringify(variant)).toBe(200);
      expect(res.body.report.id).toBe(input.id);
    }
  });

  it('refuses the same id with different content with 409 conflict, over REST and socket, and keeps the original', async () => {
    const input = makeReport({ count: 3 });
    const first = await post(reporter.token, input);
    expect(first.status).toBe(201);

    expectHttpError(await post(reporter.token, { ...input, count: 4 }), 'conflict');
    expectHttpError(await post(reporter.token, { ...input, observedAt: isoSeconds(minutesAgo(2)) }), 'conflict');
    const ack = await emitAck(reporterSocket, 'report:submit', { ...input, description: 'changed my mind' });
    expectAckError(ack, 'conflict');

    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${input.id}`, { token: reporter.token });
    expect(stored.body.report).toEqual(first.body.report);
  });

  it('refuses the same id from another account with 409, even with identical content, and broadcasts nothing', async () => {
    const seen = collect(watcher, 'reports:new');
    const input = makeReport();
    expect((await post(reporter.token, input)).status).toBe(201);

    expectHttpError(await post(other.token, input), 'conflict');
    const otherSocket = (await connect(server.url, other.token)).socket;
    try {
      const ack = await emitAck(otherSocket, 'report:submit', input);
      expect(ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      otherSocket.close();
    }

    await barrier(seen);
    expect(timesSeen(seen, input.id)).toBe(1);
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${input.id}`, { token: reporter.token });
    expect(stored.body.report.reporter?.id).toBe(reporter.user.id);
  });

  it("answers an id of another account's report exactly as its own author's changed resubmission", async () => {
    const input = makeReport({ count: 3 });
    expect((await post(reporter.token, input)).status).toBe(201);
    const fromOther = await post(other.token, input);
    const changedByAuthor = await post(reporter.token, { ...input, count: 4 });
    expectHttpError(fromOther, 'conflict');
    expect(JSON.stringify(fromOther.body)).toBe(JSON.stringify(changedByAuthor.body));
  });

  it('stores a report raced in over REST, a socket and a batch at once exactly once, and broadcasts it once', async () => {
    const seen = collect(watcher, 'reports:new');
    const inputs = Array.from({ length: 4 }, () => makeReport());
    const outcomes = await Promise.all(
      inputs.flatMap((input) => [
        post(reporter.token, input).then((res) => ({ id: input.id, fresh: res.status === 201, ok: res.status < 300, report: res.body.report })),
        emitAck(reporterSocket, 'report:submit', input).then((ack) => ({
          id: input.id,
          fresh: ack.ok && !ack.duplicate,
          ok: ack.ok,
          report: ack.ok ? ack.report : undefined,
        })),
        emitAck(reporterSocket, 'reports:submit', [input]).then((ack) => {
          const result = 'results' in ack ? ack.results[0] : undefined;
          return { id: input.id, fresh: result?.ok === true && !result.duplicate, ok: result?.ok === true, report: result?.ok ? result.report : undefined };
        }),
      ]),
    );
    for (const input of inputs) {
      const mine = outcomes.filter((o) => o.id === input.id);
      expect(mine.every((o) => o.ok)).toBe(true);
      expect(mine.filter((o) => o.fresh)).toHaveLength(1);
      expect(new Set(mine.map((o) => o.report?.seq)).size).toBe(1);
    }
    await barrier(seen);
    for (const input of inputs) expect(timesSeen(seen, input.id)).toBe(1);
  });

  it('gives a report id raced in by two accounts at once to one of them, and 409 to the other', async () => {
    const input = makeReport();
    const [mine, theirs] = await Promise.all([post(reporter.token, input), post(other.token, input)]);
    expect([mine.status, theirs.status].sort()).toEqual([201, 409]);
    const winner = mine.status === 201 ? reporter : other;
    const stored = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${input.id}`, { token: winner.token });
    expect(stored.body.report.reporter?.id).toBe(winner.user.id);
  });

  it('answers a reports:submit batch item by item, in input order', async () => {
    const stored = makeReport();
    expect((await post(reporter.token, stored)).status).toBe(201);
    const fresh = makeReport();
    const invalid = { ...makeReport(), location: { lon: 181, lat: 48 } };
    const conflicting = { ...stored, count: 7 };
    const later = makeReport({ category: 'explosion' });

    const ack = await emitAck(reporterSocket, 'reports:submit', [fresh, invalid, stored, conflicting, later, fresh]);
    expect('results' in ack).toBe(true);
    const { results } = ack as { results: Extract<typeof ack, { results: unknown }>['results'] };
    expect(results.map((r) => (r.ok ? `ok:${r.report.id}:${r.duplicate}` : `error:${r.id}:${r.error.code}`))).toEqual([
      `ok:${fresh.id}:false`,
      `error:${invalid.id}:invalid`,
      `ok:${stored.id}:true`,
      `error:${stored.id}:conflict`,
      `ok:${later.id}:false`,
      // The same id twice in one batch is stored once; the second copy is a replay.
      `ok:${fresh.id}:true`,
    ]);
    const [freshResult, , , , laterResult, replayResult] = results;
    if (freshResult?.ok && laterResult?.ok && replayResult?.ok) {
      expect(laterResult.report.seq).toBeGreaterThan(freshResult.report.seq);
      expect(replayResult.report).toEqual(freshResult.report);
    }
    const missing = await api(server.url, 'GET', `/api/reports/${invalid.id}`, { token: reporter.token });
    expect(missing.status).toBe(404);
  });
});
