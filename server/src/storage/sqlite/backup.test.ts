import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError } from '../backup-file.js';
import { backupDatabase, verifyBackup } from './backup.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

describe('backupDatabase', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-backup-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a verified copy, and verifyBackup refuses a copy whose pages are damaged', async () => {
    const dataDir = tempDir();
    const store = SqliteStore.open(dataDir);
    // Enough rows for several pages, so damage past the header lands in table data.
    const db = new Database(path.join(dataDir, 'truceline.sqlite'));
    db.exec(`CREATE TABLE filler (x TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO filler SELECT hex(randomblob(200)) FROM n`);
    db.close();
    await store.close();

    const made = await backupDatabase(dataDir, path.join(tempDir(), 'copy.sqlite'));
    expect(made).toMatchObject({ reports: 0, schemaVersion: MIGRATIONS.length });
    expect(fs.statSync(made.path).size).toBe(made.bytes);

    const bytes = fs.readFileSync(made.path);
    // Scribble over the second half of the file (its header, page 1, stays intact, so it opens).
    bytes.fill(0x5a, Math.floor(bytes.length / 2), bytes.length - 4096);
    const damaged = path.join(path.dirname(made.path), 'damaged.sqlite');
    fs.writeFileSync(damaged, bytes);
    const copy = new Database(damaged, { readonly: true });
    try {
      expect(() => verifyBackup(copy)).toThrow(BackupError);
    } finally {
      copy.close();
    }
  });

  it('refuses a copy whose audit chain was rewritten, naming the entry', async () => {
    const dataDir = tempDir();
    const store = SqliteStore.open(dataDir);
    await store.close();
    const db = new Database(path.join(dataDir, 'truceline.sqlite'));
    const entries = (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
    const made = await backupDatabase(dataDir, path.join(tempDir(), 'intact.sqlite'));
    expect(made.audit.entries).toBe(entries);

    // Appending is what the database allows: an entry forged by someone with the file, whose
    // hash does not follow from its content.
    db.prepare('INSERT INTO audit (seq, at, action, target_type, target_id, prev_hash, hash) SELECT 1 + COALESCE(MAX(seq), 0), ?, ?, ?, ?, ?, ? FROM audit').run(
      '2026-12-01T00:00:00.000Z',
      'user.create',
      'user',
      'forged',
      (db.prepare('SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? '0'.repeat(64),
      'f'.repeat(64),
    );
    db.close();
    await expect(backupDatabase(dataDir, path.join(tempDir(), 'forged.sqlite'))).rejects.toThrow(/audit chain broken at entry/);
  });
});
