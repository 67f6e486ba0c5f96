import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

describe('StatementCache', () => {
  const db = new Database(':memory:');

  it('prepares each SQL text once and hands back the same statement', () => {
    const cache = new StatementCache(db);
    const a = cache.get('SELECT 1 AS one');
    expect(cache.get('SELECT 1 AS one')).toBe(a);
    expect(cache.get('SELECT 2 AS two')).not.toBe(a);
    expect(a.get()).toEqual({ one: 1 });
  });

  it('stays within its bound: past it, statements are prepared afresh and still work', () => {
    const cache = new StatementCache(db, 3);
    const first = cache.get('SELECT 1');
    for (const n of [2, 3, 4]) cache.get(`SELECT ${n}`);
    const again = cache.get('SELECT 1');
    expect(again).not.toBe(first);
    expect(again.raw(true).get()).toEqual([1]);
  });
});
