import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { DEFAULT_FILTERS } from './filters';
import { visibleReports } from './visible-reports';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('visibleReports', () => {
  const recent = createReport({ id: 'a', observedAt: '2026-03-01T11:30:00Z', category: 'explosion' });
  const old = createReport({ id: 'b', observedAt: '2026-02-01T11:30:00Z', category: 'shelling' });
  const reports = { a: recent, b: old };

  it('filters the reports held, and answers the same inputs with the same list', () => {
    const filters = { ...DEFAULT_FILTERS, preset: '1h' as const };
    const first = visibleReports(reports, filters, 'u1', NOW);
    expect(first).toEqual([recent]);
    expect(visibleReports(reports, { ...filters }, 'u1', NOW)).toBe(first);
  });

  it('filters again when the reports, the filters or the time change', () => {
    const filters = { ...DEFAULT_FILTERS, preset: 'all' as const };
    const first = visibleReports(reports, filters, 'u1', NOW);
    expect(first).toEqual([recent, old]);
    expect(visibleReports({ ...reports }, filters, 'u1', NOW)).not.toBe(first);
    expect(visibleReports(reports, { ...filters, categories: ['shelling'] }, 'u1', NOW)).toEqual([old]);
    expect(visibleReports(reports, { ...DEFAULT_FILTERS, preset: '1h' }, 'u1', NOW + 3_600_000)).toEqual([]);
  });

  it('is not fooled by a filters object changed after the call', () => {
    const filters = { ...DEFAULT_FILTERS, preset: 'all' as const, onlyMine: false };
    expect(visibleReports(reports, filters, 'u1', NOW)).toHaveLength(2);
    filters.onlyMine = true;
    expect(visibleReports(reports, filters, 'u1', NOW)).toEqual([]);
  });
});
