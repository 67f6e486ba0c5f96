import { forward, toPoint } from 'mgrs';
import { magneticToTrue, normalizeDeg, sectorPolygon, type LonLat, type PolygonGeometry } from '@truceline/shared';
import type { BearingUnit, DraftFields, Fix } from './draft-fields';
import { parseDistance } from './distance';

/** NATO mils: 6400 to the circle. */
const MILS_PER_CIRCLE = 6400;

/** A typed number, or `undefined` for blank or garbage (the schema then names the field). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** A bearing as typed, in degrees in [0, 360); rounded to 0.01° (below any compass's precision). */
export function bearingToDegrees(value: number, unit: BearingUnit): number {
  const deg = unit === 'mil' ? (value * 360) / MILS_PER_CIRCLE : value;
  return normalizeDeg(Math.round(deg * 100) / 100);
}

/** Parses an MGRS reference; the accuracy is the size of the grid square its digits name. */
export function parseMgrs(text: string): Fix | undefined {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  const m = /^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}((?:\d\d){0,5})$/.exec(compact);
  if (!m) return undefined;
  try {
    // `toPoint` gives the centre of the square, so half its side bounds the error.
    const [lon, lat] = toPoint(compact);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
    const digits = (m[1] ?? '').length / 2;
    return { lon, lat, accuracyM: Math.ceil(10 ** (5 - digits) / Math.SQRT2) };
  } catch (error) {
    console.debug('mgrs: not a grid reference', error);
    return undefined;
  }
}

/** MGRS at 1 m precision, spaced for reading aloud over a radio: `37U DQ 12345 67890`. */
export function formatMgrs(p: LonLat): string {
  try {
    const raw = forward([p.lon, p.lat], 5);
    const m = /^(\d{1,2}[A-Z])([A-Z]{2})(\d{5})(\d{5})$/.exec(raw);
    return m ? `${m[1]} ${m[2]} ${m[3]} ${m[4]}` : raw;
  } catch (error) {
    // Outside MGRS's latitudes (polar regions use UPS).
    console.debug('mgrs: no grid reference here', error);
    return '—';
  }
}

export function formatDecimal(p: LonLat): string {
  return `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;
}

export function observerOf(f: DraftFields): Fix | undefined {
  return f.observerSource === 'gps' ? f.gps : f.observerTapped;
}

/** The direct position the form would submit, for the modes that give one. */
export function directLocation(f: DraftFields): (Fix & { source: 'gps' | 'map' | 'mgrs' }) | undefined {
  if (f.positionMode === 'gps') return f.gps && { ...f.gps, source: 'gps' };
  if (f.positionMode === 'map') return f.tapped && { ...f.tapped, source: 'map' };
  if (f.positionMode === 'mgrs') {
    const fix = parseMgrs(f.mgrsText);
    return fix && { ...fix, source: 'mgrs' };
  }
  return undefined;
}

export interface DraftSector {
  observer: Fix;
  /** In true degrees (a magnetic bearing is corrected for the observer's place and today). */
  fromDeg: number;
  toDeg: number;
  min: number;
  max: number;
}

/** The bearing sector as far as it is typed in, or `undefined` while something is missing. */
export function draftSector(f: DraftFields, now: Date): DraftSector | undefined {
  const observer = observerOf(f);
  const from = parseNumber(f.bearingFrom);
  const to = parseNumber(f.bearingTo) ?? from;
  const minRaw = parseDistance(f.distanceMin, f.distanceUnit);
  const maxRaw = parseDistance(f.distanceMax, f.distanceUnit) ?? minRaw;
  if (!observer || from === undefined || to === undefined || minRaw === undefined || maxRaw === undefined) return undefined;
  if (Number.isNaN(minRaw) || Number.isNaN(maxRaw) || minRaw <= 0 || maxRaw < minRaw || maxRaw > 50_000) return undefined;
  let sector = { fromDeg: bearingToDegrees(from, f.bearingUnit), toDeg: bearingToDegrees(to, f.bearingUnit) };
  if (f.reference === 'magnetic') sector = magneticToTrue(sector, observer, now);
  return { observer, ...sector, min: minRaw, max: maxRaw };
}

/** The wedge drawn live on the map: the very polygon the server's geometry code computes. */
export function draftWedge(s: DraftSector): PolygonGeometry {
  return sectorPolygon(s.observer, { fromDeg: s.fromDeg, toDeg: s.toDeg }, { min: s.min, max: s.max });
}
