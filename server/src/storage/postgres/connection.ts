import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { AppError } from '../../app-error.js';
import { LOCK_KEYS } from './schema.js';

/**
 * `bigint` columns (seqs, epoch milliseconds, counts) as numbers: every value Truceline stores
 * stays far below 2^53. Per connection, so nothing else in the process that uses `pg` changes.
 */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Whether an error means the connection is gone (server restarted, network), not a refused statement. */
export function isConnectionError(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart).
  if (code.startsWith('08') || code.startsWith('57P')) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|not queryable|Client has encountered a connection error|connection ended/i.test(message);
}

/**
 * A connection failure as the contract's `unavailable` (503, "try again"), so that a read or an
 * account change during a PostgreSQL restart is answered as what it is, not as `internal`;
 * anything else as it came.
 */
export function asUnavailable(error: unknown): unknown {
  if (!isConnectionError(error)) return error;
  const unavailable = new AppError('unavailable', 'The server cannot reach its database just now; nothing was done. Try again.');
  unavailable.cause = error;
  return unavailable;
}

/**
 * The store's one writing session (decision 3). Every seq-assigning write runs on it, one at a
 * time: `withWriteLock` holds the in-process mutex and the session advisory lock around its
 * whole callback, and writes called inside it (same async context) run directly; writes called
 * outside take the mutex for themselves. A lost connection is dropped, and the next call opens a
 * new one, so the store survives a PostgreSQL restart: the call in flight fails (nothing of it is
 * acknowledged), the next one works again. The server releases a dead session's locks itself.
 */
export class WriterConnection {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly held = new AsyncLocalStorage<true>();
  private closed = false;

  constructor(private readonly config: pg.ClientConfig) {}

  private async connection(): Promise<pg.Client> {
    if (this.closed) throw new Error('store closed');
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ ...this.config, types: PG_TYPES, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
      // A connection error between calls (server restart) must not crash the process: drop the client.
      client.on('error', () => this.drop(client));
      try {
        await client.connect();
        // Acknowledged means durable: a commit returns only once its WAL record is flushed.
        await client.query('SET synchronous_commit = on');
        // This session holds the writer lock every process waits for. If its machine vanishes
        // without closing the connection, the server must notice within seconds (not the
        // kernel's two hours) and release the lock; a transaction left open by a stalled
        // process is ended too. Commits take milliseconds, so a minute is far from any real one.
        await client.query(
          "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; SET idle_in_transaction_session_timeout = '60s'",
        );
      } catch (error) {
        this.drop(client);
        throw error;
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
  }

  /** Runs `fn` alone on the writer session (mutex only; no advisory lock). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held.getStore()) return fn();
    const run = this.tail.then(() => this.held.run(true, fn));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Decision 3: the whole callback under the cross-process writer lock, on this session. */
  withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held.getStore()) return fn();
    return this.exclusive(async () => {
      const client = await this.connection();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEYS.writer]);
      } catch (error) {
        if (isConnectionError(error)) this.drop(client);
        throw error;
      }
      try {
        return await fn();
      } finally {
        // Not awaited: the session runs its queries in order, so this process's next lock waits
        // behind the unlock anyway, and the acknowledgements of the batch just committed need
        // not wait a round trip for it. A session that cannot unlock is dropped: closing it
        // releases the lock.
        client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.writer]).catch(() => this.drop(client));
      }
    });
  }

  /**
   * One seq-assigning transaction on the writer session. It first takes the writer's transaction
   * lock (a re-entrant no-op when `withWriteLock` holds it, the guard when a caller forgot it) and
   * reads the watermark row; `fn` writes its rows with the seqs after `headSeq` and returns the
   * last one used, which becomes the watermark in the same transaction. The statements around
   * `fn` go as one round trip each way (the values are integers of ours, not input), since a
   * group commit waits for every round trip.
   */
  seqTransaction<T>(fn: (client: pg.Client, headSeq: number) => Promise<{ result: T; lastSeq: number }>): Promise<T> {
    return this.exclusive(async () => {
      const client = await this.connection();
      try {
        const opened = (await client.query(
          `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_KEYS.writer}); SELECT seq FROM seq_head FOR UPDATE`,
        )) as unknown as pg.QueryResult<{ seq: number }>[];
        const headSeq = opened[2]?.rows[0]?.seq ?? 0;
        const { result, lastSeq } = await fn(client, headSeq);
        if (!Number.isSafeInteger(lastSeq) || lastSeq < headSeq) throw new Error(`seq ${lastSeq} is not after the watermark ${headSeq}`);
        await client.query(`UPDATE seq_head SET seq = ${lastSeq}; COMMIT`);
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => this.drop(client));
        if (isConnectionError(error)) this.drop(client);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
