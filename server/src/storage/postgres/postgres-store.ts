import pg from 'pg';
import Cursor from 'pg-cursor';
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
  ReplayRaceError,
  type ReportCursor,
  type ReportFilter,
  type SessionState,
  type SessionWithUser,
  type StatusChange,
  type Store,
  type StoredReport,
  type UserWithSecret,
  UsernameTakenError,
} from '../store.js';
import { type AuditRow, entryFromRow } from '../../audit/audit-rows.js';
import type { AuditDraft } from '../../audit/draft.js';
import {
  type AreaRow,
  type IncidentRow,
  type ReportRow,
  type UserRow,
  areaFromRow,
  incidentFromRow,
  reportFromRow,
  reportJsonFromRow,
  userFromRow,
} from '../sqlite/rows.js';
import { appendAuditPg } from './audit-append.js';
import { PG_TYPES, WriterConnection, asUnavailable } from './connection.js';
import { PgParams, isEmptyFilter, pgFilterSql } from './filter-sql.js';
import { migratePg } from './schema.js';


// `body` is selected as stored text (the driver would parse a json column).
const REPORT_COLUMNS = 'r.id, r.seq, r.status, r.incident_id, r.area_id, r.body, r.reporter_id, u.username, r.superseded_by, r.review';
const REPORT_FROM = 'reports r JOIN users u ON u.id = r.reporter_id';
const ORDER = 'ORDER BY r.observed_at DESC, r.id DESC';
const COUNTED = "r.status != 'rejected' AND r.superseded_by IS NULL";
// The wedge of a bearing report comes out of the body (NULLs for direct locations).
const GROUPING_COLUMNS = `r.id, r.category, r.observed_at, r.observed_end, r.lon, r.lat, r.uncertainty_m, r.reporter_id, r.incident_id,
  r.body::json ->> 'locationMethod' AS method, (r.body::json #>> '{observer,lon}')::float8 AS o_lon, (r.body::json #>> '{observer,lat}')::float8 AS o_lat,
  (r.body::json #>> '{observer,accuracyM}')::float8 AS o_acc, (r.body::json #>> '{bearingTrue,fromDeg}')::float8 AS b_from,
  (r.body::json #>> '{bearingTrue,toDeg}')::float8 AS b_to, (r.body::json #>> '{distanceM,min}')::float8 AS d_min,
  (r.body::json #>> '{distanceM,max}')::float8 AS d_max`;

interface GroupingDbRow {
  id: string;
  category: Category;
  observed_at: number;
  observed_end: number;
  lon: number;
  lat: number;
  uncertainty_m: number;
  reporter_id: string;
  incident_id: string;
  method: string | null;
  o_lon: number | null;
  o_lat: number | null;
  o_acc: number | null;
  b_from: number | null;
  b_to: number | null;
  d_min: number | null;
  d_max: number | null;
}

/** Test hooks: a place to pause a commit inside its transaction (the out-of-order test). */
export interface PostgresStoreHooks {
  /** Runs inside `commit`'s transaction after its rows are written, before the watermark moves and `COMMIT`. */
  beforeCommit?: () => Promise<void>;
}

export interface PostgresStoreOptions {
  /** Connections of the read pool (lists, catch-up, exports each hold one while they read). */
  poolSize?: number;
  hooks?: PostgresStoreHooks;
}

function reviewOf(change: StatusChange): ReportReview {
  return change.note === undefined ? { at: toUtcIso(change.atMs) } : { at: toUtcIso(change.atMs), note: change.note };
}

const clampMs = (ms: number): number => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, ms));

