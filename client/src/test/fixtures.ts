import type { Report } from '@truceline/shared';

let counter = 0;

/** A stored report as the server sends it; override what a test is about. */
export function createReport(overrides: Partial<Report> = {}): Report {
  counter += 1;
  const id = `0190f3a2-0000-7000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    category: 'shelling',
    observedAt: '2026-03-01T12:00:00.000Z',
    location: { lon: 37.8, lat: 48.0, source: 'map' },
    method: 'heard',
    countUnit: 'explosions',
    confidence: 'medium',
    locationMethod: 'direct',
    uncertaintyM: 100,
    receivedAt: '2026-03-01T12:00:05.000Z',
    status: 'pending',
    incidentId: null,
    areaId: '872b9bc1bffffff',
    seq: counter,
    ...overrides,
  };
}
