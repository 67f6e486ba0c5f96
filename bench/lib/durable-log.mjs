// The durable baseline's storage: what arrived while the previous write was on disk is written as
// one batch, and only then acknowledged (group commit, as a bare server would do it).
//   SQLite: WAL, synchronous=FULL, one transaction per batch.
//   PostgreSQL: one INSERT … SELECT FROM unnest(…) per batch in a transaction, synchronous_commit=on.
// The rows are the same payload Truceline stores: the report's id and its JSON.
import { BetterSqlite, serverRequire } from './deps.mjs';

function groupCommit(writeBatch) {
  let pending = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await writeBatch(batch.map((p) => p.row));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    writing = false;
  };
  return (row) =>
    new Promise((resolve, reject) => {
      pending.push({ row, resolve, reject });
      if (!writing) void drain();
    });
}

/** `store(row)` resolves once the row {id, body} is durable. */
export async function openDurableLog({ sqliteFile, pgUrl }) {
  if (sqliteFile) {
    const Database = BetterSqlite();
    const db = new Database(sqliteFile);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS bench_reports (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_reports (id, body) VALUES (?, ?)');
    const tx = db.transaction((rows) => {
      for (const r of rows) insert.run(r.id, r.body);
    });
    // better-sqlite3 is synchronous: a batch is written (and fsynced) on this thread; the
    // requests that arrive meanwhile form the next batch.
    return { store: groupCommit(async (rows) => tx(rows)), close: () => db.close() };
  }
  const pg = serverRequire('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query('SET synchronous_commit = on');
  await client.query('CREATE TABLE IF NOT EXISTS bench_reports (id text PRIMARY KEY, body text NOT NULL)');
  const store = groupCommit(async (rows) => {
    await client.query('BEGIN');
    try {
      await client.query('INSERT INTO bench_reports (id, body) SELECT * FROM unnest($1::text[], $2::text[])', [rows.map((r) => r.id), rows.map((r) => r.body)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  return { store, close: () => client.end() };
}
