import { describe, expect, it } from 'vitest';
import type { IncidentState, Report, Role } from '@truceline/shared';
import { type Action, can, incidentFor, redactReport, reportFor } from './access.js';

describe('can', () => {
  it.each<[Role, Action, boolean]>([
    ['monitor', 'report:submit', true],
    ['monitor', 'report:read', true],
    ['monitor', 'report:review', false],
    ['monitor', 'report:export', false],
    ['monitor', 'presence:read', false],
    ['monitor', 'user:manage', false],
    ['coordinator', 'report:review', true],
    ['coordinator', 'report:export', true],
    ['coordinator', 'presence:read', true],
    ['coordinator', 'user:manage', false],
    ['admin', 'report:review', true],
    ['admin', 'user:manage', true],
  ])('%s may %s: %s', (role, action, expected) => {
    expect(can({ role }, action)).toBe(expected);
  });
});

describe('reportFor', () => {
  const report = {
    id: 'r1',
    reporter: { id: 'u1', username: 'alice' },
    observer: { lon: 1, lat: 2 },
    bearing: { fromDeg: 1, toDeg: 2, reference: 'true' },
    bearingTrue: { fromDeg: 1, toDeg: 2 },
    distanceM: { min: 1, max: 2 },
    location: { lon: 1.1, lat: 2.1 },
    locationMethod: 'bearing',
    uncertaintyM: 80,
  } as unknown as Report;

  it('hides every field that locates the reporter from other monitors', () => {
    const seen = reportFor({ id: 'u2', role: 'monitor' }, report);
    expect(Object.keys(seen).sort()).toEqual(['id', 'location', 'locationMethod', 'uncertaintyM']);
    expect(redactReport(report)).toEqual(seen);
  });

  it('shows them to the reporter and to coordinators', () => {
    expect(reportFor({ id: 'u1', role: 'monitor' }, report)).toBe(report);
    expect(reportFor({ id: 'u9', role: 'coordinator' }, report)).toBe(report);
  });
});

describe('incidentFor', () => {
  const incident: IncidentState = {
    id: 'i1',
    seq: 3,
    location: { lon: 1, lat: 2 },
    uncertaintyM: 12,
    locationMethod: 'centroid',
    reportCount: 1,
    monitorCount: 1,
    reportIds: ['r1'],
    categories: ['shelling'],
    firstObservedAt: '2026-01-01T00:00:00.000Z',
    lastObservedAt: '2026-01-01T00:00:00.000Z',
  };

  it('gives monitors no monitorCount and an uncertainty rounded up to a coarse step', () => {
    const seen = incidentFor({ role: 'monitor' }, incident);
    expect(seen).not.toHaveProperty('monitorCount');
    expect(seen).toMatchObject({ uncertaintyM: 100, reportCount: 1 });
    expect(incidentFor({ role: 'monitor' }, { ...incident, uncertaintyM: 37 })).toEqual(seen);
    expect(incidentFor({ role: 'monitor' }, { ...incident, uncertaintyM: 101 })).toMatchObject({ uncertaintyM: 250 });
  });

  it('shows coordinators the incident as it is, and leaves tombstones alone', () => {
    expect(incidentFor({ role: 'coordinator' }, incident)).toBe(incident);
    const tombstone = { id: 'i2', seq: 4, mergedInto: 'i1' };
    expect(incidentFor({ role: 'monitor' }, tombstone)).toEqual(tombstone);
  });
});
