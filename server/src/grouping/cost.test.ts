import { describe, expect, it } from 'vitest';
import { seededRandom } from '@truceline/shared';
import { IncidentIndex } from './incident-index.js';
import { DEFAULT_GROUPING, EARTH_RADIUS_M } from './link.js';
import type { Category } from './taxonomy-import.js';
import type { Member } from './types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CATS: readonly Category[] = ['shelling', 'explosion', 'small_arms_fire', 'drone_sighting', 'heavy_weapons', 'monitor_restriction'];

const rng = seededRandom;

const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * A realistic-shaped stream: `n` reports arriving at a steady rate over `spanMs` along a front
 * `widthM` × `depthM`, mostly short windows and small radii, with a tail up to 24 h and 30 km.
 * Returned in arrival (start) order, as a live system sees them.
 */
function stream(seed: number, n: number, spanMs: number, widthM: number, depthM: number): Member[] {
  const r = rng(seed);
  const t0 = Date.UTC(2024, 0, 1);
  const out: Member[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = t0 + Math.floor((i / n) * spanMs + r() * MIN);
    const d = r();
    const dur = d < 0.8 ? r() * 15 * MIN : d < 0.97 ? r() * 3 * HOUR : r() * DAY;
    const q = r();
    const radiusM = q < 0.2 ? 0 : q < 0.85 ? r() * 2_000 : q < 0.98 ? r() * 8_000 : r() * 30_000;
    const cat = CATS[Math.floor(r() * CATS.length)] ?? 'other';
    out.push({
      id: `s${i}`,
      category: cat,
      startMs,
      endMs: startMs + Math.floor(dur),
      lat: 47.5 + deg(r() * depthM),
      lon: 36 + deg(r() * widthM) / Math.cos((47.5 * Math.PI) / 180),
      radiusM,
      reporterId: `mon-${Math.floor(r() * 200)}`,
    });
  }
  return out;
}

/** Average per-insert growth of a counter over a slice of the stream. */
function averages(members: readonly Member[], windows: [number, number][]): { checks: number[]; visits: number[]; idx: IncidentIndex } {
  let n = 0;
  const idx = new IncidentIndex(DEFAULT_GROUPING, () => `inc-${++n}`);
  const checks: number[] = [];
  const visits: number[] = [];
  let at = 0;
  for (const [from, to] of windows) {
    while (at < from) idx.add(members[at++] as Member);
    const before = idx.stats;
    while (at < to) idx.add(members[at++] as Member);
    const after = idx.stats;
    checks.push((after.linkChecks - before.linkChecks) / (to - from));
    visits.push((after.candidatesVisited - before.candidatesVisited) / (to - from));
  }
  return { checks, visits, idx };
}

/** Reports per day in the long-run tests: a busy front (the contract's 1 M / 3 years is ~900/day). */
const PER_DAY = 2_000;

