import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { applyAreas, applyIncidents, applyReports, EMPTY_LIVE_DATA, replaceAggregates } from './live-data-reducer';

const incident = (id: string, seq: number) => ({
  id,
  seq,
  location: { lon: 37.8, lat: 48 },
  uncertaintyM: 500,
  locationMethod: 'centroid' as const,
  reportCount: 2,
  monitorCount: 1,
  reportIds: [],
  categories: ['shelling' as const],
  firstObservedAt: '2026-03-01T12:00:00.000Z',
  lastObservedAt: '2026-03-01T12:00:00.000Z',
});

const area = (id: string, seq: number, count: number) => ({
  id,
  seq,
  center: { lon: 37.8, lat: 48 },
  count,
  byCategory: { shelling: count },
  lastObservedAt: '2026-03-01T12:00:00.000Z',
});

describe('applyReports', () => {
  it('adds new reports and lists them as changed', () => {
    const r = createReport({ seq: 5 });
    const { data, changed } = applyReports(EMPTY_LIVE_DATA, [r]);
    expect(data.reports[r.id]).toEqual(r);
    expect(changed).toEqual([r]);
  });

  it.each([
    ['an older seq', 4, false],
    ['the same seq (a repeated live event)', 5, false],
    ['a newer seq', 6, true],
  ])('with %s replaces the held report: %s', (_name, seq, replaces) => {
    const held = createReport({ seq: 5, status: 'pending' });
    const start = applyReports(EMPTY_LIVE_DATA, [held]).data;
    const { data, changed } = applyReports(start, [{ ...held, seq, status: 'verified' }]);
    expect(data.reports[held.id]?.status).toBe(replaces ? 'verified' : 'pending');
    expect(changed).toHaveLength(replaces ? 1 : 0);
  });

  it('keeps the state object when nothing changed (no needless redraw)', () => {
    const r = createReport();
    const start = applyReports(EMPTY_LIVE_DATA, [r]).data;
    expect(applyReports(start, [r]).data).toBe(start);
  });

  it('applies out-of-order events by seq, whatever the arrival order', () => {
    const r = createReport({ seq: 10 });
    const newer = { ...r, seq: 12, status: 'rejected' as const };
    const older = { ...r, seq: 11, status: 'verified' as const };
    const { data } = applyReports(EMPTY_LIVE_DATA, [r, newer, older]);
    expect(data.reports[r.id]?.status).toBe('rejected');
  });

  it('does not move the sync cursor: only a completed sync proves there is no gap', () => {
    const { data } = applyReports(EMPTY_LIVE_DATA, [createReport({ seq: 99 })]);
    expect(data.syncedSeq).toBe(0);
  });
});

describe('applyIncidents', () => {
  it('stores a newer state and ignores an older one', () => {
    const a = applyIncidents(EMPTY_LIVE_DATA, [incident('i1', 3)]);
    expect(applyIncidents(a, [{ ...incident('i1', 2), reportCount: 9 }]).incidents.i1?.reportCount).toBe(2);
    expect(applyIncidents(a, [{ ...incident('i1', 4), reportCount: 9 }]).incidents.i1?.reportCount).toBe(9);
  });

  it('removes an incident merged into another', () => {
    const a = applyIncidents(EMPTY_LIVE_DATA, [incident('i1', 3)]);
    const b = applyIncidents(a, [{ id: 'i1', seq: 4, mergedInto: 'i0' }]);
    expect(b.incidents.i1).toBeUndefined();
  });
});

describe('applyIncidents with a commit\'s list', () => {
  it('applies every newer item of the list and leaves the data untouched when none is newer', () => {
    const a = applyIncidents(EMPTY_LIVE_DATA, [incident('i1', 3), incident('i2', 4)]);
    const b = applyIncidents(a, [{ id: 'i1', seq: 5, mergedInto: 'i2' }, { ...incident('i2', 6), reportCount: 7 }, incident('i3', 6)]);
    expect(Object.keys(b.incidents).sort()).toEqual(['i2', 'i3']);
    expect(b.incidents.i2?.reportCount).toBe(7);
    expect(applyIncidents(b, [incident('i2', 6), incident('i3', 1)])).toBe(b);
  });
});

describe('applyAreas', () => {
  it('drops a cell whose count fell to zero', () => {
    const a = applyAreas(EMPTY_LIVE_DATA, [area('c1', 1, 3)]);
    expect(applyAreas(a, [area('c1', 2, 0)]).areas.c1).toBeUndefined();
  });

  it('ignores an out-of-date update', () => {
    const a = applyAreas(EMPTY_LIVE_DATA, [area('c1', 5, 3)]);
    expect(applyAreas(a, [area('c1', 4, 7)]).areas.c1?.count).toBe(3);
  });
});

describe('replaceAggregates', () => {
  it('takes a list answer but keeps a newer incident already received live', () => {
    const live = applyIncidents(EMPTY_LIVE_DATA, [{ ...incident('i1', 9), reportCount: 5 }]);
    const next = replaceAggregates(live, [incident('i1', 7), incident('i2', 8)], [area('c1', 1, 1)]);
    expect(next.incidents.i1?.reportCount).toBe(5);
    expect(next.incidents.i2).toBeDefined();
    expect(next.areas.c1?.count).toBe(1);
  });

  it('drops tombstones and empty areas from a list answer', () => {
    const next = replaceAggregates(EMPTY_LIVE_DATA, [incident('i1', 3), { id: 'i2', seq: 4, mergedInto: 'i1' }], [area('c1', 1, 0), area('c2', 2, 3)]);
    expect(Object.keys(next.incidents)).toEqual(['i1']);
    expect(Object.keys(next.areas)).toEqual(['c2']);
  });

  it('takes a list of 100,000 incidents in one pass', () => {
    const list = Array.from({ length: 100_000 }, (_, n) => incident(`i${n}`, n + 1));
    const next = replaceAggregates(EMPTY_LIVE_DATA, list, []);
    expect(Object.keys(next.incidents)).toHaveLength(100_000);
  });
});
