import { ReportInput, ReviewBody, type SubmitResult, type User } from '@truceline/shared';
import { AppError, toApiError } from '../app-error.js';
import type { Store } from '../storage/store.js';
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
  constructor(
    private readonly store: Store,
    private readonly queue: CommitQueue,
    private readonly limiter: SubmissionLimiter,
    private readonly now: () => number = Date.now,
    /** Without it reports get no `place` (unit tests of the pipeline's other steps). */
    private readonly places?: Places,
  ) {}

  async submit(user: User, raw: unknown): Promise<SubmitOutcome> {
    const parsed = ReportInput.safeParse(raw);
    if (!parsed.success) throw AppError.invalid(parsed.error, 'report');
    const input = parsed.data;
    // A replay from an outbox is answered from the store and costs no rate-limit token.
    const existing = (await this.store.findReports([input.id])).get(input.id);
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

  /** Each report is accepted or refused on its own; results come back in input order. */
  submitMany(user: User, raws: readonly unknown[]): Promise<SubmitResult[]> {
    return Promise.all(
      raws.map(async (raw): Promise<SubmitResult> => {
        try {
          const { report, duplicate } = await this.submit(user, raw);
          return { ok: true, report, duplicate };
        } catch (error) {
          return { ok: false, ...idOf(raw), error: toApiError(error) };
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

