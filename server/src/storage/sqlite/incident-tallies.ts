import type { Assessment, Category, Weapon } from '@truceline/shared';
import type { IncidentTally, ReportFilter } from '../store.js';
import { filterSql } from './filter-sql.js';
import type { StatementCache } from './statement-cache.js';

/**
 * A report of alias `alias` that counts: not rejected, and not superseded. `superseded_by` is
 * set by the commit that stores the correction (the grouping takes the original out of its
 * incident and area then), so the summary and the incidents apply one rule, decided once.
 */
const counted = (alias: string): string => `${alias}.status != 'rejected' AND ${alias}.superseded_by IS NULL`;

/**
 * The summary's heavy lifting, one statement: the incidents with a counted report matching the
 * filter (the filter's range on `reports_observed`, then every counted report of those incidents (`reports_incident`)
 * grouped by incident, each body's JSON read once. Exported for the benchmark's baseline,
 * which runs this same text on the same file.
 */
export function incidentTalliesSql(filter: ReportFilter): { sql: string; params: (string | number)[] } {
  const where = filterSql(filter);
  const sql = `
    SELECT x.incident_id AS incident, MIN(x.observed_at) AS first,
           MAX(x.n) AS max_count,
           MAX(CASE WHEN x.unit = 'explosions' THEN x.n END) AS max_explosions,
           MAX(x.killed) AS max_killed, MAX(x.injured) AS max_injured,
           COUNT(*) AS reports,
           group_concat(x.category) AS categories,
           group_concat(x.weapon) AS weapons,
           group_concat(x.assessment) AS assessments
      FROM (SELECT r.incident_id, r.observed_at, r.category,
                   r.body ->> '$.count' AS n, r.body ->> '$.countUnit' AS unit,
                   r.body ->> '$.casualties.killed' AS killed, r.body ->> '$.casualties.injured' AS injured,
                   r.body ->> '$.weapon' AS weapon, r.body ->> '$.assessment' AS assessment
              FROM reports r
             WHERE r.incident_id IN (
                     SELECT r.incident_id FROM reports r
                      WHERE r.incident_id IS NOT NULL AND ${counted('r')} AND ${where.sql})
               AND ${counted('r')}) x
     GROUP BY x.incident_id`;
  return { sql, params: where.params };
}

interface TallyRow {
  incident: string;
  first: number;
  max_count: number | null;
  max_explosions: number | null;
  max_killed: number | null;
  max_injured: number | null;
  reports: number;
  categories: string;
  weapons: string | null;
  assessments: string | null;
}

// No taxonomy value holds a comma, so group_concat's list splits back unambiguously. Repeats
// are dropped here: DISTINCT in SQL builds a temporary B-tree per incident and list (~10 % of
// the statement's time over 15,000 incidents).
const list = <T extends string>(text: string | null): T[] => (text === null ? [] : ([...new Set(text.split(','))] as T[]));

export function incidentTallies(sql: StatementCache, filter: ReportFilter): IncidentTally[] {
  const query = incidentTalliesSql(filter);
  const rows = sql.get(query.sql).all(...query.params) as TallyRow[];
  return rows.map((row) => ({
    incidentId: row.incident,
    firstObservedMs: row.first,
    maxCount: row.max_count,
    maxExplosions: row.max_explosions,
    maxKilled: row.max_killed,
    maxInjured: row.max_injured,
    reports: row.reports,
    categories: list<Category>(row.categories),
    weapons: list<Weapon>(row.weapons),
    assessments: list<Assessment>(row.assessments),
  }));
}
