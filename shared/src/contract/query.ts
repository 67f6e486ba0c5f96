import { z } from 'zod';
import { CATEGORIES, Category, ReportStatus, STATUSES } from './taxonomy.js';
import { parseRfc3339 } from './time.js';

export const LIST_LIMITS = { defaultLimit: 100, maxLimit: 1000, syncDefault: 500, syncMax: 1000, bulkSyncMax: 10_000 } as const;

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

const single = z.string({ message: 'give this parameter once' });

const BBoxParam = single.transform((text, ctx): BBox => {
  const parts = text.split(',');
  const nums = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const [minLon, minLat, maxLon, maxLat] = nums as [number, number, number, number];
  if (
    nums.length !== 4 ||
    nums.some((n) => !Number.isFinite(n)) ||
    Math.abs(minLon) > 180 ||
    Math.abs(maxLon) > 180 ||
    Math.abs(minLat) > 90 ||
    Math.abs(maxLat) > 90 ||
    minLat > maxLat
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be minLon,minLat,maxLon,maxLat in degrees with minLat <= maxLat (minLon > maxLon crosses the antimeridian)',
    });
    return z.NEVER;
  }
  return { minLon, minLat, maxLon, maxLat };
});

const TimeParam = single.transform((text, ctx) => {
  const ms = parseRfc3339(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 date-time with seconds and an offset' });
    return z.NEVER;
  }
  return ms;
});

function listParam<T extends string>(allowed: readonly T[], schema: z.ZodType<T>) {
  return single.transform((text, ctx): T[] => {
    const values = text.split(',').filter((v) => v !== '');
    const out: T[] = [];
    for (const v of values) {
      const parsed = schema.safeParse(v);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `unknown value "${v}"; expected one of ${allowed.join(', ')}` });
        return z.NEVER;
      }
      out.push(parsed.data);
    }
    return [...new Set(out)];
  });
}

const IntParam = (min: number, max: number) =>
  single.regex(/^\d{1,9}$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

/** Filters shared by the report list, incidents, areas and the export. */
export const ReportFilterShape = {
  bbox: BBoxParam.optional(),
  since: TimeParam.optional(),
  until: TimeParam.optional(),
  category: listParam(CATEGORIES, Category).optional(),
  status: listParam(STATUSES, ReportStatus).optional(),
  /** `me`, or (coordinators and admins) a user id. */
  reporter: single.min(1).max(100).optional(),
};

function checkWindow(q: { since?: number; until?: number }, ctx: z.RefinementCtx): void {
  if (q.since !== undefined && q.until !== undefined && q.since >= q.until) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
  }
}

/** Query string of `GET /api/incidents`, `/api/areas` and `/api/export.geojson`. */
export const ReportFilterQuery = z.strictObject(ReportFilterShape).superRefine(checkWindow);
export type ReportFilterQuery = z.output<typeof ReportFilterQuery>;

/** Query string of `GET /api/reports`. */
export const ReportListQuery = z
  .strictObject({
    ...ReportFilterShape,
    limit: IntParam(1, LIST_LIMITS.maxLimit).optional(),
    cursor: single.max(200).optional(),
  })
  .superRefine(checkWindow);
export type ReportListQuery = z.output<typeof ReportListQuery>;

export const SyncArgs = z
  .strictObject({
    afterSeq: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(LIST_LIMITS.syncMax).optional(),
  })
  .optional();
export type SyncArgs = z.output<typeof SyncArgs>;

/**
 * `GET /api/sync` (an addition): `reports:sync`'s arguments as query parameters, with pages of
 * up to `LIST_LIMITS.bulkSyncMax` for a device catching up on a long history.
 */
export const BulkSyncQuery = z.strictObject({
  afterSeq: single.regex(/^\d{1,15}$/, 'must be a whole number').transform(Number).optional(),
  limit: IntParam(1, LIST_LIMITS.bulkSyncMax).optional(),
});
export type BulkSyncQuery = z.output<typeof BulkSyncQuery>;

/**
 * `GET /api/sync` repeats its answer's `lastSeq` and `hasMore` in these response headers, which
 * arrive before the body: a client can ask for the next page while this one is still in transit
 * and being parsed, so the server reads page k+1 while the client decodes page k.
 */
export const SYNC_HEADERS = { lastSeq: 'Truceline-Last-Seq', hasMore: 'Truceline-Has-More' } as const;

export const REVIEW_NOTE_MAX_CHARS = 2000;

/**
 * A review. The note is trimmed and a blank one dropped; a rejection must say why (issue 11):
 * its reporter reads the note on their own report, and a bare "rejected" teaches them nothing.
 */
export const ReviewBody = z
  .strictObject({
    status: ReportStatus,
    note: z
      .string()
      .max(REVIEW_NOTE_MAX_CHARS)
      .transform((s) => s.trim())
      .transform((s) => (s === '' ? undefined : s))
      .optional(),
    expectedSeq: z.number().int().min(0).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'rejected' && r.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'a rejection needs a note saying why (the reporter reads it)' });
    }
  });
export type ReviewBody = z.output<typeof ReviewBody>;
