import { REPORT_LIMITS } from '@truceline/shared';
import { describe, expect, it } from 'vitest';
import { withIndexBounds } from './report-filter.js';

describe('withIndexBounds', () => {
  it('bounds observation starts to since − the longest window, and leaves a filter without since alone', () => {
    expect(withIndexBounds({ sinceMs: 100_000_000, categories: ['shelling'] })).toEqual({
      sinceMs: 100_000_000,
      categories: ['shelling'],
      observedFromMs: 100_000_000 - REPORT_LIMITS.maxWindowMs,
    });
    const plain = { untilMs: 5 };
    expect(withIndexBounds(plain)).toBe(plain);
  });

  it('keeps a tighter bound the caller set', () => {
    const since = 100_000_000;
    expect(withIndexBounds({ sinceMs: since, observedFromMs: since - 1 }).observedFromMs).toBe(since - 1);
    expect(withIndexBounds({ sinceMs: since, observedFromMs: 0 }).observedFromMs).toBe(since - REPORT_LIMITS.maxWindowMs);
  });
});
