import type { Logger } from 'pino';
import type { Report, ReportStatus } from '@truceline/shared';
import { AppError } from '../app-error.js';
import { type CommitResult, ReplayRaceError, type Store, type StoredReport } from '../storage/store.js';
import { areaReads, areaWrites } from './area-counts.js';
import type { Broadcaster } from './broadcast.js';
import { BatchPlan } from './batch-plan.js';
import { withIncidentPlaces } from './incident-place.js';
import type { PlaceOf } from '../places/places.js';
import { replayOrConflict } from './idempotency.js';
import type { GroupingNeeds, WindowedIncidentIndex } from './load-index.js';
import type { NormalisedReport } from './normalise.js';

export interface SubmitOutcome {
  report: Report;
  duplicate: boolean;
}

export interface ReviewRequest {
  reportId: string;
  status: ReportStatus;
  note: string | undefined;
  expectedSeq: number | undefined;
  reviewerId: string;
  /** Recorded in the audit entry beside the id, as the reviewer was named at the time. */
  reviewerUsername: string;
  atMs: number;
}

export interface ReviewOutcome {
  report: Report;
  changed: boolean;
}

/** Why commits are failing, for `/api/health`; `undefined` while they succeed. */
export interface CommitTrouble {
  reason: string;
  sinceMs: number;
}

/**
 * After a failed commit, further batches are refused at once (nothing stored, `unavailable`)
 * until the next try: a second after the first failure, doubling up to half a minute.
 */
export const COMMIT_RETRY = { firstMs: 1_000, maxMs: 30_000 } as const;

/**
 * At most this many reports changed by others are caught up with (their incidents reloaded);
 * beyond, the index is cleared and refills on demand, which then costs less.
 */
export const CATCH_UP_LIMIT = 5_000;

/** How often a batch is planned again when another process stored one of its ids meanwhile. */
export const REPLAY_RACE_TRIES = 4;

/** `findReports` failed: nothing was planned, so the index needs no rebuild. */
class StoreReadError extends Error {
  constructor(cause: unknown) {
    super('reading stored reports failed', { cause });
  }
}

interface Attempt {
  result: CommitResult | undefined;
  afterCommit: ((byId: Map<string, Report>) => void)[];
}

type Op =
  | { kind: 'submit'; item: NormalisedReport; resolve: (o: SubmitOutcome) => void; reject: (e: unknown) => void }
  | { kind: 'review'; request: ReviewRequest; resolve: (o: ReviewOutcome) => void; reject: (e: unknown) => void };

/**
 * The single writer. Every change to reports goes through here, in order: ops that arrive
 * while a commit is running wait and then commit together (a group commit: one fsync for
 * the lot), and each caller's promise settles only after its commit is durable. Idempotency
 * and the incident index are decided here, serially, so two copies of one report racing
 * in over two transports cannot both be stored. Each flush holds the store's write lock, so
 * several processes (each with a queue) on one database take turns and see each other's
 * commits; a copy another process stored meanwhile is caught by the database (ReplayRaceError).
 */
