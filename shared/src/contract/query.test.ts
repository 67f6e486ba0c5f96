import { describe, expect, it } from 'vitest';
import { BulkSyncQuery, ReportListQuery, SyncArgs } from './query.js';

describe('ReportListQuery', () => {
  it('parses every filter', () => {
    const q = ReportListQuery.parse({
      bbox: '170,-10,-170,10',
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00+02:00',
      category: 'shelling,explosion,shelling',
      status: 'pending',
      reporter: 'me',
      limit: '1000',
      cursor: 'abc',
    });
    expect(q.bbox).toEqual({ minLon: 170, minLat: -10, maxLon: -170, maxLat: 10 });
    expect(q.since).toBe(Date.UTC(2026, 0, 1));
    expect(q.until).toBe(Date.UTC(2026, 0, 1, 22));
    expect(q.category).toEqual(['shelling', 'explosion']);
    expect(q.limit).toBe(1000);
  });

  it.each<[string, Record<string, unknown>]>([
    ['limit over 1000', { limit: '1001' }],
    ['limit 0', { limit: '0' }],
    ['limit not a number', { limit: 'ten' }],
    ['bbox with three numbers', { bbox: '1,2,3' }],
    ['bbox with NaN', { bbox: '1,2,NaN,4' }],
    ['bbox latitude inverted', { bbox: '0,10,1,5' }],
    ['bbox longitude out of range', { bbox: '0,0,181,1' }],
    ['unknown category', { category: 'shelling,fireworks' }],
    ['unknown status', { status: 'approved' }],
    ['since after until', { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
    ['a parameter given twice', { status: ['pending', 'verified'] }],
    ['unknown parameter', { categories: 'shelling' }],
  ])('refuses %s', (_why, query) => {
    expect(ReportListQuery.safeParse(query).success).toBe(false);
  });
});

describe('SyncArgs', () => {
  it('takes nothing, or a seq and a limit up to 1000', () => {
    expect(SyncArgs.parse(undefined)).toBeUndefined();
    expect(SyncArgs.parse({ afterSeq: 5, limit: 1000 })).toEqual({ afterSeq: 5, limit: 1000 });
    expect(SyncArgs.safeParse({ limit: 1001 }).success).toBe(false);
    expect(SyncArgs.safeParse({ afterSeq: -1 }).success).toBe(false);
  });
});

describe('BulkSyncQuery', () => {
  it('takes query-string numbers: any seq, pages up to 10,000', () => {
    expect(BulkSyncQuery.parse({})).toEqual({});
    expect(BulkSyncQuery.parse({ afterSeq: '12345678901', limit: '10000' })).toEqual({ afterSeq: 12345678901, limit: 10000 });
    for (const bad of [{ limit: '10001' }, { limit: '0' }, { afterSeq: '-1' }, { afterSeq: '1.5' }, { afterSeq: ['1', '2'] }, { since: '1' }]) {
      expect(BulkSyncQuery.safeParse(bad).success).toBe(false);
    }
  });
});