/**
 * The scale-out store: any number of processes on one PostgreSQL database. Seqs are assigned only
 * on the writer session under an advisory lock and published through `seq_head` in the same
 * transaction (see ARCHITECTURE.md, "Storage engines"), reads come from a pool.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly writer: WriterConnection;
  private readonly hooks: PostgresStoreHooks;
  private closed = false;

  private constructor(connectionString: string, options: PostgresStoreOptions) {
    // A request waits at most 10 s for a connection (all busy, or the server unreachable) and
    // then fails, rather than hanging its client.
    this.pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      types: PG_TYPES,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    // An idle pooled connection that dies (server restart) is removed by the pool; without a
    // listener its error would be an uncaught exception.
    this.pool.on('error', () => undefined);
    this.writer = new WriterConnection({ connectionString, connectionTimeoutMillis: 10_000 });
    this.hooks = options.hooks ?? {};
  }

  /** Connects, migrates and checks the schema; rejects with the driver's error when it cannot. */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(connectionString, options);
    try {
      const client = await store.pool.connect();
      try {
        await migratePg(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async rows<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /** A transaction on a pooled connection (account changes, sessions, audit appends). */
  private async poolTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(asUnavailable(error)));
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw asUnavailable(error);
    } finally {
      client.release(broken);
    }
  }

  withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.writer.withWriteLock(fn);
  }

  /** The committed watermark: every change with `seq <= lastSeq()` is visible to every reader. */
  async lastSeq(): Promise<number> {
    const [row] = await this.rows<{ seq: number }>('SELECT seq FROM seq_head');
    return row?.seq ?? 0;
  }

  // ---- reports

  async findReports(ids: readonly string[]): Promise<Map<string, StoredReport>> {
    const out = new Map<string, StoredReport>();
    if (ids.length === 0) return out;
    const rows = await this.rows<ReportRow & { canonical_input: string }>(
      `SELECT ${REPORT_COLUMNS}, r.canonical_input FROM ${REPORT_FROM} WHERE r.id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    for (const row of rows) out.set(row.id, { report: reportFromRow(row), reporterId: row.reporter_id, canonicalInput: row.canonical_input });
    return out;
  }

  async getReport(id: string): Promise<Report | undefined> {
    const [row] = await this.rows<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = $1`, [id]);
    return row ? reportFromRow(row) : undefined;
  }

  private pageQuery(filter: ReportFilter, limit: number | undefined, after: ReportCursor | undefined): { text: string; values: unknown[] } {
    const params = new PgParams();
    let text = `SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE ${pgFilterSql(filter, params)}`;
    if (after) text += ` AND (r.observed_at, r.id) < (${params.add(after.observedAtMs)}, ${params.add(after.id)})`;
    text += ` ${ORDER}`;
    if (limit !== undefined) text += ` LIMIT ${params.add(limit)}`;
    return { text, values: params.values };
  }

  async listReports(filter: ReportFilter, page: { limit: number; after?: ReportCursor }): Promise<Report[]> {
    const query = this.pageQuery(filter, page.limit, page.after);
    return (await this.rows<ReportRow>(query.text, query.values)).map(reportFromRow);
  }

  private rowsAfterSeq(afterSeq: number, limit: number): Promise<ReportRow[]> {
    // Bounded by the watermark read in the same statement: a reader never gets a seq above it
    // (decision 2), so what it pages to next cannot skip one committing meanwhile.
    return this.rows<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.seq > $1 AND r.seq <= (SELECT seq FROM seq_head) ORDER BY r.seq LIMIT $2`,
      [afterSeq, limit],
    );
  }

  async reportsAfterSeq(afterSeq: number, limit: number): Promise<Report[]> {
    return (await this.rowsAfterSeq(afterSeq, limit)).map(reportFromRow);
  }

  async reportsAfterSeqJson(afterSeq: number, limit: number): Promise<{ seq: number; json: string }[]> {
    return (await this.rowsAfterSeq(afterSeq, limit)).map((row) => ({ seq: row.seq, json: reportJsonFromRow(row) }));
  }

  /**
   * One `REPEATABLE READ READ ONLY` transaction on a pooled connection of its own, read through a
   * cursor in chunks: one snapshot as of its first chunk, memory flat whatever the export's size.
   */
  async *streamReports(filter: ReportFilter, chunkSize: number): AsyncIterable<Report[]> {
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(asUnavailable(error)));
    let broken = false;
    let cursor: Cursor<ReportRow> | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const query = this.pageQuery(filter, undefined, undefined);
      cursor = client.query(new Cursor<ReportRow>(query.text, query.values));
      for (;;) {
        if (this.closed) throw new Error('store closed during export');
        const rows = await cursor.read(chunkSize);
        if (rows.length === 0) return;
        yield rows.map(reportFromRow);
        if (rows.length < chunkSize) return;
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // Ends the transaction whether the export finished, failed or its client went away.
      try {
        await cursor?.close();
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      client.release(broken);
    }
  }

  private static groupingRow(row: GroupingDbRow): GroupingRow {
    const out: GroupingRow = {
      id: row.id,
      category: row.category,
      startMs: row.observed_at,
      endMs: row.observed_end,
      lon: row.lon,
      lat: row.lat,
      radiusM: row.uncertainty_m,
      reporterId: row.reporter_id,
      incidentId: row.incident_id,
    };
    const { o_lon: oLon, o_lat: oLat, b_from: from, b_to: to, d_min: min, d_max: max } = row;
    if (row.method === 'bearing' && oLon !== null && oLat !== null && from !== null && to !== null && min !== null && max !== null) {
      out.wedge = { observerLon: oLon, observerLat: oLat, accuracyM: row.o_acc ?? 0, fromDeg: from, toDeg: to, minM: min, maxM: max };
    }
    return out;
  }

  async *groupingMembers(): AsyncIterable<GroupingRow[]> {
    let afterId = '';
    for (;;) {
      const rows = await this.rows<GroupingDbRow>(
        `SELECT ${GROUPING_COLUMNS} FROM reports r WHERE ${COUNTED} AND r.id > $1 ORDER BY r.id LIMIT 10000`,
        [afterId],
      );
      const last = rows[rows.length - 1];
      if (last === undefined) return;
      afterId = last.id;
      yield rows.map(PostgresStore.groupingRow);
    }
  }

  async groupingMembersStartingBetween(fromMs: number, toMs: number): Promise<GroupingRow[]> {
    const rows = await this.rows<GroupingDbRow>(
      `SELECT ${GROUPING_COLUMNS} FROM reports r WHERE r.observed_at >= $1 AND r.observed_at <= $2 AND ${COUNTED}`,
      [clampMs(fromMs), clampMs(toMs)],
    );
    return rows.map(PostgresStore.groupingRow);
  }

  async groupingMembersOfIncidents(incidentIds: readonly string[]): Promise<GroupingRow[]> {
    if (incidentIds.length === 0) return [];
    const rows = await this.rows<GroupingDbRow>(
      `SELECT ${GROUPING_COLUMNS} FROM reports r WHERE r.incident_id = ANY($1::text[]) AND ${COUNTED}`,
      [[...new Set(incidentIds)]],
    );
    return rows.map(PostgresStore.groupingRow);
  }

  async groupingChangesBetween(afterSeq: number, throughSeq: number, limit: number): Promise<GroupingChange[]> {
    const rows = await this.rows<{ id: string; observed_at: number; incident_id: string | null }>(
      `SELECT r.id, r.observed_at, CASE WHEN ${COUNTED} THEN r.incident_id END AS incident_id
         FROM reports r WHERE r.seq > $1 AND r.seq <= $2 ORDER BY r.seq LIMIT $3`,
      [afterSeq, throughSeq, limit],
    );
    return rows.map((row) => ({ id: row.id, startMs: row.observed_at, incidentId: row.incident_id }));
  }

  async newestObservedAtMs(): Promise<number | undefined> {
    const [row] = await this.rows<{ observed_at: number }>('SELECT observed_at FROM reports ORDER BY observed_at DESC LIMIT 1');
    return row?.observed_at;
  }

  async listIncidents(filter: ReportFilter): Promise<(IncidentState | IncidentMerged)[]> {
    const params = new PgParams();
    const rows = await this.rows<IncidentRow>(
      `SELECT i.id, i.seq, i.merged_into, i.state FROM incidents i
        WHERE i.merged_into IS NULL AND i.id IN (
          SELECT r.incident_id FROM reports r WHERE r.incident_id IS NOT NULL AND ${COUNTED} AND ${pgFilterSql(filter, params)})
        ORDER BY i.seq`,
      params.values,
    );
    return rows.map(incidentFromRow);
  }

  async listAreas(filter: ReportFilter): Promise<Area[]> {
    if (isEmptyFilter(filter)) {
      // Unfiltered: the areas table holds exactly these counts, kept at every commit.
      return (await this.rows<AreaRow>('SELECT * FROM areas WHERE count > 0 ORDER BY seq')).map(areaFromRow);
    }
    // Counts come from the matching reports, so a filtered map shows filtered shading.
    const params = new PgParams();
    const rows = await this.rows<AreaRow & { category: Category; n: number; last: number }>(
      `SELECT a.id, a.seq, a.lon, a.lat, x.category, x.n, x.last FROM (
         SELECT r.area_id, r.category, COUNT(*)::int AS n, MAX(r.observed_at) AS last
           FROM reports r WHERE ${COUNTED} AND ${pgFilterSql(filter, params)} GROUP BY r.area_id, r.category) x
         JOIN areas a ON a.id = x.area_id`,
      params.values,
    );
    const byArea = new Map<string, AreaRow & { byCategory: Partial<Record<Category, number>> }>();
    for (const row of rows) {
      const agg = byArea.get(row.id) ?? { ...row, count: 0, by_category: '', last_observed_at: 0, byCategory: {} };
      agg.count += row.n;
      agg.byCategory[row.category] = row.n;
      agg.last_observed_at = Math.max(agg.last_observed_at ?? 0, row.last);
      byArea.set(row.id, agg);
    }
    return [...byArea.values()]
      .map(({ byCategory, ...row }) => areaFromRow({ ...row, by_category: JSON.stringify(byCategory) }))
      .sort((a, b) => a.seq - b.seq);
  }

  async incidentTallies(filter: ReportFilter): Promise<IncidentTally[]> {
    const params = new PgParams();
    const where = pgFilterSql(filter, params);
    const rows = await this.rows<{
      incident: string;
      first: number;
      max_count: number | null;
      max_explosions: number | null;
      max_killed: number | null;
      max_injured: number | null;
      reports: number;
      categories: string[];
      weapons: (string | null)[];
      assessments: (string | null)[];
    }>(
      `SELECT x.incident_id AS incident, MIN(x.observed_at) AS first,
              MAX(x.n) AS max_count, MAX(CASE WHEN x.unit = 'explosions' THEN x.n END) AS max_explosions,
              MAX(x.killed) AS max_killed, MAX(x.injured) AS max_injured, COUNT(*)::int AS reports,
              array_agg(DISTINCT x.category) AS categories, array_agg(DISTINCT x.weapon) AS weapons,
              array_agg(DISTINCT x.assessment) AS assessments
         FROM (SELECT r.incident_id, r.observed_at, r.category, b ->> 'countUnit' AS unit,
                      (b ->> 'count')::float8 AS n, (b #>> '{casualties,killed}')::float8 AS killed,
                      (b #>> '{casualties,injured}')::float8 AS injured, b ->> 'weapon' AS weapon, b ->> 'assessment' AS assessment
                 FROM reports r CROSS JOIN LATERAL (SELECT r.body::json AS b) j
                WHERE r.incident_id IN (
                        SELECT r.incident_id FROM reports r WHERE r.incident_id IS NOT NULL AND ${COUNTED} AND ${where})
                  AND ${COUNTED}) x
        GROUP BY x.incident_id`,
      params.values,
    );
    const present = <T>(list: (T | null)[]): T[] => list.filter((v): v is T => v !== null);
    return rows.map((row) => ({
      incidentId: row.incident,
      firstObservedMs: row.first,
      maxCount: row.max_count,
      maxExplosions: row.max_explosions,
      maxKilled: row.max_killed,
      maxInjured: row.max_injured,
      reports: row.reports,
      categories: present(row.categories) as Category[],
      weapons: present(row.weapons) as IncidentTally['weapons'],
      assessments: present(row.assessments) as IncidentTally['assessments'],
    }));
  }

  // ---- areas (decision 4): the rows the layer above computes from

  async areaCounts(areaIds: readonly string[]): Promise<Map<string, AreaWrite>> {
    const out = new Map<string, AreaWrite>();
    if (areaIds.length === 0) return out;
    const rows = await this.rows<AreaRow>('SELECT * FROM areas WHERE id = ANY($1::text[])', [[...new Set(areaIds)]]);
    for (const row of rows) {
      out.set(row.id, {
        areaId: row.id,
        center: { lon: row.lon, lat: row.lat },
        count: row.count,
        byCategory: JSON.parse(row.by_category) as Partial<Record<Category, number>>,
        lastObservedAtMs: row.last_observed_at,
      });
    }
    return out;
  }

  async latestObservedInAreas(areaIds: readonly string[], excludingReportIds: readonly string[]): Promise<Map<string, number | null>> {
    const ids = [...new Set(areaIds)];
    const out = new Map<string, number | null>(ids.map((id) => [id, null]));
    if (ids.length === 0) return out;
    const rows = await this.rows<{ area_id: string; last: number | null }>(
      `SELECT r.area_id, MAX(r.observed_at) AS last FROM reports r
        WHERE r.area_id = ANY($1::text[]) AND ${COUNTED} AND r.id != ALL($2::text[]) GROUP BY r.area_id`,
      [ids, [...excludingReportIds]],
    );
    for (const row of rows) out.set(row.area_id, row.last);
    return out;
  }

  // ---- the group commit

  /**
   * Applies one group commit in one transaction on the writer session, under the writer lock, and
   * resolves only after `COMMIT` returned (`synchronous_commit = on`: the WAL is flushed). New
   * reports go in with `ON CONFLICT (id) DO NOTHING`; one that another process stored meanwhile
   * rolls everything back with `ReplayRaceError` (decision 6).
   */
  commit(batch: CommitBatch): Promise<CommitResult> {
    return this.writer.seqTransaction(async (db, headSeq) => {
      // Seqs in the order SQLite gives them: new reports, reviews, moves, supersessions,
      // incidents, tombstones, areas. Statements run in another order (the rows they touch are
      // distinct), so that the common ingest commit is one statement besides BEGIN and COMMIT.
      let seq = headSeq;
      const newRows: (ReportRow & { reporter_id: string })[] = [];
      const reportCols: unknown[][] = Array.from({ length: 15 }, () => []);
      for (const item of batch.newReports) {
        const r = item.report;
        const { status, incidentId, ...body } = r;
        const startMs = Date.parse(r.observedAt);
        const endMs = r.observedUntil === undefined ? startMs : Date.parse(r.observedUntil);
        const text = JSON.stringify(body);
        const values = [
          r.id, ++seq, item.reporterId, r.category, status, startMs, endMs, r.location.lon, r.location.lat,
          r.uncertaintyM, r.areaId, incidentId, Date.parse(r.receivedAt), text, item.canonicalInput,
        ];
        values.forEach((v, i) => (reportCols[i] as unknown[]).push(v));
        newRows.push({ id: r.id, seq, status, incident_id: incidentId, area_id: r.areaId, body: text, reporter_id: item.reporterId, username: '', superseded_by: null, review: null });
      }
      const statusSeqs = batch.statusChanges.map(() => ++seq);
      const moveSeqs = batch.incidentMoves.map(() => ++seq);
      const supersessionSeqs = batch.supersessions.map(() => ++seq);
      const incidentRows: IncidentRow[] = [
        ...batch.incidents.map(({ id, ...state }) => ({ id, seq: ++seq, merged_into: null, state: JSON.stringify(state) })),
        ...batch.tombstones.map((tomb) => ({ id: tomb.id, seq: ++seq, merged_into: tomb.mergedInto, state: null })),
      ];
      const areaRows: AreaRow[] = batch.areas.map((a) => ({
        id: a.areaId,
        seq: ++seq,
        lon: a.center.lon,
        lat: a.center.lat,
        count: a.count,
        by_category: JSON.stringify(a.byCategory),
        last_observed_at: a.lastObservedAtMs,
      }));

      // New reports (ON CONFLICT: decision 6), incidents and areas in one statement; the
      // reporters' names come back with it, for the reports it returns.
      const params = new PgParams();
      const parts: string[] = [];
      if (newRows.length > 0) {
        const p = reportCols.map((col) => params.add(col));
        parts.push(`ins AS (INSERT INTO reports (id, seq, reporter_id, category, status, observed_at, observed_end, lon, lat,
             uncertainty_m, area_id, incident_id, received_at, body, canonical_input)
           SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::bigint[], ${p[2]}::text[], ${p[3]}::text[], ${p[4]}::text[], ${p[5]}::bigint[],
             ${p[6]}::bigint[], ${p[7]}::float8[], ${p[8]}::float8[], ${p[9]}::float8[], ${p[10]}::text[], ${p[11]}::text[],
             ${p[12]}::bigint[], ${p[13]}::text[], ${p[14]}::text[])
           ON CONFLICT (id) DO NOTHING RETURNING id)`);
      }
      if (incidentRows.length > 0) {
        parts.push(`inc AS (INSERT INTO incidents (id, seq, merged_into, state)
           SELECT * FROM unnest(${params.add(incidentRows.map((r) => r.id))}::text[], ${params.add(incidentRows.map((r) => r.seq))}::bigint[],
             ${params.add(incidentRows.map((r) => r.merged_into))}::text[], ${params.add(incidentRows.map((r) => r.state))}::text[])
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, merged_into = excluded.merged_into, state = excluded.state)`);
      }
      if (areaRows.length > 0) {
        // The centre is the cell's, written when the area is first seen.
        parts.push(`ar AS (INSERT INTO areas (id, seq, lon, lat, count, by_category, last_observed_at)
           SELECT * FROM unnest(${params.add(areaRows.map((r) => r.id))}::text[], ${params.add(areaRows.map((r) => r.seq))}::bigint[],
             ${params.add(areaRows.map((r) => r.lon))}::float8[], ${params.add(areaRows.map((r) => r.lat))}::float8[],
             ${params.add(areaRows.map((r) => r.count))}::int[], ${params.add(areaRows.map((r) => r.by_category))}::text[],
             ${params.add(areaRows.map((r) => r.last_observed_at))}::bigint[])
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, count = excluded.count,
             by_category = excluded.by_category, last_observed_at = excluded.last_observed_at)`);
      }
      if (parts.length > 0) {
        const reporters = [...new Set(newRows.map((r) => r.reporter_id))];
        const [row] = (
          await db.query<{ inserted: string[] | null; names: Record<string, string> | null }>(
            `WITH ${parts.join(', ')}
             SELECT ${newRows.length > 0 ? '(SELECT array_agg(id) FROM ins)' : 'NULL::text[]'} AS inserted,
                    (SELECT json_object_agg(id, username) FROM users WHERE id = ANY(${params.add(reporters)}::text[])) AS names`,
            params.values,
          )
        ).rows;
        if (newRows.length > 0) {
          const stored = new Set(row?.inserted ?? []);
          if (stored.size !== newRows.length) throw new ReplayRaceError(newRows.map((r) => r.id).filter((id) => !stored.has(id)));
          for (const r of newRows) r.username = row?.names?.[r.reporter_id] ?? '';
        }
      }

      // A row of this batch's new reports that a later change in it touches is returned as it ends up, as a read would.
      const newById = new Map(newRows.map((r) => [r.id, r]));
      const updatedIds = new Set<string>();
      for (const [i, change] of batch.statusChanges.entries()) {
        await db.query('UPDATE reports SET status = $1, incident_id = $2, seq = $3, review = $4 WHERE id = $5', [
          change.status, change.incidentId, statusSeqs[i], JSON.stringify(reviewOf(change)), change.reportId,
        ]);
        await db.query('INSERT INTO reviews (report_id, reviewer_id, status, note, at) VALUES ($1, $2, $3, $4, $5)', [
          change.reportId, change.reviewerId, change.status, change.note ?? null, change.atMs,
        ]);
        const fresh = newById.get(change.reportId);
        if (fresh) Object.assign(fresh, { status: change.status, incident_id: change.incidentId, seq: statusSeqs[i] as number, review: JSON.stringify(reviewOf(change)) });
        updatedIds.add(change.reportId);
      }
      await appendAuditPg(db, batch.audit);
      for (const [i, move] of batch.incidentMoves.entries()) {
        await db.query('UPDATE reports SET incident_id = $1, seq = $2 WHERE id = $3', [move.incidentId, moveSeqs[i], move.reportId]);
        const fresh = newById.get(move.reportId);
        if (fresh) Object.assign(fresh, { incident_id: move.incidentId, seq: moveSeqs[i] as number });
        updatedIds.add(move.reportId);
      }
      for (const [i, { reportId, supersededBy }] of batch.supersessions.entries()) {
        await db.query('UPDATE reports SET superseded_by = $1, incident_id = NULL, seq = $2 WHERE id = $3', [supersededBy, supersessionSeqs[i], reportId]);
        // One stored earlier goes out as an update; one new in this batch is returned (superseded) with the new ones.
        const fresh = newById.get(reportId);
        if (fresh) Object.assign(fresh, { superseded_by: supersededBy, incident_id: null, seq: supersessionSeqs[i] as number });
        else updatedIds.add(reportId);
      }

      let updated: Report[] = [];
      if (updatedIds.size > 0) {
        const rows = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM ${REPORT_FROM} WHERE r.id = ANY($1::text[])`, [[...updatedIds]]);
        updated = rows.rows.map(reportFromRow).sort((a, b) => a.seq - b.seq);
      }
      const result: CommitResult = {
        // Built as a read would build them (`reportFromRow` over the row just written), without reading them back.
        newReports: newRows.map(reportFromRow),
        updatedReports: updated,
        incidents: incidentRows.map(incidentFromRow),
        areas: areaRows.map(areaFromRow),
        lastSeq: seq,
      };
      await this.hooks.beforeCommit?.();
      return { result, lastSeq: seq };
    });
  }

  // ---- places (issue 10)

  async withoutPlace(kind: PlaceHolderKind, afterId: string, limit: number): Promise<{ id: string; lon: number; lat: number }[]> {
    return this.rows(
      kind === 'report'
        ? "SELECT id, lon, lat FROM reports WHERE id > $1 AND (body::json -> 'place') IS NULL ORDER BY id LIMIT $2"
        : `SELECT id, (state::json #>> '{location,lon}')::float8 AS lon, (state::json #>> '{location,lat}')::float8 AS lat FROM incidents
            WHERE id > $1 AND merged_into IS NULL AND (state::json -> 'place') IS NULL ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Each row with the next seq, under the writer lock like a commit. The JSON is edited as text-preserving JS (key order kept). */
  setPlaces(kind: PlaceHolderKind, places: readonly { id: string; place: Place }[]): Promise<void> {
    if (places.length === 0) return Promise.resolve();
    const [table, column] = kind === 'report' ? ['reports', 'body'] : ['incidents', 'state'];
    return this.writer.seqTransaction(async (db, headSeq) => {
      let seq = headSeq;
      const current = await db.query<{ id: string; doc: string }>(`SELECT id, ${column} AS doc FROM ${table} WHERE id = ANY($1::text[])`, [
        places.map((p) => p.id),
      ]);
      const docs = new Map(current.rows.map((row) => [row.id, row.doc]));
      for (const { id, place } of places) {
        const doc = docs.get(id);
        if (doc === undefined) continue;
        const value = JSON.parse(doc) as Record<string, unknown>;
        value.place = place;
        await db.query(`UPDATE ${table} SET ${column} = $1, seq = $2 WHERE id = $3`, [JSON.stringify(value), ++seq, id]);
      }
      return { result: undefined, lastSeq: seq };
    });
  }

  // ---- accounts

  async findUserByName(username: string): Promise<UserWithSecret | undefined> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
    return row ? { ...userFromRow(row), passwordHash: row.password_hash } : undefined;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row ? userFromRow(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.rows<UserRow>('SELECT * FROM users ORDER BY lower(username)')).map(userFromRow);
  }

  async countAdmins(): Promise<number> {
    const [row] = await this.rows<{ n: number }>("SELECT COUNT(*)::int AS n FROM users WHERE role = 'admin' AND disabled = 0");
    return row?.n ?? 0;
  }

  async createUser(user: NewUser, audit: readonly AuditDraft[] = []): Promise<UserRecord> {
    try {
      await this.poolTransaction(async (db) => {
        await db.query('INSERT INTO users (id, username, password_hash, role, disabled, created_at) VALUES ($1, $2, $3, $4, 0, $5)', [
          user.id, user.username, user.passwordHash, user.role, user.createdAtMs,
        ]);
        await appendAuditPg(db, audit);
      });
    } catch (error) {
      if (error !== null && typeof error === 'object' && 'code' in error && error.code === '23505') throw new UsernameTakenError(user.username);
      throw error;
    }
    return (await this.getUser(user.id)) as UserRecord;
  }

  async updateUser(id: string, patch: { role?: Role; disabled?: boolean }, audit: readonly AuditDraft[] = []): Promise<UserRecord | undefined> {
    await this.poolTransaction(async (db) => {
      if (patch.role !== undefined) await db.query('UPDATE users SET role = $1 WHERE id = $2', [patch.role, id]);
      if (patch.disabled !== undefined) await db.query('UPDATE users SET disabled = $1 WHERE id = $2', [patch.disabled ? 1 : 0, id]);
      await appendAuditPg(db, audit);
    });
    return this.getUser(id);
  }

  setPasswordHash(userId: string, passwordHash: string, audit: readonly AuditDraft[] = []): Promise<boolean> {
    return this.poolTransaction(async (db) => {
      const result = await db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId]);
      if ((result.rowCount ?? 0) > 0) await appendAuditPg(db, audit);
      return (result.rowCount ?? 0) > 0;
    });
  }

  async createSession(session: NewSession): Promise<void> {
    await this.pool.query('INSERT INTO sessions (id, token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)', [
      session.id, session.tokenHash, session.userId, session.createdAtMs,
    ]);
  }

  async findSession(tokenHash: string, idleCutoffMs: number): Promise<SessionWithUser | undefined> {
    const [row] = await this.rows<UserRow & { session_id: string; session_created_at: number; last_used_at: number }>(
      `SELECT s.id AS session_id, s.created_at AS session_created_at, s.last_used_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.last_used_at >= $2`,
      [tokenHash, idleCutoffMs],
    );
    if (!row) return undefined;
    return { sessionId: row.session_id, createdAtMs: row.session_created_at, lastUsedMs: row.last_used_at, user: userFromRow(row) };
  }

  async sessionStates(sessionIds: readonly string[]): Promise<Map<string, SessionState>> {
    const states = new Map<string, SessionState>();
    if (sessionIds.length === 0) return states;
    const rows = await this.rows<{ id: string; created_at: number; last_used_at: number; revoked_at: number | null; disabled: number }>(
      `SELECT s.id, s.created_at, s.last_used_at, s.revoked_at, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ANY($1::text[])`,
      [[...sessionIds]],
    );
    for (const row of rows) {
      states.set(row.id, { createdAtMs: row.created_at, lastUsedMs: row.last_used_at, revoked: row.revoked_at !== null, userDisabled: row.disabled !== 0 });
    }
    return states;
  }

  async touchSession(sessionId: string, atMs: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET last_used_at = $1 WHERE id = $2 AND last_used_at < $1', [atMs, sessionId]);
  }

  revokeSession(sessionId: string, atMs: number, audit: readonly AuditDraft[] = []): Promise<void> {
    return this.poolTransaction(async (db) => {
      const result = await db.query('UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [atMs, sessionId]);
      if ((result.rowCount ?? 0) > 0) await appendAuditPg(db, audit);
    });
  }

  revokeUserSessions(userId: string, atMs: number, exceptSessionId?: string, audit?: AuditDraft): Promise<string[]> {
    return this.poolTransaction(async (db) => {
      const rows = (
        await db.query<{ id: string }>(
          'UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id IS DISTINCT FROM $3 RETURNING id',
          [atMs, userId, exceptSessionId ?? null],
        )
      ).rows;
      if (audit && rows.length > 0) await appendAuditPg(db, [{ ...audit, after: { ...audit.after, sessions: rows.length } }]);
      return rows.map((r) => r.id);
    });
  }

  // ---- audit log

  appendAudit(drafts: readonly AuditDraft[]): Promise<AuditEntry[]> {
    return this.poolTransaction((db) => appendAuditPg(db, drafts));
  }

  async auditEntries(query: { afterSeq: number; limit: number; actions?: readonly AuditAction[]; targetId?: string }): Promise<AuditEntry[]> {
    const rows = await this.rows<AuditRow>(
      `SELECT * FROM audit WHERE seq > $1 AND ($2::text[] IS NULL OR action = ANY($2::text[])) AND ($3::text IS NULL OR target_id = $3)
        ORDER BY seq LIMIT $4`,
      [query.afterSeq, query.actions ? [...query.actions] : null, query.targetId ?? null, query.limit],
    );
    return rows.map(entryFromRow);
  }

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    const [row] = await this.rows<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    return row ?? null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    await this.pool.end();
  }
}
