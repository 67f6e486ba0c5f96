import { type GroupingConfig, assertValidConfig, linked } from './link.js';
import { regionOf } from './region.js';
import { SpaceTimeIndex, type SpaceTimeItem, assertValidItem } from './space-time-index.js';
import { summarizeIncident } from './summary.js';
import { type Category, categoriesCompatible } from './taxonomy-import.js';
import { type GroupingChange, type IncidentSummary, type Member, compareMembers } from './types.js';

interface Incident {
  readonly id: string;
  readonly members: Set<Entry>;
  /** Smallest member `startMs`; the merge survivor rule compares it. */
  firstStartMs: number;
}

interface Entry {
  readonly member: Member;
  incident: Incident;
}

/** Counters for tests and monitoring; they only ever grow. */
export interface GroupingStats {
  /** Exact pairwise `linked()` evaluations. */
  linkChecks: number;
  /** Candidates the space-time index produced (before the incident-skip and the exact check). */
  candidatesVisited: number;
  /** Grid cells the space-time index looked at. */
  cellsScanned: number;
}

/**
 * Incremental incident grouping: incidents are the connected components of {@link linked} over
 * the members currently held. Each `add`/`remove` touches only the neighbourhood of the member
 * (found through {@link SpaceTimeIndex}) and the incidents involved, never the whole store. There is one space-time index per category and a
 * query only consults the categories compatible with the member's, so co-located reports of
 * unrelated kinds (a checkpoint restriction next to a shelling burst) cost nothing.
 *
 * Order independence: `add` merges every incident the new member links to, so after any insertion
 * order the partition equals the connected components. Ids are decided by fixed rules
 * (merge survivor = smallest (firstObservedAt, id); on split, the component holding the earliest
 * member by (startMs, id) keeps the id), so clients see stable ids.
 *
 * Not thread-safe, no I/O: the caller persists `incidentOf` changes reported in
 * {@link GroupingChange} and restores them at startup with {@link IncidentIndex.load}.
 */
