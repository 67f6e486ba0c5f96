import { describe, expect, it } from 'vitest';
import { seededRandom } from '@truceline/shared';
import { DEFAULT_GROUPING, EARTH_RADIUS_M, type GroupingConfig, edgeDistanceM, timeGapMs } from './link.js';
import { SpaceTimeIndex, type SpaceTimeItem } from './space-time-index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const rng = seededRandom;

/** Items scattered around a centre, with the whole range of radii (0–30 km) and windows (0–24 h). */
function scatter(seed: number, n: number, centre: { lon: number; lat: number }, spreadM: number): SpaceTimeItem[] {
  const r = rng(seed);
  const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
  const items: SpaceTimeItem[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = Date.UTC(2025, 0, 1) + Math.floor(r() * 48 * HOUR);
    const durPick = r();
    const dur = durPick < 0.6 ? r() * 30 * MIN : durPick < 0.9 ? r() * 6 * HOUR : r() * 24 * HOUR;
    const radPick = r();
    const radiusM = radPick < 0.1 ? 0 : radPick < 0.7 ? r() * 2_000 : radPick < 0.95 ? r() * 10_000 : r() * 30_000;
    const lat = Math.max(-90, Math.min(90, centre.lat + deg((r() - 0.5) * spreadM)));
    const lonScale = Math.max(0.05, Math.cos((lat * Math.PI) / 180));
    items.push({
      id: `i${i}`,
      startMs,
      endMs: startMs + Math.floor(dur),
      lon: centre.lon + deg((r() - 0.5) * spreadM) / lonScale,
      lat,
      radiusM,
    });
  }
  return items;
}

function near(a: SpaceTimeItem, b: SpaceTimeItem, cfg: GroupingConfig): boolean {
  return timeGapMs(a, b) <= cfg.maxGapMs && edgeDistanceM(a, b) <= cfg.maxEdgeDistanceM;
}

describe('SpaceTimeIndex', () => {
  const places: [string, { lon: number; lat: number }, number][] = [
    ['mid latitudes', { lon: 37.8, lat: 48.0 }, 120_000],
    ['antimeridian', { lon: 179.9, lat: -17 }, 120_000],
    ['near the north pole', { lon: 10, lat: 89.6 }, 150_000],
    ['high southern latitudes', { lon: -60, lat: -88.3 }, 250_000],
    ['equator, tight cluster', { lon: 0, lat: 0 }, 8_000],
  ];

  it.each(places)('returns a superset of every time/space neighbour, without duplicates (%s)', (_name, centre, spread) => {
    for (const cfg of [DEFAULT_GROUPING, { maxGapMs: 0, maxEdgeDistanceM: 0 }, { maxGapMs: 3 * HOUR, maxEdgeDistanceM: 15_000 }]) {
      const items = scatter(7, 400, centre, spread);
      const index = new SpaceTimeIndex<SpaceTimeItem>(cfg, (x) => x);
      for (const item of items) index.insert(item);
      expect(index.size).toBe(items.length);
      for (const q of items) {
        const seen: string[] = [];
        index.forEachCandidate(q, (c) => seen.push(c.id));
        expect(new Set(seen).size).toBe(seen.length);
        const got = new Set(seen);
        const missing = items.filter((other) => near(q, other, cfg) && !got.has(other.id)).map((o) => o.id);
        expect(missing, `candidates of ${q.id}`).toEqual([]);
      }
    }
  });

  it('near a pole, widens the longitude range by the box latitude closest to the pole, not the query latitude', () => {
    // The farthest-in-longitude point within reach of a point 111 km from the pole lies nearer the pole.
    const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
    const q: SpaceTimeItem = { id: 'q', startMs: 0, endMs: 0, lon: 0, lat: 89, radiusM: 30_000 };
    const c: SpaceTimeItem = { id: 'c', startMs: 0, endMs: 0, lon: 33.5, lat: 90 - deg(92_200), radiusM: 30_000 };
    // Laid out for a 2 km margin (c is just within reach).
    const cfg = { ...DEFAULT_GROUPING, maxEdgeDistanceM: 2_000 };
    expect(near(q, c, cfg)).toBe(true);
    const index = new SpaceTimeIndex<SpaceTimeItem>(cfg, (x) => x);
    index.insert(c);
    const got: string[] = [];
    index.forEachCandidate(q, (x) => got.push(x.id));
    expect(got).toEqual(['c']);
  });

  it('forgets removed items and rejects duplicates', () => {
    const items = scatter(11, 200, { lon: 30, lat: 50 }, 20_000);
    const index = new SpaceTimeIndex<SpaceTimeItem>(DEFAULT_GROUPING, (x) => x);
    for (const item of items) index.insert(item);
    const first = items[0];
    if (!first) throw new Error('no items');
    expect(() => index.insert(first)).toThrow(/duplicate/);
    const removed = new Set(items.filter((_, i) => i % 3 === 0).map((x) => x.id));
    for (const id of removed) expect(index.remove(id)?.id).toBe(id);
    expect(index.remove('i0')).toBeUndefined();
    expect(index.size).toBe(items.length - removed.size);
    const ghosts: string[] = [];
    for (const q of items) index.forEachCandidate(q, (c) => removed.has(c.id) && ghosts.push(c.id));
    expect(ghosts).toEqual([]);
    for (const q of items.filter((x) => !removed.has(x.id))) {
      const got = new Set<string>();
      index.forEachCandidate(q, (c) => got.add(c.id));
      const missing = items.filter((o) => !removed.has(o.id) && near(q, o, DEFAULT_GROUPING) && !got.has(o.id));
      expect(missing).toEqual([]);
    }
  });

  it('rejects invalid geometry', () => {
    const index = new SpaceTimeIndex<SpaceTimeItem>(DEFAULT_GROUPING, (x) => x);
    const ok: SpaceTimeItem = { id: 'a', startMs: 0, endMs: 0, lon: 0, lat: 0, radiusM: 0 };
    expect(() => index.insert({ ...ok, endMs: -1 })).toThrow(RangeError);
    expect(() => index.insert({ ...ok, lat: 91 })).toThrow(RangeError);
    expect(() => index.insert({ ...ok, lon: Number.NaN })).toThrow(RangeError);
    expect(() => index.insert({ ...ok, radiusM: -1 })).toThrow(RangeError);
    expect(() => new SpaceTimeIndex<SpaceTimeItem>({ maxGapMs: -1, maxEdgeDistanceM: 0 }, (x) => x)).toThrow(RangeError);
  });
});
