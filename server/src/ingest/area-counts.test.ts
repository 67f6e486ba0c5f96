import { describe, expect, it } from 'vitest';
import type { AreaWrite } from '../storage/store.js';
import { type AreaCountChange, areaReads, areaWrites } from './area-counts.js';

const CENTER = { lon: 37.75, lat: 48.14 };
const T = Date.UTC(2026, 5, 1, 12);

function change(reportId: string, delta: 1 | -1, fields: Partial<AreaCountChange> = {}): AreaCountChange {
  return { areaId: 'a1', reportId, center: CENTER, category: 'shelling', delta, observedAtMs: T, ...fields };
}

function row(fields: Partial<AreaWrite> = {}): AreaWrite {
  return { areaId: 'a1', center: { lon: 1, lat: 2 }, count: 2, byCategory: { shelling: 2 }, lastObservedAtMs: T, ...fields };
}

describe('areaWrites', () => {
  it('counts an area seen for the first time, at the cell centre the change gives', () => {
    const rows = areaWrites(
      [change('r1', 1, { observedAtMs: T - 60_000 }), change('r2', 1, { category: 'explosion', observedAtMs: T })],
      new Map(),
      new Map(),
    );
    expect(rows).toEqual([{ areaId: 'a1', center: CENTER, count: 2, byCategory: { shelling: 1, explosion: 1 }, lastObservedAtMs: T }]);
  });

  it('adds to the stored row, keeping its centre and moving its last observation only forward', () => {
    const current = new Map([['a1', row({ lastObservedAtMs: T + 60_000 })]]);
    const [next] = areaWrites([change('r3', 1, { observedAtMs: T })], current, new Map());
    expect(next).toEqual({ areaId: 'a1', center: { lon: 1, lat: 2 }, count: 3, byCategory: { shelling: 3 }, lastObservedAtMs: T + 60_000 });
  });

  it('drops a category that falls to zero rather than show it as 0', () => {
    const current = new Map([['a1', row({ count: 3, byCategory: { shelling: 2, explosion: 1 } })]]);
    const [next] = areaWrites([change('r9', -1, { category: 'explosion' })], current, new Map([['a1', T - 5_000]]));
    expect(next?.byCategory).toEqual({ shelling: 2 });
    expect(next?.count).toBe(2);
  });

  it('takes the last observation from what remains after a report leaves, plus what this batch adds', () => {
    const current = new Map([['a1', row()]]);
    const leaving = [change('r1', -1, { observedAtMs: T })];
    expect(areaWrites(leaving, current, new Map([['a1', T - 3_600_000]]))[0]?.lastObservedAtMs).toBe(T - 3_600_000);
    // Nothing left: no last observation.
    expect(areaWrites(leaving, new Map([['a1', row({ count: 1, byCategory: { shelling: 1 } })]]), new Map([['a1', null]]))[0]).toEqual({
      areaId: 'a1',
      center: { lon: 1, lat: 2 },
      count: 0,
      byCategory: {},
      lastObservedAtMs: null,
    });
    // A report joining in the same batch counts towards it, whether later or earlier than what remains.
    const joined = [...leaving, change('r2', 1, { observedAtMs: T - 60_000 })];
    expect(areaWrites(joined, current, new Map([['a1', T - 3_600_000]]))[0]?.lastObservedAtMs).toBe(T - 60_000);
    expect(areaWrites(joined, current, new Map([['a1', null]]))[0]?.lastObservedAtMs).toBe(T - 60_000);
  });

  it('nets out a report that joins and leaves in one batch (a new report corrected at once)', () => {
    const current = new Map([['a1', row({ lastObservedAtMs: T - 60_000 })]]);
    const rows = areaWrites([change('new', 1, { observedAtMs: T }), change('new', -1, { observedAtMs: T })], current, new Map());
    expect(rows).toEqual([{ ...row(), lastObservedAtMs: T - 60_000 }]);
    expect(areaReads([change('new', 1), change('new', -1)]).removals).toEqual({ areaIds: [], reportIds: [] });
  });

  it('keeps areas apart, one row each in order of first change', () => {
    const rows = areaWrites(
      [change('r1', 1, { areaId: 'b' }), change('r2', 1, { areaId: 'a' }), change('r3', 1, { areaId: 'b' })],
      new Map(),
      new Map(),
    );
    expect(rows.map((r) => [r.areaId, r.count])).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });
});

describe('areaReads', () => {
  it('asks for every touched area, and for the last observation only where a report leaves, without the leaving reports', () => {
    const reads = areaReads([change('r1', 1, { areaId: 'a' }), change('r2', -1, { areaId: 'b' }), change('r3', -1, { areaId: 'b' })]);
    expect(reads.areaIds).toEqual(['a', 'b']);
    expect(reads.removals).toEqual({ areaIds: ['b'], reportIds: ['r2', 'r3'] });
  });
});