export class IncidentIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly incidents = new Map<string, Incident>();
  private readonly summaries = new Map<string, IncidentSummary>();
  /** One space-time index per category, created on first use. */
  private readonly spaces = new Map<Category, SpaceTimeIndex<Entry>>();
  /** Per category: the indexes of the categories it is compatible with (kept in sync with `spaces`). */
  private readonly compatibleSpaces = new Map<Category, SpaceTimeIndex<Entry>[]>();
  private linkChecks = 0;

  /**
   * @param config link limits (use `DEFAULT_GROUPING` for the contract defaults).
   * @param newIncidentId mints ids for new incidents and split-off parts; must never repeat an
   *   id currently in use (checked; a repeat throws).
   */
  constructor(
    private readonly config: GroupingConfig,
    private readonly newIncidentId: () => string,
  ) {
    assertValidConfig(config);
  }

  /** Number of members held. */
  get size(): number {
    return this.entries.size;
  }

  /** Number of incidents currently existing. */
  get incidentCount(): number {
    return this.incidents.size;
  }

  /** A copy of the work counters (used by tests to prove per-insert cost does not grow with N). */
  get stats(): GroupingStats {
    const stats: GroupingStats = { linkChecks: this.linkChecks, candidatesVisited: 0, cellsScanned: 0 };
    for (const space of this.spaces.values()) {
      const s = space.stats;
      stats.candidatesVisited += s.candidatesVisited;
      stats.cellsScanned += s.cellsScanned;
    }
    return stats;
  }

  /**
   * Startup: put a member back under its stored incident id without re-deciding anything, so a
   * restart never renumbers incidents clients already know. Throws on a duplicate member id.
   */
  load(member: Member, incidentId: string): void {
    assertValidItem(member);
    if (incidentId === '') throw new Error(`grouping: empty incident id for member ${member.id}`);
    if (this.entries.has(member.id)) throw new Error(`grouping: member ${member.id} already held`);
    let incident = this.incidents.get(incidentId);
    if (!incident) {
      incident = { id: incidentId, members: new Set(), firstStartMs: member.startMs };
      this.incidents.set(incidentId, incident);
    }
    const entry: Entry = { member, incident };
    this.spaceOf(member.category).insert(entry);
    this.entries.set(member.id, entry);
    incident.members.add(entry);
    incident.firstStartMs = Math.min(incident.firstStartMs, member.startMs);
    this.summaries.delete(incidentId);
  }

  /**
   * A new (or un-rejected) member joins: no linked member → new incident; one linked incident →
   * joins it; several → they merge into the one with the smallest (firstObservedAt, id) as it was
   * before this member joined. Throws on a duplicate member id (edit = `remove` then `add`).
   */
  add(member: Member): GroupingChange {
    assertValidItem(member);
    if (this.entries.has(member.id)) throw new Error(`grouping: member ${member.id} already held`);
    const found = new Set<Incident>();
    this.forEachCandidate(member, (candidate) => {
      // One linked member per incident is enough to know the incident is involved.
      if (found.has(candidate.incident)) return;
      this.linkChecks += 1;
      if (linked(member, candidate.member, this.config)) found.add(candidate.incident);
    });

    const change: GroupingChange = { incidentId: undefined, updated: [], merged: [], moved: [], dissolved: [] };
    const ordered = [...found].sort(compareIncidents);
    const target = ordered[0] ?? this.createIncident(member.startMs);
    for (const loser of ordered.slice(1)) {
      change.merged.push({ id: loser.id, into: target.id });
      for (const entry of [...loser.members].sort(compareEntries)) {
        entry.incident = target;
        target.members.add(entry);
        change.moved.push({ memberId: entry.member.id, from: loser.id, to: target.id });
      }
      target.firstStartMs = Math.min(target.firstStartMs, loser.firstStartMs);
      this.incidents.delete(loser.id);
      this.summaries.delete(loser.id);
    }

    const entry: Entry = { member, incident: target };
    this.spaceOf(member.category).insert(entry);
    this.entries.set(member.id, entry);
    target.members.add(entry);
    target.firstStartMs = Math.min(target.firstStartMs, member.startMs);
    this.summaries.delete(target.id);
    change.incidentId = target.id;
    change.updated.push(target.id);
    return change;
  }

  /**
   * A member leaves (rejected). Connectivity is re-examined among the remaining members of its
   * incident only. If the incident splits, the part holding the earliest remaining member by
   * (startMs, id) keeps the id and every other part gets a fresh id, in order of their earliest
   * members (their members are listed in `moved`, the fresh ids in `updated`). If nothing
   * remains, the incident is listed in `dissolved`. An unknown id changes nothing (idempotent).
   *
   * Cost: the searches that prove or refute a split start at the removed member's linked
   * neighbours and run interleaved, stopping as soon as all but one have either met or run out,
   * so the work is proportional to the *smaller* parts, not to the incident: rejecting one report
   * of a 10,000-report burst incident is cheap. (Plus an O(incident) scan without index queries
   * for the id rule's bookkeeping.) This relies on the incident having been connected before; an
   * incident restored by `load` that the current rule would not connect is left as it is except
   * for what this removal disconnects.
   */
  remove(memberId: string): GroupingChange {
    const change: GroupingChange = { incidentId: undefined, updated: [], merged: [], moved: [], dissolved: [] };
    const removed = this.entries.get(memberId);
    if (!removed) return change;
    const incident = removed.incident;

    // Decide everything first, so that a throwing id generator leaves the index untouched.
    const components = this.componentsWithout(incident, removed);
    const freshIds = components.slice(1).map(() => this.mintId());
    if (new Set(freshIds).size !== freshIds.length) throw new Error('grouping: newIncidentId repeated an id');

    this.spaceOf(removed.member.category).remove(memberId);
    this.entries.delete(memberId);
    incident.members.delete(removed);
    this.summaries.delete(incident.id);
    const [keep, ...rest] = components;
    if (!keep) {
      this.incidents.delete(incident.id);
      change.dissolved.push(incident.id);
      return change;
    }
    incident.firstStartMs = keep.earliest.member.startMs;
    change.updated.push(incident.id);
    rest.forEach((component, i) => {
      const id = freshIds[i];
      if (id === undefined) throw new Error('grouping: split bookkeeping broke');
      const split = this.createIncident(component.earliest.member.startMs, id);
      for (const entry of component.members().sort(compareEntries)) {
        incident.members.delete(entry);
        entry.incident = split;
        split.members.add(entry);
        change.moved.push({ memberId: entry.member.id, from: incident.id, to: split.id });
      }
      change.updated.push(split.id);
    });
    return change;
  }

  /** The incident a member belongs to, or `undefined` if the member is not held. */
  incidentOf(memberId: string): string | undefined {
    return this.entries.get(memberId)?.incident.id;
  }

  /** Whether the incident exists (has members held). */
  hasIncident(incidentId: string): boolean {
    return this.incidents.has(incidentId);
  }

  /** Member ids of an incident, sorted by (startMs, id); `undefined` if no such incident. */
  membersOf(incidentId: string): string[] | undefined {
    const incident = this.incidents.get(incidentId);
    return incident ? [...incident.members].sort(compareEntries).map((e) => e.member.id) : undefined;
  }

  /**
   * The incident's summary (see `summarizeIncident`), cached until its membership changes.
   * Returns a copy, so callers may keep or modify it.
   */
  summary(incidentId: string): IncidentSummary | undefined {
    let cached = this.summaries.get(incidentId);
    if (!cached) {
      const incident = this.incidents.get(incidentId);
      if (!incident) return undefined;
      cached = summarizeIncident(incidentId, [...incident.members].map((e) => e.member));
      this.summaries.set(incidentId, cached);
    }
    return {
      ...cached,
      location: { ...cached.location },
      reportIds: [...cached.reportIds],
      categories: [...cached.categories],
      ...(cached.triangulation && {
        triangulation: { ...cached.triangulation, reportIds: [...cached.triangulation.reportIds] },
      }),
    };
  }

  /**
   * The parts `incident` falls into without `removed`, ordered by their earliest member (the first
   * keeps the incident id). Pure: changes nothing but counters.
   */
  private componentsWithout(incident: Incident, removed: Entry): Component[] {
    if (incident.members.size <= 1) return [];
    const pieces = this.detachedPieces(incident, removed);
    const inPiece = new Set<Entry>();
    for (const piece of pieces) for (const e of piece) inPiece.add(e);
    // The rest: everything not in a detached piece. Kept implicit (no copy) unless it has to move.
    let restEarliest: Entry | undefined;
    for (const e of incident.members) {
      if (e === removed || inPiece.has(e)) continue;
      if (!restEarliest || compareEntries(e, restEarliest) < 0) restEarliest = e;
    }
    if (!restEarliest) throw new Error('grouping: split left no remainder');
    const components: Component[] = [
      {
        earliest: restEarliest,
        members: () => [...incident.members].filter((e) => e !== removed && !inPiece.has(e)),
      },
      ...pieces.map((piece) => ({ earliest: earliestOf(piece), members: () => [...piece] })),
    ];
    return components.sort((a, b) => compareEntries(a.earliest, b.earliest));
  }

  /**
   * Parts of `incident` cut off from the rest by removing `removed`, each listed in full; empty
   * when nothing is cut off. One search starts at each linked neighbour of `removed`; they take
   * turns expanding one member at a time, searches that reach each other merge, and a search that
   * runs out of members has enumerated a detached part. Stops when at most one search is left
   * running: that one is "the rest" and is never enumerated.
   */
  private detachedPieces(incident: Incident, removed: Entry): Entry[][] {
    const sameIncident = (c: Entry): boolean => c.incident === incident && c !== removed;
    const searches: Search[] = [];
    const searchOf = new Map<Entry, Search>();
    this.forEachCandidate(removed.member, (candidate) => {
      if (!sameIncident(candidate)) return;
      this.linkChecks += 1;
      if (!linked(removed.member, candidate.member, this.config)) return;
      const search: Search = { queue: [candidate], head: 0, members: [candidate], into: undefined, done: false };
      searches.push(search);
      searchOf.set(candidate, search);
    });
    let running = searches.length;
    const pieces: Entry[][] = [];
    while (running > 1) {
      for (const search of searches) {
        if (running <= 1) break;
        if (search.into || search.done) continue;
        const current = search.queue[search.head];
        if (!current) {
          search.done = true;
          running -= 1;
          pieces.push(search.members);
          continue;
        }
        search.head += 1;
        this.forEachCandidate(current.member, (candidate) => {
          if (!sameIncident(candidate)) return;
          const mine = rootOf(search);
          const other = searchOf.get(candidate);
          const theirs = other && rootOf(other);
          if (theirs === mine) return;
          this.linkChecks += 1;
          if (!linked(current.member, candidate.member, this.config)) return;
          if (!theirs) {
            searchOf.set(candidate, mine);
            mine.queue.push(candidate);
            mine.members.push(candidate);
          } else {
            // A finished search holds a complete part, so nothing outside it can link into it.
            if (theirs.done) throw new Error('grouping: link relation is not symmetric');
            mergeSearches(mine, theirs);
            running -= 1;
          }
        });
      }
    }
    return pieces;
  }

  /** Candidates (a superset of linked members) from the indexes of compatible categories only. */
  private forEachCandidate(member: Member, visit: (candidate: Entry) => void): void {
    this.spaceOf(member.category); // wires up the compatibility list for a category seen first now
    const query = spaceItemOf(member);
    for (const space of this.compatibleSpaces.get(member.category) ?? []) space.forEachCandidate(query, visit);
  }

  /** The index of one category, creating it (and wiring up compatibility lists) on first use. */
  private spaceOf(category: Category): SpaceTimeIndex<Entry> {
    const existing = this.spaces.get(category);
    if (existing) return existing;
    const space = new SpaceTimeIndex<Entry>(this.config, (e) => spaceItemOf(e.member));
    this.spaces.set(category, space);
    // Categories are few (13), so this runs at most 13 times with ≤ 13 steps each.
    const mine: SpaceTimeIndex<Entry>[] = [];
    for (const [other, otherSpace] of this.spaces) {
      if (!categoriesCompatible(category, other)) continue;
      mine.push(otherSpace);
      if (other !== category) this.compatibleSpaces.get(other)?.push(space);
    }
    this.compatibleSpaces.set(category, mine);
    return space;
  }

  private mintId(): string {
    const id = this.newIncidentId();
    if (id === '' || this.incidents.has(id)) throw new Error(`grouping: newIncidentId returned unusable id '${id}'`);
    return id;
  }

  private createIncident(firstStartMs: number, id: string = this.mintId()): Incident {
    const incident: Incident = { id, members: new Set(), firstStartMs };
    this.incidents.set(id, incident);
    return incident;
  }
}

