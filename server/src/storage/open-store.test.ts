import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseUrl, scaleOutAvailable } from '../../../tests/support/scale-out-env.js';
import { openStore } from './open-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

describe('openStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-open-'));
    dirs.push(dir);
    return dir;
  };

  it('opens SQLite in DATA_DIR when DATABASE_URL is unset', async () => {
    const store = await openStore({ databaseUrl: undefined, dataDir: tmp() });
    try {
      expect(store).toBeInstanceOf(SqliteStore);
    } finally {
      await store.close();
    }
  });

  it('says PostgreSQL cannot be reached, naming the server, and not the password', async () => {
    const error = await openStore({ databaseUrl: 'postgres://truceline:s3cret@127.0.0.1:1/truceline', dataDir: tmp() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^cannot reach PostgreSQL for database "truceline" on 127\.0\.0\.1:1 as truceline\. Start it/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it.runIf(scaleOutAvailable({ postgres: true }))('says a database that does not exist does not exist', async () => {
    const url = new URL(databaseUrl as string);
    url.pathname = '/truceline_no_such_database';
    await expect(openStore({ databaseUrl: url.toString(), dataDir: tmp() })).rejects.toThrow(
      /database "truceline_no_such_database" on .* does not exist\. Create it/,
    );
  });
});
