import { describe, expect, it } from 'vitest';
import { reportFromRow, reportJsonFromRow, type ReportRow } from './rows.js';

function row(body: unknown, patch: Partial<ReportRow> = {}): ReportRow {
  return {
    id: 'r1',
    seq: 42,
    status: 'pending',
    incident_id: 'i1',
    area_id: '872d6038bffffff',
    body: JSON.stringify(body),
    reporter_id: 'u1',
    username: 'monitor-7',
    superseded_by: null,
    review: null,
    ...patch,
  };
}

describe('reportJsonFromRow', () => {
  // The catch-up splices stored bodies into its answer as text: it must be byte for byte what
  // parsing the row and serialising the report gives.
  const bodies: [string, unknown][] = [
    ['a direct report', { id: 'r1', category: 'shelling', observedAt: '2026-03-01T12:00:00.000Z', location: { lon: 37.8, lat: 48.5, accuracyM: 50, source: 'gps' } }],
    [
      'a bearing report with casualties and escapes in its text',
      {
        id: 'r1',
        category: 'explosion',
        observer: { lon: 37.7, lat: 48.4 },
        bearing: 45,
        distanceM: 3000,
        casualties: { killed: 1, injured: 2 },
        description: 'He said "incoming" \\ then\nсвист — 💥 \u2028',
      },
    ],
    ['an empty body', {}],
  ];
  it.each(bodies)('gives what JSON.stringify(reportFromRow(row)) gives: %s', (_, body) => {
    for (const patch of [{}, { incident_id: null }, { status: 'rejected' as const, username: 'o"brien\\x' }, { incident_id: null, superseded_by: 'r2' },
      { status: 'rejected' as const, incident_id: null, review: JSON.stringify({ at: '2026-03-01T13:00:00.000Z', note: 'Wrong "town" \\ see\nmap' }) },
      { status: 'verified' as const, review: JSON.stringify({ at: '2026-03-01T13:00:00.000Z' }) }]) {
      const r = row(body, patch);
      expect(reportJsonFromRow(r)).toBe(JSON.stringify(reportFromRow(row(body, patch))));
      expect(JSON.parse(reportJsonFromRow(r))).toEqual(reportFromRow(row(body, patch)));
    }
  });
});
