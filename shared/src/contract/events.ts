import type { Area } from './area.js';
import type { ApiError } from './errors.js';
import type { Incident } from './incident.js';
import type { Presence, User } from './account.js';
import type { Report, ReportInputDraft } from './report.js';
import type { SubmitResult } from './responses.js';

/** Bumped when a change to the events below is not backward compatible. */
export const PROTOCOL_VERSION = 1;

/** Limits of the socket transport (the HTTP body limit of one report applies to each item too). */
export const SOCKET_LIMITS = {
  maxBatchReports: 100,
  maxMessageBytes: 1024 * 1024,
  seqHeadIntervalMs: 10_000,
  presenceIntervalMs: 1_000,
} as const;

export interface Hello {
  user: User;
  serverTime: string;
  lastSeq: number;
  protocolVersion: number;
}

export interface SyncResponse {
  reports: Report[];
  lastSeq: number;
  hasMore: boolean;
}

export type SubmitAck = SubmitResult;
export type Failure = { ok: false; error: ApiError };

/** Events the server emits. */
export interface ServerToClientEvents {
  hello: (hello: Hello) => void;
  'reports:new': (reports: Report[]) => void;
  'report:updated': (report: Report) => void;
  'incident:updated': (incident: Incident) => void;
  'area:updated': (area: Area) => void;
  'seq:head': (head: { lastSeq: number }) => void;
  'presence:update': (presence: Presence) => void;
}

/** Events a client emits; the acknowledgement is always the last parameter. */
export interface ClientToServerEvents {
  'report:submit': (report: ReportInputDraft, ack: (result: SubmitAck) => void) => void;
  'reports:submit': (reports: ReportInputDraft[], ack: (result: { results: SubmitResult[] } | Failure) => void) => void;
  'reports:sync': (args: { afterSeq?: number; limit?: number } | undefined, ack: (result: SyncResponse | Failure) => void) => void;
}

/** Why a Socket.IO connection was refused: `connect_error`'s `err.data`. */
export interface ConnectErrorData {
  error: ApiError;
}
