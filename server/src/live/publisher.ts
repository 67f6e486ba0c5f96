import type { CommitMessage, OwnCommitMessage, Report } from '@truceline/shared';
import { ROOMS, otherFormatRooms, redactIncident, redactReport } from '../auth/access.js';
import type { Broadcaster, CommitEvents } from '../ingest/broadcast.js';
import type { TrucelineServer } from './types.js';

/**
 * Turns each durable commit into live events, once per audience: coordinators and admins
 * get full reports; monitors get them without the fields that locate a monitor, except for
 * their own reports, which their own sockets get in full.
 *
 * Each socket chose a live format in its handshake (`LiveFormat`): `items` sockets get the
 * contract's per-item events, `commit` sockets one `commit` message per commit, `none`
 * sockets neither (only `seq:head`, which goes to everyone). A format (or
 * a reporter's personal message) that no socket here uses is not even encoded. That check
 * reads this process's rooms: with a cross-process adapter it must ask the shared one.
 */
const ITEMS = ROOMS.format('items');
const NOT_ITEMS = otherFormatRooms('items');
const COMMIT = ROOMS.format('commit');
const NOT_COMMIT = otherFormatRooms('commit');

export class Publisher implements Broadcaster {
  private lastSeq = 0;

  constructor(private readonly io: TrucelineServer) {}

  get headSeq(): number {
    return this.lastSeq;
  }

  set headSeq(seq: number) {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  committed(events: CommitEvents): void {
    this.headSeq = events.lastSeq;
    if (this.reaches(ITEMS)) this.emitItems(events);
    if (this.reaches(COMMIT)) this.emitCommit(events);
  }

  /** Heartbeat so a client that missed events notices it is behind and calls `reports:sync`. */
  emitHead(): void {
    this.io.emit('seq:head', { lastSeq: this.lastSeq });
  }

  private emitItems(events: CommitEvents): void {
    if (events.newReports.length > 0) this.emitNewItems(events.newReports);
    for (const report of events.updatedReports) this.emitUpdatedItem(report);
    const privileged = this.io.to(ROOMS.privileged).except(NOT_ITEMS);
    const monitors = this.io.to(ROOMS.monitors).except(NOT_ITEMS);
    for (const incident of events.incidents) {
      privileged.emit('incident:updated', incident);
      monitors.emit('incident:updated', redactIncident(incident));
    }
    const everyone = this.io.to(ITEMS);
    for (const area of events.areas) everyone.emit('area:updated', area);
  }

  private emitNewItems(reports: Report[]): void {
    this.io.to(ROOMS.privileged).except(NOT_ITEMS).emit('reports:new', reports);
    const redacted = reports.map(redactReport);
    const reporters = reportersOf(reports);
    this.io
      .to(ROOMS.monitors)
      .except([...NOT_ITEMS, ...reporters.map(ROOMS.user)])
      .emit('reports:new', redacted);
    for (const reporterId of reporters) {
      if (!this.reachesUser(reporterId, ITEMS)) continue;
      const personal = reports.map((r, i) => (r.reporter?.id === reporterId ? r : (redacted[i] as Report)));
      this.io.to(ROOMS.user(reporterId)).except([ROOMS.privileged, ...NOT_ITEMS]).emit('reports:new', personal);
    }
  }

  private emitUpdatedItem(report: Report): void {
    this.io.to(ROOMS.privileged).except(NOT_ITEMS).emit('report:updated', report);
    const reporterId = report.reporter?.id;
    const others = [...NOT_ITEMS, ...(reporterId ? [ROOMS.user(reporterId)] : [])];
    this.io.to(ROOMS.monitors).except(others).emit('report:updated', redactReport(report));
    if (reporterId) this.io.to(ROOMS.user(reporterId)).except([ROOMS.privileged, ...NOT_ITEMS]).emit('report:updated', report);
  }

  private emitCommit(events: CommitEvents): void {
    const { newReports, updatedReports } = events;
    // Each reporter's own reports go first, in full and small: the `commit` after them carries
    // the redacted copies with the same seq, which the client then leaves alone. Sending each
    // reporter a whole personalised commit instead would encode the commit once per reporter.
    for (const [userId, own] of ownReports(newReports, updatedReports)) {
      if (!this.reachesUser(userId, COMMIT)) continue;
      this.io.to(ROOMS.user(userId)).except([ROOMS.privileged, ...NOT_COMMIT]).emit('commit:own', own);
    }
    const shared: CommitMessage = { lastSeq: events.lastSeq };
    const forMonitors: CommitMessage = { lastSeq: events.lastSeq };
    if (events.incidents.length > 0) {
      shared.incidents = events.incidents;
      forMonitors.incidents = events.incidents.map(redactIncident);
    }
    if (events.areas.length > 0) shared.areas = forMonitors.areas = events.areas;
    this.io.to(ROOMS.privileged).except(NOT_COMMIT).emit('commit', withReports(shared, newReports, updatedReports));
    this.io
      .to(ROOMS.monitors)
      .except(NOT_COMMIT)
      .emit('commit', withReports(forMonitors, newReports.map(redactReport), updatedReports.map(redactReport)));
  }

  /** Whether any socket of this process is in `room`. */
  private reaches(room: string): boolean {
    return (this.io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** Whether any socket of this process belongs to `userId` and is in `room`. */
  private reachesUser(userId: string, room: string): boolean {
    const rooms = this.io.sockets.adapter.rooms;
    const inRoom = rooms.get(room);
    if (!inRoom) return false;
    for (const socketId of rooms.get(ROOMS.user(userId)) ?? []) if (inRoom.has(socketId)) return true;
    return false;
  }
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
