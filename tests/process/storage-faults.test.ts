import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeReport } from '../support/reports.js';
import { api, login, tempDataDir } from '../support/server.js';
import { canMount, type Mount, readOnlyView, resize, tmpfs } from './mounts.js';
import { ROOT, assertBuilt, startProcess } from './spawn.js';

const ADMIN = 'storage-admin-password-1';
const DB = 'truceline.sqlite';

/** Runs the server expecting it to stop at start; resolves with its exit code and standard error. */
function startExpectingExit(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ADMIN_PASSWORD: ADMIN, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // It must not get as far as serving; if it does, stop it so the test fails rather than hangs.
    if (stdout.includes('serving on')) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const mountProblem = canMount();
const mounts: Mount[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) m.remove();
});

describe('storage faults at start', () => {
  beforeAll(() => {
    assertBuilt();
    // Loud, not silent: without mounts the full-disk and read-only cases are not tried.
    if (mountProblem) process.stderr.write(`\nstorage-faults: SKIPPING the full-disk and read-only cases: ${mountProblem}\n`);
  });

  it('a corrupted database file: says which file, points to restoring a backup, exits 1', async () => {
    const dataDir = tempDataDir();
    // A database's header followed by garbage: what a torn copy or a bad disk block leaves.
    fs.writeFileSync(path.join(dataDir, DB), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0xa5)]));
    const { code, stderr } = await startExpectingExit(dataDir);
    expect(code).toBe(1);
    expect(stderr).toContain(`the database ${path.join(dataDir, DB)} is damaged`);
    expect(stderr).toContain('Restore it from a backup');
  });

  it.skipIf(mountProblem !== undefined)('a read-only data folder (a database in it, or none yet): says so and exits 1', async () => {
    const made = tempDataDir();
    const server = await startProcess({ DATA_DIR: made, ADMIN_PASSWORD: ADMIN });
    await server.stop();
    for (const source of [made, tempDataDir()]) {
      const ro = readOnlyView(source);
      mounts.push(ro);
      const { code, stderr } = await startExpectingExit(ro.dir);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot write in DATA_DIR ${ro.dir}`);
      expect(stderr).toMatch(/EROFS|read-only/);
    }
  });

  it.skipIf(mountProblem !== undefined)('a full disk: says there is no space and exits 1; with space freed it starts', async () => {
    const disk = tmpfs('64k');
    mounts.push(disk);
    fs.writeFileSync(path.join(disk.dir, 'filler'), Buffer.alloc(60 * 1024));
    const { code, stderr } = await startExpectingExit(disk.dir);
    expect(code).toBe(1);
    expect(stderr).toContain(`no space left for the database in DATA_DIR ${disk.dir}`);

    fs.rmSync(path.join(disk.dir, 'filler'));
    resize(disk, '16m');
    const server = await startProcess({ DATA_DIR: disk.dir, ADMIN_PASSWORD: ADMIN });
    try {
      await expect.poll(async () => (await fetch(`${server.url}/api/health`)).status, { timeout: 20_000 }).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('the disk filling up while the server runs', () => {
  beforeAll(() => assertBuilt());

  it.skipIf(mountProblem !== undefined)('refuses with 503 unavailable once full, and every acknowledged report is on disk', async () => {
    const disk = tmpfs('3m');
    mounts.push(disk);
    const server = await startProcess({ DATA_DIR: disk.dir, ADMIN_PASSWORD: ADMIN, RATE_LIMIT: '0', READ_RATE_LIMIT: '0' });
    const acked: string[] = [];
    let refusal: { status: number; body: unknown } | undefined;
    try {
      const { token } = await login(server.url, 'admin', ADMIN);
      // Long descriptions fill the 3 MB quickly; a few in flight so the refusals meet a group commit.
      const lane = async () => {
        while (!refusal) {
          const input = makeReport({ description: `filling the disk ${'x'.repeat(1900)}` });
          const res = await api(server.url, 'POST', '/api/reports', { token, body: input });
          if (res.status === 201) acked.push(input.id);
          else refusal = res;
        }
      };
      await Promise.all(Array.from({ length: 4 }, lane));
      expect(refusal).toMatchObject({ status: 503, body: { error: { code: 'unavailable', message: expect.stringContaining('nothing was saved') } } });
      expect(acked.length).toBeGreaterThan(50);
      const health = await api<{ status: string; reason?: string }>(server.url, 'GET', '/api/health');
      expect(health).toMatchObject({ status: 503, body: { status: 'degraded', reason: expect.stringMatching(/SQLITE_FULL|SQLITE_IOERR/) } });
    } finally {
      // A hard stop: what is acknowledged must already be on disk, not in a buffer a clean shutdown flushes.
      await server.stop('SIGKILL');
    }
    resize(disk, '32m');
    const again = await startProcess({ DATA_DIR: disk.dir, ADMIN_PASSWORD: ADMIN, READ_RATE_LIMIT: '0' });
    try {
      const { token } = await login(again.url, 'admin', ADMIN);
      const res = await api<{ reports: { id: string }[] }>(again.url, 'GET', '/api/sync?limit=10000', { token });
      const stored = new Set(res.body.reports.map((r) => r.id));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await again.stop();
    }
  });
});
