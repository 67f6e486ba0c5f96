import type { IncidentState, Report, ReportStatus } from '@truceline/shared';
import type { GroupingChange, IncidentIndex } from '../grouping/index.js';
import type { AuditDraft } from '../audit/draft.js';
import type { AreaWrite, CommitBatch } from '../storage/store.js';
import type { AreaCountChange } from './area-counts.js';
import { memberOf } from './grouping-member.js';
import type { WindowedIncidentIndex } from './load-index.js';
import type { NormalisedReport } from './normalise.js';

interface PlannedStatus {
  status: ReportStatus;
  reviewerId: string;
  note: string | undefined;
  atMs: number;
}

/**
 * Collects what one group commit changes while the in-memory incident index is updated
 * report by report, then turns it into one `CommitBatch`. Final incident ids are read from
 * the index at the end, so a report moved twice within a batch is written once, correctly.
 */
export class BatchPlan {
  private readonly newReports: NormalisedReport[] = [];
  private readonly statuses = new Map<string, PlannedStatus>();
  private readonly touched = new Set<string>();
  private readonly mergedInto = new Map<string, string>();
  private readonly emptied = new Map<string, Omit<IncidentState, 'seq'>>();
  private readonly moved = new Set<string>();
  private readonly areaCountChanges: AreaCountChange[] = [];
  private readonly supersessions: { reportId: string; supersededBy: string }[] = [];
  private readonly auditDrafts: AuditDraft[] = [];

  private readonly index: IncidentIndex;

  /**
   * @param windowed must have been `prepare`d for everything this plan will do (the commit queue
   *   does it before planning); a step that would touch what is not loaded throws rather than
   *   decide on part of the history.
   */
  constructor(private readonly windowed: WindowedIncidentIndex) {
    this.index = windowed.index;
  }

  private assertLinkableHeld(startMs: number, endMs: number, id: string): void {
    if (!this.windowed.readyFor(startMs, endMs)) {
      throw new Error(`grouping: the history report ${id} can link to is not loaded (prepare first)`);
    }
  }

  get isEmpty(): boolean {
    return this.newReports.length === 0 && this.statuses.size === 0 && this.supersessions.length === 0;
  }

  addNew(item: NormalisedReport): void {
    this.assertLinkableHeld(item.startMs, item.endMs, item.report.id);
    this.newReports.push(item);
    this.record(this.index.add(memberOf(item.report as Report, item.reporterId)));
    this.areaCountChanges.push({
      areaId: item.report.areaId,
      reportId: item.report.id,
      center: item.areaCenter,
      category: item.report.category,
      delta: 1,
      observedAtMs: item.startMs,
    });
  }

  /**
   * A correction (`by`) supersedes `target`, stored earlier or new in this batch: like a
   * rejected report, the target leaves its incident (which may split or dissolve) and its area's
   * counts; the correction joins grouping on its own. Call after `addNew(correction)`. A target
   * already superseded, or rejected (it counts nowhere), changes only its `supersededBy`.
   */
  supersede(target: Report | NormalisedReport, by: string): void {
    const report = 'startMs' in target ? (target.report as Report) : target;
    if (report.supersededBy !== undefined || this.supersessions.some((s) => s.reportId === report.id)) return;
    this.supersessions.push({ reportId: report.id, supersededBy: by });
    const status = this.statuses.get(report.id)?.status ?? report.status;
    if (status === 'rejected') return;
    this.leave(report);
  }

  /** Takes a counted report out of grouping and area counts (rejection, supersession). */
  private leave(report: Report): void {
    const startMs = Date.parse(report.observedAt);
    this.assertLinkableHeld(startMs, report.observedUntil === undefined ? startMs : Date.parse(report.observedUntil), report.id);
    const incidentId = this.index.incidentOf(report.id);
    if (incidentId === undefined) {
      throw new Error(`grouping: incident of report ${report.id} is not loaded (prepare first)`);
    }
    const grouping = this.index.remove(report.id);
    if (grouping.dissolved.includes(incidentId)) this.emptied.set(incidentId, emptyIncident(incidentId, report));
    this.record(grouping);
    this.areaCountChanges.push({
      areaId: report.areaId,
      reportId: report.id,
      center: report.location,
      category: report.category,
      delta: -1,
      observedAtMs: Date.parse(report.observedAt),
    });
  }

