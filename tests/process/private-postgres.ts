import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL server of the test's own (initdb in a temp folder, its own port), for fault tests
 * that restart it: the machine's shared server must never be restarted. PostgreSQL refuses to
 * run as root, so as root the tools run as the `postgres` account (Debian's packages make it).
 */
const BIN = '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  /** Asynchronous, so the test's own clients keep sending while the server is down. */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  stop(): void;
}

const run = promisify(execFile);

function ownerCommand(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, command), ...args]] : [path.join(BIN, command), args];
}

function asOwner(command: string, args: string[]): void {
  const [file, argv] = ownerCommand(command, args);
  execFileSync(file, argv, { stdio: 'pipe' });
}

async function asOwnerAsync(command: string, args: string[]): Promise<void> {
  const [file, argv] = ownerCommand(command, args);
  await run(file, argv);
}

/** Whether this machine can run one (the server binaries of postgresql-15 are installed). */
export function privatePostgresAvailable(): boolean {
  return fs.existsSync(path.join(BIN, 'initdb')) && fs.existsSync(path.join(BIN, 'pg_ctl'));
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const ctlArgs = (args: string[]) => ['-D', data, '-l', path.join(dir, 'log'), '-w', ...args];
  const ctl = (...args: string[]) => asOwner('pg_ctl', ctlArgs(args));
  ctl('-o', options, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async (mode = 'fast') => {
      await asOwnerAsync('pg_ctl', ctlArgs(['-m', mode, 'stop']));
      // Down for a moment, as a real restart is: the clients' requests meet no database.
      await new Promise((r) => setTimeout(r, 500));
      await asOwnerAsync('pg_ctl', ctlArgs(['-o', options, 'start']));
    },
    stop: () => {
      try {
        ctl('-m', 'immediate', 'stop');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
