import { v7 as uuidv7 } from 'uuid';
import { type GroupingConfig, IncidentIndex } from '../grouping/index.js';
import { IntervalSet } from '../grouping/interval-set.js';
import type { GroupingChange, GroupingRow, GroupingSource } from '../storage/store.js';

const DAY_MS = 86_400_000;

/**
 * The longest observation window a stored report can have: the contract allows `observedUntil`
 * at most 24 hours after `observedAt` (the shared schema rejects longer ones). The loader relies
 * on it to turn "members whose window can link to [s, e]" into a range of observation starts.
 */
export const MAX_OBSERVATION_WINDOW_MS = DAY_MS;

/** Days of history loaded at start when nothing else is configured. */
export const DEFAULT_INDEX_WINDOW_DAYS = 30;

/** How often (of the clock given to `evictOutsideWindow`) the index lets go of what lies outside its window. */
export const EVICT_EVERY_MS = 60_000;

/** What the loader reads: the store's grouping interface (kept exported here for the loader's callers). */
export type { GroupingSource } from '../storage/store.js';

export interface IndexWindowOptions {
  /**
   * Days of observation history held from the start: the members observed in the `windowDays`
   * before the newest stored observation (or before now, if that is earlier), plus every other
   * member of their incidents. `0` loads the whole history (the old behaviour). Default 30.
   */
  windowDays?: number;
  /** Clock for the window's anchor (tests). */
  nowMs?: number;
  /** Mints incident ids (tests); default UUIDv7. */
  newIncidentId?: () => string;
  /**
   * The store's committed watermark, read before loading: the index then knows it holds at least
   * everything up to it (`loadedAtSeq`), and can catch up from there instead of starting over.
   */
  watermark?: () => Promise<number>;
}

/** What a group commit is about to touch, so that it can be loaded before planning. */
export interface GroupingNeeds {
  /** Observation windows of reports about to join grouping (new, or un-rejected). */
  windows: readonly { startMs: number; endMs: number }[];
  /** Stored incidents about to change (a report of theirs is reviewed). */
  incidentIds: readonly string[];
}

/** Counters for logs and tests; they only grow. */
export interface WindowStats {
  /** Loads that read from the store (start included). */
  loads: number;
  /** Members put into the index by loads. */
  loadedMembers: number;
  /** Catch-ups with others' changes that had to reload something. */
  catchUps: number;
}

/**
 * The in-memory `IncidentIndex`, holding only part of the stored history, with the invariants
 * that make its grouping decisions equal to those of an index holding everything:
 *
 * 1. **Incidents are held whole**: if any member of an incident is held, all of its members are.
 *    So merges, splits, survivors (earliest `firstObservedAt`) and summaries see the whole
 *    incident, exactly as stored.
 * 2. **Loaded stretches are complete**: for every interval in `loadedIntervals`, every grouping
 *    member whose observation *starts* in it is held.
 *
 * Before a report joins (new or un-rejected), `prepare` loads the stretch of starts that can link
 * to it — a member links only if its window is within `maxGapMs`, and windows last at most
 * {@link MAX_OBSERVATION_WINDOW_MS}, so its start lies in `[s − gap − 24 h, e + gap]` — with the
 * whole incidents of what it finds (2 + 1: every linkable member and its incident are held, so
 * `add` finds every incident it bridges). Before a report leaves (rejected), its incident is
 * loaded (1). Loads only ever add whole, unchanged stored incidents, which the index already
 * held in the same form when everything was loaded, so nothing is re-decided.
 *
 * Callers keep the store and the index in step: changes are planned on the index and committed
 * before the next `prepare` (the commit queue does; after a failed commit it builds a new one).
 * When someone else wrote to the store (another process, `setPlaces`), the caller calls `clear`:
 * the index is then a cache that refills from the store on demand, which under the store's write
 * lock is exactly what is committed.
 *
 * Memory stays bounded by letting go of what lies outside the window (`evictBefore`, run now
 * and then through `evictOutsideWindow`): whole incidents, with the loaded stretches trimmed so
 * invariant 2 still holds. What a late arrival needs is loaded again, as at start.
 */
export class WindowedIncidentIndex {
  private held: IncidentIndex;
  private loaded = new IntervalSet();
  private readonly counters: WindowStats = { loads: 0, loadedMembers: 0, catchUps: 0 };
  private lastEvictionMs = -Infinity;
  /** The watermark read before the index was loaded (see {@link IndexWindowOptions.watermark}). */
  loadedAtSeq: number | undefined;

