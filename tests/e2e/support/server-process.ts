import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface ServerProcess {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the built server exactly as `pnpm start` runs it (`node server/dist/main.js`) on a free
 * port with a temp DATA_DIR, and resolves with its URL once it says it is serving and is healthy.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'server/dist/main.js')], {
    cwd: root,
    env: { ...embeddedEnv(), PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD, RATE_LIMIT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /serving on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1].replace('0.0.0.0', '127.0.0.1'));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  // "serving" comes before the incident index has loaded; /api/health says when it is ready.
  for (;;) {
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * This environment without the scale-out engines: CI exports `DATABASE_URL` and `REDIS_URL` for
 * the scale-out tests, and a browser test's server is the embedded default (its own SQLite file),
 * unless the test asks for more in `env`.
 */
function embeddedEnv(): NodeJS.ProcessEnv {
  const scaleOut = new Set(['DATABASE_URL', 'DATABASE_POOL_SIZE', 'REDIS_URL', 'REDIS_PREFIX', 'METRICS_PORT', 'METRICS_TOKEN']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !scaleOut.has(name)));
}
