import type { Assessment, Category, Confidence, CountUnit, Method, Weapon } from '@truceline/shared';

export type PositionMode = 'gps' | 'map' | 'mgrs' | 'bearing';
export type BearingUnit = 'deg' | 'mil';
/** What a bare number in the distance boxes means; the report always carries metres. */
export type DistanceUnit = 'm' | 'km';

export interface Fix {
  lon: number;
  lat: number;
  accuracyM?: number;
}

/** What the report form holds while a monitor fills it in: raw input, strings as typed. */
export interface DraftFields {
  category: Category | undefined;
  timeMode: 'now' | 'set';
  /** `datetime-local` value (device time zone). */
  observedAt: string;
  hasWindowEnd: boolean;
  observedUntil: string;
  method: Method | undefined;
  assessment: Assessment | undefined;
  weapon: Weapon | undefined;
  count: string;
  countApprox: boolean;
  countUnit: CountUnit;
  casualtiesKnown: boolean;
  killed: string;
  injured: string;
  confidence: Confidence;
  description: string;

  positionMode: PositionMode;
  /** Latest GPS fix while the form is open. */
  gps: Fix | undefined;
  /** Point placed with the map's crosshair (named when taps placed it; stored drafts keep the name). */
  tapped: Fix | undefined;
  mgrsText: string;
  observerSource: 'gps' | 'map';
  /** Observer position placed with the map's crosshair. */
  observerTapped: Fix | undefined;
  bearingFrom: string;
  bearingTo: string;
  bearingUnit: BearingUnit;
  reference: 'true' | 'magnetic';
  distanceMin: string;
  distanceMax: string;
  distanceUnit: DistanceUnit;
}

export const EMPTY_DRAFT: DraftFields = {
  category: undefined,
  timeMode: 'now',
  observedAt: '',
  hasWindowEnd: false,
  observedUntil: '',
  method: undefined,
  assessment: undefined,
  weapon: undefined,
  count: '',
  countApprox: false,
  countUnit: 'explosions',
  casualtiesKnown: false,
  killed: '0',
  injured: '0',
  confidence: 'medium',
  description: '',
  positionMode: 'map',
  gps: undefined,
  tapped: undefined,
  mgrsText: '',
  observerSource: 'gps',
  observerTapped: undefined,
  bearingFrom: '',
  bearingTo: '',
  bearingUnit: 'deg',
  reference: 'true',
  distanceMin: '',
  distanceMax: '',
  distanceUnit: 'm',
};

/**
 * Whether discarding the draft would lose anything the monitor typed or chose. The position mode,
 * the units and the GPS fix are settings and surroundings, not content.
 */
export function draftHasContent(f: DraftFields): boolean {
  const typed = [f.count, f.description, f.mgrsText, f.bearingFrom, f.bearingTo, f.distanceMin, f.distanceMax].some((s) => s.trim() !== '');
  const chosen = [f.category, f.method, f.assessment, f.weapon, f.tapped, f.observerTapped].some((v) => v !== undefined);
  return typed || chosen || f.timeMode === 'set' || f.hasWindowEnd || f.casualtiesKnown || f.countApprox || f.confidence !== EMPTY_DRAFT.confidence;
}