export class CommitQueue {
  private queue: Op[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;
  /** Consecutive failed commits, the first one's time and error, and when the next may be tried. */
  private failures = 0;
  private trouble: CommitTrouble | undefined;
  private retryAtMs = 0;
  /**
   * The watermark the index is known to match: after our own last commit, when it was last
   * cleared, or read before a rebuild. `undefined` until the first flush (the index given at
   * construction was loaded at a watermark this queue never saw) and after a batch was planned
   * but not stored.
   */
  private indexSeq: number | undefined;
  /** Until the first flush: the index given at construction may know the watermark it was loaded at. */
  private firstFlush = true;

  constructor(
    private readonly store: Store,
    /** Loading the index takes a moment at start; ops queue meanwhile and commit once it is there. */
    private index: Promise<WindowedIncidentIndex>,
    private readonly rebuildIndex: () => Promise<WindowedIncidentIndex>,
    private readonly broadcaster: Broadcaster,
    private readonly log: Logger,
    private readonly maxBatch = 1000,
    private readonly now: () => number = Date.now,
    /** Names each incident's place as it is written (issue 10); tests of other steps leave it out. */
    private readonly placeOf?: PlaceOf,
  ) {}

  /**
   * Why submissions are being refused, or `undefined`: from a failed commit until its back-off
   * is over. Then the next submission tries again, so the server is ready for it: a health
   * check that stayed `503` until a commit succeeded would keep a load balancer from sending
   * the very submission that finds the disk freed.
   */
  get failing(): CommitTrouble | undefined {
    if (!this.trouble || this.now() >= this.retryAtMs) return undefined;
    return { ...this.trouble, reason: `${this.trouble.reason}; refusing submissions for ${Math.ceil((this.retryAtMs - this.now()) / 1000)} s more` };
  }

  submit(item: NormalisedReport): Promise<SubmitOutcome> {
    return new Promise((resolve, reject) => this.push({ kind: 'submit', item, resolve, reject }));
  }

  review(request: ReviewRequest): Promise<ReviewOutcome> {
    return new Promise((resolve, reject) => this.push({ kind: 'review', request, resolve, reject }));
  }

  /** Resolves when everything queued so far is committed (used by graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.start();
      await this.running;
    }
  }

  private push(op: Op): void {
    this.queue.push(op);
    if (!this.scheduled && !this.running) {
      this.scheduled = true;
      // setImmediate lets every message already read from sockets join this batch.
      setImmediate(() => this.start());
    }
  }

  private start(): void {
    this.scheduled = false;
    if (this.running) return;
    this.running = (async () => {
      while (this.queue.length > 0) {
        const ops = this.queue.splice(0, this.maxBatch);
        await this.flush(ops);
      }
    })().finally(() => {
      this.running = undefined;
      // An op pushed between the loop's last check and here saw `running` set and scheduled
      // nothing: start again for it, or it would wait forever.
      if (this.queue.length > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.start());
      }
    });
  }

  private async flush(ops: Op[]): Promise<void> {
    if (this.failures > 0 && this.now() < this.retryAtMs) {
      // Storage failed a moment ago (a full disk, say): trying again at once would fail again
      // and cost another rebuild of the index. Refuse quickly; clients retry.
      this.refuseAll(ops);
      return;
    }
    let attempt: Attempt;
    for (let tries = 1; ; tries++) {
      try {
        // The whole flush holds the writer lock: what it reads (stored copies, the index's
        // loads, area rows) is exactly what is committed, and nobody commits before it does.
        attempt = await this.store.withWriteLock(() => this.planAndCommit(ops));
        break;
      } catch (error) {
        // The planned batch is in the index but not in the store: drop the index's contents.
        this.indexSeq = undefined;
        if (error instanceof ReplayRaceError && tries < REPLAY_RACE_TRIES) {
          // Another process stored one of these ids meanwhile. Not a failure: planned again,
          // `findReports` sees the stored copy and answers `duplicate` (or `conflict`).
          this.log.info({ ids: error.ids, tries }, 'reports stored meanwhile by another process; planning the batch again');
          continue;
        }
        if (error instanceof StoreReadError) {
          this.failAll(ops, error.cause);
          return;
        }
        // Planning or the commit failed: the index may hold part of this batch, so rebuild it
        // from what the store really has, and acknowledge nobody (their clients retry). The
        // index has no undo for a half-planned batch (merges, splits), so it is rebuilt whole;
        // the back-off keeps that to one rebuild per try, not one per failing batch.
        this.log.error({ err: error }, 'group commit failed; nothing in it was acknowledged');
        this.failAll(ops, error);
        this.noteFailure(error);
        this.index = this.rebuild();
        await this.index.catch((rebuildError: unknown) => this.log.fatal({ err: rebuildError }, 'incident index rebuild failed'));
        return;
      }
    }
    const { result, afterCommit } = attempt;
    if (result && this.failures > 0) {
      this.log.info({ failures: this.failures }, 'commits succeed again');
      this.failures = 0;
      this.trouble = undefined;
    }
    const byId = new Map<string, Report>();
    for (const r of result?.newReports ?? []) byId.set(r.id, r);
    for (const r of result?.updatedReports ?? []) byId.set(r.id, r);
    for (const settle of afterCommit) settle(byId);
    if (!result) return;
    // Memory stays bounded: now and then the index lets go of what lies outside its window.
    // Should that fail, dropping everything is as correct: the next batch loads what it needs.
    const index = await this.index;
    try {
      index.evictOutsideWindow(this.now());
    } catch (error) {
      this.log.error({ err: error }, 'incident index eviction failed; clearing it');
      index.clear();
    }
    // Acknowledgements first: their continuations run as microtasks, before this callback.
    // Broadcast first, every submitter's ack would queue behind the whole commit on its own
    // socket. Flush returns only after the broadcast, so commits still go out in order.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      this.broadcaster.committed(result);
    } catch (error) {
      // Durable and acknowledged already; clients that missed the event catch up by seq.
      this.log.error({ err: error }, 'broadcast failed');
    }
  }

  /**
   * A new index from the store, known valid at the watermark read *before* it loads: it holds at
   * least everything up to there, and if anyone commits meanwhile the watermark moves and the
   * next flush clears it. (Read afterwards, a commit between the load and the read would be
   * taken for held.)
   */
  private async rebuild(): Promise<WindowedIncidentIndex> {
    const seq = await this.store.lastSeq().catch(() => undefined);
    const index = await this.rebuildIndex();
    this.indexSeq = seq;
    return index;
  }

  /** One try at a batch, under the writer lock: read, plan, commit. */
  private async planAndCommit(ops: Op[]): Promise<Attempt> {
    const ids = new Set<string>();
    for (const op of ops) {
      if (op.kind === 'submit') {
        ids.add(op.item.report.id);
        if (op.item.report.supersedes) ids.add(op.item.report.supersedes);
      } else ids.add(op.request.reportId);
    }
    let stored: Map<string, StoredReport>;
    let head: number;
    try {
      // Together: under the lock nobody commits between the two reads.
      [stored, head] = await Promise.all([this.store.findReports([...ids]), this.store.lastSeq()]);
    } catch (error) {
      throw new StoreReadError(error);
    }
    const afterCommit: ((byId: Map<string, Report>) => void)[] = [];
    const index = await this.index;
    if (this.firstFlush) {
      this.firstFlush = false;
      this.indexSeq = index.loadedAtSeq;
    }
    // The index is a cache of the database: if the watermark moved since it last matched (another
    // process committed, `setPlaces`), it catches up with what changed in between; when that is
    // unknown (a batch planned but not stored) or too much, it is dropped, and `prepare` loads
    // what this batch needs. Under the lock, all of it is committed.
    if (this.indexSeq !== head) await this.catchUp(index, this.indexSeq, head);
    this.indexSeq = head;
    // The index holds a window of the history: load what this batch can touch first.
    const before = index.stats;
    const loadStart = performance.now();
    await index.prepare(groupingNeeds(ops, stored));
    const loaded = index.stats.loadedMembers - before.loadedMembers;
    if (index.stats.loads > before.loads) {
      this.log.debug({ members: loaded, held: index.size, ms: Math.round(performance.now() - loadStart) }, 'incident index: loaded history');
    }
    const plan = new BatchPlan(index);
    const accepted = new Map<string, NormalisedReport>();
    const reviewed = new Map<string, ReportStatus>();
    for (const op of ops) {
      if (op.kind === 'submit') this.planSubmit(op, stored, accepted, plan, afterCommit);
      else this.planReview(op, stored, reviewed, plan, afterCommit);
    }
    if (plan.isEmpty) return { result: undefined, afterCommit };
    // Area rows are computed here, from the rows as committed (we hold the lock), so the
    // store only writes them.
    const reads = areaReads(plan.areaChanges);
    const [current, latest] = await Promise.all([
      this.store.areaCounts(reads.areaIds),
      reads.removals.areaIds.length > 0
        ? this.store.latestObservedInAreas(reads.removals.areaIds, reads.removals.reportIds)
        : Promise.resolve(new Map<string, number | null>()),
    ]);
    const batch = withIncidentPlaces(plan.toCommitBatch(areaWrites(plan.areaChanges, current, latest)), this.placeOf);
    const result = await this.store.commit(batch);
    this.indexSeq = result.lastSeq;
    return { result, afterCommit };
  }

  private async catchUp(index: WindowedIncidentIndex, fromSeq: number | undefined, head: number): Promise<void> {
    if (fromSeq === undefined || fromSeq > head) {
      index.clear();
      return;
    }
    let changes;
    try {
      changes = await this.store.groupingChangesBetween(fromSeq, head, CATCH_UP_LIMIT + 1);
    } catch (error) {
      throw new StoreReadError(error);
    }
    if (changes.length > CATCH_UP_LIMIT) index.clear();
    else await index.catchUp(changes);
  }

  private planSubmit(
    op: Extract<Op, { kind: 'submit' }>,
    stored: Map<string, StoredReport>,
    accepted: Map<string, NormalisedReport>,
    plan: BatchPlan,
    afterCommit: ((byId: Map<string, Report>) => void)[],
  ): void {
    const { item } = op;
    const id = item.report.id;
    const earlier = stored.get(id) ?? accepted.get(id);
    if (earlier) {
      const verdict = replayOrConflict(id, earlier, item);
      if (verdict !== 'replay') {
        op.reject(verdict);
        return;
      }
      const known = stored.get(id)?.report;
      if (known) op.resolve({ report: known, duplicate: true });
      else afterCommit.push((byId) => op.resolve({ report: byId.get(id) as Report, duplicate: true }));
      return;
    }
    const target = item.report.supersedes;
    if (target !== undefined) {
      const original = stored.get(target) ?? accepted.get(target);
      // One answer for "not yours" and "no such report": which ids are other accounts' is not a monitor's to learn.
      if (!original || original.reporterId !== item.reporterId) {
        op.reject(
          new AppError('invalid', 'Invalid report: supersedes must be the id of an earlier report of yours', [
            { path: 'supersedes', message: 'is not the id of an earlier report of yours' },
          ]),
        );
        return;
      }
    }
    accepted.set(id, item);
    plan.addNew(item);
    if (target !== undefined) plan.supersede(stored.get(target)?.report ?? (accepted.get(target) as NormalisedReport), id);
    afterCommit.push((byId) => op.resolve({ report: byId.get(id) as Report, duplicate: false }));
  }

  private planReview(
    op: Extract<Op, { kind: 'review' }>,
    stored: Map<string, StoredReport>,
    reviewed: Map<string, ReportStatus>,
    plan: BatchPlan,
    afterCommit: ((byId: Map<string, Report>) => void)[],
  ): void {
    const { request } = op;
    const current = stored.get(request.reportId);
    if (!current) {
      op.reject(new AppError('not_found', `No report ${request.reportId}.`));
      return;
    }
    const from = reviewed.get(request.reportId) ?? current.report.status;
    const seqNow = reviewed.has(request.reportId) ? undefined : current.report.seq;
    if (request.expectedSeq !== undefined && request.expectedSeq !== seqNow) {
      op.reject(new AppError('conflict', 'Someone reviewed this report meanwhile; reload it and decide again.'));
      return;
    }
    if (from === request.status) {
      afterCommit.push((byId) => op.resolve({ report: byId.get(request.reportId) ?? current.report, changed: false }));
      return;
    }
    reviewed.set(request.reportId, request.status);
    plan.setStatus(current.report, current.reporterId, from, {
      status: request.status,
      reviewerId: request.reviewerId,
      note: request.note,
      atMs: request.atMs,
    });
    plan.audit({
      atMs: request.atMs,
      actor: { id: request.reviewerId, username: request.reviewerUsername },
      action: request.status === 'pending' ? 'report.reopen' : 'report.review',
      target: { type: 'report', id: request.reportId },
      before: { status: from },
      after: { status: request.status },
      ...(request.note !== undefined ? { note: request.note } : {}),
    });
    afterCommit.push((byId) => op.resolve({ report: byId.get(request.reportId) as Report, changed: true }));
  }

  private noteFailure(error: unknown): void {
    this.failures++;
    const waitMs = Math.min(COMMIT_RETRY.maxMs, COMMIT_RETRY.firstMs * 2 ** (this.failures - 1));
    this.retryAtMs = this.now() + waitMs;
    // Only the error's code goes out (health needs no token); the log has the whole error.
    const code = error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    this.trouble = {
      reason: `storing reports failed${code}, ${this.failures} ${this.failures === 1 ? 'try' : 'tries'} in a row`,
      sinceMs: this.trouble?.sinceMs ?? this.now(),
    };
  }

  private refuseAll(ops: Op[]): void {
    const failure = new AppError(
      'unavailable',
      'The server cannot store reports just now (its storage failed a moment ago); nothing was saved. Try again later.',
    );
    for (const op of ops) op.reject(failure);
  }

  private failAll(ops: Op[], error: unknown): void {
    this.log.error({ err: error }, 'storage failed');
    const failure = new AppError('unavailable', 'The server could not store this right now; nothing was saved. Try again.');
    for (const op of ops) op.reject(failure);
  }

  /** Resolves once the incident index is loaded: the server is ready to commit. */
  ready(): Promise<unknown> {
    return this.index;
  }
}

/**
 * What a batch's ops can touch in the incident index: the observation windows of reports that may
 * join grouping (new ones, and reviewed ones that may leave `rejected`) and the stored incidents of
 * reports being rejected. Replays are left out; over-asking would only load more.
 */
function groupingNeeds(ops: readonly Op[], stored: Map<string, StoredReport>): GroupingNeeds {
  const windows: { startMs: number; endMs: number }[] = [];
  const incidentIds: string[] = [];
  for (const op of ops) {
    if (op.kind === 'submit') {
      if (!stored.has(op.item.report.id)) windows.push({ startMs: op.item.startMs, endMs: op.item.endMs });
      // A correction takes the report it supersedes out of its incident: hold that incident.
      const target = op.item.report.supersedes === undefined ? undefined : stored.get(op.item.report.supersedes)?.report;
      if (target?.incidentId) {
        incidentIds.push(target.incidentId);
        windows.push(windowOf(target));
      }
      continue;
    }
    const current = stored.get(op.request.reportId)?.report;
    if (!current) continue;
    // A report rejoins grouping only from `rejected`: stored so, or set so by an op of this batch.
    if (current.status === 'rejected' || op.request.status === 'rejected') windows.push(windowOf(current));
    if (op.request.status === 'rejected' && current.incidentId !== null) incidentIds.push(current.incidentId);
  }
  return { windows, incidentIds };
}

/** A stored report's observation window; leaving grouping can regroup around it as joining can. */
function windowOf(report: { observedAt: string; observedUntil?: string | undefined }): { startMs: number; endMs: number } {
  const startMs = Date.parse(report.observedAt);
  return { startMs, endMs: report.observedUntil === undefined ? startMs : Date.parse(report.observedUntil) };
}
