import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server.js';
import { ROOT, assertBuilt } from '../process/spawn.js';
import { freePort as closedPort } from '../support/free-port.js';

describe('the built server with a REDIS_URL that does not answer', () => {
  it('exits 1 at start with a message naming Redis, REDIS_URL (without its password) and what to do', async () => {
    assertBuilt();
    const port = await closedPort();
    const child = spawn(process.execPath, [path.join(ROOT, 'server/dist/main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: tempDataDir(), REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? \\(REDIS_URL\\) does not answer: .*ECONNREFUSED`));
    expect(stderr).toMatch(/Start Redis, fix REDIS_URL, or unset it/);
    expect(stderr).not.toContain('hunter2');
  });
});
