import type { CommitMessage, OwnCommitMessage, Report, ServerToClientEvents } from '@truceline/shared';
import { ROOMS, otherFormatRooms, redactIncident, redactReport } from '../auth/access.js';
import type { CommitEvents } from '../ingest/broadcast.js';

/** The events a commit turns into. */
export type CommitEventName = 'reports:new' | 'report:updated' | 'incident:updated' | 'area:updated' | 'commit' | 'commit:own';

/**
 * One emit: to every socket in any of `rooms` but those in any of `except`. Who those sockets
 * are, and on which process they are connected, is the adapter's business, not the builder's.
 */
export type LiveMessage = {
  [E in CommitEventName]: { rooms: string[]; except?: string[]; event: E; payload: Parameters<ServerToClientEvents[E]>[0] };
}[CommitEventName];

const ITEMS = ROOMS.format('items');
const NOT_ITEMS = otherFormatRooms('items');
const NOT_COMMIT = otherFormatRooms('commit');

/**
 * Everything one durable commit sends, in the order it must go out, for every audience and live
 * format (see `LiveFormat`): coordinators and admins get full reports; monitors get them without
 * the fields that locate a monitor, except for their own reports, which their own sockets get in
 * full. `items` sockets get the contract's per-item events, `commit` sockets one `commit` message
 * per audience (preceded, for each reporter, by a `commit:own` with their reports in full),
 * `none` sockets nothing.
 *
 * Nothing here asks whether a room has a socket: with a cross-process adapter the sockets may be
 * on another process, and only the adapter knows. An emit to a room nobody is in costs an encode.
 */
export function buildCommitMessages(result: CommitEvents): LiveMessage[] {
  return [...itemMessages(result), ...commitFormatMessages(result)];
}

function itemMessages(result: CommitEvents): LiveMessage[] {
  const out: LiveMessage[] = [];
  if (result.newReports.length > 0) out.push(...newReportItems(result.newReports));
  for (const report of result.updatedReports) out.push(...updatedReportItems(report));
  for (const incident of result.incidents) {
    out.push({ rooms: [ROOMS.privileged], except: NOT_ITEMS, event: 'incident:updated', payload: incident });
    out.push({ rooms: [ROOMS.monitors], except: NOT_ITEMS, event: 'incident:updated', payload: redactIncident(incident) });
  }
  for (const area of result.areas) out.push({ rooms: [ITEMS], event: 'area:updated', payload: area });
  return out;
}

function newReportItems(reports: Report[]): LiveMessage[] {
  const redacted = reports.map(redactReport);
  const reporters = reportersOf(reports);
  const out: LiveMessage[] = [
    { rooms: [ROOMS.privileged], except: NOT_ITEMS, event: 'reports:new', payload: reports },
    { rooms: [ROOMS.monitors], except: [...NOT_ITEMS, ...reporters.map(ROOMS.user)], event: 'reports:new', payload: redacted },
  ];
  // A reporter gets the same list with their own reports in full. Privileged sockets are left
  // out: they had the full list already (a coordinator can submit too).
  for (const reporterId of reporters) {
    const personal = reports.map((r, i) => (r.reporter?.id === reporterId ? r : (redacted[i] as Report)));
    out.push({ rooms: [ROOMS.user(reporterId)], except: [ROOMS.privileged, ...NOT_ITEMS], event: 'reports:new', payload: personal });
  }
  return out;
}

function updatedReportItems(report: Report): LiveMessage[] {
  const reporterId = report.reporter?.id;
  const out: LiveMessage[] = [
    { rooms: [ROOMS.privileged], except: NOT_ITEMS, event: 'report:updated', payload: report },
    {
      rooms: [ROOMS.monitors],
      except: [...NOT_ITEMS, ...(reporterId ? [ROOMS.user(reporterId)] : [])],
      event: 'report:updated',
      payload: redactReport(report),
    },
  ];
  if (reporterId) out.push({ rooms: [ROOMS.user(reporterId)], except: [ROOMS.privileged, ...NOT_ITEMS], event: 'report:updated', payload: report });
  return out;
}

function commitFormatMessages(result: CommitEvents): LiveMessage[] {
  const { newReports, updatedReports } = result;
  const out: LiveMessage[] = [];
  // Each reporter's own reports go first, in full and small: the `commit` after them carries
  // the redacted copies with the same seq, which the client then leaves alone. Sending each
  // reporter a whole personalised commit instead would encode the commit once per reporter.
  for (const [userId, own] of ownReports(newReports, updatedReports)) {
    out.push({ rooms: [ROOMS.user(userId)], except: [ROOMS.privileged, ...NOT_COMMIT], event: 'commit:own', payload: own });
  }
  const shared: CommitMessage = { lastSeq: result.lastSeq };
  const forMonitors: CommitMessage = { lastSeq: result.lastSeq };
  if (result.incidents.length > 0) {
    shared.incidents = result.incidents;
    forMonitors.incidents = result.incidents.map(redactIncident);
  }
  if (result.areas.length > 0) shared.areas = forMonitors.areas = result.areas;
  out.push({ rooms: [ROOMS.privileged], except: NOT_COMMIT, event: 'commit', payload: withReports(shared, newReports, updatedReports) });
  out.push({
    rooms: [ROOMS.monitors],
    except: NOT_COMMIT,
    event: 'commit',
    payload: withReports(forMonitors, newReports.map(redactReport), updatedReports.map(redactReport)),
  });
  return out;
}

function reportersOf(reports: Report[]): string[] {
  return [...new Set(reports.map((r) => r.reporter?.id).filter((id): id is string => id !== undefined))];
}

function ownReports(newReports: Report[], updatedReports: Report[]): Map<string, OwnCommitMessage> {
  const own = new Map<string, OwnCommitMessage>();
  const add = (key: 'reports' | 'updated', report: Report): void => {
    const userId = report.reporter?.id;
    if (userId === undefined) return;
    const message = own.get(userId) ?? {};
    (message[key] ??= []).push(report);
    own.set(userId, message);
  };
  for (const report of newReports) add('reports', report);
  for (const report of updatedReports) add('updated', report);
  return own;
}

function withReports(shared: CommitMessage, reports: Report[], updated: Report[]): CommitMessage {
  const message = { ...shared };
  if (reports.length > 0) message.reports = reports;
  if (updated.length > 0) message.updated = updated;
  return message;
}
