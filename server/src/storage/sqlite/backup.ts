import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from './sqlite-store.js';
import { MIGRATIONS } from './migrations.js';
import { BackupError, backupTarget, keepIfVerified } from '../backup-file.js';
import { verifyAuditChain } from '../../audit/verify.js';

export interface BackupResult extends VerifiedCopy {
  path: string;
  bytes: number;
}


/**
 * Checks an opened copy before it is kept: SQLite's own `integrity_check`, the schema it was
 * made by, its reports counted, and its audit chain recomputed. This is the one place every check of a copy goes; the
 * audit log's hash chain will be recomputed here too.
 */
export interface VerifiedCopy {
  reports: number;
  schemaVersion: number;
  /** The audit log's entries and head, recomputed in the copy (docs/audit.md). */
  audit: { entries: number; head: { seq: number; hash: string } | null };
}

export function verifyBackup(db: Database.Database): VerifiedCopy {
  try {
    return checkCopy(db);
  } catch (error) {
    // SQLite may throw on a damaged page before integrity_check can report it.
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the copy does not read back: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkCopy(db: Database.Database): VerifiedCopy {
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
    throw new BackupError(`integrity_check failed: ${integrity.map((r) => r.integrity_check).slice(0, 5).join('; ')}`);
  }
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  if (schemaVersion < 1 || schemaVersion > MIGRATIONS.length) throw new BackupError(`schema version ${schemaVersion} is not one this build knows`);
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number };
  // A copy whose history was rewritten is no backup: the chain is checked like `pnpm audit:verify`.
  const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
  if (!hasLog) return { reports: n, schemaVersion, audit: { entries: 0, head: null } };
  const chain = verifyAuditChain(db);
  if (!chain.ok) throw new BackupError(`audit chain broken at entry ${chain.seq}: ${chain.reason}`);
  return { reports: n, schemaVersion, audit: { entries: chain.entries, head: chain.head } };
}

/**
 * A consistent copy of the database in `dataDir` while the server may be writing it, with
 * SQLite's online backup API. It copies in one step, so the copy is one snapshot rather than
 * restarting each time a commit lands mid-copy; it is written beside the destination, verified,
 * and only then renamed into place, so a failed backup leaves no file that looks whole.
 */
export async function backupDatabase(dataDir: string, dest: string): Promise<BackupResult> {
  const source = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(source)) throw new BackupError(`no database at ${source} (is DATA_DIR right?)`);
  const { target, partial } = backupTarget(dest, 'sqlite');
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
  return keepIfVerified(partial, target, () => {
    const copy = new Database(partial, { readonly: true, fileMustExist: true });
    try {
      return verifyBackup(copy);
    } finally {
      copy.close();
    }
  });
}
