import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, scaleOutAvailable } from '../../../../tests/support/scale-out-env.js';
import type { NormalisedReport } from '../../ingest/normalise.js';
import { type CommitBatch, ReplayRaceError } from '../store.js';
import { TEST_REPORTER_ID, batchOf, normalisedReport } from '../test-batches.js';
import { PostgresStore } from './postgres-store.js';
import { verifyPgAuditChain } from './audit-verify.js';

const USER = TEST_REPORTER_ID;
const normalised = normalisedReport;

/** A batch that stores these reports (each its own incident-less report, one area row). */
function storing(reports: NormalisedReport[]): CommitBatch {
  return batchOf({ newReports: reports });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const run = scaleOutAvailable({ postgres: true });

describe.runIf(run)('PostgresStore across writers', () => {
  let db: { url: string; drop: () => Promise<void> };
  const opened: PostgresStore[] = [];
  const open = async (hooks?: Parameters<typeof PostgresStore.open>[1]): Promise<PostgresStore> => {
    const store = await PostgresStore.open(db.url, hooks);
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    db = await freshDatabase();
    const first = await open();
    await first.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await db.drop();
  });

  it('stores a commit and reads it back, the catch-up JSON equal to the report serialised', async () => {
    const store = opened[0] as PostgresStore;
    const items = [normalised(), normalised({ category: 'explosion' })];
    const result = await store.commit(storing(items));
    expect(result.newReports.map((r) => r.seq)).toEqual([1, 2]);
    expect(result.lastSeq).toBe(2);
    expect(await store.lastSeq()).toBe(2);
    const json = await store.reportsAfterSeqJson(0, 10);
    expect(json.map((j) => j.json)).toEqual(result.newReports.map((r) => JSON.stringify(r)));
    expect(await store.getReport(items[0]!.report.id)).toEqual(result.newReports[0]);
  });

  it('never lets a reader pass a seq that commits later: B waits behind A, and the watermark moves only past committed seqs', async () => {
    const gate = deferred();
    const entered = deferred();
    const a = await open({
      hooks: {
        beforeCommit: async () => {
          entered.resolve();
          await gate.promise;
        },
      },
    });
    const b = await open();
    const reader = await open();

    // The poller: everything it is ever shown must be gap-free and in order.
    const seen: number[] = [];
    let polling = true;
    const poll = (async () => {
      let after = 0;
      while (polling) {
        const head = await reader.lastSeq();
        const page = await reader.reportsAfterSeq(after, 1000);
        for (const r of page) {
          expect(r.seq).toBe(after + 1);
          expect(r.seq).toBeLessThanOrEqual(Math.max(head, r.seq));
          seen.push(r.seq);
          after = r.seq;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const aItems = [normalised(), normalised()];
    const bItems = [normalised()];
    const aCommit = a.commit(storing(aItems));
    await entered.promise;
    // A holds seqs 1–2 inside its open transaction; B starts now and must not commit before it.
    let bDone = false;
    const bCommit = b.commit(storing(bItems)).then((r) => {
      bDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(bDone).toBe(false);
    expect(await reader.lastSeq()).toBe(0);
    expect(seen).toEqual([]);
    gate.resolve();
    const [ra, rb] = await Promise.all([aCommit, bCommit]);
    expect(ra.newReports.map((r) => r.seq)).toEqual([1, 2]);
    expect(rb.newReports.map((r) => r.seq)).toEqual([3]);
    await expect.poll(() => seen.length).toBe(3);
    polling = false;
    await poll;
    expect(seen).toEqual([1, 2, 3]);
    expect(await reader.lastSeq()).toBe(3);
  });

  it('holds the writer lock across processes: a callback in one store runs alone against another store’s', async () => {
    const a = opened[0] as PostgresStore;
    const b = await open();
    const log: string[] = [];
    const hold = (name: string, store: PostgresStore) =>
      store.withWriteLock(async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 100));
        await store.commit(storing([normalised()]));
        log.push(`${name}-`);
      });
    await Promise.all([hold('a', a), hold('b', b), hold('a2', a)]);
    // Each callback's start is followed by its own end: no two overlapped.
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('+', '-'));
    expect(await a.lastSeq()).toBe(3);
  });

  it('races the same report id from two stores: one stores it, the other rolls back its whole batch with ReplayRaceError', async () => {
    const a = opened[0] as PostgresStore;
    const b = await open();
    const shared = normalised();
    const onlyB = normalised();
    const results = await Promise.allSettled([a.commit(storing([shared])), b.commit(storing([onlyB, shared]))]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ReplayRaceError);
    expect((rejected[0]!.reason as ReplayRaceError).ids).toEqual([shared.report.id]);
    // Whichever won, the loser's batch left nothing: one copy of the shared report, and B's
    // other report only if B won.
    const found = await a.findReports([shared.report.id, onlyB.report.id]);
    expect(found.has(shared.report.id)).toBe(true);
    const bWon = results[1]!.status === 'fulfilled';
    expect(found.has(onlyB.report.id)).toBe(bWon);
    expect(await a.lastSeq()).toBe(bWon ? 2 : 1);
  });

  it('keeps one audit chain when two stores append at once', async () => {
    const a = opened[0] as PostgresStore;
    const b = await open();
    const draft = (n: number) => ({ atMs: Date.UTC(2026, 5, 1) + n, actor: null, action: 'export' as const, target: { type: 'export', id: `e${n}` } });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).appendAudit([draft(i), draft(i + 1000)])),
    );
    const check = await verifyPgAuditChain(db.url);
    expect(check).toMatchObject({ ok: true, entries: 80 });
    expect(await b.auditHead()).toEqual(check.ok ? check.head : null);
  });

  it('reconnects by itself after its sessions are cut (a PostgreSQL restart): the next call works', async () => {
    const store = opened[0] as PostgresStore;
    await store.commit(storing([normalised()]));
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid != pg_backend_pid()');
    } finally {
      await admin.end();
    }
    // The first call after the cut may fail (nothing of it is stored); a later one must succeed.
    const attempt = async () => store.commit(storing([normalised()])).then(() => true, () => false);
    let ok = await attempt();
    if (!ok) ok = await attempt();
    expect(ok).toBe(true);
    expect(await store.lastSeq()).toBe(2);
    expect((await store.reportsAfterSeq(0, 10)).map((r) => r.seq)).toEqual([1, 2]);
  });
});
