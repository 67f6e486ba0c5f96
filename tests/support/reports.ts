import { v7 as uuidv7 } from 'uuid';
import type { ReportInputDraft } from '@truceline/shared';

/** A valid direct-location report near Avdiivka, observed a minute ago; override any field. */
export function makeReport(overrides: Partial<ReportInputDraft> = {}): ReportInputDraft {
  return {
    id: uuidv7(),
    category: 'shelling',
    observedAt: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    method: 'heard',
    location: { lon: 37.75, lat: 48.14, accuracyM: 50, source: 'gps' },
    ...overrides,
  };
}

/** A bearing report: observer + sector + distance range, no direct location. */
export function makeBearingReport(overrides: Partial<ReportInputDraft> = {}): ReportInputDraft {
  const { location: _location, ...base } = makeReport();
  return {
    ...base,
    observer: { lon: 37.7, lat: 48.1, accuracyM: 10 },
    bearing: { fromDeg: 80, toDeg: 100, reference: 'true' },
    distanceM: { min: 2000, max: 4000 },
    ...overrides,
  };
}
