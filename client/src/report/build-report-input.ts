import type { ReportInputDraft } from '@truceline/shared';
import type { DraftFields } from './draft-fields';
import { parseDistance } from './distance';
import { bearingToDegrees, directLocation, observerOf, parseNumber } from './draft-geometry';

function localToIso(value: string): string {
  const ms = new Date(value).getTime();
  // An unparseable value is passed through so the schema's own message names the field.
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

/**
 * Turns the form into the contract's `ReportInput` (before parsing). Blank optional fields are
 * left out; numbers that do not parse are passed on as NaN so the shared schema reports them.
 */
export function buildReportInput(f: DraftFields, id: string, now: number): ReportInputDraft {
  const input: Record<string, unknown> = {
    id,
    category: f.category,
    observedAt: f.timeMode === 'now' ? new Date(now).toISOString() : localToIso(f.observedAt),
    method: f.method,
    confidence: f.confidence,
  };
  if (f.hasWindowEnd && f.observedUntil !== '') input.observedUntil = localToIso(f.observedUntil);
  if (f.assessment) input.assessment = f.assessment;
  if (f.weapon) input.weapon = f.weapon;
  if (f.count.trim() !== '') {
    input.count = parseNumber(f.count) ?? Number.NaN;
    input.countUnit = f.countUnit;
    if (f.countApprox) input.countApprox = true;
  }
  if (f.casualtiesKnown) {
    input.casualties = { killed: parseNumber(f.killed) ?? Number.NaN, injured: parseNumber(f.injured) ?? Number.NaN };
  }
  const description = f.description.trim();
  if (description !== '') input.description = description;

  if (f.positionMode === 'bearing') {
    const observer = observerOf(f);
    if (observer) {
      input.observer = {
        lon: observer.lon,
        lat: observer.lat,
        ...(observer.accuracyM !== undefined ? { accuracyM: Math.round(observer.accuracyM) } : {}),
      };
    }
    const from = parseNumber(f.bearingFrom);
    const to = parseNumber(f.bearingTo) ?? from;
    if (from !== undefined && to !== undefined) {
      input.bearing = { fromDeg: bearingToDegrees(from, f.bearingUnit), toDeg: bearingToDegrees(to, f.bearingUnit), reference: f.reference };
    }
    // Metres, whatever unit the monitor typed in; text that is not a distance is NaN here, and
    // `distanceFieldErrors` says why.
    const min = parseDistance(f.distanceMin, f.distanceUnit);
    const max = parseDistance(f.distanceMax, f.distanceUnit) ?? min;
    if (min !== undefined || max !== undefined) input.distanceM = { min: min ?? Number.NaN, max: max ?? Number.NaN };
  } else {
    const location = directLocation(f);
    if (location) {
      input.location = {
        lon: location.lon,
        lat: location.lat,
        source: location.source,
        ...(location.accuracyM !== undefined ? { accuracyM: Math.round(location.accuracyM) } : {}),
      };
    }
  }
  return input as ReportInputDraft;
}
