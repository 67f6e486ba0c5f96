import type { AuditDraft } from '../audit/draft.js';
import type { Wedge } from '../grouping/region.js';
import type {
  Area,
  Assessment,
  AuditAction,
  AuditEntry,
  BBox,
  Category,
  IncidentMerged,
  IncidentState,
  Place,
  Report,
  ReportStatus,
  Role,
  UserRecord,
  Weapon,
} from '@truceline/shared';

/** What carries a `place`. */
export type PlaceHolderKind = 'report' | 'incident';

/*
 * The storage seam, split by concern. Every method is asynchronous even where the embedded
 * engine (better-sqlite3) is synchronous, so PostgreSQL fills the same shapes. Engines only
 * store and query: what a change means (area counts, the 24-hour window rule, idempotency
 * verdicts, grouping) is decided above, and writes that must be atomic together arrive
 * together, in one `commit` call.
 */

/** Reports and the rows derived from them (incidents, areas), with the `seq` that orders every change. */
export interface ReportStore {
  /**
   * The committed watermark: every change with `seq <= lastSeq()` is visible to every reader of
   * the store, and no change with a smaller `seq` can appear later (0 on an empty database).
   * Every reader that tells a client "you have everything up to here" uses it.
   */
  lastSeq(): Promise<number>;
  /**
   * Runs `fn` holding the writer lock that serialises every seq-assigning write across all
   * processes sharing the database (SQLite: this process; PostgreSQL: an advisory lock), so seq
   * order is commit order. The commit queue runs its whole flush inside it, and `setPlaces` too.
   */
  withWriteLock<T>(fn: () => Promise<T>): Promise<T>;

  /** Reports by id, with what idempotency checks need. */
  findReports(ids: readonly string[]): Promise<Map<string, StoredReport>>;
  getReport(id: string): Promise<Report | undefined>;
  listReports(filter: ReportFilter, page: { limit: number; after?: ReportCursor }): Promise<Report[]>;
  reportsAfterSeq(afterSeq: number, limit: number): Promise<Report[]>;
  /** The same reports, each in full (as a coordinator sees it) as JSON text, for answers that pass them on unchanged. */
  reportsAfterSeqJson(afterSeq: number, limit: number): Promise<{ seq: number; json: string }[]>;
  /** Every matching report in list order, in chunks, from a connection that does not hold up ingest: one snapshot, as of its first chunk. */
  streamReports(filter: ReportFilter, chunkSize: number): AsyncIterable<Report[]>;

  listIncidents(filter: ReportFilter): Promise<(IncidentState | IncidentMerged)[]>;
  listAreas(filter: ReportFilter): Promise<Area[]>;
  /**
   * Per incident with at least one counted report matching `filter`, the raw figures of all its
   * counted reports (a report counts unless rejected or superseded by a stored, non-rejected
   * correction from the same account). What the figures mean is decided above (`summary/`).
   */
  incidentTallies(filter: ReportFilter): Promise<IncidentTally[]>;

  /** The stored rows of these areas (absent: never seen). Read under the write lock before a commit. */
  areaCounts(areaIds: readonly string[]): Promise<Map<string, AreaWrite>>;
  /**
   * Per area, the latest `observedAt` of its counted reports (status not `rejected`, not
   * superseded), ignoring `excludingReportIds`; `null` when none is left. Every id asked for is
   * in the map. Used when reports leave an area's counts.
   */
  latestObservedInAreas(areaIds: readonly string[], excludingReportIds: readonly string[]): Promise<Map<string, number | null>>;

  /**
   * Applies one group commit atomically and durably; resolves only after it is on disk.
   * Throws `ReplayRaceError` (and stores nothing) when a new report's id was stored meanwhile.
   */
  commit(batch: CommitBatch): Promise<CommitResult>;

  // ---- places (issue 10): what was stored before places existed
  /** Up to `limit` reports (or live incident states) stored without a `place`, with ids after `afterId`, by id. */
  withoutPlace(kind: PlaceHolderKind, afterId: string, limit: number): Promise<{ id: string; lon: number; lat: number }[]>;
  /** Stores these places in one transaction, each row with the next `seq` so catching-up clients receive them. Call inside `withWriteLock`. */
  setPlaces(kind: PlaceHolderKind, places: readonly { id: string; place: Place }[]): Promise<void>;
}

