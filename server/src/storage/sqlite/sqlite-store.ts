import path from 'node:path';
import Database from 'better-sqlite3';
import type { Area, AuditAction, AuditEntry, Category, IncidentMerged, IncidentState, Place, Report, ReportReview, Role, UserRecord } from '@truceline/shared';
import { toUtcIso } from '@truceline/shared';
import {
  type AreaWrite,
  type CommitBatch,
  type CommitResult,
  type GroupingChange,
  type GroupingRow,
  type IncidentTally,
  type NewSession,
  type NewUser,
  type PlaceHolderKind,
  type ReportCursor,
  type ReportFilter,
  type SessionState,
  type SessionWithUser,
  type Store,
  type StatusChange,
  type StoredReport,
  type UserWithSecret,
  ReplayRaceError,
  UsernameTakenError,
} from '../store.js';
import { type AuditRow, appendAuditEntries, entryFromRow } from '../../audit/audit-rows.js';
import type { AuditDraft } from '../../audit/draft.js';
import { filterSql } from './filter-sql.js';
import { incidentTallies } from './incident-tallies.js';
import { StatementCache } from './statement-cache.js';
import { migrate } from './migrations.js';
import { createPrivateFile, ensurePrivateDir, tightenFile } from './private-files.js';
import {
  type AreaRow,
  type IncidentRow,
  REPORT_COLUMNS,
  REPORT_FROM,
  type ReportRow,
  type UserRow,
  areaFromRow,
  incidentFromRow,
  reportFromRow,
  reportJsonFromRow,
  userFromRow,
} from './rows.js';

/** The database's file name in `DATA_DIR` (SQLite adds `-wal` and `-shm` beside it). */
export const DATABASE_FILE = 'truceline.sqlite';

const ORDER = 'ORDER BY r.observed_at DESC, r.id DESC';

// The wedge of a bearing report comes out of the body (NULLs for direct locations): grouping
// links by it, and a column per field would only duplicate the body.
const GROUPING_COLUMNS = `id, category, observed_at, observed_end, lon, lat, uncertainty_m, reporter_id, incident_id,
  json_extract(body, '$.locationMethod'), json_extract(body, '$.observer.lon'), json_extract(body, '$.observer.lat'),
  json_extract(body, '$.observer.accuracyM'), json_extract(body, '$.bearingTrue.fromDeg'), json_extract(body, '$.bearingTrue.toDeg'),
  json_extract(body, '$.distanceM.min'), json_extract(body, '$.distanceM.max')`;
/** The columns of `GROUPING_COLUMNS`, in order. */
type GroupingRawRow = [
  string, Category, number, number, number, number, number, string, string,
  string | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null,
];

