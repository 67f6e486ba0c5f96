import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt, ROOT } from '../process/spawn.js';
import { freePort } from '../support/free-port.js';

const MAIN = path.join(ROOT, 'server/dist/main.js');
export const CLUSTER_ADMIN_PASSWORD = 'admin-password-for-cluster-tests';

export interface ClusterOptions {
  processes: number;
  /** A database of the test's own (`freshDatabase()`); without it each process has its own SQLite file. */
  databaseUrl?: string;
  redisUrl: string;
  /** Added to every process's environment (RATE_LIMIT, MAX_CONNECTIONS_PER_IP, …). */
  env?: Record<string, string>;
}

export interface Cluster {
  /** `http://127.0.0.1:<port>` of each process; a restarted process keeps its port. */
  readonly urls: string[];
  /** The `REDIS_PREFIX` the processes share: unique per cluster, so tests never hear each other. */
  readonly redisPrefix: string;
  /** Everything process `i` printed (its JSON log included). */
  output(i: number): string;
  /** Sends `signal` to process `i` and resolves when it has exited, with its code (null after a signal kill). */
  kill(i: number, signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts process `i` again on its port, with the same data folder and variables. */
  restart(i: number): Promise<void>;
  /** SIGTERM to every running process; resolves when all have exited, and removes the Redis keys of this cluster. */
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  out: string;
}

function launch(env: Record<string, string>, previous = ''): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const running: Running = { child, out: previous, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (c: Buffer) => (running.out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (running.out += c.toString()));
  const startedAt = running.out.length;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (/serving on \S+/.test(running.out.slice(startedAt))) {
        child.stdout?.off('data', check);
        resolve(running);
      }
    };
    child.stdout?.on('data', check);
    void running.exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${running.out.slice(startedAt)}`)));
  });
}

/**
 * N processes of the BUILT server (`server/dist/main.js`, as an operator runs it) on free ports,
 * sharing one PostgreSQL database and one Redis (with a `REDIS_PREFIX` of their own). Resolves
 * when every one printed its URL, i.e. listens and has its incident index loaded. The first
 * process starts alone (it migrates the database and creates the admin), the others then together.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  assertBuilt();
  const redisPrefix = `t-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const ports = await Promise.all(Array.from({ length: options.processes }, () => freePort()));
  const envs = ports.map(
    (port): Record<string, string> => ({
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-cluster-')),
      ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD,
      RATE_LIMIT: '0',
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: redisPrefix,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    }),
  );
  const running: (Running | undefined)[] = [];
  const stopAll = async () => {
    await Promise.all(
      running.map(async (r) => {
        if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return;
        r.child.kill('SIGTERM');
        const timer = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
        await r.exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    running[0] = await launch(envs[0]!);
    const rest = await Promise.all(envs.slice(1).map((env) => launch(env)));
    running.push(...rest);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const at = (i: number): Running => {
    const r = running[i];
    if (!r) throw new Error(`no process ${i}`);
    return r;
  };
  return {
    urls: ports.map((port) => `http://127.0.0.1:${port}`),
    redisPrefix,
    output: (i) => at(i).out,
    kill: async (i, signal = 'SIGTERM') => {
      const r = at(i);
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill(signal);
      return r.exited;
    },
    restart: async (i) => {
      const previous = at(i);
      if (previous.child.exitCode === null && previous.child.signalCode === null) throw new Error(`process ${i} is still running`);
      running[i] = await launch(envs[i]!, previous.out);
    },
    stop: async () => {
      await stopAll();
      await removeKeys(options.redisUrl, redisPrefix);
      for (const env of envs) fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
    },
  };
}

/** Deletes what a cluster left in the shared Redis (its stream, limits, connection counts): only keys under its own prefix. */
async function removeKeys(redisUrl: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const key of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) keys.push(key);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.quit();
  }
}
