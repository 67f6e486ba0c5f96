import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, scaleOutAvailable } from '../../../../tests/support/scale-out-env.js';
import { PostgresStore } from './postgres-store.js';
import { PG_MIGRATIONS } from './schema.js';

describe.runIf(scaleOutAvailable({ postgres: true }))('PostgreSQL schema migrations', () => {
  let db: { url: string; drop: () => Promise<void> };
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  const query = async <R extends pg.QueryResultRow>(text: string): Promise<R[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  };

  it('migrates once when several processes start together on a new database', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(db.url)));
    await Promise.all(stores.map((s) => s.close()));
    expect(await query<{ version: number }>('SELECT version FROM schema_version')).toEqual([{ version: PG_MIGRATIONS.length }]);
    expect(await query<{ seq: string }>('SELECT seq FROM seq_head')).toEqual([{ seq: '0' }]);
  });

  it('refuses a database migrated by a newer Truceline', async () => {
    await (await PostgresStore.open(db.url)).close();
    await query(`UPDATE schema_version SET version = ${PG_MIGRATIONS.length + 1}`);
    await expect(PostgresStore.open(db.url)).rejects.toThrow(/newer than this server.*upgrade Truceline/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log in the database itself', async () => {
    const store = await PostgresStore.open(db.url);
    try {
      await store.appendAudit([{ atMs: 0, actor: null, action: 'export', target: { type: 'export', id: 'e' } }]);
    } finally {
      await store.close();
    }
    for (const statement of ["UPDATE audit SET note = 'x'", 'DELETE FROM audit', 'TRUNCATE audit']) {
      await expect(query(statement)).rejects.toThrow(/append-only/);
    }
    expect(await query<{ n: string }>('SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: '1' }]);
  });
});
