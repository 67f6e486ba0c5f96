import type Database from 'better-sqlite3';
import { GENESIS_HASH, entryHash } from './canonical.js';
import { type AuditRow, entryFromRow } from './audit-rows.js';

export type ChainCheck =
  | { ok: true; entries: number; head: { seq: number; hash: string } | null }
  | { ok: false; entries: number; seq: number; reason: string };

/**
 * Checks rows fed in `seq` order, one at a time (so a long log does not fill memory): each
 * entry's hash recomputed from its columns, each linked to the one before. Engine-neutral.
 */
export class ChainChecker {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private head: { seq: number; hash: string } | null = null;
  private entries = 0;

  /** The failure this row makes, or `undefined` while the chain holds. */
  add(row: AuditRow): ChainCheck | undefined {
    const entries = this.entries;
    if (row.seq !== this.expectedSeq) return { ok: false, entries, seq: row.seq, reason: `expected entry ${this.expectedSeq} here (one is missing)` };
    if (row.prev_hash !== this.prevHash) return { ok: false, entries, seq: row.seq, reason: 'prevHash is not the hash of the entry before' };
    let recomputed: string;
    try {
      const { hash: _stored, ...rest } = entryFromRow(row);
      recomputed = entryHash(rest);
    } catch (error) {
      return { ok: false, entries, seq: row.seq, reason: `the row does not read as an entry (${(error as Error).message})` };
    }
    if (recomputed !== row.hash) return { ok: false, entries, seq: row.seq, reason: 'hash does not match the entry' };
    this.prevHash = row.hash;
    this.head = { seq: row.seq, hash: row.hash };
    this.expectedSeq++;
    this.entries++;
    return undefined;
  }

  result(): ChainCheck {
    return { ok: true, entries: this.entries, head: this.head };
  }
}

/** Recomputes the chain of a SQLite database and names the first entry that does not match. */
export function verifyAuditChain(db: Database.Database): ChainCheck {
  const checker = new ChainChecker();
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    const failure = checker.add(row);
    if (failure) return failure;
  }
  return checker.result();
}
