import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text, per connection. Preparing parses and plans the SQL each
 * time: in an ingest burst the per-submission replay check alone spent more time in
 * `prepare` than in the query. Filters build a few dozen shapes of SQL at most; the bound
 * only guards against an unforeseen source of distinct texts.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly max = 500,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= this.max) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
