import { describe, expect, it } from 'vitest';
import { IntervalSet } from './interval-set.js';
import { seededRandom } from '@truceline/shared';

describe('IntervalSet', () => {
  it('merges overlapping and adjacent intervals and keeps them sorted', () => {
    const set = new IntervalSet();
    set.add(10, 20);
    set.add(30, 40);
    expect(set.intervals).toEqual([[10, 20], [30, 40]]);
    set.add(21, 25); // adjacent to [10, 20]
    expect(set.intervals).toEqual([[10, 25], [30, 40]]);
    set.add(0, 5);
    set.add(50, 60);
    expect(set.intervals).toEqual([[0, 5], [10, 25], [30, 40], [50, 60]]);
    set.add(24, 52); // swallows two, touches two
    expect(set.intervals).toEqual([[0, 5], [10, 60]]);
    set.add(7, 6); // empty
    expect(set.intervals).toEqual([[0, 5], [10, 60]]);
  });

  it('reports exactly the uncovered parts of a range', () => {
    const set = new IntervalSet();
    expect(set.missing(1, 9)).toEqual([[1, 9]]);
    set.add(3, 4);
    set.add(7, 8);
    expect(set.missing(1, 9)).toEqual([[1, 2], [5, 6], [9, 9]]);
    expect(set.missing(3, 4)).toEqual([]);
    expect(set.missing(4, 7)).toEqual([[5, 6]]);
    expect(set.covers(7, 8)).toBe(true);
    expect(set.covers(6, 8)).toBe(false);
    expect(set.covers(5, 4)).toBe(true);
  });

  it('handles infinite ends', () => {
    const set = new IntervalSet();
    set.add(100, Infinity);
    expect(set.covers(100, Infinity)).toBe(true);
    expect(set.missing(-Infinity, Infinity)).toEqual([[-Infinity, 99]]);
    expect(set.missing(50, 200)).toEqual([[50, 99]]);
    set.add(-Infinity, 0);
    expect(set.missing(-Infinity, Infinity)).toEqual([[1, 99]]);
    set.add(1, 99);
    expect(set.intervals).toEqual([[-Infinity, Infinity]]);
    expect(set.covers(-Infinity, Infinity)).toBe(true);
    expect(() => set.add(Infinity, Infinity)).toThrow(RangeError);
    expect(() => set.missing(Number.NaN, 1)).toThrow(RangeError);
  });

  it('agrees with a brute-force set of integers on random operations', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = seededRandom(seed);
      const set = new IntervalSet();
      const brute = new Set<number>();
      for (let step = 0; step < 40; step++) {
        const a = Math.floor(r() * 200);
        const b = a + Math.floor(r() * 30) - 3;
        set.add(a, b);
        for (let x = a; x <= b; x++) brute.add(x);
        const qa = Math.floor(r() * 200);
        const qb = qa + Math.floor(r() * 50);
        const gaps = set.missing(qa, qb);
        const expected: number[] = [];
        for (let x = qa; x <= qb; x++) if (!brute.has(x)) expected.push(x);
        expect(gaps.flatMap(([x, y]) => Array.from({ length: y - x + 1 }, (_, i) => x + i))).toEqual(expected);
        const list = set.intervals;
        for (let i = 1; i < list.length; i++) expect((list[i] as number[])[0]).toBeGreaterThan((list[i - 1] as number[])[1] as number + 1);
      }
    }
  });

  it('takes ranges out, infinite ends included', () => {
    const set = new IntervalSet();
    set.add(0, 10);
    set.add(20, Infinity);
    set.remove(5, 25);
    expect(set.intervals).toEqual([[0, 4], [26, Infinity]]);
    set.remove(-Infinity, 0);
    expect(set.intervals).toEqual([[1, 4], [26, Infinity]]);
    set.remove(30, 29); // empty
    expect(set.intervals).toEqual([[1, 4], [26, Infinity]]);
    set.remove(-Infinity, 100);
    expect(set.intervals).toEqual([[101, Infinity]]);
    set.add(-Infinity, Infinity);
    set.remove(-Infinity, -Infinity);
    expect(set.intervals).toEqual([[-Infinity, Infinity]]);
  });

  it('agrees with a brute-force set of integers on random adds and removes', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = seededRandom(seed * 31);
      const set = new IntervalSet();
      const brute = new Set<number>();
      for (let step = 0; step < 60; step++) {
        const a = Math.floor(r() * 200);
        const b = a + Math.floor(r() * 40) - 3;
        if (r() < 0.4) {
          set.remove(a, b);
          for (let x = a; x <= b; x++) brute.delete(x);
        } else {
          set.add(a, b);
          for (let x = a; x <= b; x++) brute.add(x);
        }
        const covered = set.intervals.flatMap(([x, y]) => Array.from({ length: y - x + 1 }, (_, i) => x + i));
        expect(covered).toEqual([...brute].sort((p, q) => p - q));
        const list = set.intervals;
        for (let i = 1; i < list.length; i++) expect((list[i] as number[])[0]).toBeGreaterThan((list[i - 1] as number[])[1] as number + 1);
      }
    }
  });
});
