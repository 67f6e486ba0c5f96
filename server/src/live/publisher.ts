import type { Report } from '@truceline/shared';
import { ROOMS, redactReport } from '../auth/access.js';
import type { Broadcaster, CommitEvents } from '../ingest/broadcast.js';
import type { TrucelineServer } from './types.js';

/**
 * Turns each durable commit into live events, once per audience: coordinators and admins
 * get full reports; monitors get them without the fields that locate a monitor, except for
 * their own reports, which their own sockets get in full.
 */
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
    if (events.newReports.length > 0) this.emitReports(events.newReports);
    for (const report of events.updatedReports) this.emitUpdated(report);
    for (const incident of events.incidents) this.io.emit('incident:updated', incident);
    for (const area of events.areas) this.io.emit('area:updated', area);
  }

  private emitReports(reports: Report[]): void {
    this.io.to(ROOMS.privileged).emit('reports:new', reports);
    const redacted = reports.map(redactReport);
    const reporters = [...new Set(reports.map((r) => r.reporter?.id).filter((id): id is string => id !== undefined))];
    this.io.to(ROOMS.monitors).except(reporters.map(ROOMS.user)).emit('reports:new', redacted);
    for (const reporterId of reporters) {
      const personal = reports.map((r, i) => (r.reporter?.id === reporterId ? r : (redacted[i] as Report)));
      this.io.to(ROOMS.user(reporterId)).except(ROOMS.privileged).emit('reports:new', personal);
    }
  }

  private emitUpdated(report: Report): void {
    this.io.to(ROOMS.privileged).emit('report:updated', report);
    const reporterId = report.reporter?.id;
    const monitors = this.io.to(ROOMS.monitors);
    (reporterId ? monitors.except(ROOMS.user(reporterId)) : monitors).emit('report:updated', redactReport(report));
    if (reporterId) this.io.to(ROOMS.user(reporterId)).except(ROOMS.privileged).emit('report:updated', report);
  }

  /** Heartbeat so a client that missed events notices it is behind and calls `reports:sync`. */
  emitHead(): void {
    this.io.emit('seq:head', { lastSeq: this.lastSeq });
  }
}
