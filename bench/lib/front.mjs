// Synthetic but realistically shaped reports along a 400 km front line in eastern Ukraine.
// Deterministic (seeded), so a cached database and a fresh run describe the same world.

// The same seeded generator the grouping property tests use (mulberry32), from the production build.
export { seededRandom as rng } from '../../shared/dist/random/seeded-random.js';

const R = 6371008.8;
const RAD = Math.PI / 180;
/** Kupiansk → Bakhmut → Avdiivka → Vuhledar → Orikhiv, roughly; about 400 km along. */
const LINE = [
  [37.62, 49.71],
  [38.0, 48.6],
  [37.75, 48.14],
  [37.25, 47.78],
  [35.15, 47.45],
];
const lengths = [];
let total = 0;
for (let i = 1; i < LINE.length; i++) {
  const [lon1, lat1] = LINE[i - 1];
  const [lon2, lat2] = LINE[i];
  const dx = (lon2 - lon1) * RAD * R * Math.cos(((lat1 + lat2) / 2) * RAD);
  const dy = (lat2 - lat1) * RAD * R;
  const d = Math.hypot(dx, dy);
  lengths.push(d);
  total += d;
}
export const FRONT_LENGTH_M = total;

/** A point `along` metres down the line, moved `across` metres to its east (enemy side > 0). */
export function frontPoint(along, across) {
  let s = Math.max(0, Math.min(total - 1, along));
  let i = 0;
  while (s > lengths[i]) s -= lengths[i++];
  const [lon1, lat1] = LINE[i];
  const [lon2, lat2] = LINE[i + 1];
  const f = s / lengths[i];
  const lat = lat1 + (lat2 - lat1) * f;
  const lon = lon1 + (lon2 - lon1) * f;
  const cos = Math.cos(lat * RAD);
  // Unit normal of the segment in metres, pointing east-ish.
  const dx = (lon2 - lon1) * cos;
  const dy = lat2 - lat1;
  const n = Math.hypot(dx, dy);
  let nx = dy / n;
  let ny = -dx / n;
  if (nx < 0) {
    nx = -nx;
    ny = -ny;
  }
  return {
    lon: round6(lon + (nx * across) / (R * RAD * cos)),
    lat: round6(lat + (ny * across) / (R * RAD)),
  };
}

/** Donetsk oblast, roughly: the viewport a coordinator opens. */
export const OBLAST_BBOX = [36.5, 46.9, 39.0, 49.3];

const CATEGORIES = [
  ['shelling', 30],
  ['explosion', 20],
  ['small_arms_fire', 12],
  ['air_drone_strike', 10],
  ['drone_sighting', 8],
  ['heavy_weapons', 5],
  ['armed_clash', 4],
  ['projectile_in_flight', 3],
  ['mine_uxo', 2],
  ['infrastructure_damage', 2],
  ['civilian_harm', 2],
  ['monitor_restriction', 1],
  ['other', 1],
];
const CAT_TOTAL = CATEGORIES.reduce((s, [, w]) => s + w, 0);
const WEAPONS = ['artillery', 'mortar', 'mlrs', 'tank', 'small_arms', 'drone', 'undetermined'];
const METHODS = ['heard', 'seen', 'seen_and_heard', 'heard', 'camera'];
const PHRASES = [
  'Outgoing fire from the north-east, several impacts near the tree line.',
  'Heard a series of detonations, direction consistent with earlier reports.',
  'Smoke visible over the industrial area after the impact.',
  'Drone circling above the village for about ten minutes.',
  'Bursts of automatic fire, close, repeated at intervals.',
];

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}
function category(r) {
  let x = r() * CAT_TOTAL;
  for (const [c, w] of CATEGORIES) {
    x -= w;
    if (x < 0) return c;
  }
  return 'other';
}
function round6(x) {
  return Math.round(x * 1e6) / 1e6;
}
export function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An event: where and when something happened; several monitors may report it. */
export function makeEvent(r, atMs) {
  return { atMs, along: r() * total, across: (r() - 0.4) * 16_000, category: category(r) };
}

/** One monitor's `ReportInput` of `event`: a GPS/map fix (70 %) or an observer + bearing (30 %). */
export function makeInput(r, event, id) {
  const observedMs = event.atMs + Math.floor(r() * 180) * 1000;
  const input = {
    id,
    category: event.category,
    observedAt: isoSeconds(observedMs),
    method: pick(r, METHODS),
  };
  if (r() < 0.15) input.observedUntil = isoSeconds(observedMs + Math.floor(1 + r() * 30) * 60_000);
  if (r() < 0.7) {
    const p = frontPoint(event.along + (r() - 0.5) * 1200, event.across + (r() - 0.5) * 1200);
    input.location = { ...p, accuracyM: Math.round(5 + r() * 400), source: r() < 0.7 ? 'gps' : 'map' };
  } else {
    const back = 3000 + r() * 7000;
    input.observer = { ...frontPoint(event.along + (r() - 0.5) * 4000, event.across - back), accuracyM: Math.round(5 + r() * 30) };
    const center = 45 + r() * 90;
    const width = r() < 0.5 ? 0 : Math.round(r() * 30);
    input.bearing = { fromDeg: Math.round(center - width / 2), toDeg: Math.round(center + width / 2), reference: r() < 0.8 ? 'true' : 'magnetic' };
    input.distanceM = { min: Math.round(back * 0.7), max: Math.round(back * 1.3) };
  }
  if (r() < 0.6) input.weapon = pick(r, WEAPONS);
  if (r() < 0.5) {
    input.count = 1 + Math.floor(r() * 20);
    if (r() < 0.3) input.countApprox = true;
  }
  if (r() < 0.5) input.description = pick(r, PHRASES);
  if (r() < 0.03) input.casualties = { killed: Math.floor(r() * 2), injured: Math.floor(r() * 4) };
  return input;
}

/** A fresh report observed in the last two minutes, for live load. */
export function makeLiveInput(r, nowMs, id) {
  const event = makeEvent(r, Math.floor((nowMs - 120_000 - r() * 60_000) / 1000) * 1000);
  return makeInput(r, event, id);
}
