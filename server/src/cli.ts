import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { CreateUserBody, Password, issuesFromZod } from '@truceline/shared';
import { createAccount } from './auth/bootstrap.js';
import { newPasswordProblem } from './auth/password-policy.js';
import { hashPassword } from './auth/passwords.js';
import { ConfigError, loadConfig } from './config.js';
import { verifyAuditChain } from './audit/verify.js';
import { openStore as openConfiguredStore } from './storage/open-store.js';
import { hasPgAuditLog, verifyPgAuditChain } from './storage/postgres/audit-verify.js';
import { backupPostgres } from './storage/postgres/backup.js';
import { describeDatabase, postgresStartError } from './storage/postgres/start-error.js';
import { BackupError } from './storage/backup-file.js';
import { backupDatabase } from './storage/sqlite/backup.js';
import { DATABASE_FILE } from './storage/sqlite/sqlite-store.js';
import { type Store, UsernameTakenError } from './storage/store.js';

const USAGE = `usage: pnpm user:add <username> <monitor|coordinator|admin>
       pnpm user:passwd <username>
       pnpm audit:verify [DB_PATH]
       pnpm backup <file or folder/>
  The password is read from TRUCELINE_PASSWORD, or else from the first line of standard input.
  user:passwd signs the user out everywhere; a running server drops their live connections at
  its next session check (SESSION_CHECK_SECONDS, 60 by default).
  audit:verify recomputes the audit log's hash chain (docs/audit.md) and names the first entry
  that does not match; DB_PATH defaults to the server's database in DATA_DIR.
  backup copies the database consistently (SQLite's backup API) and verifies the copy.
  Uses DATA_DIR like the server (default ./data); the server may keep running.
  With DATABASE_URL set, every command works on that PostgreSQL database instead: backup runs
  pg_dump --format=custom and checks the dump by restoring it into a scratch database
  (docs/postgres.md); audit:verify takes no DB_PATH.`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.TRUCELINE_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/** The server's store (PostgreSQL with DATABASE_URL, else DATA_DIR's SQLite); a start-up fault is said and exits 1. */
async function openStore(): Promise<Store | undefined> {
  try {
    return await openConfiguredStore(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

async function addUser(username: string, role: string): Promise<number> {
  const parsed = CreateUserBody.safeParse({ username, role, password: await readPassword() });
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error)) process.stderr.write(`${issue.path}: ${issue.message}\n`);
    return 2;
  }
  const problem = newPasswordProblem(parsed.data.password, parsed.data.username);
  if (problem) {
    process.stderr.write(`password: ${problem}\n`);
    return 2;
  }
  const store = await openStore();
  if (!store) return 1;
  try {
    const user = await createAccount(store, parsed.data.username, parsed.data.password, parsed.data.role);
    process.stdout.write(`created ${user.role} "${user.username}" (${user.id})\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsernameTakenError) {
      process.stderr.write(`the username "${username}" is taken\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

async function changePassword(username: string): Promise<number> {
  const parsed = Password.safeParse(await readPassword());
  const problem = parsed.success ? newPasswordProblem(parsed.data, username) : issuesFromZod(parsed.error)[0]?.message;
  if (!parsed.success || problem !== undefined) {
    process.stderr.write(`password: ${problem ?? 'invalid'}\n`);
    return 2;
  }
  const store = await openStore();
  if (!store) return 1;
  try {
    const user = await store.findUserByName(username);
    if (!user) {
      process.stderr.write(`no user "${username}"\n`);
      return 1;
    }
    const atMs = Date.now();
    const target = { type: 'user', id: user.id };
    await store.setPasswordHash(user.id, await hashPassword(parsed.data), [{ atMs, actor: null, action: 'user.password.reset', target }]);
    const revoked = await store.revokeUserSessions(user.id, atMs, undefined, { atMs, actor: null, action: 'session.revoke', target });
    process.stdout.write(`changed the password of "${user.username}"; signed out ${revoked.length} session${revoked.length === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Read-only: verifying must never migrate or otherwise write the database it is judging. */
async function verifyAudit(dbPath: string | undefined): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl !== undefined && dbPath === undefined) return verifyPgAudit(config.databaseUrl);
  const file = dbPath ?? path.join(loadConfig().dataDir, DATABASE_FILE);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    process.stderr.write(`cannot open ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get();
    if (!hasLog) {
      process.stderr.write(`${file} has no audit log (a database from before it: start the server once to add it)\n`);
      return 1;
    }
    const check = verifyAuditChain(db);
    if (!check.ok) {
      process.stderr.write(`audit chain broken at entry ${check.seq}: ${check.reason} (${check.entries} entries before it verified)\n`);
      return 1;
    }
    const head = check.head ? `head seq ${check.head.seq} hash ${check.head.hash}` : 'the log is empty';
    process.stdout.write(`audit chain verified: ${check.entries} entries; ${head}\n`);
    return 0;
  } finally {
    db.close();
  }
}

async function verifyPgAudit(url: string): Promise<number> {
  const where = describeDatabase(url);
  try {
    if (!(await hasPgAuditLog(url))) {
      process.stderr.write(`${where} has no audit log (start the server once on it to create its tables)\n`);
      return 1;
    }
    const check = await verifyPgAuditChain(url);
    if (!check.ok) {
      process.stderr.write(`audit chain broken at entry ${check.seq}: ${check.reason} (${check.entries} entries before it verified)\n`);
      return 1;
    }
    const head = check.head ? `head seq ${check.head.seq} hash ${check.head.hash}` : 'the log is empty';
    process.stdout.write(`audit chain verified (${where}): ${check.entries} entries; ${head}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${postgresStartError(error, url).message}\n`);
    return 2;
  }
}

async function backup(dest: string): Promise<number> {
  const config = loadConfig();
  try {
    if (config.databaseUrl !== undefined) {
      const made = await backupPostgres(config.databaseUrl, dest).catch((error: unknown) => {
        throw error instanceof BackupError ? error : new BackupError(postgresStartError(error, config.databaseUrl ?? '').message);
      });
      process.stdout.write(
        `backup written: ${made.path} (${made.bytes} bytes, pg_dump custom format), ${made.reports} report${made.reports === 1 ? '' : 's'}, schema version ${made.schemaVersion}; restored into a scratch database and checked; audit chain verified: ${made.audit.entries} entries${made.audit.head ? `, head seq ${made.audit.head.seq} hash ${made.audit.head.hash}` : ''}\n`,
      );
      return 0;
    }
    const made = await backupDatabase(config.dataDir, dest);
    process.stdout.write(
      `backup written: ${made.path} (${made.bytes} bytes), ${made.reports} report${made.reports === 1 ? '' : 's'}, schema version ${made.schemaVersion}; integrity_check ok; audit chain verified: ${made.audit.entries} entries${made.audit.head ? `, head seq ${made.audit.head.seq} hash ${made.audit.head.hash}` : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      process.stderr.write(`backup failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function main(argv: string[]): Promise<number> {
  const [command, username, role, ...rest] = argv;
  if (command === 'audit-verify' && role === undefined) return verifyAudit(username);
  if (command === 'add-user' && username && role && rest.length === 0) return addUser(username, role);
  if (command === 'passwd' && username && role === undefined) return changePassword(username);
  // The second word is the destination here, not a username.
  if (command === 'backup' && username && role === undefined) return backup(username);
  process.stderr.write(`${USAGE}\n`);
  return Promise.resolve(2);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
