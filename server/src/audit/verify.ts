import type Database from 'better-sqlite3';
import type { AuditEntry } from '@truceline/shared';
import { GENESIS_HASH, entryHash } from './canonical.js';
import { type AuditRow, entryFromRow } from './audit-rows.js';

export type ChainCheck =
  | { ok: true; entries: number; head: { seq: number; hash: string } | null }
  | { ok: false; entries: number; seq: number; reason: string };

/** What the check reads of one entry; `entry` is called only to recompute the hash. */
export interface ChainItem {
  seq: number;
  prevHash: string;
  hash: string;
  entry: () => AuditEntry;
}

/** A stored row as the check reads it (both engines store the same columns). */
export function chainItemOfRow(row: AuditRow): ChainItem {
  return { seq: row.seq, prevHash: row.prev_hash, hash: row.hash, entry: () => entryFromRow(row) };
}

/**
 * Recomputes every entry's hash from its columns, in `seq` order, and checks each links to the
 * one before: the first entry that does not match is named. Fed one entry at a time, so a long
 * log does not fill memory, and usable from a synchronous loop (SQLite) or an asynchronous one
 * (a PostgreSQL cursor).
 */
export class ChainChecker {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private head: { seq: number; hash: string } | null = null;
  private entries = 0;

  /** The failure this entry makes, or `undefined` while the chain holds. */
  add(row: ChainItem): ChainCheck | undefined {
    const entries = this.entries;
    if (row.seq !== this.expectedSeq) return { ok: false, entries, seq: row.seq, reason: `expected entry ${this.expectedSeq} here (one is missing)` };
    if (row.prevHash !== this.prevHash) return { ok: false, entries, seq: row.seq, reason: 'prevHash is not the hash of the entry before' };
    let recomputed: string;
    try {
      const { hash: _stored, ...rest } = row.entry();
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

export function verifyAuditChain(db: Database.Database): ChainCheck {
  return checkChain(db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>, chainItemOfRow);
}

/** The same check over entries as any store reads them back (`auditEntries`), oldest first. */
export function verifyAuditEntries(entries: Iterable<AuditEntry>): ChainCheck {
  return checkChain(entries, (entry) => ({ seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash, entry: () => entry }));
}

function checkChain<T>(items: Iterable<T>, read: (item: T) => ChainItem): ChainCheck {
  const checker = new ChainChecker();
  for (const item of items) {
    const failure = checker.add(read(item));
    if (failure) return failure;
  }
  return checker.result();
}
