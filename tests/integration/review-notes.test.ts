import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, SyncResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';

// Issue 11: a rejection says why, and the reporter reads it on their own report.
describe('review notes', () => {
  let server: TestServer;
  let reporter: Account;
  let bystander: Account;
  let coordinator: Account;
  const sockets: ClientSocket[] = [];
  let updatesAtReporter: ReturnType<typeof collect<'report:updated'>>;
  let updatesAtBystander: ReturnType<typeof collect<'report:updated'>>;
  let updatesAtCoordinator: ReturnType<typeof collect<'report:updated'>>;
  let commitsAtReporter: ReturnType<typeof collect<'commit:own'>>;
  let commitsAtBystander: ReturnType<typeof collect<'commit'>>;

  beforeAll(async () => {
    server = await startServer();
    [reporter, bystander, coordinator] = await createUsers(server, ['monitor', 'monitor', 'coordinator'] as const);
    const watch = async (account: Account, keep: (s: ClientSocket) => void, live?: string) =>
      sockets.push((await connect(server.url, account.token, keep, live ? { auth: { token: account.token, live } } : {})).socket);
    await watch(reporter, (s) => (updatesAtReporter = collect(s, 'report:updated')));
    await watch(bystander, (s) => (updatesAtBystander = collect(s, 'report:updated')));
    await watch(coordinator, (s) => (updatesAtCoordinator = collect(s, 'report:updated')));
    // The web client's live format: one `commit` per audience, the reporter's own in `commit:own`.
    await watch(reporter, (s) => (commitsAtReporter = collect(s, 'commit:own')), 'commit');
    await watch(bystander, (s) => (commitsAtBystander = collect(s, 'commit')), 'commit');
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
  const review = (id: string, body: unknown) => api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${id}`, { token: coordinator.token, body });
  const read = async (id: string, token: string) => (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${id}`, { token })).body.report;

  it.each([
    ['no note', { status: 'rejected' }],
    ['an empty note', { status: 'rejected', note: '' }],
    ['a blank note', { status: 'rejected', note: ' \n\t ' }],
  ])('refuses a rejection with %s as invalid, naming the note, and leaves the report as it was', async (_name, body) => {
    const report = await stored();
    const res = await review(report.id, body);
    expectHttpError(res, 'invalid');
    const { error } = res.body as unknown as { error: { message: string; issues?: { path: string }[] } };
    expect(error.issues?.map((i) => i.path)).toEqual(['note']);
    expect(error.message).toMatch(/note/);
    const after = await read(report.id, coordinator.token);
    expect(after).toMatchObject({ status: 'pending', seq: report.seq });
    expect(after).not.toHaveProperty('review');
  });

  it('carries the trimmed note and the time of a rejection on the report, to the reporter and coordinators only', async () => {
    const report = await stored();
    const before = Date.now();
    const res = await review(report.id, { status: 'rejected', note: '  Same explosion as the 14:02 report.\n' });
    expect(res.status).toBe(200);
    const rejected = res.body.report;
    expect(rejected).toMatchObject({ status: 'rejected', review: { note: 'Same explosion as the 14:02 report.' } });
    const at = Date.parse(rejected.review?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    // The review names no reviewer: not even the reporter learns which coordinator it was.
    expect(Object.keys(rejected.review ?? {}).sort()).toEqual(['at', 'note']);

    for (const updates of [updatesAtReporter, updatesAtCoordinator]) {
      expect(await updates.until((r) => r.id === report.id)).toEqual(rejected);
    }
    const own = await commitsAtReporter.until((c) => (c.updated ?? []).some((r) => r.id === report.id));
    expect(own.updated?.find((r) => r.id === report.id)).toEqual(rejected);

    // Another monitor learns the status, not the note meant for the reporter.
    const atBystander = await updatesAtBystander.until((r) => r.id === report.id);
    expect(atBystander).toMatchObject({ status: 'rejected', seq: rejected.seq });
    expect(atBystander).not.toHaveProperty('review');
    const commit = await commitsAtBystander.until((c) => (c.updated ?? []).some((r) => r.id === report.id));
    expect(commit.updated?.find((r) => r.id === report.id)).not.toHaveProperty('review');

    expect((await read(report.id, reporter.token)).review).toEqual(rejected.review);
    expect(await read(report.id, bystander.token)).not.toHaveProperty('review');
  });

  it('gives the review in GET /api/sync to the reporter and coordinators, not to other monitors', async () => {
    const report = await stored();
    const rejected = (await review(report.id, { status: 'rejected', note: 'Thunder, not artillery.' })).body.report;
    const sync = async (token: string) => {
      const res = await api<SyncResponse>(server.url, 'GET', `/api/sync?afterSeq=${report.seq}&limit=10000`, { token });
      expect(res.status).toBe(200);
      return res.body.reports.find((r) => r.id === report.id);
    };
    expect(await sync(coordinator.token)).toEqual(rejected);
    expect((await sync(reporter.token))?.review).toEqual({ at: rejected.review?.at, note: 'Thunder, not artillery.' });
    const atBystander = await sync(bystander.token);
    expect(atBystander?.status).toBe('rejected');
    expect(atBystander).not.toHaveProperty('review');
  });

  it('takes an optional note on verifying, and keeps only the latest review', async () => {
    const plain = await stored();
    const verified = (await review(plain.id, { status: 'verified', note: '   ' })).body.report;
    expect(verified.status).toBe('verified');
    expect(verified.review).toEqual({ at: expect.any(String) as unknown as string });

    const report = await stored();
    expect((await review(report.id, { status: 'rejected', note: 'Looks like a duplicate.' })).status).toBe(200);
    const reopened = (await review(report.id, { status: 'verified', note: 'Not a duplicate: a second strike.' })).body.report;
    expect(reopened).toMatchObject({ status: 'verified', review: { note: 'Not a duplicate: a second strike.' } });
    const cleared = (await review(report.id, { status: 'pending' })).body.report;
    expect(cleared.review).not.toHaveProperty('note');
    expect(await read(report.id, coordinator.token)).toEqual(cleared);
  });

  it('exports the latest note and its time', async () => {
    const untouched = await stored();
    const report = await stored();
    const rejected = (await review(report.id, { status: 'rejected', note: 'Outside the mission area.' })).body.report;
    const res = await api<{ features: { id: string; properties: Record<string, unknown> }[] }>(server.url, 'GET', '/api/export.geojson', { token: coordinator.token });
    expect(res.status).toBe(200);
    const feature = res.body.features.find((f) => f.id === report.id);
    expect(feature?.properties).toMatchObject({ reviewNote: 'Outside the mission area.', reviewedAt: rejected.review?.at });
    expect(res.body.features.find((f) => f.id === untouched.id)?.properties).toMatchObject({ reviewNote: null, reviewedAt: null });
  });
});
