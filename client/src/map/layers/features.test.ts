import { describe, expect, it } from 'vitest';
import type { IncidentState } from '@truceline/shared';
import { EMPTY_DRAFT, type DraftFields } from '../../report/draft-fields';
import { createReport } from '../../test/fixtures';
import { areasOf, incidentsOf } from './aggregate-features';
import { draftFeatures } from './draft-features';
import { reportPoints, reportWedge } from './report-features';

const NOW = new Date(Date.UTC(2026, 2, 1, 12));

describe('map features', () => {
  it('draws each report as a point with its category, status and highlight', () => {
    const fresh = createReport({ category: 'explosion' });
    const old = createReport({ status: 'verified' });
    const fc = reportPoints([fresh, old], { [fresh.id]: Date.now() });
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: fresh.id, category: 'explosion', status: 'pending', fresh: 1 },
      { id: old.id, category: 'shelling', status: 'verified' },
    ]);
    expect(fc.features[0]?.geometry.coordinates).toEqual([fresh.location.lon, fresh.location.lat]);
  });

  it('draws the wedge and the observer of a bearing report, and nothing for a direct one', () => {
    const bearing = createReport({
      locationMethod: 'bearing',
      observer: { lon: 37.7, lat: 48.1 },
      bearingTrue: { fromDeg: 30, toDeg: 50 },
      distanceM: { min: 3000, max: 5000 },
    });
    expect(reportWedge(bearing).map((f) => f.geometry.type)).toEqual(['Polygon', 'Point']);
    expect(reportWedge(createReport())).toEqual([]);
  });

  it('draws the report being written only while the form is open', () => {
    const fields: DraftFields = { ...EMPTY_DRAFT, positionMode: 'map', tapped: { lon: 37.7, lat: 48.1 } };
    expect(draftFeatures(fields, true, NOW).features).toHaveLength(1);
    expect(draftFeatures(fields, false, NOW).features).toHaveLength(0);
  });

  it('draws the live wedge once observer, bearing and distance are all given', () => {
    const partial: DraftFields = { ...EMPTY_DRAFT, positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.7, lat: 48.1 }, bearingFrom: '30' };
    expect(draftFeatures(partial, true, NOW).features.map((f) => f.properties?.role)).toEqual(['observer']);
    const complete = { ...partial, bearingTo: '50', distanceMin: '3000', distanceMax: '5000' };
    expect(draftFeatures(complete, true, NOW).features.map((f) => f.properties?.role)).toEqual(['wedge', 'observer']);
  });
});

describe('incidents and areas under the filters', () => {
  it('shows an incident when one of its visible reports belongs to it', () => {
    const a = createReport({ incidentId: 'inc-a' });
    const rejected = createReport({ incidentId: null, status: 'rejected' });
    const incident = (id: string, reportCount: number): IncidentState => ({
      id,
      seq: 1,
      location: { lon: 1, lat: 2 },
      uncertaintyM: 5,
      locationMethod: 'centroid',
      reportCount,
      monitorCount: 1,
      reportIds: [],
      categories: [],
      firstObservedAt: '',
      lastObservedAt: '',
    });
    const incidents = { 'inc-a': incident('inc-a', 2), 'inc-b': incident('inc-b', 1), 'inc-empty': incident('inc-empty', 0) };
    expect(incidentsOf([a, rejected], incidents).map((i) => i.id)).toEqual(['inc-a']);
    expect(incidentsOf([], incidents)).toEqual([]);
  });

  it('counts area cells over the visible reports only, never the rejected ones', () => {
    const one = createReport({ areaId: 'cell-1', category: 'shelling' });
    const two = createReport({ areaId: 'cell-1', category: 'explosion' });
    const three = createReport({ areaId: 'cell-2', category: 'shelling' });
    const rejected = createReport({ areaId: 'cell-2', status: 'rejected' });
    const areas = areasOf([one, two, three, rejected], {});
    expect(areas.map((a) => [a.id, a.count, a.byCategory])).toEqual([
      ['cell-1', 2, { shelling: 1, explosion: 1 }],
      ['cell-2', 1, { shelling: 1 }],
    ]);
  });
});
