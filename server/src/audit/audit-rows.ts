import type Database from 'better-sqlite3';
import { type AuditEntry, AuditAction, toUtcIso } from '@truceline/shared';
import { GENESIS_HASH, entryHash } from './canonical.js';
import type { AuditDraft } from './draft.js';

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before: string | null;
  after: string | null;
  note: string | null;
  address: string | null;
  prev_hash: string;
  hash: string;
}

/** The entry a row holds, as served and as hashed: absent optional fields have NULL columns. */
export function entryFromRow(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor_id === null ? null : { id: row.actor_id, username: row.actor_username ?? '' },
    action: AuditAction.parse(row.action),
    target: { type: row.target_type, id: row.target_id },
    ...(row.before !== null ? { before: JSON.parse(row.before) as AuditEntry['before'] } : {}),
    ...(row.after !== null ? { after: JSON.parse(row.after) as AuditEntry['after'] } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
    ...(row.address !== null ? { address: row.address } : {}),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The entries `drafts` become after `head` (the newest stored entry, `null` on an empty log):
 * numbered and chained, ready to insert. Engine-neutral; each engine reads the head and inserts
 * inside the transaction of the change the entries record.
 */
export function chainDrafts(head: { seq: number; hash: string } | null, drafts: readonly AuditDraft[]): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const out: AuditEntry[] = [];
  for (const d of drafts) {
    const unhashed: Omit<AuditEntry, 'hash'> = {
      seq: ++seq,
      at: toUtcIso(d.atMs),
      actor: d.actor === null ? null : { id: d.actor.id, username: d.actor.username },
      action: d.action,
      target: { type: d.target.type, id: d.target.id },
      ...(d.before !== undefined ? { before: d.before } : {}),
      ...(d.after !== undefined ? { after: d.after } : {}),
      ...(d.note !== undefined ? { note: d.note } : {}),
      ...(d.address !== undefined ? { address: d.address } : {}),
      prevHash,
    };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
    out.push(entry);
    prevHash = entry.hash;
  }
  return out;
}

/** The columns of an entry, in the order of `AUDIT_INSERT_COLUMNS`. */
export const AUDIT_INSERT_COLUMNS = 'seq, at, actor_id, actor_username, action, target_type, target_id, before, after, note, address, prev_hash, hash';
export function auditRowValues(entry: AuditEntry): (string | number | null)[] {
  return [
    entry.seq, entry.at, entry.actor?.id ?? null, entry.actor?.username ?? null, entry.action, entry.target.type, entry.target.id,
    entry.before === undefined ? null : JSON.stringify(entry.before), entry.after === undefined ? null : JSON.stringify(entry.after),
    entry.note ?? null, entry.address ?? null, entry.prevHash, entry.hash,
  ];
}

/**
 * Appends entries after the current head. Call it inside the transaction of the change the
 * entries record, so both commit or neither does.
 */
export function appendAuditEntries(db: Database.Database, drafts: readonly AuditDraft[]): AuditEntry[] {
  if (drafts.length === 0) return [];
  const head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const insert = db.prepare(`INSERT INTO audit (${AUDIT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const entries = chainDrafts(head ?? null, drafts);
  for (const entry of entries) insert.run(...auditRowValues(entry));
  return entries;
}
