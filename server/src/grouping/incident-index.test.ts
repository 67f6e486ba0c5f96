import { describe, expect, it } from 'vitest';
import { IncidentIndex } from './incident-index.js';
import { DEFAULT_GROUPING, EARTH_RADIUS_M } from './link.js';
import type { GroupingChange, Member } from './types.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const LAT = 48.5;
const LON = 37.9;
const north = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
/**
 * These scenarios test the index's bookkeeping (joins, merges, splits, ids) on layouts drawn in
 * kilometres for the v1 margin of 2 km; the margin itself is tested in `link.test.ts`.
 */
const GROUPING = { ...DEFAULT_GROUPING, maxEdgeDistanceM: 2_000 };

/** A report `kmNorth` km north of the reference point, starting `minutes` after T0, lasting 5 min. */
function m(id: string, kmNorth: number, minutes: number, over: Partial<Member> = {}): Member {
  const startMs = T0 + minutes * MIN;
  return {
    id,
    category: 'shelling',
    startMs,
    endMs: startMs + 5 * MIN,
    lon: LON,
    lat: LAT + north(kmNorth * 1000),
    radiusM: 0,
    reporterId: `r-${id}`,
    ...over,
  };
}

/** An id generator yielding the given ids, then `inc-N`. */
function ids(...preset: string[]): () => string {
  let n = 0;
  return () => preset.shift() ?? `inc-${++n}`;
}

const empty = (over: Partial<GroupingChange> = {}): GroupingChange => ({
  incidentId: undefined,
  updated: [],
  merged: [],
  moved: [],
  dissolved: [],
  ...over,
});