  constructor(
    private readonly store: GroupingSource,
    private readonly config: GroupingConfig,
    private readonly newIncidentId: () => string = uuidv7,
    /** Days of observation held (see {@link IndexWindowOptions.windowDays}); `0` evicts nothing. */
    private readonly windowDays = 0,
  ) {
    // Exploring a component stops once it spans more than `maxSpanMs`; with only an extent limit it
    // could run through any length of history, which a window cannot hold.
    if (config.maxExtentM !== undefined && config.maxSpanMs === undefined) {
      throw new RangeError('grouping: an extent limit needs a span limit when the index holds a window');
    }
    this.held = new IncidentIndex(config, newIncidentId);
  }

  /** The index itself; a new object after `clear()`. */
  get index(): IncidentIndex {
    return this.held;
  }

  /**
   * Drops everything held: `prepare` then loads what a batch needs from the store. The commit
   * queue calls it when someone else wrote since its own last commit (the index is a cache of
   * the database, valid only while nobody else writes), and after a planned batch was not stored.
   */
  clear(): void {
    this.held = new IncidentIndex(this.config, this.newIncidentId);
    this.loaded = new IntervalSet();
  }

  /**
   * Brings the index up to date with changes someone else committed since it last matched the
   * store: `changes` are every report written since then (`groupingChangesBetween`). Each
   * incident they touch that the index holds, or should hold (a change starting in a loaded
   * stretch), is dropped and read again whole, as stored now: invariant 1 holds since incidents
   * are reloaded whole; invariant 2 since a member that is new, or moved, in a loaded stretch is
   * in a reloaded incident, and an unchanged member keeps its incident, reloaded or untouched.
   * A member held in an incident nobody touched cannot be in a reloaded one (it would have
   * changed), so `load` throwing here means the index must be rebuilt. The store is read before
   * the index changes. Costs what the others changed, not what the index holds.
   */
  async catchUp(changes: readonly GroupingChange[]): Promise<void> {
    const affected = new Set<string>();
    for (const change of changes) {
      const held = this.held.incidentOf(change.id);
      if (held !== undefined) affected.add(held);
      const stored = change.incidentId;
      if (stored !== null && (this.held.hasIncident(stored) || this.loaded.covers(change.startMs, change.startMs))) affected.add(stored);
    }
    if (affected.size === 0) return;
    const rows = await this.store.groupingMembersOfIncidents([...affected]);
    for (const id of affected) if (this.held.hasIncident(id)) this.held.unload(id);
    this.counters.catchUps += 1;
    this.insert(rows);
  }

  /**
   * Drops every incident whose members' observations all end before `ms`, and stops counting as
   * loaded every start up to the latest start among the dropped members (invariant 2: a stretch
   * that lost members is no longer complete). Incidents with a member ending at or after `ms`
   * stay whole (invariant 1). Returns how many members were dropped.
   */
  evictBefore(ms: number): number {
    let dropped = 0;
    let latestStart = -Infinity;
    for (const id of this.held.incidentsEndingBefore(ms)) {
      for (const member of this.held.unload(id)) {
        dropped++;
        if (member.startMs > latestStart) latestStart = member.startMs;
      }
    }
    if (dropped > 0) this.loaded.remove(-Infinity, latestStart);
    return dropped;
  }

  /**
   * `evictBefore` the start of the window (`windowDays` before the newest observation held, or
   * before `nowMs` if that is earlier: the same anchor as at start), at most once per
   * {@link EVICT_EVERY_MS} of `nowMs`; the commit queue calls it after each commit. Returns the
   * members dropped (0 when it did not run).
   */
  evictOutsideWindow(nowMs: number): number {
    if (this.windowDays <= 0 || nowMs - this.lastEvictionMs < EVICT_EVERY_MS) return 0;
    this.lastEvictionMs = nowMs;
    const newest = this.held.newestStartMs();
    if (newest === undefined) return 0;
    return this.evictBefore(Math.min(nowMs, newest) - this.windowDays * DAY_MS);
  }

  /** Members held. */
  get size(): number {
    return this.held.size;
  }

  /** Intervals of observation start known to be held completely (sorted copies). */
  get loadedIntervals(): [number, number][] {
    return this.loaded.intervals;
  }

  get stats(): WindowStats {
    return { ...this.counters };
  }

  /**
   * The range of observation starts of the members a report observed in `[startMs, endMs]` can
   * affect when it joins or leaves. Without incident limits: what can link to it (windows within
   * `maxGapMs`, lasting at most {@link MAX_OBSERVATION_WINDOW_MS}). With them the index also
   * explores the components around it, but only while they stay within the limits (see
   * `IncidentIndex`): such a component's starts lie within `maxSpanMs` of a member linked to the
   * report, which lies within `maxSpanMs` of it (the pair limit), and what links to the
   * component lies within `maxSpanMs` again, hence three spans on either side.
   */
  linkableStarts(startMs: number, endMs: number): [number, number] {
    const linkable: [number, number] = [startMs - this.config.maxGapMs - MAX_OBSERVATION_WINDOW_MS, endMs + this.config.maxGapMs];
    if (this.config.maxSpanMs === undefined) return linkable;
    const reach = 3 * this.config.maxSpanMs;
    return [Math.min(linkable[0], startMs - reach), Math.max(linkable[1], endMs + reach)];
  }

