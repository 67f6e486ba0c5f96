import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage, Report } from '@truceline/shared';
import { entryHash } from '../../server/src/audit/canonical.js';
import { DATABASE_FILE } from '../../server/src/storage/sqlite/sqlite-store.js';
import { api, createUsers, login, startServer, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { assertBuilt, runCli, startProcess } from './spawn.js';

// `pnpm audit:verify` as an operator runs it, on a database a server wrote, before and after
// someone rewrites history with plain SQL.
describe('pnpm audit:verify', () => {
  beforeAll(() => assertBuilt());

  async function databaseWithHistory(): Promise<{ dataDir: string; file: string; page: AuditPage }> {
    const server = await startServer();
    try {
      const [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
      const posted = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport() });
      const id = posted.body.report.id;
      for (const [status, note] of [['verified', 'Seen from post 4'], ['rejected', 'Quarry blast'], ['pending', undefined]] as const) {
        const res = await api(server.url, 'PATCH', `/api/reports/${id}`, { token: coordinator.token, body: { status, ...(note ? { note } : {}) } });
        expect(res.status).toBe(200);
      }
      const page = (await api<AuditPage>(server.url, 'GET', '/api/audit?limit=1000', { token: server.adminToken })).body;
      return { dataDir: server.dataDir, file: path.join(server.dataDir, DATABASE_FILE), page };
    } finally {
      await server.close();
    }
  }

  it('prints the head of an intact chain, from DATA_DIR or from a path', async () => {
    const { dataDir, file, page } = await databaseWithHistory();
    const last = page.entries.at(-1);
    expect(page.entries.length).toBeGreaterThanOrEqual(4);
    const fromDataDir = await runCli(['audit-verify'], { DATA_DIR: dataDir }, '');
    expect(fromDataDir).toEqual({ code: 0, output: `audit chain verified: ${page.entries.length} entries; head seq ${last?.seq} hash ${last?.hash}\n` });
    expect((await runCli(['audit-verify', file], {}, '')).code).toBe(0);
  });

  it('fails naming the first entry whose row was edited with plain SQL', async () => {
    const { file, page } = await databaseWithHistory();
    const victim = page.entries.find((e) => e.note === 'Quarry blast');
    expect(victim).toBeDefined();
    const db = new Database(file);
    try {
      // The trigger refuses the edit; a tamperer with the file drops it first.
      expect(() => db.prepare("UPDATE audit SET note = 'Confirmed shelling' WHERE seq = ?").run(victim?.seq)).toThrow(/append-only/);
      db.exec('DROP TRIGGER audit_no_update');
      db.prepare("UPDATE audit SET note = 'Confirmed shelling' WHERE seq = ?").run(victim?.seq);
    } finally {
      db.close();
    }
    const result = await runCli(['audit-verify', file], {}, '');
    expect(result.code).toBe(1);
    expect(result.output).toContain(`audit chain broken at entry ${victim?.seq}: hash does not match the entry`);
  });

  it('fails naming the next entry when an edited entry got a recomputed hash (its successor no longer links)', async () => {
    const { file, page } = await databaseWithHistory();
    const index = page.entries.findIndex((e) => e.note === 'Seen from post 4');
    const edited = page.entries[index] as AuditEntry;
    const next = page.entries[index + 1] as AuditEntry;
    const { hash: _old, ...rest } = { ...edited, note: 'Not seen at all' };
    const db = new Database(file);
    try {
      db.exec('DROP TRIGGER audit_no_update');
      db.prepare('UPDATE audit SET note = ?, hash = ? WHERE seq = ?').run(rest.note, entryHash(rest), edited.seq);
    } finally {
      db.close();
    }
    const result = await runCli(['audit-verify', file], {}, '');
    expect(result.code).toBe(1);
    expect(result.output).toContain(`audit chain broken at entry ${next.seq}: prevHash is not the hash of the entry before`);
  });

  it('fails naming the entry after a removed one', async () => {
    const { file, page } = await databaseWithHistory();
    const [first, second, third] = page.entries;
    const db = new Database(file);
    try {
      db.exec('DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update');
      db.prepare('DELETE FROM audit WHERE seq = ?').run(second?.seq);
    } finally {
      db.close();
    }
    const removed = await runCli(['audit-verify', file], {}, '');
    expect(removed.code).toBe(1);
    expect(removed.output).toContain(`audit chain broken at entry ${third?.seq}: expected entry ${second?.seq} here`);
    expect(first?.seq).toBe(1);
  });

  it('the server logs the head at shutdown, the same one audit:verify prints', async () => {
    const dataDir = tempDataDir();
    const server = await startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123', LOG_LEVEL: 'info' });
    await login(server.url, 'admin', 'admin-password-123');
    expect(await server.stop()).toBe(0);
    const line = server.output().split('\n').find((l) => l.includes('"msg":"audit head"'));
    expect(line, server.output()).toBeDefined();
    const logged = JSON.parse(line as string) as { auditHead: { seq: number; hash: string }; when: string };
    expect(logged).toMatchObject({ when: 'shutdown', auditHead: { seq: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const verified = await runCli(['audit-verify'], { DATA_DIR: dataDir }, '');
    expect(verified.output).toBe(`audit chain verified: 2 entries; head seq 2 hash ${logged.auditHead.hash}\n`);
  });

  it('exits 2 when the file does not exist', async () => {
    const result = await runCli(['audit-verify', '/nonexistent/truceline.sqlite'], {}, '');
    expect(result.code).toBe(2);
    expect(result.output).toContain('cannot open /nonexistent/truceline.sqlite');
  });
});
