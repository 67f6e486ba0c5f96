import { type AuditAction, COORDINATOR_AUDIT_ACTIONS, type Incident, LIVE_FORMATS, type LiveFormat, PRIVATE_REPORT_FIELDS, type Report, type Role, type User, isMergedIncident } from '@truceline/shared';
import { coarseUpM, redactedUncertaintyM } from './redacted-uncertainty.js';

/**
 * Every role decision in one place. Routes and socket handlers ask here; nothing else
 * compares role strings.
 */
export type Action =
  | 'report:submit'
  | 'report:read'
  | 'report:review'
  | 'report:export'
  | 'report:summarise'
  | 'report:seeAllReporters'
  | 'presence:read'
  | 'audit:readReviews'
  | 'audit:readAll'
  | 'user:manage';

// Each role holds everything of the role before it, plus its own grants.
const MONITOR: ReadonlySet<Action> = new Set(['report:submit', 'report:read']);
const COORDINATOR: ReadonlySet<Action> = new Set([
  ...MONITOR,
  'report:review',
  'report:export',
  'report:summarise',
  'report:seeAllReporters',
  'presence:read',
  'audit:readReviews',
]);
const ADMIN: ReadonlySet<Action> = new Set([...COORDINATOR, 'user:manage', 'audit:readAll']);

const GRANTS: Readonly<Record<Role, ReadonlySet<Action>>> = { monitor: MONITOR, coordinator: COORDINATOR, admin: ADMIN };

export function can(user: Pick<User, 'role'>, action: Action): boolean {
  return GRANTS[user.role].has(action);
}

/** The audit actions `user` may read: every one (`undefined`), reviews and exports, or none. */
export function auditActionsFor(user: Pick<User, 'role'>): readonly AuditAction[] | undefined {
  if (can(user, 'audit:readAll')) return undefined;
  return can(user, 'audit:readReviews') ? COORDINATOR_AUDIT_ACTIONS : [];
}

/** Who may see which reporter: coordinators and admins everyone, a monitor only themself. */
export function seesPrivateFieldsOf(viewer: Pick<User, 'id' | 'role'>, reporterId: string | undefined): boolean {
  return can(viewer, 'report:seeAllReporters') || viewer.id === reporterId;
}

/** Removes the fields that would tell where another monitor stood, and what would tell their device apart. */
const PRIVATE_FIELDS: ReadonlySet<string> = new Set(PRIVATE_REPORT_FIELDS);

export function redactReport(report: Report): Report {
  const redacted = Object.fromEntries(Object.entries(report).filter(([key]) => !PRIVATE_FIELDS.has(key))) as Report;
  redacted.uncertaintyM = redactedUncertaintyM(report);
  return redacted;
}

/**
 * An incident as `viewer` may see it. Monitors get neither `monitorCount` (with the report
 * ids it helps group other monitors' reports by author) nor its exact uncertainty, rounded up
 * to a coarse step instead (`coarseUpM`): an incident of one single-bearing report would
 * otherwise carry its observer's GPS accuracy.
 */
export function incidentFor(viewer: Pick<User, 'role'>, incident: Incident): Incident {
  return can(viewer, 'report:seeAllReporters') ? incident : redactIncident(incident);
}

export function redactIncident(incident: Incident): Incident {
  if (isMergedIncident(incident)) return incident;
  const { monitorCount: _omitted, ...rest } = incident;
  return { ...rest, uncertaintyM: coarseUpM(incident.uncertaintyM) };
}

/** The report as `viewer` may see it. */
export function reportFor(viewer: Pick<User, 'id' | 'role'>, report: Report): Report {
  return seesPrivateFieldsOf(viewer, report.reporter?.id) ? report : redactReport(report);
}

/** Socket.IO rooms by audience, so each broadcast is encoded once per audience. */
export const ROOMS = {
  /** Coordinators and admins: full reports, presence. */
  privileged: 'role:privileged',
  monitors: 'role:monitor',
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /** Sockets by live format (`LiveFormat`): each broadcast goes to one of them. */
  format: (format: LiveFormat) => `live:${format}`,
} as const;

/** The rooms of every live format but `format`: what a broadcast in `format` excludes. */
export function otherFormatRooms(format: LiveFormat): string[] {
  return LIVE_FORMATS.filter((f) => f !== format).map(ROOMS.format);
}

export function audienceRoom(role: Role): string {
  return can({ role }, 'report:seeAllReporters') ? ROOMS.privileged : ROOMS.monitors;
}
