import { v7 as uuidv7 } from 'uuid';
import { ReportInput } from '@truceline/shared';
import { type NormalisedReport, normaliseReport } from '../ingest/normalise.js';
import type { CommitBatch } from './store.js';

/** Test data (beside `store-contract.ts`, which needs it in the build): what storage and commit-queue tests store: one monitor's reports, received at noon on 1 June 2026. */
export const TEST_REPORTER_ID = '01a22100-0000-7000-8000-000000000001';
const RECEIVED_MS = Date.UTC(2026, 5, 1, 12);

/** A heard shelling near Avdiivka an hour before it was received, as the pipeline hands it to the commit queue; `fields` override the input. */
export function normalisedReport(fields: Record<string, unknown> = {}, reporterId = TEST_REPORTER_ID): NormalisedReport {
  const input = ReportInput.parse({
    id: uuidv7(),
    category: 'shelling',
    observedAt: '2026-06-01T11:00:00Z',
    method: 'heard',
    location: { lon: 37.75, lat: 48.14, accuracyM: 100 },
    ...fields,
  });
  return normaliseReport(input, reporterId, RECEIVED_MS);
}

/** A commit batch of `parts` and nothing else. */
export function batchOf(parts: Partial<CommitBatch>): CommitBatch {
  return { newReports: [], statusChanges: [], incidentMoves: [], incidents: [], tombstones: [], areas: [], supersessions: [], audit: [], ...parts };
}
