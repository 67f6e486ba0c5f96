import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from '@truceline/shared';
import { IncidentIndex } from './incident-index.js';
import { LimitBox, tileKey, withinLimits } from './limits.js';
import { DEFAULT_GROUPING, EARTH_RADIUS_M, type GroupingConfig, haversineM } from './link.js';
import type { Member } from './types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
const T0 = Date.UTC(2025, 5, 1, 20, 0);

/** A walk of `n` reports, `stepM` metres north-east of each other and `stepMin` minutes apart. */
function walk(prefix: string, n: number, stepM: number, stepMin: number, from = { lon: 37.5, lat: 48.0 }, t0 = T0): Member[] {
  const out: Member[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = t0 + i * stepMin * MIN;
    const lat = from.lat + deg(stepM * i * Math.SQRT1_2);
    const lon = from.lon + deg(stepM * i * Math.SQRT1_2) / Math.cos((lat * Math.PI) / 180);
    out.push({ id: `${prefix}${String(i).padStart(4, '0')}`, category: 'shelling', startMs, endMs: startMs + 2 * MIN, lon, lat, radiusM: 50, reporterId: `m${i % 3}` });
  }
  return out;
}

function indexOf(members: readonly Member[], config: GroupingConfig = DEFAULT_GROUPING): IncidentIndex {
  let n = 0;
  const idx = new IncidentIndex(config, () => `i${++n}`);
  for (const m of members) idx.add(m);
  return idx;
}

