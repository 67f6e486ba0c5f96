import type { DistanceUnit } from './draft-fields';

/**
 * A distance as typed, in metres (rounded to the metre). A bare number is in the unit the form's
 * toggle shows; a unit written after it ("2.5 km", "2500 m", also Cyrillic "км"/"м") wins over
 * the toggle, so a monitor who types the unit out is never misread. A decimal comma and spaces
 * between digit groups ("2 500") are accepted. `undefined`: blank; `NaN`: not a distance.
 */
export function parseDistance(text: string, unit: DistanceUnit): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  const m = /^(\d[\d\s]*(?:[.,]\d+)?|[.,]\d+)\s*(km|км|m|м)?$/u.exec(trimmed);
  if (!m?.[1]) return Number.NaN;
  const value = Number(m[1].replace(/\s+/g, '').replace(',', '.'));
  if (!Number.isFinite(value)) return Number.NaN;
  const written = m[2] === 'km' || m[2] === 'км' ? 'km' : m[2] === undefined ? unit : 'm';
  return Math.round(written === 'km' ? value * 1000 : value);
}

/** A slider's metres written back into the box in the unit the toggle shows. */
export function formatDistanceInput(metres: number, unit: DistanceUnit): string {
  return unit === 'km' ? String(Math.round(metres) / 1000) : String(Math.round(metres));
}
