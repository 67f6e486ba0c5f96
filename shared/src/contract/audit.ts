import { z } from 'zod';

/**
 * What an audit entry records. Coordinators read the `COORDINATOR_AUDIT_ACTIONS`; admins all.
 * `report.reopen` is a review back to `pending` (from `verified` or `rejected`).
 */
export const AUDIT_ACTIONS = [
  'report.review',
  'report.reopen',
  'export',
  'user.create',
  'user.role',
  'user.disable',
  'user.enable',
  'user.password.change',
  'user.password.reset',
  'session.revoke',
  'auth.login',
  'auth.login_failed',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** What a coordinator may read of the log: reviews and exports, not accounts or sign-ins. */
export const COORDINATOR_AUDIT_ACTIONS: readonly AuditAction[] = ['report.review', 'report.reopen', 'export'];

/** Values an entry's `before` and `after` hold: flat, and numbers are whole (see docs/audit.md). */
export const AuditValue = z.record(z.string(), z.union([z.string(), z.number().int(), z.boolean(), z.null(), z.record(z.string(), z.string())]));
export type AuditValue = z.infer<typeof AuditValue>;

/** One entry of the append-only log; `hash` chains it to the entry before (docs/audit.md). */
export const AuditEntry = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: z.object({ id: z.string(), username: z.string() }).nullable(),
  action: AuditAction,
  target: z.object({ type: z.string(), id: z.string() }),
  before: AuditValue.optional(),
  after: AuditValue.optional(),
  note: z.string().optional(),
  address: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AUDIT_LIMITS = { defaultLimit: 100, maxLimit: 1000 } as const;

const once = z.string({ message: 'give this parameter once' });

/** Query string of `GET /api/audit`. */
export const AuditQuery = z.strictObject({
  afterSeq: once.regex(/^\d{1,15}$/, 'must be a whole number').transform(Number).optional(),
  limit: once
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(AUDIT_LIMITS.maxLimit))
    .optional(),
  action: once.pipe(AuditAction).optional(),
  targetId: once.min(1).max(200).optional(),
});
export type AuditQuery = z.output<typeof AuditQuery>;

/** `GET /api/audit`: entries oldest first; `lastSeq` is the last entry's (or `afterSeq`) for the next page. */
export interface AuditPage {
  entries: AuditEntry[];
  lastSeq: number;
  hasMore: boolean;
}

/** `GET /api/reports/:id/history`: the report's reviews, oldest first. */
export interface ReportHistoryResponse {
  entries: AuditEntry[];
}
