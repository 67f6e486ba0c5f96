import type Database from 'better-sqlite3';
import type { AuditEntry } from '@truceline/shared';
import { GENESIS_HASH, entryHash } from './canonical.js';
import { type AuditRow, entryFromRow } from './audit-rows.js';

export type ChainCheck =
  | { ok: true; entries: number; head: { seq: number; hash: string } | null }
  | { ok: false; entries: number; seq: number; reason: string };

/**
 * Recomputes every entry's hash from its columns, in `seq` order, and checks each links to the
 * one before: the first entry that does not match is named. Reads the rows one at a time, so a
 * long log does not fill memory.
 */
export function verifyAuditChain(db: Database.Database): ChainCheck {
  return checkChain(db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>, (row) => ({
    seq: row.seq,
    prevHash: row.prev_hash,
    hash: row.hash,
    entry: () => entryFromRow(row),
  }));
}

/** The same check over entries as any store reads them back (`auditEntries`), oldest first. */
export function verifyAuditEntries(entries: Iterable<AuditEntry>): ChainCheck {
  return checkChain(entries, (entry) => ({ seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash, entry: () => entry }));
}

function checkChain<T>(items: Iterable<T>, read: (item: T) => { seq: number; prevHash: string; hash: string; entry: () => AuditEntry }): ChainCheck {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let head: { seq: number; hash: string } | null = null;
  let entries = 0;
  for (const item of items) {
    const row = read(item);
    if (row.seq !== expectedSeq) return { ok: false, entries, seq: row.seq, reason: `expected entry ${expectedSeq} here (one is missing)` };
    if (row.prevHash !== prevHash) return { ok: false, entries, seq: row.seq, reason: 'prevHash is not the hash of the entry before' };
    let recomputed: string;
    try {
      const { hash: _stored, ...rest } = row.entry();
      recomputed = entryHash(rest);
    } catch (error) {
      return { ok: false, entries, seq: row.seq, reason: `the row does not read as an entry (${(error as Error).message})` };
    }
    if (recomputed !== row.hash) return { ok: false, entries, seq: row.seq, reason: 'hash does not match the entry' };
    prevHash = row.hash;
    head = { seq: row.seq, hash: row.hash };
    expectedSeq++;
    entries++;
  }
  return { ok: true, entries, head };
}
