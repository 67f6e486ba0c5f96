import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrations.js';

/** The version before the one that puts the latest review on the report (issue 11). */
const BEFORE_REVIEW_COLUMN = 3;

describe('migration to the review column', () => {
  let db: Database.Database;
  afterEach(() => db.close());

  /** A database as a server released before the column left it: three reports, some reviews. */
  function olderDatabase(): Database.Database {
    db = new Database(':memory:');
    migrate(db, BEFORE_REVIEW_COLUMN);
    expect(db.pragma('user_version', { simple: true })).toBe(BEFORE_REVIEW_COLUMN);
    db.prepare(`INSERT INTO users VALUES ('u1', 'monitor-1', 'x', 'monitor', 0, 0), ('c1', 'coord-1', 'x', 'coordinator', 0, 0)`).run();
    const report = db.prepare(
      `INSERT INTO reports (id, seq, reporter_id, category, status, observed_at, observed_end, lon, lat, uncertainty_m, area_id, received_at, body, canonical_input)
       VALUES (?, ?, 'u1', 'shelling', ?, 0, 0, 37.8, 48.5, 50, 'a', 0, '{}', '{}')`,
    );
    report.run('verified-then-rejected', 1, 'rejected');
    report.run('verified-without-note', 2, 'verified');
    report.run('never-reviewed', 3, 'pending');
    const review = db.prepare(`INSERT INTO reviews (report_id, reviewer_id, status, note, at) VALUES (?, 'c1', ?, ?, ?)`);
    review.run('verified-then-rejected', 'verified', 'Seen by two monitors', Date.parse('2026-03-01T22:10:00.120Z'));
    // A millisecond part with leading zeros, which the SQL must keep.
    review.run('verified-then-rejected', 'rejected', 'Camera shows a controlled demolition', Date.parse('2026-03-02T07:05:09.005Z'));
    review.run('verified-without-note', 'verified', null, Date.parse('2026-03-01T23:59:59.999Z'));
    return db;
  }

  const reviewOf = (id: string): unknown => {
    const row = db.prepare('SELECT review FROM reports WHERE id = ?').get(id) as { review: string | null };
    return row.review === null ? null : JSON.parse(row.review);
  };

  it('gives each reviewed report its latest review, with the time as the API writes it', () => {
    migrate(olderDatabase());
    expect(reviewOf('verified-then-rejected')).toEqual({ at: '2026-03-02T07:05:09.005Z', note: 'Camera shows a controlled demolition' });
    // No note: the key is absent, as for a review made after the migration.
    expect(reviewOf('verified-without-note')).toEqual({ at: '2026-03-01T23:59:59.999Z' });
    expect(reviewOf('never-reviewed')).toBeNull();
  });

  it('writes times that round-trip through Date exactly as new reviews do', () => {
    migrate(olderDatabase());
    const at = (reviewOf('verified-then-rejected') as { at: string }).at;
    expect(new Date(at).toISOString()).toBe(at);
  });

  it('runs once: a second start changes nothing', () => {
    migrate(olderDatabase());
    const before = db.prepare('SELECT id, review FROM reports ORDER BY id').all();
    migrate(db);
    expect(db.prepare('SELECT id, review FROM reports ORDER BY id').all()).toEqual(before);
  });
});