describe('IncidentIndex.add', () => {
  it('creates, joins, and keeps unrelated reports apart', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    expect(idx.add(m('a', 0, 0))).toEqual(empty({ incidentId: 'inc-1', updated: ['inc-1'] }));
    expect(idx.add(m('b', 1.5, 10))).toEqual(empty({ incidentId: 'inc-1', updated: ['inc-1'] }));
    // Co-located but incompatible: its own incident.
    expect(idx.add(m('c', 0, 0, { category: 'monitor_restriction' })).incidentId).toBe('inc-2');
    // Compatible category but 2.5 km from the nearest: its own incident.
    expect(idx.add(m('d', 4, 0, { category: 'explosion' })).incidentId).toBe('inc-3');
    expect(idx.size).toBe(4);
    expect(idx.incidentCount).toBe(3);
    expect(idx.membersOf('inc-1')).toEqual(['a', 'b']);
  });

  it('groups transitively: A–B–C share an incident although A and C are not linked', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    idx.add(m('a', 0, 0));
    idx.add(m('c', 3, 0)); // 3 km from a: separate for now
    expect(idx.incidentOf('a')).not.toBe(idx.incidentOf('c'));
    const change = idx.add(m('b', 1.5, 0)); // 1.5 km from both
    expect(change.merged).toEqual([{ id: 'inc-2', into: 'inc-1' }]);
    expect(change.moved).toEqual([{ memberId: 'c', from: 'inc-2', to: 'inc-1' }]);
    expect(change.updated).toEqual(['inc-1']);
    expect(['a', 'b', 'c'].map((x) => idx.incidentOf(x))).toEqual(['inc-1', 'inc-1', 'inc-1']);
    expect(idx.summary('inc-2')).toBeUndefined();
  });

  it('transitive in time too: windows chained 15 min apart group over 45 min', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    for (const [i, minutes] of [0, 20, 40, 60].entries()) idx.add(m(`t${i}`, 0, minutes));
    expect(idx.incidentCount).toBe(1);
    idx.add(m('late', 0, 86)); // 21 min after t3 ends
    expect(idx.incidentCount).toBe(2);
  });

  describe('merge survivor', () => {
    // x at 0 km, y at 3 km: unlinked; the bridge at 1.5 km links both.
    const cases: {
      name: string;
      x: number;
      y: number;
      bridge: number;
      newIds: string[];
      survivor: string;
      loser: string;
    }[] = [
      { name: 'earliest firstObservedAt survives', x: 0, y: 10, bridge: 5, newIds: ['zeta', 'alpha'], survivor: 'zeta', loser: 'alpha' },
      { name: 'earlier one created second', x: 10, y: 0, bridge: 5, newIds: ['alpha', 'zeta'], survivor: 'zeta', loser: 'alpha' },
      { name: 'tie → smaller id', x: 0, y: 0, bridge: 0, newIds: ['zeta', 'alpha'], survivor: 'alpha', loser: 'zeta' },
      {
        name: 'decided before the new member joins (bridge earlier than both)',
        x: 10,
        y: 5,
        bridge: -15,
        newIds: ['alpha', 'zeta'],
        survivor: 'zeta',
        loser: 'alpha',
      },
    ];
    it.each(cases)('$name', ({ x, y, bridge, newIds, survivor, loser }) => {
      const idx = new IncidentIndex(GROUPING, ids(...newIds));
      idx.add(m('x', 0, x));
      idx.add(m('y', 3, y));
      const change = idx.add(m('bridge', 1.5, bridge));
      expect(change.incidentId).toBe(survivor);
      expect(change.merged).toEqual([{ id: loser, into: survivor }]);
      const loserMember = newIds[0] === loser ? 'x' : 'y'; // x was created first
      expect(change.moved).toEqual([{ memberId: loserMember, from: loser, to: survivor }]);
      expect(idx.summary(survivor)?.reportCount).toBe(3);
    });
  });

  it('merges several incidents at once and lists every moved member', () => {
    const idx = new IncidentIndex(GROUPING, ids('i-north', 'i-east', 'i-south', 'i-west'));
    const dLon = (km: number): number => north(km * 1000) / Math.cos((LAT * Math.PI) / 180);
    idx.add(m('n1', 3, 5));
    idx.add(m('n2', 3.5, 6));
    idx.add(m('e1', 0, 2, { lon: LON + dLon(3) }));
    idx.add(m('s1', -3, 2));
    idx.add(m('w1', 0, 1, { lon: LON - dLon(3) }));
    expect(idx.incidentCount).toBe(4);
    const change = idx.add(m('centre', 0, 0, { radiusM: 1_000 }));
    // firstObservedAt: west 1 min, east/south 2 min (tie → smaller id), north 5 min.
    expect(change.incidentId).toBe('i-west');
    expect(change.merged).toEqual([
      { id: 'i-east', into: 'i-west' },
      { id: 'i-south', into: 'i-west' },
      { id: 'i-north', into: 'i-west' },
    ]);
    expect(change.moved).toEqual([
      { memberId: 'e1', from: 'i-east', to: 'i-west' },
      { memberId: 's1', from: 'i-south', to: 'i-west' },
      { memberId: 'n1', from: 'i-north', to: 'i-west' },
      { memberId: 'n2', from: 'i-north', to: 'i-west' },
    ]);
    expect(change.updated).toEqual(['i-west']);
    expect(idx.incidentCount).toBe(1);
  });

  it('rejects a duplicate member and an id generator that repeats', () => {
    const idx = new IncidentIndex(GROUPING, () => 'same');
    idx.add(m('a', 0, 0));
    expect(() => idx.add(m('a', 50, 0))).toThrow(/already/);
    expect(() => idx.add(m('far', 50, 0))).toThrow(/unusable/);
    expect(idx.size).toBe(1);
    expect(idx.incidentOf('far')).toBeUndefined();
  });
});

