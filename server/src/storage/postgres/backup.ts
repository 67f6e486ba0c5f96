import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { BackupError, backupTarget, keepIfVerified } from '../backup-file.js';
import { PRIVATE_FILE_MODE } from '../sqlite/private-files.js';
import { hasPgAuditLog, verifyPgAuditChain } from './audit-verify.js';
import { PG_MIGRATIONS } from './schema.js';

const run = promisify(execFile);

export interface PgBackupResult {
  path: string;
  bytes: number;
  reports: number;
  schemaVersion: number;
  audit: { entries: number; head: { seq: number; hash: string } | null };
}

/**
 * The connection for `pg_dump` / `pg_restore`: the URL without its password (which would show in
 * the process list), the password in `PGPASSWORD`.
 */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function tool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new BackupError(`${command} is not installed (Debian: apt-get install postgresql-client-15)`);
    throw new BackupError(`${command} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/**
 * Restores the dump into a scratch database on the same server and checks it there like the
 * SQLite copy (`verifyBackup`): the schema version this build knows, the reports counted, the
 * audit chain recomputed. The scratch database is dropped whatever happens.
 */
async function verifyDump(url: string, file: string): Promise<Omit<PgBackupResult, 'path' | 'bytes'>> {
  const scratchName = `truceline_verify_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    try {
      await admin.query(`CREATE DATABASE ${scratchName}`);
    } catch (error) {
      throw new BackupError(`cannot create a scratch database to check the dump in (${(error as Error).message}); the account needs CREATEDB`);
    }
    try {
      const scratch = new URL(url);
      scratch.pathname = `/${scratchName}`;
      const conn = toolConnection(scratch.toString());
      await tool('pg_restore', ['--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${conn.dbname}`, file], conn.env);
      const client = new pg.Client({ connectionString: scratch.toString() });
      await client.connect();
      let schemaVersion: number;
      let reports: number;
      try {
        schemaVersion = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0]?.version ?? 0;
        reports = Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM reports')).rows[0]?.n ?? 0);
      } catch (error) {
        throw new BackupError(`the restored copy does not read back: ${(error as Error).message}`);
      } finally {
        await client.end();
      }
      if (schemaVersion < 1 || schemaVersion > PG_MIGRATIONS.length) throw new BackupError(`schema version ${schemaVersion} is not one this build knows`);
      if (!(await hasPgAuditLog(scratch.toString()))) return { reports, schemaVersion, audit: { entries: 0, head: null } };
      const chain = await verifyPgAuditChain(scratch.toString());
      if (!chain.ok) throw new BackupError(`audit chain broken at entry ${chain.seq}: ${chain.reason}`);
      return { reports, schemaVersion, audit: { entries: chain.entries, head: chain.head } };
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`).catch(() => undefined);
    }
  } finally {
    await admin.end();
  }
}

/**
 * `pnpm backup` with `DATABASE_URL`: `pg_dump --format=custom` (one consistent snapshot while
 * the servers keep writing) to a file beside the destination, `pg_restore --list` to see it
 * parses, a trial restore into a scratch database with the same checks as a SQLite copy, and only
 * then a rename into place, so a failed backup leaves no file that looks whole.
 */
export async function backupPostgres(url: string, dest: string): Promise<PgBackupResult> {
  const { target, partial } = backupTarget(dest, 'pgdump');
  const conn = toolConnection(url);
  // Made private before pg_dump writes a byte into it.
  fs.writeFileSync(partial, '', { mode: PRIVATE_FILE_MODE });
  return keepIfVerified(partial, target, async () => {
    await tool('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${conn.dbname}`], conn.env);
    fs.chmodSync(partial, PRIVATE_FILE_MODE);
    const listing = await tool('pg_restore', ['--list', partial], conn.env);
    if (!/TABLE DATA public reports /.test(listing)) throw new BackupError('the dump holds no reports table: is DATABASE_URL a Truceline database?');
    return verifyDump(url, partial);
  });
}
