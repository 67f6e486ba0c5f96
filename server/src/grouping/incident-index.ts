import { LimitBox, hasGroupLimits, tileKey } from './limits.js';
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
  /** Its members measured against the incident limits. */
  box: LimitBox;
  /**
   * Whether it is a piece of a component over the limits (cut along the tile grid, see
   * `limits.ts`) rather than a whole component; `undefined` until needed for an incident restored
   * by `load`, then found out by exploring its component.
   */
  cut: boolean | undefined;
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
 * the members currently held, except that a component over the incident limits (a chain of
 * short, close reports running further or longer than one incident may) is cut into the
 * connected components of its links *within one tile* of the grid in `limits.ts`. Both are pure
 * functions of the member set, so the partition does not depend on arrival order. Each `add`/`remove` touches only the neighbourhood of the member
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
  private readonly limited: boolean;
  /** Tile keys by member, for this index's config. */
  private readonly tiles = new WeakMap<Member, string>();

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
    this.limited = hasGroupLimits(config);
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
      incident = this.createIncident(member.startMs, incidentId);
      incident.cut = this.limited ? undefined : false;
    }
    const entry: Entry = { member, incident };
    this.spaceOf(member.category).insert(entry);
    this.entries.set(member.id, entry);
    incident.members.add(entry);
    incident.box.add(member);
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
    const key = this.limited ? this.tileOf(member) : '';
    let overLimits = false;
    this.forEachCandidate(member, (candidate) => {
      // One linked member per incident is enough to know the incident is involved.
      if (found.has(candidate.incident)) return;
      // Once the component is known to be over the limits, pieces of other tiles cannot matter.
      const piece = candidate.incident.cut === true;
      if (piece && overLimits && this.tileOf(candidate.member) !== key) return;
      this.linkChecks += 1;
      if (!linked(member, candidate.member, this.config)) return;
      found.add(candidate.incident);
      if (piece) overLimits = true;
    });

    const change: GroupingChange = { incidentId: undefined, updated: [], merged: [], moved: [], dissolved: [] };
    const ordered = [...found].sort(compareIncidents);
    if (this.limited && !this.joinsWithinLimits(member, ordered)) return this.addToCutComponent(member, ordered);
    const target = ordered[0] ?? this.createIncident(member.startMs);
    for (const loser of ordered.slice(1)) {
      change.merged.push({ id: loser.id, into: target.id });
      for (const entry of [...loser.members].sort(compareEntries)) {
        entry.incident = target;
        target.members.add(entry);
        change.moved.push({ memberId: entry.member.id, from: loser.id, to: target.id });
      }
      target.firstStartMs = Math.min(target.firstStartMs, loser.firstStartMs);
      target.box.absorb(loser.box);
      this.incidents.delete(loser.id);
      this.summaries.delete(loser.id);
    }

    const entry: Entry = { member, incident: target };
    this.spaceOf(member.category).insert(entry);
    this.entries.set(member.id, entry);
    target.members.add(entry);
    target.box.add(member);
    target.cut = false;
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
    if (this.limited && this.isCut(incident, removed)) return this.removeFromCutComponent(removed);

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
        split.box.add(entry.member);
        change.moved.push({ memberId: entry.member.id, from: incident.id, to: split.id });
      }
      change.updated.push(split.id);
    });
    // The parts of a whole component are whole components within the limits (measures only shrink).
    incident.box = boxOf(incident.members, this.config);
    incident.cut = false;
    return change;
  }

  /**
   * Whether `member` joining `linkedIncidents` leaves a component within the limits, which is then
   * one whole incident (the common case, decided from the incidents' boxes without exploring).
   */
  private joinsWithinLimits(member: Member, linkedIncidents: readonly Incident[]): boolean {
    const box = new LimitBox(this.config);
    box.add(member);
    for (const incident of linkedIncidents) {
      if (this.isCut(incident)) return false; // a piece belongs to a component already over
      box.absorb(incident.box);
    }
    return box.within;
  }

  /**
   * `member` joins a component over the limits. The whole incidents it bridges into it are cut into
   * their tile pieces; then the member joins (merging) every piece of its own tile it links to.
   * A piece lies in one tile, so a piece found through a member of another tile is never joined,
   * and the search `add` already made (one linked member per incident) is all it takes.
   */
  private addToCutComponent(member: Member, linkedIncidents: readonly Incident[]): GroupingChange {
    const key = this.tileOf(member);
    const groups: { entries: Entry[]; cut: boolean }[] = [];
    const own: Entry[] = [];
    const olds: Incident[] = [];
    for (const incident of linkedIncidents) {
      const first = incident.members.values().next().value;
      if (this.isCut(incident)) {
        if (first && this.tileOf(first.member) === key) {
          olds.push(incident);
          own.push(...incident.members);
        }
        continue;
      }
      olds.push(incident);
      for (const piece of this.tilePieces(incident.members)) {
        const joins = this.tileOf((piece[0] as Entry).member) === key && piece.some((e) => this.linksTo(member, e));
        if (joins) own.push(...piece);
        else groups.push({ entries: piece, cut: true });
      }
    }
    groups.push({ entries: own, cut: true });
    return this.regroup(olds, groups, { member, group: groups.length - 1 });
  }

  private linksTo(member: Member, entry: Entry): boolean {
    this.linkChecks += 1;
    return linked(member, entry.member, this.config);
  }

  /**
   * A member of a piece of an over-limit component leaves. The parts of the component that
   * its removal leaves within the limits become whole incidents again (their pieces merge); the
   * member's own piece falls into its remaining tile pieces.
   */
  private removeFromCutComponent(removed: Entry): GroupingChange {
    const neighbours: Entry[] = [];
    this.forEachCandidate(removed.member, (candidate) => {
      if (candidate === removed) return;
      this.linkChecks += 1;
      if (linked(removed.member, candidate.member, this.config)) neighbours.push(candidate);
    });
    const explored = new Set<Entry>();
    const whole: Entry[][] = [];
    const inWhole = new Set<Entry>();
    for (const neighbour of neighbours) {
      if (explored.has(neighbour)) continue;
      const { within, visited } = this.explore([neighbour], removed);
      for (const e of visited) explored.add(e);
      if (!within) continue;
      whole.push(visited);
      for (const e of visited) inWhole.add(e);
    }
    const piece = removed.incident;
    const olds = new Set<Incident>([piece]);
    for (const group of whole) for (const e of group) olds.add(e.incident);
    this.spaceOf(removed.member.category).remove(removed.member.id);
    this.entries.delete(removed.member.id);
    piece.members.delete(removed);
    this.summaries.delete(piece.id);
    const rest = [...piece.members].filter((e) => !inWhole.has(e));
    const groups = [
      ...whole.map((entries) => ({ entries, cut: false })),
      ...this.tilePieces(rest).map((entries) => ({ entries, cut: true })),
    ];
    return this.regroup([...olds], groups);
  }

  /**
   * Whether `incident` is a piece of an over-limit component (cached; explored once for incidents
   * restored by `load`). `including` is a member about to leave that still counts.
   */
  private isCut(incident: Incident, including?: Entry): boolean {
    if (incident.cut === undefined) {
      const seed = including ?? incident.members.values().next().value;
      incident.cut = seed === undefined ? false : !this.explore([seed]).within;
    }
    return incident.cut;
  }

  /**
   * Breadth-first search of the component holding `seeds` (without `excluded`), stopped as soon
   * as what it has seen is over the limits: the limits only grow with more members, so the
   * component is then over too. Costs at most what one incident within the limits holds.
   */
  private explore(seeds: readonly Entry[], excluded?: Entry): { within: boolean; visited: Entry[] } {
    const box = new LimitBox(this.config);
    const seen = new Set<Entry>(seeds);
    const visited = [...seeds];
    for (const seed of seeds) if (!box.add(seed.member)) return { within: false, visited };
    for (let i = 0; i < visited.length; i++) {
      const current = visited[i] as Entry;
      let over = false;
      this.forEachCandidate(current.member, (candidate) => {
        if (over || candidate === excluded || seen.has(candidate)) return;
        this.linkChecks += 1;
        if (!linked(current.member, candidate.member, this.config)) return;
        seen.add(candidate);
        visited.push(candidate);
        if (!box.add(candidate.member)) over = true;
      });
      if (over) return { within: false, visited };
    }
    return { within: true, visited };
  }

  /** The connected components of `members` over links between members of one tile. */
  private tilePieces(members: Iterable<Entry>): Entry[][] {
    const pool = new Set(members);
    const pieces: Entry[][] = [];
    for (const seed of pool) {
      pool.delete(seed);
      const piece = [seed];
      for (let i = 0; i < piece.length; i++) {
        const current = piece[i] as Entry;
        const key = this.tileOf(current.member);
        this.forEachCandidate(current.member, (candidate) => {
          if (!pool.has(candidate) || this.tileOf(candidate.member) !== key) return;
          this.linkChecks += 1;
          if (!linked(current.member, candidate.member, this.config)) return;
          pool.delete(candidate);
          piece.push(candidate);
        });
      }
      pieces.push(piece);
    }
    return pieces;
  }

  /**
   * Puts the members of `olds` (and an `added` member) into `groups` and reports the change. Ids:
   * groups in order of their earliest member each take the first of their members' incidents by
   * the merge survivor order that no earlier group took, else a fresh id; an old incident left
   * empty merged into the group holding its earliest former member (or dissolved, if it held only
   * a member that left).
   */
  private regroup(
    olds: readonly Incident[],
    groups: readonly { entries: Entry[]; cut: boolean }[],
    added?: { member: Member; group: number },
  ): GroupingChange {
    const change: GroupingChange = { incidentId: undefined, updated: [], merged: [], moved: [], dissolved: [] };
    const order = groups
      .map((group, g) => ({ ...group, g, earliest: group.entries.length > 0 ? earliestOf(group.entries) : undefined }))
      .filter((group) => group.earliest !== undefined || added?.group === group.g)
      .sort((a, b) => {
        const am = a.earliest?.member ?? added?.member;
        const bm = b.earliest?.member ?? added?.member;
        return am && bm ? compareMembers(am, bm) : 0;
      });
    // Decide every id first, so that a throwing id generator leaves the index untouched.
    const claimed = new Set<Incident>();
    const chosen = order.map((group) => {
      const candidates = [...new Set(group.entries.map((e) => e.incident))].sort(compareIncidents);
      const reuse = candidates.find((c) => !claimed.has(c));
      if (reuse) claimed.add(reuse);
      return reuse;
    });
    const fresh = chosen.map((reuse) => (reuse ? undefined : this.mintId()));
    const freshIds = fresh.filter((id): id is string => id !== undefined);
    if (new Set(freshIds).size !== freshIds.length) throw new Error('grouping: newIncidentId repeated an id');

    const formerEarliest = new Map<Incident, Entry>();
    for (const old of olds) if (old.members.size > 0) formerEarliest.set(old, earliestOf([...old.members]));
    const targetOf = new Map<Entry, Incident>();
    const targets = order.map((group, i) => {
      const target = chosen[i] ?? this.createIncident(Infinity, fresh[i]);
      for (const entry of [...group.entries].sort(compareEntries)) {
        targetOf.set(entry, target);
        if (entry.incident === target) continue;
        entry.incident.members.delete(entry);
        change.moved.push({ memberId: entry.member.id, from: entry.incident.id, to: target.id });
        entry.incident = target;
        target.members.add(entry);
      }
      if (added?.group === group.g) {
        const entry: Entry = { member: added.member, incident: target };
        this.spaceOf(added.member.category).insert(entry);
        this.entries.set(added.member.id, entry);
        target.members.add(entry);
        change.incidentId = target.id;
      }
      return target;
    });
    // Only now: a reused incident may still have been giving members to later groups above.
    targets.forEach((target, i) => {
      target.box = boxOf(target.members, this.config);
      target.firstStartMs = Infinity;
      for (const e of target.members) target.firstStartMs = Math.min(target.firstStartMs, e.member.startMs);
      target.cut = order[i]?.cut;
      this.summaries.delete(target.id);
      change.updated.push(target.id);
    });
    for (const old of olds) {
      if (claimed.has(old)) continue;
      if (old.members.size > 0) throw new Error(`grouping: regroup left members in ${old.id}`);
      this.incidents.delete(old.id);
      this.summaries.delete(old.id);
      const earliest = formerEarliest.get(old);
      const into = earliest && targetOf.get(earliest);
      if (into) change.merged.push({ id: old.id, into: into.id });
      else change.dissolved.push(old.id);
    }
    return change;
  }

  private tileOf(member: Member): string {
    let key = this.tiles.get(member);
    if (key === undefined) {
      key = tileKey(member, this.config);
      this.tiles.set(member, key);
    }
    return key;
  }

  /**
   * Ids of the incidents none of whose members' observations end at or after `ms`: what a
   * windowed holder may let go of. Scans every member held (run it now and then, not per add).
   */
  incidentsEndingBefore(ms: number): string[] {
    const out: string[] = [];
    for (const incident of this.incidents.values()) {
      let ended = true;
      for (const entry of incident.members) {
        if (entry.member.endMs >= ms) {
          ended = false;
          break;
        }
      }
      if (ended) out.push(incident.id);
    }
    return out;
  }

  /** The latest observation start held, `undefined` when nothing is held. Scans every member. */
  newestStartMs(): number | undefined {
    let newest: number | undefined;
    for (const entry of this.entries.values()) if (newest === undefined || entry.member.startMs > newest) newest = entry.member.startMs;
    return newest;
  }

  /**
   * Forgets a whole incident and its members, as if it had never been loaded (the windowed index
   * lets go of what lies outside its window; `load` brings it back unchanged). Decides nothing and
   * reports no change: the stored incident is untouched. Returns the members dropped.
   */
  unload(incidentId: string): Member[] {
    const incident = this.incidents.get(incidentId);
    if (!incident) return [];
    const members: Member[] = [];
    for (const entry of incident.members) {
      this.spaceOf(entry.member.category).remove(entry.member.id);
      this.entries.delete(entry.member.id);
      members.push(entry.member);
    }
    this.incidents.delete(incidentId);
    this.summaries.delete(incidentId);
    return members;
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
    const incident: Incident = { id, members: new Set(), firstStartMs, box: new LimitBox(this.config), cut: false };
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

function boxOf(entries: Iterable<Entry>, config: GroupingConfig): LimitBox {
  const box = new LimitBox(config);
  for (const e of entries) box.add(e.member);
  return box;
}

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
