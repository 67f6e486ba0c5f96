import DataLoader from 'dataloader';
import { ReportInput, ReviewBody, type SubmitResult, type User } from '@truceline/shared';
import { AppError, toApiError } from '../app-error.js';
import type { Store, StoredReport } from '../storage/store.js';
import type { CommitQueue, ReviewOutcome, SubmitOutcome } from './commit-queue.js';
import { canonicalJson } from './canonical.js';
import { replayOrConflict } from './idempotency.js';
import { normaliseReport } from './normalise.js';
import type { Places } from '../places/places.js';
import type { SubmissionLimiter } from './rate-limiter.js';
import { isUuid } from '../ids.js';

/**
 * The one way in for every transport: parse with the shared schema → answer replays without
 * touching the rate limit → rate-limit → normalise → hand to the commit queue, which stores,
 * groups and broadcasts, and settles only after the commit is durable.
 */
export class IngestPipeline {
  /**
   * The stored-copy lookups of every submission read from sockets in one turn of the event loop
   * go to the store as one query (each is a round trip on PostgreSQL), in the order they came.
   */
  private readonly copies: DataLoader<string, StoredReport | null>;

  constructor(
    private readonly store: Store,
    private readonly queue: CommitQueue,
    private readonly limiter: SubmissionLimiter,
    private readonly now: () => number = Date.now,
    /** Without it reports get no `place` (unit tests of the pipeline's other steps). */
    private readonly places?: Places,
  ) {
    this.copies = new DataLoader(
      async (ids) => {
        const found = await this.store.findReports(ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      // No cache: a copy stored a moment later must be seen. setImmediate, as the commit queue's
      // batches: every message already read joins.
      { cache: false, maxBatchSize: 1000, batchScheduleFn: (run) => setImmediate(run) },
    );
  }

  async submit(user: User, raw: unknown): Promise<SubmitOutcome> {
    const input = this.parse(raw);
    // A replay from an outbox is answered from the store and costs no rate-limit token.
    return this.admit(user, input, (await this.storedCopies([input.id])).get(input.id));
  }

  /**
   * The stored copies of `ids`. A failed read (the database is restarting) refuses the
   * submission as `unavailable`, as a failed commit does: nothing was stored, send it again.
   */
  private async storedCopies(ids: readonly string[]): Promise<Map<string, StoredReport>> {
    try {
      const copies = await Promise.all(ids.map((id) => this.copies.load(id)));
      return new Map(copies.flatMap((copy, i) => (copy ? [[ids[i] as string, copy] as const] : [])));
    } catch {
      throw new AppError('unavailable', 'The server cannot read its storage just now; nothing was saved. Try again.');
    }
  }

  private parse(raw: unknown): ReportInput {
    const parsed = ReportInput.safeParse(raw);
    if (!parsed.success) throw AppError.invalid(parsed.error, 'report');
    return parsed.data;
  }

  /** Everything after the stored-copy lookup; reaches the commit queue in the order it is called. */
  private async admit(user: User, input: ReportInput, existing: StoredReport | undefined): Promise<SubmitOutcome> {
    if (existing) {
      const verdict = replayOrConflict(input.id, existing, { reporterId: user.id, canonicalInput: canonicalJson(input) });
      if (verdict !== 'replay') throw verdict;
      return { report: existing.report, duplicate: true };
    }
    const waitMs = await this.limiter.take(user.id);
    if (waitMs > 0) {
      throw new AppError(
        'rate_limited',
        `Too many reports from this account; try again in ${Math.ceil(waitMs / 1000)} s. Nothing was lost: the report was not stored and can be sent again.`,
        undefined,
        waitMs,
      );
    }
    // Only in the first second or so after start is there anything to wait for.
    if (this.places) await this.places.ready;
    return this.queue.submit(normaliseReport(input, user.id, this.now(), this.places?.placeOf));
  }

  /**
   * Each report is accepted or refused on its own; results come back in input order, and the
   * reports reach the commit queue in input order too (the same id twice: the first is stored,
   * the second is its replay). So the stored copies are looked up once for the whole batch: one
   * lookup per item would reach the queue in the order a pooled database happens to answer.
   */
  async submitMany(user: User, raws: readonly unknown[]): Promise<SubmitResult[]> {
    const inputs = raws.map((raw): ReportInput | { error: unknown } => {
      try {
        return this.parse(raw);
      } catch (error) {
        return { error };
      }
    });
    const ids = inputs.flatMap((input) => ('error' in input ? [] : [input.id]));
    let stored: Map<string, StoredReport>;
    try {
      stored = await this.storedCopies(ids);
    } catch (error) {
      return raws.map((raw) => ({ ok: false, ...idOf(raw), error: toApiError(error) }));
    }
    return Promise.all(
      inputs.map(async (input, i): Promise<SubmitResult> => {
        try {
          if ('error' in input) throw input.error;
          const { report, duplicate } = await this.admit(user, input, stored.get(input.id));
          return { ok: true, report, duplicate };
        } catch (error) {
          return { ok: false, ...idOf(raws[i]), error: toApiError(error) };
        }
      }),
    );
  }

  async review(user: User, reportId: string, raw: unknown): Promise<ReviewOutcome> {
    if (!isUuid(reportId)) throw new AppError('not_found', `No report ${reportId}.`);
    const parsed = ReviewBody.safeParse(raw);
    if (!parsed.success) throw AppError.invalid(parsed.error, 'review');
    return this.queue.review({
      reportId: reportId.toLowerCase(),
      status: parsed.data.status,
      note: parsed.data.note,
      expectedSeq: parsed.data.expectedSeq,
      reviewerId: user.id,
      reviewerUsername: user.username,
      atMs: this.now(),
    });
  }
}

function idOf(raw: unknown): { id?: string } {
  if (raw !== null && typeof raw === 'object' && 'id' in raw && typeof raw.id === 'string' && raw.id.length <= 64) {
    return { id: raw.id };
  }
  return {};
}