describe('IncidentIndex.remove', () => {
  it('splits a chain; the part with the earliest remaining member keeps the id', () => {
    const idx = new IncidentIndex(GROUPING, ids('chain', 'fresh'));
    // a(10 min) – b – c(0 min) – d: c is the earliest member, on the far side of b.
    idx.add(m('a', 0, 10));
    idx.add(m('b', 1.5, 10));
    idx.add(m('c', 3, 0));
    idx.add(m('d', 4.5, 5));
    expect(idx.incidentCount).toBe(1);
    const change = idx.remove('b');
    expect(change).toEqual(
      empty({ updated: ['chain', 'fresh'], moved: [{ memberId: 'a', from: 'chain', to: 'fresh' }] }),
    );
    expect(idx.membersOf('chain')).toEqual(['c', 'd']);
    expect(idx.membersOf('fresh')).toEqual(['a']);
    expect(idx.summary('chain')?.firstObservedAt).toBe(new Date(T0).toISOString());
    expect(idx.summary('fresh')?.reportIds).toEqual(['a']);
  });

  it('splits into three, new ids in order of each part’s earliest member', () => {
    const idx = new IncidentIndex(GROUPING, ids('star', 'second', 'third'));
    idx.add(m('hub', 0, 0, { radiusM: 1_000 }));
    idx.add(m('p', 2.9, 9)); // 2.9 km north: 1.9 km from the hub's circle
    idx.add(m('q', -3, 3));
    idx.add(m('r', 0, 6, { lon: LON + 0.04 })); // ~2.95 km east
    expect(idx.incidentCount).toBe(1);
    const change = idx.remove('hub');
    expect(change.updated).toEqual(['star', 'second', 'third']);
    expect(change.moved).toEqual([
      { memberId: 'r', from: 'star', to: 'second' },
      { memberId: 'p', from: 'star', to: 'third' },
    ]);
    expect(idx.incidentOf('q')).toBe('star');
  });

  it('does not split when the rest stays connected', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    for (const [id, km] of [['a', 0], ['b', 0.5], ['c', 1], ['d', 1.5]] as const) idx.add(m(id, km, 0));
    expect(idx.remove('b')).toEqual(empty({ updated: ['inc-1'] }));
    expect(idx.membersOf('inc-1')).toEqual(['a', 'c', 'd']);
  });

  it('dissolves an incident whose last member leaves; unknown ids change nothing', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    idx.add(m('solo', 0, 0));
    expect(idx.remove('solo')).toEqual(empty({ dissolved: ['inc-1'] }));
    expect(idx.size).toBe(0);
    expect(idx.incidentCount).toBe(0);
    expect(idx.incidentOf('solo')).toBeUndefined();
    expect(idx.summary('inc-1')).toBeUndefined();
    expect(idx.remove('solo')).toEqual(empty());
  });

  it('an un-rejected report can come back (remove then add)', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    idx.add(m('a', 0, 0));
    idx.add(m('b', 1.5, 0));
    idx.add(m('c', 3, 0));
    idx.remove('b');
    expect(idx.incidentCount).toBe(2);
    const back = idx.add(m('b', 1.5, 0));
    expect(back.incidentId).toBe('inc-1');
    expect(back.merged).toEqual([{ id: 'inc-2', into: 'inc-1' }]);
    expect(idx.incidentCount).toBe(1);
  });
});

describe('IncidentIndex.load', () => {
  it('restores stored incident ids without re-deciding, and keeps working incrementally', () => {
    let minted = 0;
    const idx = new IncidentIndex(GROUPING, () => `new-${++minted}`);
    // Stored state, even one that today's rule would group differently, is taken as is.
    idx.load(m('a', 0, 0), 'old-7');
    idx.load(m('b', 1.5, 0), 'old-7');
    idx.load(m('c', 0.2, 0), 'old-3');
    expect(minted).toBe(0);
    expect(idx.incidentOf('c')).toBe('old-3');
    expect(idx.summary('old-7')?.reportIds).toEqual(['a', 'b']);
    // A new member linking both merges them: same start → tie → smaller id 'old-3'.
    const change = idx.add(m('d', 0.1, 1));
    expect(change.incidentId).toBe('old-3');
    expect(change.merged).toEqual([{ id: 'old-7', into: 'old-3' }]);
    expect(() => idx.load(m('a', 0, 0), 'old-7')).toThrow(/already/);
  });
});

