import { createHash } from 'node:crypto';
import type { AuditEntry } from '@truceline/shared';

/** The `prevHash` of the first entry: there is no entry before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The canonical JSON text of a value (docs/audit.md): object keys sorted by code unit, no
 * whitespace, absent (`undefined`) keys left out, `null` kept, strings and whole numbers as
 * `JSON.stringify` writes them. Python's `json.dumps(v, sort_keys=True, separators=(',', ':'),
 * ensure_ascii=False)` writes the same text for the values an entry can hold.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`audit values hold whole numbers only, not ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** SHA-256 (hex) of the previous hash followed by the canonical JSON of the entry without `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash + canonicalJson(entry), 'utf8').digest('hex');
}
