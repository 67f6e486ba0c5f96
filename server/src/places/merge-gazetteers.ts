import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { Settlement } from './settlement.js';

/** A mission entry replaces default entries of the same name (see `searchKey`) within this distance. */
export const OVERRIDE_RADIUS_M = 1_000;

/**
 * The default gazetteer extended by a mission's entries. A mission entry with the same name as
 * a default one within 1 km replaces it (an official transliteration, a corrected position,
 * a region name), keeping its region and country where the mission left them out; any other
 * mission entry is added, with the country of the nearest default settlement. Two settlements
 * of one name a kilometre apart are rare; a same-named village 10 km away is a different place.
 */
export function mergeGazetteers(defaults: readonly Settlement[], mission: readonly Settlement[]): Settlement[] {
  if (mission.length === 0 || defaults.length === 0) return [...defaults, ...mission];
  const tree = new KDBush(defaults.length);
  for (const s of defaults) tree.add(s.lon, s.lat);
  tree.finish();
  const replaced = new Set<number>();
  const added = mission.map((entry): Settlement => {
    const same = around(tree, entry.lon, entry.lat, Infinity, OVERRIDE_RADIUS_M / 1000, (i) => (defaults[i] as Settlement).key === entry.key);
    for (const i of same) replaced.add(i);
    const [nearestId] = same.length > 0 ? same : around(tree, entry.lon, entry.lat, 1);
    const nearest = nearestId === undefined ? undefined : defaults[nearestId];
    return {
      ...entry,
      admin1: entry.admin1 ?? (same.length > 0 ? (nearest?.admin1 ?? null) : null),
      countryCode: nearest?.countryCode ?? null,
    };
  });
  return [...defaults.filter((_, i) => !replaced.has(i)), ...added];
}
