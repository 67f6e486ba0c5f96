import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { assertBuilt, startProcess } from './spawn.js';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const files = (dataDir: string) => ['truceline.sqlite', 'truceline.sqlite-wal', 'truceline.sqlite-shm'].map((f) => path.join(dataDir, f));

describe('DATA_DIR file modes', () => {
  beforeAll(() => assertBuilt());

  it('creates DATA_DIR 0700 and the database, its -wal and -shm and admin-password 0600', async () => {
    // Not there yet: the server creates it (mkdtemp's own folder would already be 0700).
    const dataDir = path.join(tempDataDir(), 'data');
    const server = await startProcess({ DATA_DIR: dataDir });
    try {
      const password = fs.readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim();
      const { token } = await login(server.url, 'admin', password);
      expect((await api(server.url, 'POST', '/api/reports', { token, body: makeReport() })).status).toBe(201);
      expect(modeOf(dataDir)).toBe(0o700);
      for (const file of [...files(dataDir), path.join(dataDir, 'admin-password')]) expect(modeOf(file), file).toBe(0o600);
    } finally {
      await server.stop();
    }
  });

  it('tightens a database and its -wal and -shm that an older version left 0644', async () => {
    const dataDir = tempDataDir();
    const db = new Database(path.join(dataDir, 'truceline.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    // An open connection keeps -wal and -shm in place while the server starts.
    for (const file of files(dataDir)) fs.chmodSync(file, 0o644);
    const server = await startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123' });
    try {
      for (const file of files(dataDir)) expect(modeOf(file), file).toBe(0o600);
    } finally {
      await server.stop();
      db.close();
    }
  });
});