describe('IncidentIndex.summary', () => {
  it('reports counts, categories, times and a weighted centroid', () => {
    const idx = new IncidentIndex(GROUPING, ids());
    const dLon = north(1000) / Math.cos((LAT * Math.PI) / 180); // ~1 km east
    idx.add(m('p1', 0, 0, { radiusM: 100, reporterId: 'alice', category: 'shelling' }));
    idx.add(m('p2', 0, 3, { radiusM: 200, reporterId: 'bob', category: 'explosion', lon: LON + dLon, endMs: T0 + 40 * MIN }));
    idx.add(m('p3', 0, 7, { radiusM: 200, reporterId: 'alice', category: 'explosion', lon: LON + dLon }));
    const s = idx.summary('inc-1');
    if (!s) throw new Error('missing summary');
    // weights 1/100², 1/200², 1/200²  → 4:1:1 → 1/3 of the way east.
    expect(s.location.lat).toBeCloseTo(LAT, 9);
    expect(s.location.lon).toBeCloseTo(LON + dLon / 3, 9);
    // sqrt(1 / (1e-4 + 2 × 2.5e-5)) = 81.65 → 82
    expect(s.uncertaintyM).toBe(82);
    expect(s).toMatchObject({
      id: 'inc-1',
      locationMethod: 'centroid',
      reportCount: 3,
      monitorCount: 2,
      reportIds: ['p1', 'p2', 'p3'],
      categories: ['explosion', 'shelling'],
      firstObservedAt: '2025-06-01T10:00:00.000Z',
      lastObservedAt: '2025-06-01T10:40:00.000Z',
    });
    // The returned object is a copy.
    s.reportIds.push('tampered');
    expect(idx.summary('inc-1')?.reportIds).toEqual(['p1', 'p2', 'p3']);
  });

  it('floors radii at 10 m, caps reportIds at the 50 earliest by (startMs, id), and is order independent', () => {
    const members = Array.from({ length: 60 }, (_, i) =>
      m(`r${String(i).padStart(2, '0')}`, (i % 7) * 0.1, 59 - i, { radiusM: 0, reporterId: `mon-${i % 4}` }),
    );
    const forward = new IncidentIndex(GROUPING, ids('A'));
    const backward = new IncidentIndex(GROUPING, ids('A'));
    for (const x of members) forward.add(x);
    for (const x of [...members].reverse()) backward.add(x);
    const s = forward.summary('A');
    expect(s).toEqual(backward.summary('A'));
    expect(s?.reportCount).toBe(60);
    expect(s?.monitorCount).toBe(4);
    expect(s?.reportIds).toHaveLength(50);
    expect(s?.reportIds[0]).toBe('r59'); // starts at 0 min
    expect(s?.reportIds[49]).toBe('r10');
    // 60 reports at the 10 m floor: 10 / sqrt(60) = 1.29 → 2
    expect(s?.uncertaintyM).toBe(2);
    const single = new IncidentIndex(GROUPING, ids('S'));
    single.add(m('only', 0, 0, { radiusM: 0 }));
    expect(single.summary('S')?.uncertaintyM).toBe(10);
    expect(single.summary('S')?.location).toEqual({ lon: LON, lat: LAT });
  });

  it('averages across the antimeridian instead of jumping to 0°', () => {
    const idx = new IncidentIndex(GROUPING, ids('X'));
    idx.add(m('w', 0, 0, { lon: 179.995, lat: 0, radiusM: 300 }));
    idx.add(m('e', 0, 1, { lon: -179.995, lat: 0, radiusM: 300 }));
    const loc = idx.summary('X')?.location;
    expect(loc && Math.abs(Math.abs(loc.lon) - 180)).toBeLessThan(1e-9);
    expect(loc?.lat).toBeCloseTo(0, 12);
  });

  it('weights members either side of the antimeridian into a valid longitude between them', () => {
    // The precise member (100 m) sits 0.004° east of 180°, the vague one (300 m) 0.004° west: the
    // centroid is nine parts east to one part west, at 179.9968° W, never near 0° and never 180.0032°.
    const idx = new IncidentIndex(GROUPING, ids('W'));
    idx.add(m('west', 0, 0, { lon: 179.996, lat: -16.5, radiusM: 300 }));
    idx.add(m('east', 0, 1, { lon: -179.996, lat: -16.5, radiusM: 100 }));
    const loc = idx.summary('W')?.location;
    expect(loc?.lon).toBeCloseTo(-179.9968, 9);
    expect(loc?.lon).toBeGreaterThanOrEqual(-180);
    expect(loc?.lat).toBeCloseTo(-16.5, 12);
  });
});