  /** A review changes `report`'s status; it leaves or rejoins grouping and area counts as needed. */
  setStatus(report: Report, reporterId: string, from: ReportStatus, change: PlannedStatus): void {
    this.statuses.set(report.id, change);
    // A superseded report counts nowhere whatever its status: a review only records the verdict.
    if (report.supersededBy !== undefined || this.supersessions.some((s) => s.reportId === report.id)) return;
    // The area row exists (the report was counted when first stored), so `center` is not used.
    const area = {
      areaId: report.areaId,
      reportId: report.id,
      center: report.location,
      category: report.category,
      observedAtMs: Date.parse(report.observedAt),
    };
    if (change.status === 'rejected' && from !== 'rejected') {
      this.leave(report);
    } else if (change.status !== 'rejected' && from === 'rejected') {
      const member = memberOf(report, reporterId);
      this.assertLinkableHeld(member.startMs, member.endMs, report.id);
      this.record(this.index.add(member));
      this.areaCountChanges.push({ ...area, delta: 1 });
    }
  }

  /** Every +1/−1 this plan makes to area counts, in order; `area-counts.ts` turns them into rows. */
  get areaChanges(): readonly AreaCountChange[] {
    return this.areaCountChanges;
  }

  /** An audit entry that commits with this batch (one per review, even of one report twice). */
  audit(draft: AuditDraft): void {
    this.auditDrafts.push(draft);
  }

  private record(change: GroupingChange): void {
    if (change.incidentId !== undefined) this.touched.add(change.incidentId);
    for (const id of change.updated) this.touched.add(id);
    for (const { id, into } of change.merged) {
      this.mergedInto.set(id, into);
      this.touched.add(id);
    }
    for (const id of change.dissolved) this.touched.add(id);
    for (const { memberId } of change.moved) this.moved.add(memberId);
  }

  private survivorOf(id: string): string {
    let current = id;
    for (let next = this.mergedInto.get(current); next !== undefined; next = this.mergedInto.get(current)) current = next;
    return current;
  }

  /** @param areas the final rows of the areas this plan changes (`areaWrites` over `areaChanges`). */
  toCommitBatch(areas: AreaWrite[]): CommitBatch {
    const newIds = new Set(this.newReports.map((n) => n.report.id));
    const incidentOf = (id: string): string | null => this.index.incidentOf(id) ?? null;
    const batch: CommitBatch = {
      newReports: this.newReports.map((n) => ({
        ...n,
        report: { ...n.report, incidentId: incidentOf(n.report.id) },
      })),
      statusChanges: [...this.statuses].map(([reportId, s]) => ({ reportId, ...s, incidentId: incidentOf(reportId) })),
      incidentMoves: [],
      incidents: [],
      tombstones: [],
      areas,
      supersessions: this.supersessions,
      audit: this.auditDrafts,
    };
    for (const reportId of this.moved) {
      const incidentId = this.index.incidentOf(reportId);
      if (incidentId !== undefined && !newIds.has(reportId) && !this.statuses.has(reportId)) {
        batch.incidentMoves.push({ reportId, incidentId });
      }
    }
    for (const id of this.touched) {
      const summary = this.index.summary(id);
      const emptied = this.emptied.get(id);
      if (summary) batch.incidents.push(summary);
      else if (this.mergedInto.has(id)) batch.tombstones.push({ id, mergedInto: this.survivorOf(id) });
      else if (emptied) batch.incidents.push(emptied);
    }
    return batch;
  }
}

/** An incident whose last report was rejected: kept, empty, so clients holding it can drop it. */
function emptyIncident(id: string, last: Report): Omit<IncidentState, 'seq'> {
  return {
    id,
    location: { lon: last.location.lon, lat: last.location.lat },
    uncertaintyM: last.uncertaintyM,
    locationMethod: 'centroid',
    reportCount: 0,
    monitorCount: 0,
    reportIds: [],
    categories: [],
    firstObservedAt: last.observedAt,
    lastObservedAt: last.observedUntil ?? last.observedAt,
  };
}
