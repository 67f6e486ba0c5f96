import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, scaleOutAvailable } from '../../../../tests/support/scale-out-env.js';
import { BackupError } from '../backup-file.js';
import { backupPostgres } from './backup.js';
import { TEST_REPORTER_ID, normalisedReport } from '../test-batches.js';
import { PostgresStore } from './postgres-store.js';

const USER = TEST_REPORTER_ID;

describe.runIf(scaleOutAvailable({ postgres: true }))('pnpm backup with PostgreSQL', () => {
  let source: { url: string; drop: () => Promise<void> };
  let restored: { url: string; drop: () => Promise<void> } | undefined;
  let dir: string;
  let store: PostgresStore;

  beforeEach(async () => {
    source = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-pgbackup-'));
    store = await PostgresStore.open(source.url);
    await store.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 }, [
      { atMs: 1, actor: null, action: 'user.create', target: { type: 'user', id: USER }, after: { username: 'alice', role: 'monitor' } },
    ]);
    const batch = { statusChanges: [], incidentMoves: [], incidents: [], tombstones: [], areas: [], supersessions: [], audit: [] };
    await store.commit({ ...batch, newReports: [normalisedReport(), normalisedReport(), normalisedReport()] });
  });
  afterEach(async () => {
    await store.close();
    await source.drop();
    await restored?.drop();
    restored = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a verified dump that restores to the same reports, watermark and audit chain', async () => {
    const made = await backupPostgres(source.url, `${dir}/`);
    expect(made).toMatchObject({ reports: 3, schemaVersion: 1, audit: { entries: 1 } });
    expect(path.dirname(made.path)).toBe(dir);
    expect(fs.statSync(made.path).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([path.basename(made.path)]);

    // The restore docs/postgres.md gives: an empty database, pg_restore --no-owner.
    restored = await freshDatabase();
    execFileSync('pg_restore', ['--exit-on-error', '--no-owner', `--dbname=${restored.url}`, made.path]);
    const copy = await PostgresStore.open(restored.url);
    try {
      expect(await copy.lastSeq()).toBe(3);
      expect(await copy.reportsAfterSeq(0, 10)).toEqual(await store.reportsAfterSeq(0, 10));
      expect(await copy.auditHead()).toEqual(await store.auditHead());
    } finally {
      await copy.close();
    }
  });

  it('refuses a database whose audit log was rewritten, and leaves no file', async () => {
    const admin = new pg.Client({ connectionString: source.url });
    await admin.connect();
    try {
      // Only a superuser going around the triggers can do this; the backup must notice.
      await admin.query('ALTER TABLE audit DISABLE TRIGGER USER');
      await admin.query("UPDATE audit SET note = 'rewritten' WHERE seq = 1");
    } finally {
      await admin.end();
    }
    const dest = path.join(dir, 'copy.pgdump');
    await expect(backupPostgres(source.url, dest)).rejects.toThrow(BackupError);
    await expect(backupPostgres(source.url, dest)).rejects.toThrow(/audit chain broken at entry 1/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