  /** True when every member that could link to a report observed in `[startMs, endMs]` is held. */
  readyFor(startMs: number, endMs: number): boolean {
    const [from, to] = this.linkableStarts(startMs, endMs);
    return this.loaded.covers(from, to);
  }

  /** Loads the whole history (what `windowDays: 0` means). */
  async loadAll(): Promise<void> {
    const missing = this.loaded.missing(-Infinity, Infinity);
    if (missing.length === 0) return;
    const rows: GroupingRow[] = [];
    for await (const chunk of this.store.groupingMembers()) {
      for (const row of chunk) if (this.held.incidentOf(row.id) === undefined) rows.push(row);
    }
    this.insert(rows);
    this.loaded.add(-Infinity, Infinity);
  }

  /**
   * Makes sure everything `needs` can touch is held (see the class comment). All-or-nothing: the
   * store is read first and the index only changed once every read has succeeded. Throws if the
   * store disagrees with the index (an incident held in part), which means the index must be
   * rebuilt.
   */
  async prepare(needs: GroupingNeeds): Promise<void> {
    const ranges = new IntervalSet();
    for (const { startMs, endMs } of needs.windows) ranges.add(...this.linkableStarts(startMs, endMs));
    const gaps: [number, number][] = [];
    for (const [from, to] of ranges.intervals) gaps.push(...this.loaded.missing(from, to));
    await this.loadRanges(gaps, needs.incidentIds);
  }

  /** Loads every member starting in `[fromMs, toMs]` (and their whole incidents). */
  async loadStarts(fromMs: number, toMs: number): Promise<void> {
    await this.loadRanges(this.loaded.missing(fromMs, toMs), []);
  }

  private async loadRanges(gaps: readonly [number, number][], incidentIds: readonly string[]): Promise<void> {
    const wanted = new Set<string>();
    for (const id of incidentIds) if (!this.held.hasIncident(id)) wanted.add(id);
    if (gaps.length === 0 && wanted.size === 0) return;
    for (const [from, to] of gaps) {
      for (const row of await this.store.groupingMembersStartingBetween(from, to)) {
        const heldIn = this.held.incidentOf(row.id);
        if (heldIn === undefined && !this.held.hasIncident(row.incidentId)) wanted.add(row.incidentId);
        else if (heldIn !== row.incidentId) {
          throw new Error(`grouping: member ${row.id} is held in incident ${heldIn ?? 'none'} but stored in ${row.incidentId}`);
        }
      }
    }
    const rows = wanted.size > 0 ? await this.store.groupingMembersOfIncidents([...wanted]) : [];
    this.insert(rows);
    for (const [from, to] of gaps) this.loaded.add(from, to);
  }

  private insert(rows: readonly GroupingRow[]): void {
    this.counters.loads += 1;
    this.counters.loadedMembers += rows.length;
    // `load` throws on a member already held: an incident held in part, so the index is rebuilt.
    for (const { incidentId, ...member } of rows) this.held.load(member, incidentId);
  }
}

/**
 * Builds the incident index at start (and after a failed commit) from the store: members go back
 * under their stored incident ids; nothing is re-decided, so a restart changes no incident. Only
 * the recent window is read (see {@link IndexWindowOptions.windowDays}); older stretches are
 * loaded on demand by {@link WindowedIncidentIndex.prepare}.
 */
export async function loadIncidentIndex(
  store: GroupingSource,
  config: GroupingConfig,
  options: IndexWindowOptions = {},
): Promise<WindowedIncidentIndex> {
  const windowDays = options.windowDays ?? DEFAULT_INDEX_WINDOW_DAYS;
  if (!Number.isFinite(windowDays) || windowDays < 0) throw new RangeError(`grouping: windowDays must be >= 0, got ${windowDays}`);
  const windowed = new WindowedIncidentIndex(store, config, options.newIncidentId, windowDays);
  windowed.loadedAtSeq = await options.watermark?.();
  const newest = await store.newestObservedAtMs();
  if (windowDays === 0) await windowed.loadAll();
  else if (newest === undefined) await windowed.loadStarts(-Infinity, Infinity); // nothing stored: everything is "held"
  else {
    const anchor = Math.min(options.nowMs ?? Date.now(), newest);
    await windowed.loadStarts(anchor - windowDays * DAY_MS, Infinity);
  }
  return windowed;
}
