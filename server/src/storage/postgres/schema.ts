import type pg from 'pg';

/**
 * Schema migrations for PostgreSQL, applied in order at start; `schema_version` records how many
 * ran. Append only, like SQLite's: a shipped migration is never edited.
 *
 * Times are epoch milliseconds (`bigint`), as in SQLite, so both engines share the row mappers.
 * `body` is `text`, not `jsonb`: the catch-up page splices the stored text byte for byte
 * (`reportJsonFromRow`), and `jsonb` would reorder and reformat it; queries cast it to `json`.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id            text PRIMARY KEY,
    username      text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('monitor', 'coordinator', 'admin')),
    disabled      integer NOT NULL DEFAULT 0,
    created_at    bigint NOT NULL
  );
  -- One name in any letter case, as SQLite's COLLATE NOCASE.
  CREATE UNIQUE INDEX users_username ON users (lower(username));

  CREATE TABLE sessions (
    id           text PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,
    user_id      text NOT NULL REFERENCES users(id),
    created_at   bigint NOT NULL,
    last_used_at bigint NOT NULL,
    revoked_at   bigint
  );
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE reports (
    id              text PRIMARY KEY,
    seq             bigint NOT NULL UNIQUE,
    reporter_id     text NOT NULL REFERENCES users(id),
    category        text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    observed_at     bigint NOT NULL,
    observed_end    bigint NOT NULL,
    lon             double precision NOT NULL,
    lat             double precision NOT NULL,
    uncertainty_m   double precision NOT NULL,
    area_id         text NOT NULL,
    incident_id     text,
    received_at     bigint NOT NULL,
    body            text NOT NULL,
    canonical_input text NOT NULL,
    supersedes      text GENERATED ALWAYS AS (body::json ->> 'supersedes') STORED,
    superseded_by   text,
    review          text
  );
  CREATE INDEX reports_observed ON reports(observed_at DESC, id DESC);
  -- A map's box: the latitude range bounds the scan, longitude is checked from the index entry.
  CREATE INDEX reports_position ON reports(lat, lon);
  CREATE INDEX reports_area ON reports(area_id);
  CREATE INDEX reports_incident ON reports(incident_id);
  CREATE INDEX reports_reporter ON reports(reporter_id, observed_at);
  CREATE INDEX reports_supersedes ON reports(supersedes) WHERE supersedes IS NOT NULL;

  CREATE TABLE incidents (
    id          text PRIMARY KEY,
    seq         bigint NOT NULL,
    merged_into text,
    state       text
  );

  CREATE TABLE areas (
    id               text PRIMARY KEY,
    seq              bigint NOT NULL,
    lon              double precision NOT NULL,
    lat              double precision NOT NULL,
    count            integer NOT NULL,
    by_category      text NOT NULL,
    last_observed_at bigint
  );

  CREATE TABLE reviews (
    id          bigserial PRIMARY KEY,
    report_id   text NOT NULL REFERENCES reports(id),
    reviewer_id text NOT NULL REFERENCES users(id),
    status      text NOT NULL,
    note        text,
    at          bigint NOT NULL
  );
  CREATE INDEX reviews_report ON reviews(report_id);

  CREATE TABLE audit (
    seq            bigint PRIMARY KEY,
    at             text NOT NULL,
    actor_id       text,
    actor_username text,
    action         text NOT NULL,
    target_type    text NOT NULL,
    target_id      text NOT NULL,
    before         text,
    after          text,
    note           text,
    address        text,
    prev_hash      text NOT NULL,
    hash           text NOT NULL
  );
  CREATE INDEX audit_target ON audit(target_id, seq);
  CREATE INDEX audit_action ON audit(action, seq);
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

  -- The committed watermark: the highest seq committed. Updated in the transaction that uses the
  -- seqs, under the writer lock, so every seq at or below it is visible to every reader.
  CREATE TABLE seq_head (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq bigint NOT NULL
  );
  INSERT INTO seq_head (one, seq) VALUES (true, 0);
  `,
];

/** Advisory lock keys (one namespace per database): the seq writer, the audit chain, migrations. */
export const LOCK_KEYS = { writer: 7_130_001, audit: 7_130_002, migrate: 7_130_003 } as const;

/**
 * Brings the schema up to date. Several processes may start together: the first takes the
 * migration lock and migrates, the others wait for it and then find nothing to do.
 */
export async function migratePg(client: pg.ClientBase, target = PG_MIGRATIONS.length): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEYS.migrate]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows;
    let current = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server (${PG_MIGRATIONS.length}); upgrade Truceline`);
    }
    for (; current < target; current++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[current] as string);
        await client.query('UPDATE schema_version SET version = $1', [current + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return current;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.migrate]);
  }
}