/** A storage fault at start, said so the operator knows what to do; anything else as it came. */
function storageStartError(error: unknown, dataDir: string, file: string): unknown {
  const code = error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const detail = code === undefined || message.startsWith(code) ? message : `${code}: ${message}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new Error(
      `the database ${file} is damaged or not a Truceline database (${detail}). Restore it from a backup (README, "Backup and restore"), or move it away to start empty.`,
      { cause: error },
    );
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return new Error(`cannot write in DATA_DIR ${dataDir} (${detail}). The server writes its database there: make it writable, or set DATA_DIR to a folder that is.`, {
      cause: error,
    });
  }
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT') {
    return new Error(`no space left for the database in DATA_DIR ${dataDir} (${detail}). Free some space and start again.`, { cause: error });
  }
  return error;
}

/** What the report carries of its latest review: no reviewer, and no `note` key when there is none. */
function reviewOf(change: StatusChange): ReportReview {
  return change.note === undefined ? { at: toUtcIso(change.atMs) } : { at: toUtcIso(change.atMs), note: change.note };
}

function openDatabase(file: string, readonly: boolean): Database.Database {
  const db = new Database(file, { readonly, fileMustExist: readonly });
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it returns, so an acknowledged report survives power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  }
  return db;
}

/**
 * The embedded store: one SQLite file in `DATA_DIR`, WAL mode. One connection writes;
 * a second, read-only one serves lists and exports so a long export never holds up ingest's
 * connection (WAL lets readers and the writer proceed together).
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly reader: Database.Database;
  /**
   * The watermark. Only this process writes the file and every seq-assigning write runs in one
   * synchronous transaction, so the highest seq committed is also a complete prefix.
   */
  private seq: number;
  /** The tail of the write lock's promise chain. */
  private writeLock: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Reporter ids of grouping rows, one string per reporter (accounts are few; see `groupingRow`). */
  private readonly reporterIds = new Map<string, string>();
  private readonly writeSql: StatementCache;
  private readonly readSql: StatementCache;

  private constructor(private readonly file: string) {
    this.db = openDatabase(file, false);
    migrate(this.db);
    this.reader = openDatabase(file, true);
    this.writeSql = new StatementCache(this.db);
    this.readSql = new StatementCache(this.reader);
    this.seq = this.readLastSeq();
  }

  static open(dataDir: string): SqliteStore {
    const file = path.join(dataDir, DATABASE_FILE);
    try {
      ensurePrivateDir(dataDir);
      createPrivateFile(file);
      const store = new SqliteStore(file);
      // WAL mode made -wal and -shm with the database's mode; older versions left all three 0644.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) tightenFile(f);
      return store;
    } catch (error) {
      throw storageStartError(error, dataDir, file);
    }
  }

  private readLastSeq(): number {
    const row = this.writeSql
      .get(
        `SELECT MAX(s) AS s FROM (
           SELECT MAX(seq) AS s FROM reports UNION ALL
           SELECT MAX(seq) FROM incidents UNION ALL
           SELECT MAX(seq) FROM areas)`,
      )
      .get() as { s: number | null };
    return row.s ?? 0;
  }

  lastSeq(): Promise<number> {
    return Promise.resolve(this.seq);
  }

  withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeLock.then(fn);
    // The next holder waits for this one to settle either way; a failure is the caller's.
    this.writeLock = run.catch(() => undefined);
    return run;
  }

  findReports(ids: readonly string[]): Promise<Map<string, StoredReport>> {
    const out = new Map<string, StoredReport>();
    if (ids.length === 0) return Promise.resolve(out);
    const stmt = this.writeSql.get(`SELECT ${REPORT_COLUMNS}, r.canonical_input FROM ${REPORT_FROM} WHERE r.id = ?`);
    for (const id of new Set(ids)) {
      const row = stmt.get(id) as (ReportRow & { canonical_input: string }) | undefined;
      if (row) out.set(id, { report: reportFromRow(row), reporterId: row.reporter_id, canonicalInput: row.canonical_input });
    }
    return Promise.resolve(out);
  }

  getReport(id: string): Promise<Report | undefined> {
    const row = this.readSql.get(`SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = ?`).get(id) as ReportRow | undefined;
    return Promise.resolve(row ? reportFromRow(row) : undefined);
  }

  listReports(filter: ReportFilter, page: { limit: number; after?: ReportCursor }): Promise<Report[]> {
    return Promise.resolve(this.readPage(filter, page.limit, page.after));
  }

  private readPage(filter: ReportFilter, limit: number, after: ReportCursor | undefined, sql: StatementCache = this.readSql): Report[] {
    const where = filterSql(filter);
    let text = `SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE ${where.sql}`;
    const params = [...where.params];
    if (after) {
      text += ' AND (r.observed_at, r.id) < (?, ?)';
      params.push(after.observedAtMs, after.id);
    }
    text += ` ${ORDER} LIMIT ?`;
    params.push(limit);
    const rows = sql.get(text).all(...params) as ReportRow[];
    return rows.map(reportFromRow);
  }

  reportsAfterSeq(afterSeq: number, limit: number): Promise<Report[]> {
    return Promise.resolve(this.rowsAfterSeq(afterSeq, limit).map(reportFromRow));
  }

  reportsAfterSeqJson(afterSeq: number, limit: number): Promise<{ seq: number; json: string }[]> {
    return Promise.resolve(this.rowsAfterSeq(afterSeq, limit).map((row) => ({ seq: row.seq, json: reportJsonFromRow(row) })));
  }

  private rowsAfterSeq(afterSeq: number, limit: number): ReportRow[] {
    return this.readSql.get(`SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.seq > ? ORDER BY r.seq LIMIT ?`).all(afterSeq, limit) as ReportRow[];
  }

  /**
   * One read transaction on a connection of its own for the whole export: every page comes from
   * the snapshot its first page saw (WAL keeps it while commits go on), so an export holds
   * exactly what was committed when it began. The shared reader cannot hold it: its other reads
   * would see the old snapshot too, and two exports could not each have theirs.
   */
  async *streamReports(filter: ReportFilter, chunkSize: number): AsyncIterable<Report[]> {
    const db = openDatabase(this.file, true);
    try {
      const sql = new StatementCache(db);
      db.exec('BEGIN');
      let after: ReportCursor | undefined;
      for (;;) {
        if (this.closed) throw new Error('store closed during export');
        const chunk = this.readPage(filter, chunkSize, after, sql);
        if (chunk.length === 0) return;
        yield chunk;
        if (chunk.length < chunkSize) return;
        const last = chunk[chunk.length - 1] as Report;
        after = { observedAtMs: Date.parse(last.observedAt), id: last.id };
      }
    } finally {
      // Ends the read transaction too, whether the export finished, failed or its client went away.
      db.close();
    }
  }

  async *groupingMembers(): AsyncIterable<GroupingRow[]> {
    // A full load runs once per stored report, so rows come back raw (arrays, no per-row
    // objects from the driver) and each becomes exactly one object.
    const stmt = this.reader
      .prepare(
        `SELECT rowid, ${GROUPING_COLUMNS}
           FROM reports WHERE status != 'rejected' AND superseded_by IS NULL AND rowid > ? ORDER BY rowid LIMIT ?`,
      )
      .raw(true);
    let lastRowid = 0;
    for (;;) {
      const rows = stmt.all(lastRowid, 10_000) as [number, ...GroupingRawRow][];
      const last = rows[rows.length - 1];
      if (last === undefined) return;
      lastRowid = last[0];
      yield rows.map(([, ...row]) => this.groupingRow(row));
    }
  }

  groupingMembersStartingBetween(fromMs: number, toMs: number): Promise<GroupingRow[]> {
    // Runs inside the writer, between commits: the writer's connection sees every commit so far.
    // Uses reports_observed (observed_at DESC, id DESC) for the range.
    const clamp = (ms: number): number => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, ms));
    const rows = this.db
      .prepare(
        `SELECT ${GROUPING_COLUMNS} FROM reports
          WHERE observed_at >= ? AND observed_at <= ? AND status != 'rejected' AND superseded_by IS NULL`,
      )
      .raw(true)
      .all(clamp(fromMs), clamp(toMs)) as GroupingRawRow[];
    return Promise.resolve(rows.map((row) => this.groupingRow(row)));
  }

  groupingMembersOfIncidents(incidentIds: readonly string[]): Promise<GroupingRow[]> {
    // Uses reports_incident; chunks stay below SQLite's bound-parameter limit.
    const out: GroupingRow[] = [];
    const ids = [...new Set(incidentIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT ${GROUPING_COLUMNS} FROM reports
            WHERE incident_id IN (${chunk.map(() => '?').join(',')}) AND status != 'rejected' AND superseded_by IS NULL`,
        )
        .raw(true)
        .all(...chunk) as GroupingRawRow[];
      for (const row of rows) out.push(this.groupingRow(row));
    }
    return Promise.resolve(out);
  }

  groupingChangesBetween(afterSeq: number, throughSeq: number, limit: number): Promise<GroupingChange[]> {
    const rows = this.db
      .prepare(
        `SELECT id, observed_at, CASE WHEN status != 'rejected' AND superseded_by IS NULL THEN incident_id END
           FROM reports WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      )
      .raw(true)
      .all(afterSeq, throughSeq, limit) as [string, number, string | null][];
    return Promise.resolve(rows.map(([id, startMs, incidentId]) => ({ id, startMs, incidentId })));
  }

  newestObservedAtMs(): Promise<number | undefined> {
    const row = this.writeSql.get('SELECT observed_at FROM reports ORDER BY observed_at DESC LIMIT 1').get() as
      | { observed_at: number }
      | undefined;
    return Promise.resolve(row?.observed_at);
  }

  /** One object per row; reporter ids repeat on every row of a monitor, so each is kept as one shared string. */
  private groupingRow([id, category, startMs, endMs, lon, lat, radiusM, reporter, incidentId, method, oLon, oLat, acc, from, to, min, max]: GroupingRawRow): GroupingRow {
    let reporterId = this.reporterIds.get(reporter);
    if (reporterId === undefined) {
      reporterId = reporter;
      this.reporterIds.set(reporter, reporter);
    }
    const row: GroupingRow = { id, category, startMs, endMs, lon, lat, radiusM, reporterId, incidentId };
    if (method === 'bearing' && oLon !== null && oLat !== null && from !== null && to !== null && min !== null && max !== null) {
      row.wedge = { observerLon: oLon, observerLat: oLat, accuracyM: acc ?? 0, fromDeg: from, toDeg: to, minM: min, maxM: max };
    }
    return row;
  }

  listIncidents(filter: ReportFilter): Promise<(IncidentState | IncidentMerged)[]> {
    const where = filterSql(filter);
    const rows = this.readSql
      .get(
        `SELECT i.id, i.seq, i.merged_into, i.state FROM incidents i
          WHERE i.merged_into IS NULL AND i.id IN (
            SELECT r.incident_id FROM reports r WHERE r.incident_id IS NOT NULL AND r.status != 'rejected' AND r.superseded_by IS NULL AND ${where.sql})
          ORDER BY i.seq`,
      )
      .all(...where.params) as IncidentRow[];
    return Promise.resolve(rows.map(incidentFromRow));
  }

  listAreas(filter: ReportFilter): Promise<Area[]> {
    const where = filterSql(filter);
    if (where.params.length === 0) {
      // Unfiltered (what the web client asks for at sign-in): the areas table holds exactly these
      // counts, kept at every commit; aggregating every stored report instead takes seconds at 1M.
      const rows = this.readSql.get('SELECT * FROM areas WHERE count > 0 ORDER BY seq').all() as AreaRow[];
      return Promise.resolve(rows.map(areaFromRow));
    }
    // Counts come from the matching reports, so a filtered map shows filtered shading.
    const rows = this.readSql
      .get(
        `SELECT r.area_id AS id, r.category AS category, COUNT(*) AS n, MAX(r.observed_at) AS last
           FROM reports r WHERE r.status != 'rejected' AND r.superseded_by IS NULL AND ${where.sql}
          GROUP BY r.area_id, r.category`,
      )
      .all(...where.params) as { id: string; category: Category; n: number; last: number }[];
    const byArea = new Map<string, { count: number; byCategory: Partial<Record<Category, number>>; last: number }>();
    for (const row of rows) {
      const agg = byArea.get(row.id) ?? { count: 0, byCategory: {}, last: 0 };
      agg.count += row.n;
      agg.byCategory[row.category] = row.n;
      agg.last = Math.max(agg.last, row.last);
      byArea.set(row.id, agg);
    }
    const areaStmt = this.readSql.get('SELECT * FROM areas WHERE id = ?');
    const out: Area[] = [];
    for (const [id, agg] of byArea) {
      const row = areaStmt.get(id) as AreaRow | undefined;
      if (!row) continue;
      out.push(
        areaFromRow({ ...row, count: agg.count, by_category: JSON.stringify(agg.byCategory), last_observed_at: agg.last }),
      );
    }
    out.sort((a, b) => a.seq - b.seq);
    return Promise.resolve(out);
  }

  incidentTallies(filter: ReportFilter): Promise<IncidentTally[]> {
    return Promise.resolve(incidentTallies(this.readSql, filter));
  }

  areaCounts(areaIds: readonly string[]): Promise<Map<string, AreaWrite>> {
    const out = new Map<string, AreaWrite>();
    const stmt = this.writeSql.get('SELECT * FROM areas WHERE id = ?');
    for (const id of new Set(areaIds)) {
      const row = stmt.get(id) as AreaRow | undefined;
      if (!row) continue;
      out.set(id, {
        areaId: row.id,
        center: { lon: row.lon, lat: row.lat },
        count: row.count,
        byCategory: JSON.parse(row.by_category) as Partial<Record<Category, number>>,
        lastObservedAtMs: row.last_observed_at,
      });
    }
    return Promise.resolve(out);
  }

  latestObservedInAreas(areaIds: readonly string[], excludingReportIds: readonly string[]): Promise<Map<string, number | null>> {
    // Uses reports_area; the exclusions go in as one JSON array.
    const stmt = this.writeSql.get(
      `SELECT MAX(observed_at) AS last FROM reports
        WHERE area_id = ? AND status != 'rejected' AND superseded_by IS NULL AND id NOT IN (SELECT value FROM json_each(?))`,
    );
    const excluded = JSON.stringify(excludingReportIds);
    const out = new Map<string, number | null>();
    for (const id of new Set(areaIds)) out.set(id, (stmt.get(id, excluded) as { last: number | null }).last);
    return Promise.resolve(out);
  }

  commit(batch: CommitBatch): Promise<CommitResult> {
    try {
      return Promise.resolve(this.commitNow(batch));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private commitNow(batch: CommitBatch): CommitResult {
    const db = this.db;
    const sql = this.writeSql;
    const startSeq = this.seq;
    let seq = startSeq;
    // ON CONFLICT: whether an id is new is decided by the database, atomically with the insert.
    const insertReport = sql.get(
      `INSERT INTO reports (id, seq, reporter_id, category, status, observed_at, observed_end, lon, lat,
         uncertainty_m, area_id, incident_id, received_at, body, canonical_input)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    );
    const setStatus = sql.get('UPDATE reports SET status = ?, incident_id = ?, seq = ?, review = ? WHERE id = ?');
    const insertReview = sql.get('INSERT INTO reviews (report_id, reviewer_id, status, note, at) VALUES (?, ?, ?, ?, ?)');
    const moveReport = sql.get('UPDATE reports SET incident_id = ?, seq = ? WHERE id = ?');
    const supersede = sql.get('UPDATE reports SET superseded_by = ?, incident_id = NULL, seq = ? WHERE id = ?');
    const upsertIncident = sql.get(
      `INSERT INTO incidents (id, seq, merged_into, state) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, merged_into = excluded.merged_into, state = excluded.state`,
    );
    const upsertArea = sql.get(
      `INSERT INTO areas (id, seq, lon, lat, count, by_category, last_observed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, count = excluded.count,
         by_category = excluded.by_category, last_observed_at = excluded.last_observed_at`,
    );
    const readReport = sql.get(`SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = ?`);

    const run = db.transaction((): CommitResult => {
      const newIds: string[] = [];
      const raced: string[] = [];
      for (const item of batch.newReports) {
        const r = item.report;
        const { status, incidentId, ...body } = r;
        const startMs = Date.parse(r.observedAt);
        const endMs = r.observedUntil === undefined ? startMs : Date.parse(r.observedUntil);
        const { changes } = insertReport.run(
          r.id, ++seq, item.reporterId, r.category, status, startMs, endMs, r.location.lon, r.location.lat,
          r.uncertaintyM, r.areaId, incidentId, Date.parse(r.receivedAt), JSON.stringify(body), item.canonicalInput,
        );
        if (changes === 0) raced.push(r.id);
        newIds.push(r.id);
      }
      // Throwing rolls the whole transaction back: nothing of this batch is stored.
      if (raced.length > 0) throw new ReplayRaceError(raced);
      const updatedIds = new Set<string>();
      for (const change of batch.statusChanges) {
        setStatus.run(change.status, change.incidentId, ++seq, JSON.stringify(reviewOf(change)), change.reportId);
        insertReview.run(change.reportId, change.reviewerId, change.status, change.note ?? null, change.atMs);
        updatedIds.add(change.reportId);
      }
      appendAuditEntries(db, batch.audit);
      for (const move of batch.incidentMoves) {
        moveReport.run(move.incidentId, ++seq, move.reportId);
        updatedIds.add(move.reportId);
      }
      const newIdSet = new Set(newIds);
      for (const { reportId, supersededBy } of batch.supersessions) {
        supersede.run(supersededBy, ++seq, reportId);
        // One stored earlier goes out as an update; one new in this batch is read (superseded) with the new ones.
        if (!newIdSet.has(reportId)) updatedIds.add(reportId);
      }
      const incidentIds: string[] = [];
      for (const incident of batch.incidents) {
        const { id, ...state } = incident;
        upsertIncident.run(id, ++seq, null, JSON.stringify(state));
        incidentIds.push(id);
      }
      for (const tomb of batch.tombstones) {
        upsertIncident.run(tomb.id, ++seq, tomb.mergedInto, null);
        incidentIds.push(tomb.id);
      }
      const areas: Area[] = [];
      for (const area of batch.areas) {
        const next: AreaRow = {
          id: area.areaId,
          seq: ++seq,
          lon: area.center.lon,
          lat: area.center.lat,
          count: area.count,
          by_category: JSON.stringify(area.byCategory),
          last_observed_at: area.lastObservedAtMs,
        };
        upsertArea.run(next.id, next.seq, next.lon, next.lat, next.count, next.by_category, next.last_observed_at);
        areas.push(areaFromRow(next));
      }
      const readAll = (ids: Iterable<string>): Report[] =>
        [...ids].map((id) => reportFromRow(readReport.get(id) as ReportRow));
      const getIncident = sql.get('SELECT * FROM incidents WHERE id = ?');
      return {
        newReports: readAll(newIds),
        updatedReports: readAll(updatedIds).sort((a, b) => a.seq - b.seq),
        incidents: incidentIds.map((id) => incidentFromRow(getIncident.get(id) as IncidentRow)),
        areas,
        lastSeq: seq,
      };
    });
    const result = run.immediate();
    this.seq = seq;
    return result;
  }

  // ---- places (issue 10)

  withoutPlace(kind: PlaceHolderKind, afterId: string, limit: number): Promise<{ id: string; lon: number; lat: number }[]> {
    const query =
      kind === 'report'
        ? "SELECT id, lon, lat FROM reports WHERE id > ? AND json_type(body, '$.place') IS NULL ORDER BY id LIMIT ?"
        : `SELECT id, json_extract(state, '$.location.lon') AS lon, json_extract(state, '$.location.lat') AS lat FROM incidents
           WHERE id > ? AND merged_into IS NULL AND json_type(state, '$.place') IS NULL ORDER BY id LIMIT ?`;
    return Promise.resolve(this.writeSql.get(query).all(afterId, limit) as { id: string; lon: number; lat: number }[]);
  }

  setPlaces(kind: PlaceHolderKind, places: readonly { id: string; place: Place }[]): Promise<void> {
    const update = this.writeSql.get(
      kind === 'report'
        ? "UPDATE reports SET body = json_set(body, '$.place', json(?)), seq = ? WHERE id = ?"
        : "UPDATE incidents SET state = json_set(state, '$.place', json(?)), seq = ? WHERE id = ?",
    );
    let seq = this.seq;
    this.db.transaction(() => {
      for (const { id, place } of places) update.run(JSON.stringify(place), ++seq, id);
    })();
    this.seq = seq;
    return Promise.resolve();
  }

  // ---- accounts

  findUserByName(username: string): Promise<UserWithSecret | undefined> {
    const row = this.writeSql.get('SELECT * FROM users WHERE username = ? COLLATE NOCASE').get(username) as UserRow | undefined;
    return Promise.resolve(row ? { ...userFromRow(row), passwordHash: row.password_hash } : undefined);
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.writeSql.get('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return Promise.resolve(row ? userFromRow(row) : undefined);
  }

  listUsers(): Promise<UserRecord[]> {
    const rows = this.writeSql.get('SELECT * FROM users ORDER BY username COLLATE NOCASE').all() as UserRow[];
    return Promise.resolve(rows.map(userFromRow));
  }

  countAdmins(): Promise<number> {
    const row = this.writeSql.get("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number };
    return Promise.resolve(row.n);
  }

  createUser(user: NewUser, audit: readonly AuditDraft[] = []): Promise<UserRecord> {
    try {
      this.db.transaction(() => {
        this.writeSql
          .get('INSERT INTO users (id, username, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)')
          .run(user.id, user.username, user.passwordHash, user.role, user.createdAtMs);
        appendAuditEntries(this.db, audit);
      }).immediate();
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        return Promise.reject(new UsernameTakenError(user.username));
      }
      throw error;
    }
    return this.getUser(user.id) as Promise<UserRecord>;
  }

  updateUser(id: string, patch: { role?: Role; disabled?: boolean }, audit: readonly AuditDraft[] = []): Promise<UserRecord | undefined> {
    this.db.transaction(() => {
      if (patch.role !== undefined) this.writeSql.get('UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
      if (patch.disabled !== undefined) this.writeSql.get('UPDATE users SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id);
      appendAuditEntries(this.db, audit);
    }).immediate();
    return this.getUser(id);
  }

  setPasswordHash(userId: string, passwordHash: string, audit: readonly AuditDraft[] = []): Promise<boolean> {
    const changes = this.db.transaction(() => {
      const result = this.writeSql.get('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
      if (result.changes > 0) appendAuditEntries(this.db, audit);
      return result.changes;
    }).immediate();
    return Promise.resolve(changes > 0);
  }

  createSession(session: NewSession): Promise<void> {
    this.writeSql
      .get('INSERT INTO sessions (id, token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)')
      .run(session.id, session.tokenHash, session.userId, session.createdAtMs, session.createdAtMs);
    return Promise.resolve();
  }

  findSession(tokenHash: string, idleCutoffMs: number): Promise<SessionWithUser | undefined> {
    const row = this.writeSql
      .get(
        `SELECT s.id AS session_id, s.created_at AS session_created_at, s.last_used_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.last_used_at >= ?`,
      )
      .get(tokenHash, idleCutoffMs) as (UserRow & { session_id: string; session_created_at: number; last_used_at: number }) | undefined;
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve({
      sessionId: row.session_id,
      createdAtMs: row.session_created_at,
      lastUsedMs: row.last_used_at,
      user: userFromRow(row),
    });
  }

  sessionStates(sessionIds: readonly string[]): Promise<Map<string, SessionState>> {
    const states = new Map<string, SessionState>();
    // One statement for any number of ids: the list goes in as one JSON array.
    const rows = this.writeSql
      .get(
        `SELECT s.id, s.created_at, s.last_used_at, s.revoked_at, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(sessionIds)) as { id: string; created_at: number; last_used_at: number; revoked_at: number | null; disabled: number }[];
    for (const row of rows) {
      states.set(row.id, {
        createdAtMs: row.created_at,
        lastUsedMs: row.last_used_at,
        revoked: row.revoked_at !== null,
        userDisabled: row.disabled !== 0,
      });
    }
    return Promise.resolve(states);
  }

  touchSession(sessionId: string, atMs: number): Promise<void> {
    this.writeSql.get('UPDATE sessions SET last_used_at = ? WHERE id = ? AND last_used_at < ?').run(atMs, sessionId, atMs);
    return Promise.resolve();
  }

  revokeSession(sessionId: string, atMs: number, audit: readonly AuditDraft[] = []): Promise<void> {
    this.db.transaction(() => {
      const { changes } = this.writeSql.get('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(atMs, sessionId);
      if (changes > 0) appendAuditEntries(this.db, audit);
    }).immediate();
    return Promise.resolve();
  }

  revokeUserSessions(userId: string, atMs: number, exceptSessionId?: string, audit?: AuditDraft): Promise<string[]> {
    const ids = this.db.transaction(() => {
      const rows = this.writeSql
        .get('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ? RETURNING id')
        .all(atMs, userId, exceptSessionId ?? null) as { id: string }[];
      if (audit && rows.length > 0) appendAuditEntries(this.db, [{ ...audit, after: { ...audit.after, sessions: rows.length } }]);
      return rows.map((r) => r.id);
    }).immediate();
    return Promise.resolve(ids);
  }

  appendAudit(drafts: readonly AuditDraft[]): Promise<AuditEntry[]> {
    return Promise.resolve(this.db.transaction(() => appendAuditEntries(this.db, drafts)).immediate());
  }

  auditEntries(query: { afterSeq: number; limit: number; actions?: readonly AuditAction[]; targetId?: string }): Promise<AuditEntry[]> {
    const rows = this.readSql
      .get(
        `SELECT * FROM audit WHERE seq > ?
           AND (? IS NULL OR action IN (SELECT value FROM json_each(?)))
           AND (? IS NULL OR target_id = ?)
         ORDER BY seq LIMIT ?`,
      )
      .all(
        query.afterSeq,
        query.actions ? 1 : null, JSON.stringify(query.actions ?? []),
        query.targetId ?? null, query.targetId ?? null,
        query.limit,
      ) as AuditRow[];
    return Promise.resolve(rows.map(entryFromRow));
  }

  auditHead(): Promise<{ seq: number; hash: string } | null> {
    const row = this.writeSql.get('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return Promise.resolve(row ?? null);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.reader.close();
      this.db.close();
    }
    return Promise.resolve();
  }
}
