import pg from 'pg';
import Cursor from 'pg-cursor';
import type { AuditRow } from '../../audit/audit-rows.js';
import { type ChainCheck, ChainChecker } from '../../audit/verify.js';
import { PG_TYPES } from './connection.js';

/**
 * `pnpm audit:verify` for PostgreSQL: the whole log read in `seq` order through a cursor in one
 * read-only snapshot, every hash recomputed (`ChainChecker`, as for SQLite). Writes nothing.
 */
export async function verifyPgAuditChain(connectionString: string): Promise<ChainCheck> {
  const client = new pg.Client({ connectionString, types: PG_TYPES });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const cursor = client.query(new Cursor<AuditRow>('SELECT * FROM audit ORDER BY seq'));
    const checker = new ChainChecker();
    try {
      for (;;) {
        const rows = await cursor.read(1000);
        if (rows.length === 0) return checker.result();
        for (const row of rows) {
          const failure = checker.add(row);
          if (failure) return failure;
        }
      }
    } finally {
      await cursor.close();
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
}

/** Whether the database has an audit log at all (a Truceline database the server has started on). */
export async function hasPgAuditLog(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass('public.audit')::text AS t");
    return rows[0]?.t !== null && rows[0]?.t !== undefined;
  } finally {
    await client.end();
  }
}
