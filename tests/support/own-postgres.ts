import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries (`postgresql-15`); `PG_BIN` points elsewhere. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * initdb refuses to run as root, and the server too: as root, the cluster belongs to the
 * `postgres` account (Debian's package creates it) and every command runs through `runuser`.
 */
function runAs(): { wrap: (file: string, args: string[]) => [string, string[]]; chown: (dir: string) => void } {
  if (process.getuid?.() !== 0) return { wrap: (file, args) => [file, args], chown: () => undefined };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return {
    wrap: (file, args) => ['runuser', ['-u', 'postgres', '--', file, ...args]],
    chown: (dir) => fs.chownSync(dir, uid, gid),
  };
}

/**
 * A PostgreSQL cluster of the test's own, never the machine's shared one: `initdb` into a temp
 * folder, started with `pg_ctl` on a free port of 127.0.0.1 with trust auth and `fsync=on` (a
 * test of durability across a crash needs the disk flushes a real deployment has). Its Unix
 * socket lies in that folder too, so nothing outside it is touched.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const as = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-pg-'));
  as.chown(dir);
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
