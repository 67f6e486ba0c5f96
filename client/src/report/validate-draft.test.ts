import { describe, expect, it } from 'vitest';
import { buildReportInput } from './build-report-input';
import { EMPTY_DRAFT, type DraftFields } from './draft-fields';
import { bearingToDegrees, draftSector, parseMgrs } from './draft-geometry';
import { validateDraft, validateForm } from './validate-draft';

const ID = '0190f3a2-0000-7000-8000-000000000001';
const NOW = Date.UTC(2026, 2, 1, 12);

function form(patch: Partial<DraftFields>): DraftFields {
  return { ...EMPTY_DRAFT, category: 'shelling', method: 'heard', positionMode: 'map', tapped: { lon: 37.8, lat: 48, accuracyM: 50 }, ...patch };
}

const errorsOf = (patch: Partial<DraftFields>) => validateDraft(buildReportInput(form(patch), ID, NOW));

describe('report form validation (shared schema)', () => {
  it('accepts a complete report', () => {
    expect(errorsOf({})).toEqual({});
  });

  it('puts a missing category next to the category picker', () => {
    expect(errorsOf({ category: undefined }).category).toEqual(['Choose one.']);
  });

  it('puts a missing method next to the method choice', () => {
    expect(errorsOf({ method: undefined }).method).toHaveLength(1);
  });

  it('asks for a position when none was given, next to the position picker', () => {
    const errors = errorsOf({ tapped: undefined });
    expect(errors.position?.[0]).toMatch(/give a location/);
  });

  it('rejects a count that is not a whole number, next to the count', () => {
    expect(errorsOf({ count: '2.5' }).count).toBeDefined();
    expect(errorsOf({ count: 'lots' }).count).toBeDefined();
    expect(errorsOf({ count: '110', countApprox: true })).toEqual({});
  });

  it('rejects an observation window end before its start', () => {
    const errors = errorsOf({ timeMode: 'set', observedAt: '2026-03-01T10:00', hasWindowEnd: true, observedUntil: '2026-03-01T09:00' });
    expect(errors.observedUntil?.[0]).toMatch(/before observedAt/);
  });

  it('rejects a time in the future with the schema message', () => {
    expect(errorsOf({ timeMode: 'set', observedAt: '2099-01-01T00:00' }).observedAt?.[0]).toMatch(/future/);
  });

  it('rejects negative casualties', () => {
    expect(errorsOf({ casualtiesKnown: true, killed: '-1', injured: '0' }).casualties).toBeDefined();
  });

  it('rejects a description over 2000 characters', () => {
    expect(errorsOf({ description: 'x'.repeat(2001) }).description?.[0]).toMatch(/2000/);
  });

  describe('from where I stand', () => {
    const bearing = (patch: Partial<DraftFields>) =>
      errorsOf({ positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.8, lat: 48 }, bearingFrom: '40', bearingTo: '60', distanceMin: '1000', distanceMax: '2000', ...patch });

    it('accepts a sector and a distance range', () => {
      expect(bearing({})).toEqual({});
    });

    it('rejects a sector wider than 180°, next to the bearing', () => {
      expect(bearing({ bearingFrom: '10', bearingTo: '200' }).bearing?.[0]).toMatch(/180/);
    });

    it('rejects a distance range whose minimum exceeds its maximum', () => {
      expect(bearing({ distanceMin: '3000', distanceMax: '2000' }).distance?.[0]).toMatch(/min must not exceed max/);
    });

    it('asks for the distance when only the bearing is given', () => {
      expect(bearing({ distanceMin: '', distanceMax: '' }).distance?.[0]).toMatch(/distanceM/);
    });

    it('stores kilometres as metres, with the toggle or with the unit typed out', () => {
      const input = (patch: Partial<DraftFields>) =>
        buildReportInput(form({ positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.8, lat: 48 }, bearingFrom: '40', ...patch }), ID, NOW);
      expect(input({ distanceUnit: 'km', distanceMin: '2.5', distanceMax: '3,2' }).distanceM).toEqual({ min: 2500, max: 3200 });
      expect(input({ distanceUnit: 'm', distanceMin: '2.5 km', distanceMax: '4000' }).distanceM).toEqual({ min: 2500, max: 4000 });
      expect(input({ distanceUnit: 'km', distanceMin: '900 m', distanceMax: '' }).distanceM).toEqual({ min: 900, max: 900 });
      expect(draftSector(form({ positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.8, lat: 48 }, bearingFrom: '40', distanceUnit: 'km', distanceMin: '2', distanceMax: '3' }), new Date(NOW))).toMatchObject({ min: 2000, max: 3000 });
    });

    it('names the distance box that is not a distance, and says what it takes', () => {
      const f = form({ positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.8, lat: 48 }, bearingFrom: '40', distanceMin: '2', distanceMax: 'far', distanceUnit: 'km' });
      const errors = validateForm(f, buildReportInput(f, ID, NOW));
      expect(errors.distance).toEqual(['Distance to: not a distance. Type a number, e.g. 2500, 2500 m or 2.5 km.']);
      expect(Object.keys(errors)).toEqual(['distance']);
    });

    it('refuses 60 km (the contract allows 50 000 m)', () => {
      expect(bearing({ distanceUnit: 'km', distanceMin: '10', distanceMax: '60' }).distance?.[0]).toMatch(/at most 50000 m/);
    });

    it('converts mils to degrees (6400 to the circle)', () => {
      expect(bearingToDegrees(1600, 'mil')).toBe(90);
      expect(bearingToDegrees(6400, 'mil')).toBe(0);
    });

    it('turns a magnetic sector to true north for the live wedge', () => {
      const f = form({ positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.8, lat: 48 }, bearingFrom: '40', bearingTo: '40', distanceMin: '1000', distanceMax: '1000', reference: 'magnetic' });
      const sector = draftSector(f, new Date(NOW));
      // Eastern Ukraine: declination is several degrees east.
      expect(sector?.fromDeg).toBeGreaterThan(42);
      expect(sector?.fromDeg).toBeLessThan(50);
    });
  });

  it('parses MGRS references and their precision', () => {
    const fix = parseMgrs('37U DQ 12345 67890');
    expect(fix?.lat).toBeGreaterThan(45);
    expect(fix?.accuracyM).toBe(1);
    expect(parseMgrs('37UDQ1267')?.accuracyM).toBe(708);
    expect(parseMgrs('not a grid')).toBeUndefined();
  });
});
