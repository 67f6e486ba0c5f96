import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { makeReport } from '../support/reports.js';
import { api, login, tempDataDir } from '../support/server.js';
import { assertBuilt, runCli, startProcess } from './spawn.js';

const ADMIN = 'backup-admin-password-1';
const DB = 'truceline.sqlite';

async function allReports(url: string, token: string): Promise<Report[]> {
  const res = await api<{ reports: Report[]; hasMore: boolean }>(url, 'GET', '/api/sync?limit=10000', { token });
  expect(res.status).toBe(200);
  expect(res.body.hasMore).toBe(false);
  return res.body.reports;
}

describe('pnpm backup', () => {
  beforeAll(() => assertBuilt());

  it('copies the database while reports keep coming, and a server started on the copy has every report acknowledged before it began', async () => {
    const dataDir = tempDataDir();
    const server = await startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: ADMIN, RATE_LIMIT: '0', READ_RATE_LIMIT: '0' });
    const backups = tempDataDir();
    try {
      const admin = await login(server.url, 'admin', ADMIN);
      const acked: string[] = [];
      let stop = false;
      const lane = async () => {
        while (!stop) {
          const input = makeReport();
          const res = await api(server.url, 'POST', '/api/reports', { token: admin.token, body: input });
          expect(res.status).toBe(201);
          acked.push(input.id);
        }
      };
      const lanes = Promise.all(Array.from({ length: 6 }, lane));
      await expect.poll(() => acked.length, { timeout: 20_000 }).toBeGreaterThan(200);

      const before = [...acked];
      const made = await runCli(['backup', `${backups}/`], { DATA_DIR: dataDir }, '');
      const during = acked.length - before.length;
      stop = true;
      await lanes;
      expect(made.code, made.output).toBe(0);
      const line = /^backup written: (\S+) \((\d+) bytes\), (\d+) reports, schema version (\d+); integrity_check ok; audit chain verified: (\d+) entries, head seq \d+ hash [0-9a-f]{64}$/m.exec(made.output);
      expect(line, made.output).not.toBeNull();
      const [, file, bytes, reports] = line as unknown as [string, string, string, string];
      expect(path.dirname(file)).toBe(backups);
      expect(fs.statSync(file).size).toBe(Number(bytes));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(Number(reports)).toBeGreaterThanOrEqual(before.length);
      // The load went on while the copy was made: it was taken online, not in a pause.
      expect(during).toBeGreaterThan(0);

      // Restore as the README says: the copy becomes DATA_DIR/truceline.sqlite of a stopped server.
      const restoredDir = tempDataDir();
      fs.copyFileSync(file, path.join(restoredDir, DB));
      const restored = await startProcess({ DATA_DIR: restoredDir, READ_RATE_LIMIT: '0' });
      try {
        const token = (await login(restored.url, 'admin', ADMIN)).token;
        const ids = new Set((await allReports(restored.url, token)).map((r) => r.id));
        expect(ids.size).toBe(Number(reports));
        expect(before.filter((id) => !ids.has(id))).toEqual([]);
      } finally {
        await restored.stop();
      }
    } finally {
      await server.stop();
    }
  });

  it('refuses to overwrite a file or to copy a folder without a database, with exit code 1', async () => {
    const dataDir = tempDataDir();
    const taken = path.join(tempDataDir(), 'copy.sqlite');
    fs.writeFileSync(taken, 'not mine to replace');
    const empty = await runCli(['backup', taken], { DATA_DIR: dataDir }, '');
    expect(empty).toMatchObject({ code: 1, output: expect.stringContaining('no database') });

    const server = await startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: ADMIN });
    await server.stop();
    const over = await runCli(['backup', taken], { DATA_DIR: dataDir }, '');
    expect(over).toMatchObject({ code: 1, output: expect.stringContaining('never overwrites') });
    expect(fs.readFileSync(taken, 'utf8')).toBe('not mine to replace');
  });
});
