import { z } from 'zod';
import { Presence, User } from './account.js';
import { Area } from './area.js';
import { ApiError } from './errors.js';
import {
  type ClientToServerEvents,
  type CommitMessage,
  type ConnectErrorData,
  type Hello,
  LIVE_FORMATS,
  type OwnCommitMessage,
  SESSION_END_REASONS,
  SOCKET_LIMITS,
  type ServerToClientEvents,
  type SessionEnded,
} from './events.js';
import { Incident } from './incident.js';
import { SyncArgs } from './query.js';
import { Report, ReportInput } from './report.js';
import type { SubmitResult } from './responses.js';
import { SyncResponseBody } from './response-schemas.js';

/**
 * Zod schemas of the Socket.IO event maps in `events.ts`, for the published description. The
 * maps stay TypeScript interfaces (Socket.IO's generics take them); `SOCKET_EVENTS` must name
 * every event of both maps (`satisfies` below), and the `Matches` checks fail the type check
 * when a payload schema and its interface drift apart.
 */
export const HelloBody = z.object({
  user: User,
  serverTime: z.string(),
  lastSeq: z.number(),
  protocolVersion: z.number(),
  live: z.enum(LIVE_FORMATS).optional(),
});
export const CommitBody = z.object({
  lastSeq: z.number(),
  reports: z.array(Report).optional(),
  updated: z.array(Report).optional(),
  incidents: z.array(Incident).optional(),
  areas: z.array(Area).optional(),
});
export const OwnCommitBody = z.object({ reports: z.array(Report).optional(), updated: z.array(Report).optional() });
export const SessionEndedBody = z.object({ reason: z.enum(SESSION_END_REASONS), message: z.string() });
export const SeqHeadBody = z.object({ lastSeq: z.number() });
export const FailureBody = z.object({ ok: z.literal(false), error: ApiError });
export const SubmitResultBody = z.union([
  z.object({ ok: z.literal(true), report: Report, duplicate: z.boolean() }),
  z.object({ ok: z.literal(false), id: z.string().optional(), error: ApiError }),
]);
export const ConnectErrorBody = z.object({ error: ApiError });

export interface SocketEvent {
  readonly summary: string;
  /** The event's one argument. */
  readonly payload: z.ZodType;
  /** What the acknowledgement callback (the last argument) receives, for client events. */
  readonly ack?: z.ZodType;
  /** Who receives a server event. */
  readonly audience?: string;
}

export const SOCKET_EVENTS = {
  serverToClient: {
    hello: { summary: 'Right after connecting: who you are, the server clock and the current seq head.', payload: HelloBody, audience: 'the socket that connected' },
    'reports:new': { summary: 'Reports stored by one commit, in seq order (one message per commit).', payload: z.array(Report), audience: 'sockets of the `items` live format' },
    'report:updated': { summary: "A report's status or incident changed.", payload: Report, audience: 'sockets of the `items` live format' },
    'incident:updated': { summary: 'An incident changed, or was merged into another (`{id, seq, mergedInto}`).', payload: Incident, audience: 'sockets of the `items` live format' },
    'area:updated': { summary: "An area cell's counts changed.", payload: Area, audience: 'sockets of the `items` live format' },
    commit: { summary: 'Everything one commit changed, in one message.', payload: CommitBody, audience: 'sockets of the `commit` live format' },
    'commit:own': { summary: "The reporter's own reports of the next `commit` message, in full.", payload: OwnCommitBody, audience: "the reporter's sockets of the `commit` live format" },
    'seq:head': { summary: `The highest committed seq, every ${SOCKET_LIMITS.seqHeadIntervalMs / 1000} s: a client behind it calls \`reports:sync\`.`, payload: SeqHeadBody, audience: 'every socket' },
    'presence:update': { summary: 'Who is online, at most once a second.', payload: Presence, audience: 'coordinators and admins' },
    'session:ended': { summary: 'The session is over (revoked, disabled, idle, max_age); the server disconnects next.', payload: SessionEndedBody, audience: 'the sockets of that session or user' },
  },
  clientToServer: {
    'report:submit': { summary: 'Submit one report; same rules as `POST /api/reports`.', payload: ReportInput, ack: SubmitResultBody },
    'reports:submit': {
      summary: `Submit up to ${SOCKET_LIMITS.maxBatchReports} reports (${SOCKET_LIMITS.maxMessageBytes / 1024 / 1024} MiB); each is accepted or rejected on its own, results in input order.`,
      payload: z.array(ReportInput).max(SOCKET_LIMITS.maxBatchReports),
      ack: z.union([z.object({ results: z.array(SubmitResultBody) }), FailureBody]),
    },
    'reports:sync': {
      summary: 'Every report with `seq > afterSeq` once, ascending by seq; `limit` 1–1000 (default 500).',
      payload: SyncArgs,
      ack: z.union([SyncResponseBody, FailureBody]),
    },
  },
} as const satisfies {
  serverToClient: Record<keyof ServerToClientEvents, SocketEvent>;
  clientToServer: Record<keyof ClientToServerEvents, SocketEvent>;
};

type Matches<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const drift: [
  Matches<z.infer<typeof HelloBody>, Hello>,
  Matches<z.infer<typeof CommitBody>, CommitMessage>,
  Matches<z.infer<typeof OwnCommitBody>, OwnCommitMessage>,
  Matches<z.infer<typeof SessionEndedBody>, SessionEnded>,
  Matches<z.infer<typeof SubmitResultBody>, SubmitResult>,
  Matches<z.infer<typeof ConnectErrorBody>, ConnectErrorData>,
] = [true, true, true, true, true, true];
void drift;

type ToJson = (schema: z.ZodType, io: 'input' | 'output') => Record<string, unknown>;

/**
 * The `x-socketio-events` section of the OpenAPI document: the handshake, then each event by
 * direction with its payload's (and acknowledgement's) JSON Schema.
 */
export function socketEventsSection(protocolVersion: number, toJson: ToJson): Record<string, unknown> {
  const events = (table: Record<string, SocketEvent>, payloadIo: 'input' | 'output') =>
    Object.fromEntries(
      Object.entries(table).map(([name, event]) => [
        name,
        {
          summary: event.summary,
          ...(event.audience ? { audience: event.audience } : {}),
          payload: toJson(event.payload, payloadIo),
          ...(event.ack ? { ack: toJson(event.ack, 'output') } : {}),
        },
      ]),
    );
  return {
    path: '/socket.io/',
    transports: ['websocket', 'polling'],
    protocolVersion,
    handshake: {
      auth: {
        type: 'object',
        properties: { token: { type: 'string' }, live: { type: 'string', enum: [...LIVE_FORMATS], default: 'items' } },
        required: ['token'],
      },
      connectErrorData: toJson(ConnectErrorBody, 'output'),
    },
    serverToClient: events(SOCKET_EVENTS.serverToClient, 'output'),
    clientToServer: events(SOCKET_EVENTS.clientToServer, 'input'),
  };
}
