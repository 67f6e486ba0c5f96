import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Append only: a shipped migration is never edited, because databases in the field ran it.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('monitor', 'coordinator', 'admin')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    revoked_at   INTEGER
  ) STRICT;
  CREATE INDEX sessions_user ON sessions(user_id);

  -- body: the report's immutable fields as JSON; the columns beside it are what queries
  -- filter on and what changes (status, incident_id, seq).
  CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    seq             INTEGER NOT NULL UNIQUE,
    reporter_id     TEXT NOT NULL REFERENCES users(id),
    category        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    observed_at     INTEGER NOT NULL,
    observed_end    INTEGER NOT NULL,
    lon             REAL NOT NULL,
    lat             REAL NOT NULL,
    uncertainty_m   REAL NOT NULL,
    area_id         TEXT NOT NULL,
    incident_id     TEXT,
    received_at     INTEGER NOT NULL,
    body            TEXT NOT NULL,
    canonical_input TEXT NOT NULL
  ) STRICT;
  CREATE INDEX reports_observed ON reports(observed_at DESC, id DESC);
  CREATE INDEX reports_area ON reports(area_id);
  CREATE INDEX reports_incident ON reports(incident_id);
  CREATE INDEX reports_reporter ON reports(reporter_id, observed_at);

  CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    merged_into TEXT,
    state       TEXT
  ) STRICT;

  CREATE TABLE areas (
    id               TEXT PRIMARY KEY,
    seq              INTEGER NOT NULL,
    lon              REAL NOT NULL,
    lat              REAL NOT NULL,
    count            INTEGER NOT NULL,
    by_category      TEXT NOT NULL,
    last_observed_at INTEGER
  ) STRICT;

  -- Every review, in order: who set which status when, and why.
  CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES reports(id),
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    status      TEXT NOT NULL,
    note        TEXT,
    at          INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX reviews_report ON reviews(report_id);
  `,
  // Summaries leave out a report that a later correction supersedes: finding "is there a
  // correction of this report" per report needs the reference indexed. A virtual column costs
  // no storage in the row and no change to how reports are written; the partial index holds
  // only the few corrections.
  `
  ALTER TABLE reports ADD COLUMN supersedes TEXT GENERATED ALWAYS AS (json_extract(body, '$.supersedes')) VIRTUAL;
  CREATE INDEX reports_supersedes ON reports(supersedes) WHERE supersedes IS NOT NULL;
  `,
  // A report that a later correction supersedes leaves incident and area counts (issue 10);
  // reports stored before this migration are marked from their corrections' bodies, and area
  // counts are recounted without them.
  `
  ALTER TABLE reports ADD COLUMN superseded_by TEXT;
  UPDATE reports SET superseded_by = (
    SELECT c.id FROM reports c
     WHERE json_extract(c.body, '$.supersedes') = reports.id AND c.reporter_id = reports.reporter_id
     ORDER BY c.seq LIMIT 1);
  UPDATE areas SET
    count = (SELECT COUNT(*) FROM reports r WHERE r.area_id = areas.id AND r.status != 'rejected' AND r.superseded_by IS NULL),
    by_category = COALESCE((SELECT json_group_object(category, n) FROM (
      SELECT r.category AS category, COUNT(*) AS n FROM reports r
       WHERE r.area_id = areas.id AND r.status != 'rejected' AND r.superseded_by IS NULL GROUP BY r.category)), '{}');
  `,
  // The latest review travels on the report (issue 11) as `{at, note?}` JSON, so every read path
  // (lists, catch-up, live updates, export) carries it without a join; the reviews table keeps
  // the history and who reviewed. Reports reviewed before this migration get their latest one.
  `
  ALTER TABLE reports ADD COLUMN review TEXT;
  UPDATE reports SET review = (
    SELECT json_object('at', strftime('%Y-%m-%dT%H:%M:%S', v.at / 1000, 'unixepoch') || printf('.%03dZ', v.at % 1000), 'note', v.note)
      FROM reviews v WHERE v.report_id = reports.id ORDER BY v.id DESC LIMIT 1);
  UPDATE reports SET review = json_remove(review, '$.note') WHERE json_extract(review, '$.note') IS NULL;
  `,
  // The append-only audit log (issue 12): each entry's hash covers the previous one's, and the
  // database itself refuses to change or remove an entry (docs/audit.md). The reviews table
  // stays as it was written; history is read from this log.
  `
  CREATE TABLE audit (
    seq            INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor_id       TEXT,
    actor_username TEXT,
    action         TEXT NOT NULL,
    target_type    TEXT NOT NULL,
    target_id      TEXT NOT NULL,
    before         TEXT,
    after          TEXT,
    note           TEXT,
    address        TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_target ON audit(target_id, seq);
  CREATE INDEX audit_action ON audit(action, seq);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
];

/** Brings the schema up to `target` (all migrations unless a test asks to stop at an older version). */
export function migrate(db: Database.Database, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length}); upgrade Truceline`);
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