describe('incremental cost (counted work, no timing)', () => {
  it('pairwise link checks per insert do not grow with the store: 20,000 reports over 10 days', () => {
    const N = 20_000;
    const members = stream(42, N, (N / PER_DAY) * DAY, 60_000, 30_000);
    // The very first day is cheaper only because it has no earlier history (windows last up to
    // 24 h), so "early" is the 2,000 inserts after that first day (= the first 2,000 arrivals).
    const { checks, visits, idx } = averages(members, [
      [0, 2_000],
      [2_000, 4_000],
      [N - 2_000, N],
    ]);
    const [warmUp = 0, early = 0, late = 0] = checks;
    const [warmUpVisits = 0, earlyVisits = 0, lateVisits = 0] = visits;
    console.info(
      `link checks/insert: warm-up ${warmUp.toFixed(2)}, inserts 2k–4k ${early.toFixed(2)}, last 2k ${late.toFixed(2)}; ` +
        `candidates/insert: ${earlyVisits.toFixed(2)} → ${lateVisits.toFixed(2)}`,
    );
    expect(idx.size).toBe(N);
    // A re-clustering or linear scan would do ≥ 18,000 checks per insert in the last slice.
    expect(late).toBeLessThan(25);
    expect(late).toBeLessThan(1.5 * early);
    expect(lateVisits).toBeLessThan(1.5 * earlyVisits);
    // Against the first day (which has less history to look at, so fewer candidates): the exact
    // checks per candidate. Counting raw checks here was too tight once the incident limits made
    // incidents smaller (fewer candidates skipped as "incident already linked"), while the
    // candidates themselves are those of the index alone.
    expect(late / lateVisits).toBeLessThan(1.5 * (warmUp / warmUpVisits));
  });

  it('a 4× larger store at the same density costs the same per insert', () => {
    const lastSlice = (n: number): { checks: number; visits: number } => {
      const members = stream(n, n, (n / PER_DAY) * DAY, 60_000, 30_000);
      const { checks, visits } = averages(members, [[n - 2_000, n]]);
      return { checks: checks[0] ?? 0, visits: visits[0] ?? 0 };
    };
    const small = lastSlice(5_000);
    const large = lastSlice(20_000);
    console.info(
      `last 2k inserts: N=5k ${small.checks.toFixed(2)} checks / ${small.visits.toFixed(2)} candidates; ` +
        `N=20k ${large.checks.toFixed(2)} / ${large.visits.toFixed(2)}`,
    );
    expect(large.checks).toBeLessThan(1.5 * small.checks);
    expect(large.visits).toBeLessThan(1.5 * small.visits);
  });

  it('stays bounded in a burst: 10,000 reports within one hour inside 50 km', () => {
    const N = 10_000;
    const members = stream(7, N, HOUR, 50_000, 50_000);
    const { checks, visits, idx } = averages(members, [[0, N]]);
    const [avg = 0] = checks;
    const [avgVisits = 0] = visits;
    console.info(
      `burst: link checks/insert ${avg.toFixed(2)}, candidates/insert ${avgVisits.toFixed(2)}, incidents ${idx.incidentCount}`,
    );
    expect(idx.size).toBe(N);
    // Nearly everything here links into a handful of incidents. Candidates of an incident already
    // known to be linked are skipped and incompatible categories live in other indexes, so exact
    // checks stay tiny although the true neighbourhood is in the thousands.
    expect(avg).toBeLessThan(25);
    expect(avgVisits).toBeLessThan(N / 20);

    // Rejections inside that burst: a full re-search of the ~10,000-member incident would do
    // hundreds of thousands of checks per removal; the interleaved search stops once the
    // removed report's neighbours have met.
    const before = idx.stats;
    for (let i = 0; i < 200; i++) idx.remove(`s${i * 50}`);
    const perRemoval = (idx.stats.linkChecks - before.linkChecks) / 200;
    console.info(`burst: link checks per rejection ${perRemoval.toFixed(1)}`);
    expect(idx.size).toBe(N - 200);
    expect(perRemoval).toBeLessThan(N / 2);
  });

  it('rejecting a report near the end of a 2,000-report chain only explores the short side', () => {
    let n = 0;
    // A 2 km margin, so that 1.5 km steps chain, and no incident limits, so that the chain is one
    // incident (the split's cost is under test; the limits have a test of their own below).
    const idx = new IncidentIndex({ maxGapMs: DEFAULT_GROUPING.maxGapMs, maxEdgeDistanceM: 2_000 }, () => `chain-${++n}`);
    const t0 = Date.UTC(2024, 5, 1);
    const ids: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const id = `c${String(i).padStart(4, '0')}`;
      ids.push(id);
      const startMs = t0 + i * 1_000;
      // 1.5 km steps: each report links only to its immediate neighbours.
      idx.add({ id, category: 'shelling', startMs, endMs: startMs + 5 * MIN, lon: 30, lat: 50 + deg(1_500 * i), radiusM: 0, reporterId: 'm' });
    }
    expect(idx.incidentCount).toBe(1);
    const before = idx.stats.linkChecks;
    const change = idx.remove('c1990');
    const checks = idx.stats.linkChecks - before;
    console.info(`chain: link checks for the split ${checks}`);
    // The 9 later reports split off under a fresh id; the 1,990 earlier ones keep 'chain-1'.
    expect(change.updated).toEqual(['chain-1', 'chain-2']);
    expect(change.moved.map((x) => x.memberId)).toEqual(ids.slice(1_991));
    expect(checks).toBeLessThan(100);
  });
});
