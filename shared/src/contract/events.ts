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

/**
 * How a socket receives live changes, chosen in the handshake (`auth: { token, live }`).
 * `items` (the default, contract v1): `reports:new` per commit, then one `report:updated`,
 * `incident:updated` and `area:updated` message per changed item. `commit` (an addition): one
 * `commit` message per commit carrying all of it, preceded for a reporter by `commit:own`.
 * The server's cost is per message and per socket, so `commit` sends each watcher one message
 * per commit where `items` sends 1 + changed incidents + changed areas + updated reports.
 * `none` (an addition): no report, incident or area events at all — an uplink that only
 * submits (an outbox flushing over a metered satellite link, a script); it still gets `hello`,
 * `seq:head` and acknowledgements, and catches up with `reports:sync` when it wants to.
 */
export const LIVE_FORMATS = ['items', 'commit', 'none'] as const;
export type LiveFormat = (typeof LIVE_FORMATS)[number];

export interface Hello {
  user: User;
  serverTime: string;
  lastSeq: number;
  protocolVersion: number;
  /** The live format this socket gets (servers before the `commit` format omit it: `items`). */
  live?: LiveFormat;
}

/**
 * Everything one durable commit changed, as this socket's audience may see it; empty lists are
 * omitted. Reports are redacted for monitors exactly as in `reports:new`. Apply `reports` and
 * `updated` like `reports:new` and `report:updated` (only when a report's `seq` is greater than
 * the one held), then `incidents` and `areas` like their `…:updated` events.
 */
export interface CommitMessage {
  /** The highest `seq` of the commit. */
  lastSeq: number;
  reports?: Report[];
  updated?: Report[];
  incidents?: Incident[];
  areas?: Area[];
}

/**
 * A monitor's own reports of a commit in full (reporter, observer, bearing, distance), sent to
 * that monitor's sockets just before the `commit` message that carries them redacted; the
 * redacted copies have the same `seq`, so a client that applies only greater `seq`s keeps these.
 */
export interface OwnCommitMessage {
  reports?: Report[];
  updated?: Report[];
}

/**
 * Why the server ended a live socket's session (an addition): `revoked` (signed out, password
 * changed or reset), `disabled` (the account), `idle` (unused for `SESSION_IDLE_DAYS`),
 * `max_age` (signed in more than `SESSION_MAX_DAYS` ago). The token is dead: sign in again.
 */
export const SESSION_END_REASONS = ['revoked', 'disabled', 'idle', 'max_age'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export interface SessionEnded {
  reason: SessionEndReason;
  message: string;
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
  /** Only to sockets that chose the `commit` live format. */
  commit: (message: CommitMessage) => void;
  'commit:own': (message: OwnCommitMessage) => void;
  'seq:head': (head: { lastSeq: number }) => void;
  'presence:update': (presence: Presence) => void;
  /** Sent just before the server disconnects a socket whose session is over (an addition). */
  'session:ended': (ended: SessionEnded) => void;
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
