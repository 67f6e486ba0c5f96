import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';


describe('reviewing reports', () => {
  let server: TestServer;
  let reporter: Account;
  let bystander: Account;
  let coordinator: Account;
  const sockets: ClientSocket[] = [];
  let updatesAtReporter: ReturnType<typeof collect<'report:updated'>>;
  let updatesAtBystander: ReturnType<typeof collect<'report:updated'>>;
  let updatesAtCoordinator: ReturnType<typeof collect<'report:updated'>>;

  beforeAll(async () => {
    server = await startServer();
    [reporter, bystander, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    const watch = async (account: Account, keep: (c: typeof updatesAtReporter) => void) =>
      sockets.push((await connect(server.url, account.token, (s) => keep(collect(s, 'report:updated')))).socket);
    await watch(reporter, (c) => (updatesAtReporter = c));
    await watch(bystander, (c) => (updatesAtBystander = c));
    await watch(coordinator, (c) => (updatesAtCoordinator = c));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  async function stored(): Promise<Report> {
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: reporter.token, body: makeReport() });
    expect(res.status).toBe(201);
    return res.body.report;
  }
  const review = (id: string, body: unknown, token = coordinator.token) =>
    api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${id}`, { token, body });

  it('sets the status, bumps seq, and sends report:updated to everyone', async () => {
    const report = await stored();
    const res = await review(report.id, { status: 'verified', note: 'Matches two other reports and a crater photo.' });
    expect(res.status).toBe(200);
    expect(res.body.report).toMatchObject({ id: report.id, status: 'verified', observedAt: report.observedAt, location: report.location });
    expect(res.body.report.seq).toBeGreaterThan(report.seq);
    for (const updates of [updatesAtReporter, updatesAtBystander, updatesAtCoordinator]) {
      const update = await updates.until((r) => r.id === report.id);
      expect(update).toMatchObject({ status: 'verified', seq: res.body.report.seq });
    }
    const read = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${report.id}`, { token: coordinator.token });
    expect(read.body.report).toEqual(res.body.report);
  });

  it('is open to admins too', async () => {
    const report = await stored();
    expect((await review(report.id, { status: 'rejected', note: 'Duplicate.' }, server.adminToken)).body.report.status).toBe('rejected');
  });

  it('answers the status a report already has with 200 and its unchanged state, and broadcasts nothing', async () => {
    const report = await stored();
    const first = await review(report.id, { status: 'verified' });
    await updatesAtBystander.until((r) => r.id === report.id);

    const again = await review(report.id, { status: 'verified' });
    expect(again.status).toBe(200);
    expect(again.body.report).toEqual(first.body.report);
    const pendingAgain = await stored();
    expect((await review(pendingAgain.id, { status: 'pending' })).body.report.seq).toBe(pendingAgain.seq);

    // Updates on one socket arrive in commit order: once a later review's update is in, any for the no-ops would be too.
    const marker = await stored();
    expect((await review(marker.id, { status: 'verified' })).status).toBe(200);
    await updatesAtBystander.until((r) => r.id === marker.id);
    expect(updatesAtBystander.seen.filter((r) => r.id === report.id)).toHaveLength(1);
    expect(updatesAtBystander.seen.filter((r) => r.id === pendingAgain.id)).toHaveLength(0);
  });

  it('refuses a stale expectedSeq with 409 and accepts the current one', async () => {
    const report = await stored();
    const first = await review(report.id, { status: 'verified', expectedSeq: report.seq });
    expect(first.status).toBe(200);

    // A second coordinator decided on the state they loaded, which is no longer current.
    expectHttpError(await review(report.id, { status: 'rejected', note: 'Duplicate.', expectedSeq: report.seq }), 'conflict');
    const current = await api<{ report: Report }>(server.url, 'GET', `/api/reports/${report.id}`, { token: coordinator.token });
    expect(current.body.report.status).toBe('verified');

    const second = await review(report.id, { status: 'rejected', note: 'Duplicate.', expectedSeq: first.body.report.seq });
    expect(second.status).toBe(200);
    expect(second.body.report.status).toBe('rejected');
  });

  it.each([
    ['an unknown id', makeReport().id],
    ['a malformed id', 'not-a-report'],
    ['an id with SQL in it', "1' OR '1'='1"],
  ])('answers a review of %s with 404', async (_name, id) => {
    expectHttpError(await review(encodeURIComponent(id), { status: 'verified' }), 'not_found');
    expectHttpError(await api(server.url, 'GET', `/api/reports/${encodeURIComponent(id)}`, { token: coordinator.token }), 'not_found');
  });

  it.each([
    ['an unknown status', { status: 'approved' }],
    ['no status', { note: 'looks fine' }],
    ['an unknown field', { status: 'verified', category: 'other' }],
    ['a fractional expectedSeq', { status: 'verified', expectedSeq: 1.5 }],
    ['a note over 2000 characters', { status: 'verified', note: 'x'.repeat(2001) }],
  ])('refuses a review with %s as invalid', async (_name, body) => {
    const report = await stored();
    expectHttpError(await review(report.id, body), 'invalid');
  });
});