/** What the incident index loads from (a narrow interface so tests can feed the loader from memory). */
export interface GroupingSource {
  /** All reports that take part in grouping (status not `rejected`, not superseded), for rebuilding the in-memory index at start. */
  groupingMembers(): AsyncIterable<GroupingRow[]>;
  /** Grouping members whose observation starts in `[fromMs, toMs]` (ends may be infinite). */
  groupingMembersStartingBetween(fromMs: number, toMs: number): Promise<GroupingRow[]>;
  /** Every grouping member of these incidents. */
  groupingMembersOfIncidents(incidentIds: readonly string[]): Promise<GroupingRow[]>;
  /** The latest observation start of any stored report, or `undefined` when none is stored. */
  newestObservedAtMs(): Promise<number | undefined>;
  /**
   * The reports written with `afterSeq < seq <= throughSeq` (stored, reviewed, moved, superseded,
   * given a place), in seq order, at most `limit`: how a process's incident index catches up
   * with what other processes committed.
   */
  groupingChangesBetween(afterSeq: number, throughSeq: number, limit: number): Promise<GroupingChange[]>;
}

/** Accounts and sessions. Account changes take the audit entries that record them: each change and its entries commit in one transaction. */
export interface AccountStore {
  findUserByName(username: string): Promise<UserWithSecret | undefined>;
  getUser(id: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  countAdmins(): Promise<number>;
  /** Throws `UsernameTakenError` when the name exists in any letter case. */
  createUser(user: NewUser, audit?: readonly AuditDraft[]): Promise<UserRecord>;
  updateUser(id: string, patch: { role?: Role; disabled?: boolean }, audit?: readonly AuditDraft[]): Promise<UserRecord | undefined>;
  /** Replaces a user's password hash; false when there is no such user. */
  setPasswordHash(userId: string, passwordHash: string, audit?: readonly AuditDraft[]): Promise<boolean>;
  createSession(session: NewSession): Promise<void>;
  /** The live session of a token hash with its user, or undefined when unknown, revoked or idle too long. */
  findSession(tokenHash: string, idleCutoffMs: number): Promise<SessionWithUser | undefined>;
  /** What the live-socket re-check needs of these sessions; unknown ids are absent from the map. */
  sessionStates(sessionIds: readonly string[]): Promise<Map<string, SessionState>>;
  touchSession(sessionId: string, atMs: number): Promise<void>;
  revokeSession(sessionId: string, atMs: number, audit?: readonly AuditDraft[]): Promise<void>;
  /**
   * Revokes every live session of the user but `exceptSessionId`; resolves with the ids revoked.
   * `audit` is appended only when a session was revoked, with `after.sessions` set to how many.
   */
  revokeUserSessions(userId: string, atMs: number, exceptSessionId?: string, audit?: AuditDraft): Promise<string[]>;
}

/** The audit log (issue 12): append-only, hash-chained, one chain however many processes append. */
export interface AuditStore {
  /** Appends entries that record no change of their own (sign-ins, exports). */
  appendAudit(drafts: readonly AuditDraft[]): Promise<AuditEntry[]>;
  /** Entries with `seq > afterSeq`, oldest first, at most `limit`, of these actions (all when absent) and target. */
  auditEntries(query: { afterSeq: number; limit: number; actions?: readonly AuditAction[]; targetId?: string }): Promise<AuditEntry[]>;
  /** The newest entry's `seq` and `hash`, or `null` on an empty log. */
  auditHead(): Promise<{ seq: number; hash: string } | null>;
}

export type Store = ReportStore & GroupingSource & AccountStore & AuditStore & { close(): Promise<void> };

/**
 * A new report's id was stored by someone else (another process) between `findReports` and
 * `commit`: the commit stored nothing. The commit queue runs the flush again; `findReports`
 * then sees the stored copy and answers `duplicate` (or `conflict`).
 */
export class ReplayRaceError extends Error {
  constructor(readonly ids: string[]) {
    super(`reports stored meanwhile by another writer: ${ids.join(', ')}`);
    this.name = 'ReplayRaceError';
  }
}

export class UsernameTakenError extends Error {}

export interface ReportCursor {
  observedAtMs: number;
  id: string;
}

export interface ReportFilter {
  bbox?: BBox;
  sinceMs?: number;
  untilMs?: number;
  categories?: Category[];
  statuses?: ReportStatus[];
  reporterId?: string;
  /**
   * A lower bound on observation starts, implied by `sinceMs` (windows last at most 24 h) and
   * filled above (`withIndexBounds` in `report-filter.ts`) so an engine can bound its scan on the
   * observation index; engines only translate it.
   */
  observedFromMs?: number;
}

/** One incident's figures over its counted reports; `null` where none of them gives one. */
export interface IncidentTally {
  incidentId: string;
  /** The earliest `observedAt` among its counted reports. */
  firstObservedMs: number;
  maxCount: number | null;
  /** The largest `count` among its reports counting in `explosions`. */
  maxExplosions: number | null;
  maxKilled: number | null;
  maxInjured: number | null;
  reports: number;
  categories: Category[];
  weapons: Weapon[];
  assessments: Assessment[];
}

export interface StoredReport {
  report: Report;
  reporterId: string;
  /** Canonical JSON of the parsed input: equal strings mean "the same content". */
  canonicalInput: string;
}

export interface GroupingRow {
  id: string;
  category: Category;
  startMs: number;
  endMs: number;
  lon: number;
  lat: number;
  radiusM: number;
  reporterId: string;
  incidentId: string;
  /** Bearing reports: the wedge grouping links by (see `Member.wedge`). */
  wedge?: Wedge;
}

/** A report as grouping last saw it change: its incident while it takes part in grouping, else `null` (rejected, superseded). */
export interface GroupingChange {
  id: string;
  startMs: number;
  incidentId: string | null;
}

/** A report ready to store: its immutable part is final, its mutable part set by the pipeline. */
export interface NewReport {
  report: Omit<Report, 'seq' | 'reporter'>;
  reporterId: string;
  canonicalInput: string;
}

/**
 * An area's row as it is to be stored: computed above the store (`ingest/area-counts.ts`) from
 * the current row and the batch's changes; the store only upserts it with a new `seq`.
 */
export interface AreaWrite {
  areaId: string;
  /** The H3 cell's centre. */
  center: { lon: number; lat: number };
  count: number;
  /** Per category; no zero entries. */
  byCategory: Partial<Record<Category, number>>;
  lastObservedAtMs: number | null;
}

export interface StatusChange {
  reportId: string;
  status: ReportStatus;
  incidentId: string | null;
  reviewerId: string;
  note: string | undefined;
  atMs: number;
}

export interface CommitBatch {
  newReports: NewReport[];
  statusChanges: StatusChange[];
  /** Existing reports whose incident changed (merges and splits). */
  incidentMoves: { reportId: string; incidentId: string }[];
  incidents: Omit<IncidentState, 'seq'>[];
  tombstones: Omit<IncidentMerged, 'seq'>[];
  /** The final rows of the areas this batch changes. */
  areas: AreaWrite[];
  /** Reports a correction in this batch supersedes: they leave their incident (`incident_id` NULL). */
  supersessions: { reportId: string; supersededBy: string }[];
  /** Entries recording this batch's reviews, appended in the same transaction. */
  audit: AuditDraft[];
}

export interface CommitResult {
  /** New reports in the order given, with their `seq`. */
  newReports: Report[];
  /** Reports whose status or incident changed, with their new `seq`. */
  updatedReports: Report[];
  incidents: (IncidentState | IncidentMerged)[];
  areas: Area[];
  lastSeq: number;
}

export interface NewUser {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  createdAtMs: number;
}

export interface UserWithSecret extends UserRecord {
  passwordHash: string;
}

export interface NewSession {
  id: string;
  tokenHash: string;
  userId: string;
  createdAtMs: number;
}

export interface SessionWithUser {
  sessionId: string;
  createdAtMs: number;
  lastUsedMs: number;
  user: UserRecord;
}

export interface SessionState {
  createdAtMs: number;
  lastUsedMs: number;
  revoked: boolean;
  userDisabled: boolean;
}
