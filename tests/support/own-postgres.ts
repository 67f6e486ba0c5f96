import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * The server binaries: `PG_BIN`, else Debian's PostgreSQL 15 (`postgresql-15`, what the machine's
 * shared cluster runs), else the newest version Debian's `postgresql` package installed.
 */
export const PG_BIN = process.env.PG_BIN ?? debianPgBin();

function debianPgBin(): string {
  const root = '/usr/lib/postgresql';
  const preferred = path.join(root, '15', 'bin');
  if (fs.existsSync(path.join(preferred, 'initdb'))) return preferred;
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : preferred;
}

const inCi = process.env.CI === 'true';

/**
 * Whether a test may start a PostgreSQL of its own here (the server binaries are installed).
 * Like `scaleOutAvailable`: a failure in CI, where `.ci/run` installs them; skipped loudly elsewhere.
 */
export function ownPostgresAvailable(): boolean {
  if (fs.existsSync(path.join(PG_BIN, 'initdb')) && fs.existsSync(path.join(PG_BIN, 'pg_ctl'))) return true;
  const message = `this test starts a PostgreSQL of its own and needs initdb and pg_ctl in ${PG_BIN} (Debian: postgresql-15; or set PG_BIN); `;
  if (inCi) throw new Error(`${message}CI must run it, so this is a failure.`);
  process.stderr.write(`\n!!! SKIPPING: ${message}install them to run it.\n\n`);
  return false;
}

export interface OwnPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: trust auth, the cluster's superuser. */
  readonly url: string;
  readonly port: number;
  /** Whether the server is up, as far as this handle knows (after `start()`, until `stop()`). */
  readonly running: boolean;
  /**
   * `pg_ctl stop -m <mode>`; resolves once the postmaster is gone. `immediate` is a crash as far
   * as the data is concerned: no checkpoint, sessions cut, WAL replayed at the next start.
   */
  stop(options?: { mode?: 'immediate' | 'fast' }): Promise<void>;
  /** Starts it again on the same port and data; resolves when it accepts connections (after recovery). */
  start(): Promise<void>;
  /** Stops it (immediately) if running and deletes its data. */
  destroy(): Promise<void>;
  /** The server's own log, for a failure message. */
  log(): string;
}

/**
 * initdb refuses to run as root, and the server too: as root, the cluster belongs to the
 * `postgres` account (Debian's package creates it) and every command runs through `runuser`.
 */
function runAs(): { wrap: (file: string, args: string[]) => [string, string[]]; chown: (dir: string) => void } {
  if (process.getuid?.() !== 0) return { wrap: (file, args) => [file, args], chown: () => undefined };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' }).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { stdio: 'pipe' }).toString().trim());
  } catch (error) {
    throw new Error('running as root, a PostgreSQL of its own needs the postgres account (Debian\'s postgresql package creates it)', { cause: error });
  }
  return {
    wrap: (file, args) => ['runuser', ['-u', 'postgres', '--', file, ...args]],
    chown: (dir) => fs.chownSync(dir, uid, gid),
  };
}

const PREFIX = 'truceline-pg-';
const OWNER_FILE = 'owner.pid';

/**
 * A test worker killed before its `destroy()` (a timeout; vitest ends workers with a signal, so no
 * exit handler runs) leaves its postmaster running. The next start stops and removes every cluster
 * of ours whose owning process is gone; only folders this module made are looked at.
 */
function removeOrphans(as: ReturnType<typeof runAs>): void {
  for (const name of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    const ownerFile = path.join(dir, OWNER_FILE);
    // No owner yet: another worker is just making it (unless it has lain there for an hour).
    if (!fs.existsSync(ownerFile)) {
      if (Date.now() - fs.statSync(dir).mtimeMs < 3_600_000) continue;
    } else if (isAlive(Number(fs.readFileSync(ownerFile, 'utf8')))) continue;
    if (fs.existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
      const [file, argv] = as.wrap(path.join(PG_BIN, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      try {
        execFileSync(file, argv, { stdio: 'ignore', timeout: 60_000 });
      } catch {
        // not running after all (a stale pid file)
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A PostgreSQL cluster of the test's own, never the machine's shared one: `initdb` into a temp
 * folder, started with `pg_ctl` on a free port of 127.0.0.1 with trust auth and `fsync=on` (a
 * test of durability across a crash needs the disk flushes a real deployment has). Its Unix
 * socket lies in that folder too, so nothing outside it is touched.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const as = runAs();
  removeOrphans(as);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  as.chown(dir);
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  const exec = async (tool: string, args: string[]) => {
    const [file, argv] = as.wrap(path.join(PG_BIN, tool), args);
    try {
      await run(file, argv, { cwd: dir, timeout: 120_000 });
    } catch (error) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${(error as Error).message}\n${log}`, { cause: error });
    }
  };
  const options = [
    `-c port=${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=on',
    '-c synchronous_commit=on',
    '-c shared_buffers=16MB',
    '-c max_connections=100',
  ].join(' ');
  let running = false;
  const start = async () => {
    // -w: pg_ctl returns once the server accepts connections, i.e. after crash recovery.
    await exec('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '120', '-o', options, 'start']);
    running = true;
  };
  const stop = async ({ mode = 'fast' }: { mode?: 'immediate' | 'fast' } = {}) => {
    await exec('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '120', 'stop']);
    running = false;
  };
  try {
    // --no-sync only for initdb's own files: the server itself runs with fsync=on.
    await exec('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    await start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    get running() {
      return running;
    },
    stop,
    start,
    destroy: async () => {
      if (running) await stop({ mode: 'immediate' }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  };
}
