import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage, Report, ReportHistoryResponse } from '@truceline/shared';
import { verifyAuditChain } from '../../server/src/audit/verify.js';
import { DATABASE_FILE } from '../../server/src/storage/sqlite/sqlite-store.js';
import { type TestAccount as Account, type TestServer, api, createUser, createUsers, login, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { expectHttpError } from '../support/errors.js';

// Issue 12 §1: every review, account change, session end, export and sign-in leaves an entry in
// a hash-chained log that the database refuses to change.
describe('audit log', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(() => server.close());

  const audit = (token: string, query = '') => api<AuditPage>(server.url, 'GET', `/api/audit${query}`, { token });
  async function allEntries(): Promise<AuditEntry[]> {
    const res = await audit(server.adminToken, '?limit=1000');
    expect(res.status).toBe(200);
    return res.body.entries;
  }
  const newer = async (afterSeq: number) => (await allEntries()).filter((e) => e.seq > afterSeq);
  const head = async () => (await allEntries()).at(-1)?.seq ?? 0;
  async function stored(): Promise<Report> {
    const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport() });
    expect(res.status).toBe(201);
    return res.body.report;
  }
  const review = (id: string, body: unknown) => api<{ report: Report }>(server.url, 'PATCH', `/api/reports/${id}`, { token: coordinator.token, body });
  const actorOf = (a: Pick<Account, 'user'>) => ({ id: a.user.id, username: a.user.username });

  it('records each review with its note, and a return to pending as a reopening, chained in order', async () => {
    const report = await stored();
    const from = await head();
    expect((await review(report.id, { status: 'verified', note: 'Seen from two posts' })).status).toBe(200);
    expect((await review(report.id, { status: 'rejected', note: 'Same crater as the 05:02 report' })).status).toBe(200);
    expect((await review(report.id, { status: 'pending' })).status).toBe(200);
    // Setting the status it has changes nothing and records nothing.
    expect((await review(report.id, { status: 'pending' })).status).toBe(200);
    const entries = await newer(from);
    const target = { type: 'report', id: report.id };
    expect(entries).toMatchObject([
      { action: 'report.review', actor: actorOf(coordinator), target, before: { status: 'pending' }, after: { status: 'verified' }, note: 'Seen from two posts' },
      { action: 'report.review', target, before: { status: 'verified' }, after: { status: 'rejected' }, note: 'Same crater as the 05:02 report' },
      { action: 'report.reopen', target, before: { status: 'rejected' }, after: { status: 'pending' } },
    ]);
    expect(entries[2]).not.toHaveProperty('note');
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[2]?.prevHash).toBe(entries[1]?.hash);
    expect(entries.map((e) => e.seq)).toEqual([from + 1, from + 2, from + 3]);
  });

  it('records user creation, role change, disabling with the sessions it ended, enabling and a reset', async () => {
    const admin = actorOf(await login(server.url, 'admin', 'admin-password-for-tests'));
    const from = await head();
    const created = await createUser(server, 'monitor'); // signs in once: one live session
    const target = { type: 'user', id: created.user.id };
    const patch = (body: unknown) => api(server.url, 'PATCH', `/api/users/${created.user.id}`, { token: server.adminToken, body });
    expect((await patch({ role: 'coordinator' })).status).toBe(200);
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await patch({ disabled: false })).status).toBe(200);
    expect((await patch({ password: 'a-brand-new-password-7' })).status).toBe(200);
    const entries = (await newer(from)).filter((e) => e.target.id === created.user.id);
    expect(entries).toMatchObject([
      { action: 'user.create', actor: admin, target, after: { username: created.user.username, role: 'monitor' } },
      { action: 'auth.login', actor: actorOf(created), target },
      { action: 'user.role', actor: admin, target, before: { role: 'monitor' }, after: { role: 'coordinator' } },
      { action: 'user.disable', actor: admin, target, before: { disabled: false }, after: { disabled: true } },
      { action: 'session.revoke', actor: admin, target, after: { sessions: 1 } },
      { action: 'user.enable', actor: admin, target, before: { disabled: true }, after: { disabled: false } },
      // No live session was left to revoke after the reset, so no revocation entry.
      { action: 'user.password.reset', actor: admin, target },
    ]);
    expect(entries).toHaveLength(7);
    expect(JSON.stringify(entries)).not.toContain('a-brand-new-password-7');
  });

  it('records a sign-in with its address, and a failed one with no actor, the name tried and never the password', async () => {
    const from = await head();
    await login(server.url, monitor.user.username, monitor.password);
    const wrong = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'Nobody-Here', password: 'guessed-password-42' } });
    expectHttpError(wrong, 'unauthorized');
    const entries = await newer(from);
    expect(entries).toMatchObject([
      { action: 'auth.login', actor: actorOf(monitor), target: { type: 'user', id: monitor.user.id }, address: '127.0.0.1' },
      { action: 'auth.login_failed', actor: null, target: { type: 'username', id: 'Nobody-Here' }, address: '127.0.0.1' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('guessed-password-42');
  });

  it('records signing out, and a password change with the other sessions it ended', async () => {
    const account = await createUser(server, 'monitor');
    const second = await login(server.url, account.user.username, account.password);
    const from = await head();
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: second.token })).status).toBe(204);
    const third = await login(server.url, account.user.username, account.password);
    const changed = await api(server.url, 'POST', '/api/me/password', {
      token: account.token,
      body: { currentPassword: account.password, newPassword: 'another-long-password-8' },
    });
    expect(changed.status).toBe(204);
    expect((await api(server.url, 'GET', '/api/me', { token: third.token })).status).toBe(401);
    const me = actorOf(account);
    const target = { type: 'user', id: account.user.id };
    expect((await newer(from)).filter((e) => e.actor?.id === account.user.id)).toMatchObject([
      { action: 'session.revoke', actor: me, target: { type: 'session' } },
      { action: 'auth.login', actor: me, target },
      { action: 'user.password.change', actor: me, target },
      { action: 'session.revoke', actor: me, target, after: { sessions: 1 } },
    ]);
  });

  it('records an export with who, which filter and how many features', async () => {
    await stored();
    await stored();
    const res = await api<{ features: unknown[] }>(server.url, 'GET', '/api/export.geojson?status=pending,verified', {
      token: coordinator.token,
    });
    expect(res.status).toBe(200);
    const entry = (await allEntries()).at(-1);
    expect(entry).toMatchObject({
      action: 'export',
      actor: actorOf(coordinator),
      target: { type: 'export', id: 'geojson' },
      after: { filter: { status: 'pending,verified' }, features: res.body.features.length },
    });
    expect(res.body.features.length).toBeGreaterThanOrEqual(2);
  });

  it('shows coordinators review and export entries only, admins everything, and refuses monitors', async () => {
    const mine = await audit(coordinator.token, '?limit=1000');
    expect(mine.status).toBe(200);
    const actions = new Set(mine.body.entries.map((e) => e.action));
    expect([...actions].sort()).toEqual(['export', 'report.reopen', 'report.review']);
    const all = new Set((await allEntries()).map((e) => e.action));
    for (const a of ['user.create', 'auth.login', 'auth.login_failed', 'session.revoke', 'export', 'report.review']) expect(all).toContain(a);
    expectHttpError(await audit(coordinator.token, '?action=auth.login'), 'forbidden');
    expectHttpError(await audit(monitor.token), 'forbidden');
    expectHttpError(await api(server.url, 'GET', '/api/audit'), 'unauthorized');
  });

  it('refuses malformed query parameters with the contract error body', async () => {
    for (const q of ['?limit=0', '?limit=1001', '?afterSeq=-1', '?action=report.delete', '?targetId=', '?limit=2&limit=3', '?extra=1']) {
      expectHttpError(await audit(server.adminToken, q), 'invalid');
    }
  });

  it('pages oldest first with afterSeq and limit, and filters by action and target', async () => {
    const everything = await allEntries();
    const seen: AuditEntry[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await audit(server.adminToken, `?afterSeq=${afterSeq}&limit=3`);
      expect(page.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.entries);
      expect(page.body.lastSeq).toBe(page.body.entries.at(-1)?.seq ?? afterSeq);
      afterSeq = page.body.lastSeq;
      if (!page.body.hasMore) break;
    }
    expect(seen).toEqual(everything);
    const last = await audit(server.adminToken, `?afterSeq=${afterSeq}`);
    expect(last.body).toEqual({ entries: [], lastSeq: afterSeq, hasMore: false });
    const logins = await audit(server.adminToken, '?action=auth.login&limit=1000');
    expect(logins.body.entries.length).toBeGreaterThan(0);
    expect(logins.body.entries.every((e) => e.action === 'auth.login')).toBe(true);
    const aboutMonitor = await audit(server.adminToken, `?targetId=${monitor.user.id}&limit=1000`);
    expect(aboutMonitor.body.entries.length).toBeGreaterThan(0);
    expect(aboutMonitor.body.entries.every((e) => e.target.id === monitor.user.id)).toBe(true);
  });

  it('serves a report history: its reviews and notes, oldest first, to coordinators and admins', async () => {
    const report = await stored();
    const other = await stored();
    await review(report.id, { status: 'verified', note: 'Two posts heard it' });
    await review(other.id, { status: 'verified' });
    await review(report.id, { status: 'rejected', note: 'It was a quarry blast' });
    const history = (token: string, id = report.id) => api<ReportHistoryResponse>(server.url, 'GET', `/api/reports/${id}/history`, { token });
    const res = await history(coordinator.token);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e) => [e.action, e.after?.status, e.note, e.actor?.username])).toEqual([
      ['report.review', 'verified', 'Two posts heard it', coordinator.user.username],
      ['report.review', 'rejected', 'It was a quarry blast', coordinator.user.username],
    ]);
    expect((await history(server.adminToken)).body).toEqual(res.body);
    expect((await history(coordinator.token, (await stored()).id)).body).toEqual({ entries: [] });
    expectHttpError(await history(monitor.token), 'forbidden');
    expectHttpError(await history(coordinator.token, '01900000-0000-7000-8000-000000000000'), 'not_found');
    expectHttpError(await history(coordinator.token, 'not-a-uuid'), 'not_found');
  });

  it('is refused UPDATE and DELETE by the database itself, and its chain verifies', async () => {
    const db = new Database(path.join(server.dataDir, DATABASE_FILE));
    try {
      expect(() => db.prepare("UPDATE audit SET note = 'rewritten' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)').run()).toThrow(/append-only/);
      const check = verifyAuditChain(db);
      const entries = await allEntries();
      expect(check).toEqual({ ok: true, entries: entries.length, head: { seq: entries.at(-1)?.seq, hash: entries.at(-1)?.hash } });
    } finally {
      db.close();
    }
  });
});
