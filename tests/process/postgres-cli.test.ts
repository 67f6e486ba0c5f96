import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { makeReport } from '../support/reports.js';
import { freshDatabase, scaleOutAvailable } from '../support/scale-out-env.js';
import { api, login, tempDataDir } from '../support/server.js';
import { assertBuilt, runCli, startProcess } from './spawn.js';

const ADMIN = 'pg-backup-admin-password-1';

async function allReports(url: string, token: string): Promise<Report[]> {
  const res = await api<{ reports: Report[]; hasMore: boolean }>(url, 'GET', '/api/sync?limit=10000', { token });
  expect(res.status).toBe(200);
  expect(res.body.hasMore).toBe(false);
  return res.body.reports;
}

describe.runIf(scaleOutAvailable({ postgres: true }))('the built server and CLI on PostgreSQL', () => {
  const dbs: { url: string; drop: () => Promise<void> }[] = [];
  const database = async () => {
    const db = await freshDatabase();
    dbs.push(db);
    return db.url;
  };
  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('backs up while reports keep coming; the restored dump serves every report acknowledged before, and its audit chain verifies', async () => {
    const url = await database();
    const server = await startProcess({ DATABASE_URL: url, DATA_DIR: tempDataDir(), ADMIN_PASSWORD: ADMIN, RATE_LIMIT: '0', READ_RATE_LIMIT: '0' });
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
      const lanes = Promise.all(Array.from({ length: 4 }, lane));
      await expect.poll(() => acked.length, { timeout: 20_000 }).toBeGreaterThan(100);
      const before = [...acked];
      const made = await runCli(['backup', `${backups}/`], { DATABASE_URL: url }, '');
      stop = true;
      await lanes;
      expect(made.code, made.output).toBe(0);
      const line = /^backup written: (\S+) \((\d+) bytes, pg_dump custom format\), (\d+) reports, schema version 1; restored into a scratch database and checked; audit chain verified: (\d+) entries/m.exec(made.output);
      expect(line, made.output).not.toBeNull();
      const [, file, , reports] = line as unknown as [string, string, string, string];
      expect(path.dirname(file)).toBe(backups);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(Number(reports)).toBeGreaterThanOrEqual(before.length);

      // Restore as docs/postgres.md says: pg_restore into an empty database, then a server on it.
      const restoredUrl = await database();
      execFileSync('pg_restore', ['--exit-on-error', '--no-owner', `--dbname=${restoredUrl}`, file]);
      const verified = await runCli(['audit-verify'], { DATABASE_URL: restoredUrl }, '');
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toMatch(/^audit chain verified \(database "\w+" on 127\.0\.0\.1:5432 as \w+\): \d+ entries; head seq \d+ hash [0-9a-f]{64}$/m);
      const restored = await startProcess({ DATABASE_URL: restoredUrl, DATA_DIR: tempDataDir(), READ_RATE_LIMIT: '0' });
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

  it('stops at start with exit code 1 and a message saying what to do when PostgreSQL cannot be had', async () => {
    const refuse = async (databaseUrl: string, message: RegExp) => {
      const start = startProcess({ DATABASE_URL: databaseUrl, DATA_DIR: tempDataDir(), ADMIN_PASSWORD: ADMIN });
      const error = await start.then(
        async (server) => {
          await server.stop();
          return new Error('the server started');
        },
        (e: unknown) => e as Error,
      );
      expect(error.message).toMatch(/server exited with 1 before listening/);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('s3cret');
    };
    await refuse('postgres://truceline:s3cret@127.0.0.1:1/truceline', /failed to start: cannot reach PostgreSQL for database "truceline" on 127\.0\.0\.1:1/);
    const missing = new URL(await database());
    missing.pathname = '/truceline_missing_database';
    await refuse(missing.toString(), /database "truceline_missing_database" on .* does not exist\. Create it/);
  });
});
