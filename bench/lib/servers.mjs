// Starting the real server (production build) and the raw baseline, each pinned to the server core.
import path from 'node:path';
import { ADMIN_PASSWORD } from './accounts.mjs';
import { ROOT } from './deps.mjs';
import { freePort, spawnNode, stop, waitHealthy } from './proc.mjs';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

/** Flags for the server's node process, e.g. `--cpu-prof` (set by `--profile`). */
export const serverNodeArgs = [];

/** `pinned: false` runs it wherever the kernel likes (the outsider's view). */
export async function startTruceline(dataDir, env = {}, { pinned = true } = {}) {
  const port = await freePort();
  const child = spawnNode([path.join(ROOT, 'server', 'dist', 'main.js')], {
    core: pinned ? SERVER_CORE : undefined,
    nodeArgs: serverNodeArgs,
    env: {
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT: '0',
      MAX_CONNECTIONS_PER_IP: '0',
      // The load generator reads as a few accounts at rates no person does; it measures the server, not its limits.
      READ_RATE_LIMIT: '0',
      READ_CONCURRENCY: '0',
      LOG_LEVEL: 'warn',
      // SQLite unless the caller names the engines (the bench's own DATABASE_URL / REDIS_URL are for --engines).
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      REDIS_PREFIX: undefined,
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const startMs = await waitHealthy(`${url}/api/health`, child);
  return { child, url, startMs, stop: () => stop(child) };
}

export async function startBaseline(env = {}, { pinned = true } = {}) {
  const port = await freePort();
  const child = spawnNode([path.join(ROOT, 'bench', 'baseline-server.mjs')], { core: pinned ? SERVER_CORE : undefined, env: { PORT: String(port), ...env } });
  const url = `http://127.0.0.1:${port}`;
  const startMs = await waitHealthy(`${url}/api/health`, child);
  return { child, url, startMs, stop: () => stop(child) };
}
