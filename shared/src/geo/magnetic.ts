import geomagnetism from 'geomagnetism';
import type { BearingSector, LonLat } from './sector.js';
import { normalizeDeg } from './angles.js';

type TimedModel = ReturnType<typeof geomagnetism.model>;

const DAY_MS = 86_400_000;
/** Recent days only; reports cluster around "now", so a tiny cache suffices. */
const MAX_CACHED_DAYS = 8;
const modelsByDay = new Map<number, TimedModel>();

/**
 * The days the bundled models cover. A report may be dated back to 2000 (the contract
 * allows it) or, near the end of WMM-2025's life, past it; such dates are clamped to the
 * nearest covered day rather than refused, because declination drifts only ~0.1°/year and
 * refusing a genuine historical report would lose it.
 */
const FIRST_MODEL_DAY = Math.ceil(Date.UTC(2014, 11, 15, 7) / DAY_MS);
const LAST_MODEL_DAY = Math.floor(Date.UTC(2029, 10, 13, 3) / DAY_MS) - 1;

/**
 * Building a timed WMM model re-derives every coefficient, which is far more
 * costly than evaluating it, and declination drifts only ~0.1°/year. So one
 * model per UTC day is built at 00:00 UTC and reused, which also makes the
 * result identical for any time within that day.
 */
function modelForDay(date: Date): TimedModel {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError('magnetic declination needs a valid date');
  const day = Math.min(LAST_MODEL_DAY, Math.max(FIRST_MODEL_DAY, Math.floor(t / DAY_MS)));
  let model = modelsByDay.get(day);
  if (!model) {
    model = geomagnetism.model(new Date(day * DAY_MS));
    if (modelsByDay.size >= MAX_CACHED_DAYS) {
      const oldest = modelsByDay.keys().next().value;
      if (oldest !== undefined) modelsByDay.delete(oldest);
    }
    modelsByDay.set(day, model);
  }
  return model;
}

/**
 * Magnetic declination (degrees, east positive) at a place and date, from the
 * World Magnetic Model bundled with `geomagnetism` (WMM-2015 … WMM-2025).
 *
 * Needed because observers read bearings off a compass, while the map and the
 * report contract work in true degrees; in Ukraine the difference is ~8°,
 * i.e. ~400 m of lateral error at 3 km.
 *
 * Evaluated at 00:00 UTC of `date`'s UTC day (see the per-day cache); dates outside
 * the bundled models (2014-12-15 … 2029-11-13) use the nearest day they cover.
 */
export function magneticDeclinationDeg(at: LonLat, date: Date): number {
  // geomagnetism takes [lat, lon] – latitude first.
  return modelForDay(date).point([at.lat, at.lon]).decl;
}

/**
 * Converts a compass (magnetic) sector to the true-north sector the contract
 * stores: true = magnetic + declination (east positive), per bound.
 *
 * Bounds are normalised to [0, 360) and rounded to 0.01°, which is well below
 * compass precision and keeps stored values stable; a sector that crosses 360
 * after correction simply wraps (e.g. 355° + 8° → 3°), and the clockwise
 * width is preserved because both bounds get the same correction.
 */
export function magneticToTrue(sector: BearingSector, at: LonLat, date: Date): BearingSector {
  const decl = magneticDeclinationDeg(at, date);
  const fix = (deg: number): number => normalizeDeg(Math.round(normalizeDeg(deg + decl) * 100) / 100);
  return { fromDeg: fix(sector.fromDeg), toDeg: fix(sector.toDeg) };
}
