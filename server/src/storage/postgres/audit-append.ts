import type pg from 'pg';
import type { AuditEntry } from '@truceline/shared';
import { AUDIT_INSERT_COLUMNS, auditRowValues, chainDrafts } from '../../audit/audit-rows.js';
import type { AuditDraft } from '../../audit/draft.js';
import { LOCK_KEYS } from './schema.js';

/**
 * Appends entries after the head inside the caller's transaction. The audit key's transaction
 * lock serialises appenders across every process, so the head read here is still the head when
 * this transaction commits: one chain, however many processes append. (A commit takes the writer
 * key first and this one second; nothing takes them the other way round.)
 */
export async function appendAuditPg(db: pg.ClientBase, drafts: readonly AuditDraft[]): Promise<AuditEntry[]> {
  if (drafts.length === 0) return [];
  await db.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS.audit]);
  const [head] = (await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows;
  const entries = chainDrafts(head ?? null, drafts);
  const width = 13;
  const values = entries.flatMap(auditRowValues);
  const tuples = entries.map((_, row) => `(${Array.from({ length: width }, (_, col) => `$${row * width + col + 1}`).join(', ')})`);
  await db.query(`INSERT INTO audit (${AUDIT_INSERT_COLUMNS}) VALUES ${tuples.join(', ')}`, values);
  return entries;
}