/** One part of an incident after a removal; its member list is only materialised if it moves. */
interface Component {
  readonly earliest: Entry;
  readonly members: () => Entry[];
}

/** One of the interleaved searches of `detachedPieces`; `into` links merged searches (union-find). */
interface Search {
  queue: Entry[];
  head: number;
  members: Entry[];
  into: Search | undefined;
  done: boolean;
}

function rootOf(search: Search): Search {
  let root = search;
  while (root.into) root = root.into;
  let s = search;
  while (s.into && s.into !== root) {
    const next: Search = s.into;
    s.into = root;
    s = next;
  }
  return root;
}

/** Union by size: the larger search absorbs the other's members and pending queue. */
function mergeSearches(a: Search, b: Search): void {
  const [big, small] = a.members.length >= b.members.length ? [a, b] : [b, a];
  for (let i = small.head; i < small.queue.length; i++) big.queue.push(small.queue[i] as Entry);
  for (const e of small.members) big.members.push(e);
  small.into = big;
  small.queue = [];
  small.members = [];
}

function earliestOf(entries: readonly Entry[]): Entry {
  let best = entries[0];
  for (const e of entries) if (best && compareEntries(e, best) < 0) best = e;
  if (!best) throw new Error('grouping: empty component');
  return best;
}

function compareEntries(a: Entry, b: Entry): number {
  return compareMembers(a.member, b.member);
}

/** Merge survivor order: earliest firstObservedAt, then smaller id. */
function compareIncidents(a: Incident, b: Incident): number {
  if (a.firstStartMs !== b.firstStartMs) return a.firstStartMs - b.firstStartMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const spaceItems = new WeakMap<Member, SpaceTimeItem>();

/**
 * How the space-time index sees a member: its window and the circle holding its whole region.
 * For a bearing report that circle is the wedge's bound, so the wedge is found from every cell
 * it can reach within the margin, not only from around its centre point.
 */
function spaceItemOf(member: Member): SpaceTimeItem {
  if (!member.wedge) return member;
  let item = spaceItems.get(member);
  if (!item) {
    const { id, startMs, endMs, lon, lat } = member;
    item = { id, startMs, endMs, lon, lat, radiusM: regionOf(member).boundM };
    spaceItems.set(member, item);
  }
  return item;
}
