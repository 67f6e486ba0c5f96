import type { Area } from './area.js';
import type { ApiError } from './errors.js';
import type { Incident } from './incident.js';
import type { Report } from './report.js';
import type { User, UserRecord } from './account.js';

export interface ReportListResponse {
  reports: Report[];
  nextCursor?: string;
  asOfSeq: number;
}
export interface IncidentListResponse {
  incidents: Incident[];
  asOfSeq: number;
}
export interface AreaListResponse {
  areas: Area[];
  asOfSeq: number;
}
export interface ReportResponse {
  report: Report;
}
export interface MeResponse {
  user: User;
}
export interface UserResponse {
  user: UserRecord;
}
export interface UserListResponse {
  users: UserRecord[];
}
export interface HealthResponse {
  status: 'ok' | 'starting' | 'draining';
  lastSeq?: number;
}

/** Outcome of one submitted report, over any transport. */
export type SubmitResult =
  | { ok: true; report: Report; duplicate: boolean }
  | { ok: false; id?: string; error: ApiError };
