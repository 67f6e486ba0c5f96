import { cellToLatLng, latLngToCell } from 'h3-js';
import {
  AREA_H3_RESOLUTION,
  type ReportInput,
  locateFromBearing,
  magneticToTrue,
  toUtcIso,
} from '@truceline/shared';
import type { PlaceOf } from '../places/places.js';
import type { NewReport } from '../storage/store.js';
import { canonicalJson } from './canonical.js';

export interface NormalisedReport extends NewReport {
  startMs: number;
  endMs: number;
  areaCenter: { lon: number; lat: number };
}

/**
 * Derives everything the server adds to a parsed input: the location of bearing reports
 * (exactly as the contract defines it), true-north bearings, the uncertainty radius and
 * the area cell, and the place (nearest settlement) when a gazetteer is given. Pure apart from
 * reading the parsed input; `receivedAtMs` comes from the caller so tests can fix it.
 */
export function normaliseReport(input: ReportInput, reporterId: string, receivedAtMs: number, placeOf?: PlaceOf): NormalisedReport {
  const startMs = Date.parse(input.observedAt);
  const endMs = input.observedUntil === undefined ? startMs : Date.parse(input.observedUntil);
  let location: NewReport['report']['location'];
  let uncertaintyM: number;
  let bearingTrue: { fromDeg: number; toDeg: number } | undefined;
  let locationMethod: 'direct' | 'bearing';
  if (input.observer && input.bearing) {
    const { fromDeg, toDeg, reference } = input.bearing;
    bearingTrue =
      reference === 'magnetic' ? magneticToTrue({ fromDeg, toDeg }, input.observer, new Date(startMs)) : { fromDeg, toDeg };
  }
  if (input.location) {
    location = input.location;
    uncertaintyM = input.location.accuracyM ?? 0;
    locationMethod = 'direct';
  } else {
    // The schema guarantees observer, bearing and distance when location is absent.
    const observer = input.observer as NonNullable<ReportInput['observer']>;
    const derived = locateFromBearing(
      observer,
      bearingTrue as NonNullable<typeof bearingTrue>,
      input.distanceM as NonNullable<ReportInput['distanceM']>,
    );
    location = derived.location;
    uncertaintyM = derived.uncertaintyM;
    locationMethod = 'bearing';
  }
  const areaId = latLngToCell(location.lat, location.lon, AREA_H3_RESOLUTION);
  const [centerLat, centerLon] = cellToLatLng(areaId);
  const place = placeOf?.(location);
  return {
    report: {
      ...input,
      location,
      locationMethod,
      uncertaintyM,
      ...(bearingTrue ? { bearingTrue } : {}),
      receivedAt: toUtcIso(receivedAtMs),
      status: 'pending',
      incidentId: null,
      areaId,
      ...(place ? { place } : {}),
    },
    reporterId,
    canonicalInput: canonicalJson(input),
    startMs,
    endMs,
    areaCenter: { lon: round7(centerLon), lat: round7(centerLat) },
  };
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}