function partition(idx: IncidentIndex, members: readonly Member[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const m of members) {
    const inc = idx.incidentOf(m.id) ?? 'none';
    groups.set(inc, [...(groups.get(inc) ?? []), m.id]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
}

/** Measured independently of `LimitBox`: the starts' spread and the largest distance between two locations. */
function spread(members: readonly Member[]): { spanMs: number; farthestM: number } {
  const starts = members.map((m) => m.startMs);
  let farthestM = 0;
  for (const a of members) for (const b of members) farthestM = Math.max(farthestM, haversineM(a, b));
  return { spanMs: Math.max(...starts) - Math.min(...starts), farthestM };
}

describe('incident limits: a chain of short, close reports is cut, whatever the order', () => {
  // 72 reports every 10 min, 500 m apart: each links to the next, the chain runs 12 h and 35 km.
  const chain = walk('c', 72, 500, 10);

  it('cuts the chain into incidents within the limits, and the same ones in any order', () => {
    const reference = partition(indexOf(chain), chain);
    expect(reference.length).toBeGreaterThan(2);
    const byId = new Map(chain.map((m) => [m.id, m]));
    for (const group of reference) {
      const { spanMs, farthestM } = spread(group.map((id) => byId.get(id) as Member));
      expect(spanMs).toBeLessThanOrEqual(6 * HOUR);
      // Inside a 10 km × 10 km box, two points are at most its diagonal apart.
      expect(farthestM).toBeLessThanOrEqual(10_000 * Math.SQRT2);
    }
    const r = seededRandom(11);
    for (let k = 0; k < 5; k++) expect(partition(indexOf(shuffled(r, chain)), chain)).toEqual(reference);
  });

  it('keeps a burst within the limits whole: 30 reports over 2 h inside 3 km are one incident', () => {
    const burst = walk('b', 30, 100, 4);
    expect(indexOf(shuffled(seededRandom(3), burst)).incidentCount).toBe(1);
  });

  it('a rejection that brings the chain back within the limits makes it one incident again', () => {
    // 6 h 10 min end to end in 10-minute steps: over the span limit by one step.
    const justOver = walk('j', 38, 200, 10);
    const idx = indexOf(justOver);
    expect(idx.incidentCount).toBeGreaterThan(1);
    const survivor = idx.incidentOf('j0000');
    const change = idx.remove('j0037');
    expect(idx.incidentCount).toBe(1);
    expect(idx.incidentOf('j0036')).toBe(survivor);
    // The pieces that joined the survivor are announced as merged into it, and every move is listed.
    expect(change.merged.every((m) => m.into === survivor)).toBe(true);
    for (const id of justOver.slice(0, 37).map((m) => m.id)) expect(idx.incidentOf(id)).toBe(survivor);
    // Adding it back cuts the chain the same way as before.
    idx.add(justOver[37] as Member);
    expect(partition(idx, justOver)).toEqual(partition(indexOf(justOver), justOver));
  });

  it('costs the same per report on a chain of 3,000 reports over 3 weeks as on its first day', () => {
    // Every 10 minutes a report 400 m from the previous one, wandering back and forth along 30 km.
    const members: Member[] = [];
    for (let i = 0; i < 3_000; i++) {
      const startMs = T0 + i * 10 * MIN;
      const along = Math.abs(((i * 400) % 60_000) - 30_000);
      members.push({ id: `w${i}`, category: 'shelling', startMs, endMs: startMs + MIN, lon: 37.5 + deg(along) / Math.cos(0.84), lat: 48, radiusM: 0, reporterId: 'm' });
    }
    let n = 0;
    const idx = new IncidentIndex(DEFAULT_GROUPING, () => `w${++n}`);
    const perInsert = (from: number, to: number): number => {
      const before = idx.stats.linkChecks;
      for (let i = from; i < to; i++) idx.add(members[i] as Member);
      return (idx.stats.linkChecks - before) / (to - from);
    };
    const first = perInsert(0, 300);
    perInsert(300, 2_700);
    const last = perInsert(2_700, 3_000);
    console.info(`chain: link checks per insert ${first.toFixed(2)} on day 1, ${last.toFixed(2)} in week 3; ${idx.incidentCount} incidents`);
    expect(last).toBeLessThan(1.5 * first + 2);
    const before = idx.stats.linkChecks;
    idx.remove('w2500');
    expect(idx.stats.linkChecks - before).toBeLessThan(500);
  });
});

describe('tiles and boxes', () => {
  it('every tile is within the limits, near the equator, at 70° N and across the antimeridian', () => {
    const r = seededRandom(5);
    for (const [lat0, lon0] of [[0.01, 10], [70, 30], [-45, 179.99], [88.5, 0]] as const) {
      const byTile = new Map<string, Member[]>();
      for (let i = 0; i < 4_000; i++) {
        const lat = Math.max(-90, Math.min(90, lat0 + deg((r() - 0.5) * 60_000)));
        let lon = lon0 + (deg((r() - 0.5) * 60_000) / Math.cos((lat0 * Math.PI) / 180));
        if (lon >= 180) lon -= 360;
        const m: Member = { id: `${i}`, category: 'shelling', startMs: T0 + Math.floor(r() * 24 * HOUR), endMs: 0, lon, lat, radiusM: 0, reporterId: 'x' };
        const key = tileKey(m, DEFAULT_GROUPING);
        byTile.set(key, [...(byTile.get(key) ?? []), m]);
      }
      expect(byTile.size).toBeGreaterThan(4);
      for (const group of byTile.values()) {
        expect(withinLimits(group, DEFAULT_GROUPING)).toBe(true);
        expect(spread(group).farthestM).toBeLessThanOrEqual(10_000 * Math.SQRT2 + 1);
      }
    }
  });

  it('measures a box across the antimeridian by its short way round', () => {
    const box = new LimitBox(DEFAULT_GROUPING);
    const at = (lon: number, lat = 10): Member => ({ id: `${lon}`, category: 'shelling', startMs: T0, endMs: T0, lon, lat, radiusM: 0, reporterId: 'x' });
    expect(box.add(at(179.97))).toBe(true);
    expect(box.add(at(-179.97))).toBe(true); // 6.6 km apart across 180°
    expect(box.add(at(-179.9))).toBe(false); // now 14 km wide
    const merged = new LimitBox(DEFAULT_GROUPING);
    merged.add(at(179.99));
    const other = new LimitBox(DEFAULT_GROUPING);
    other.add(at(-179.99));
    merged.absorb(other);
    expect(merged.within).toBe(true);
  });
});
