import { isMergedIncident, type Area, type Incident, type IncidentState, type Report } from '@truceline/shared';

/** Everything the server told us, keyed by id. Plain data so reducers stay pure and testable. */
export interface LiveData {
  reports: Readonly<Record<string, Report>>;
  incidents: Readonly<Record<string, IncidentState>>;
  areas: Readonly<Record<string, Area>>;
  /**
   * Where `reports:sync` resumes: the `lastSeq` of the last completed sync. Live events do not
   * move it, because one may arrive while an earlier one was missed; only a sync proves there is no gap.
   */
  syncedSeq: number;
}

export const EMPTY_LIVE_DATA: LiveData = { reports: {}, incidents: {}, areas: {}, syncedSeq: 0 };

export interface ApplyResult {
  data: LiveData;
  /** Reports that were new or changed (what the map and feed must redraw). */
  changed: Report[];
}

/**
 * Applies reports from any source (live event, sync, ack, cache). Live events may repeat or arrive
 * out of order, so a report replaces the held one only when its `seq` is greater (the contract's rule).
 */
export function applyReports(data: LiveData, incoming: readonly Report[]): ApplyResult {
  let reports: Record<string, Report> | undefined;
  const changed: Report[] = [];
  for (const report of incoming) {
    const held = (reports ?? data.reports)[report.id];
    if (held && held.seq >= report.seq) continue;
    reports ??= { ...data.reports };
    reports[report.id] = report;
    changed.push(report);
  }
  if (!reports) return { data, changed };
  return { data: { ...data, reports }, changed };
}

/**
 * Applies incident updates (a commit's, or one event's); a merged incident's tombstone removes it.
 * Older `seq`s are ignored. The map is copied once for the whole list, not once per incident.
 */
export function applyIncidents(data: LiveData, incoming: readonly Incident[]): LiveData {
  let incidents: Record<string, IncidentState> | undefined;
  for (const incident of incoming) {
    const held = (incidents ?? data.incidents)[incident.id];
    if (held && held.seq >= incident.seq) continue;
    incidents ??= { ...data.incidents };
    if (isMergedIncident(incident)) Reflect.deleteProperty(incidents, incident.id);
    else incidents[incident.id] = incident;
  }
  return incidents ? { ...data, incidents } : data;
}

/** Applies area updates; an area whose count fell to zero (all its reports rejected) is dropped. Copies once per list. */
export function applyAreas(data: LiveData, incoming: readonly Area[]): LiveData {
  let areas: Record<string, Area> | undefined;
  for (const area of incoming) {
    const held = (areas ?? data.areas)[area.id];
    if (held && held.seq >= area.seq) continue;
    areas ??= { ...data.areas };
    if (area.count <= 0) Reflect.deleteProperty(areas, area.id);
    else areas[area.id] = area;
  }
  return areas ? { ...data, areas } : data;
}

/** Replaces incidents and areas with a fresh list answer, keeping any newer ones already held. */
export function replaceAggregates(data: LiveData, incidents: readonly Incident[], areas: readonly Area[]): LiveData {
  // One pass over each list into fresh maps: a list answer can hold hundreds of thousands of
  // incidents, and copying the map per item (as the single-event reducers do) was quadratic.
  const nextIncidents: Record<string, IncidentState> = {};
  for (const i of incidents) {
    const held = nextIncidents[i.id];
    if (isMergedIncident(i) || (held && held.seq >= i.seq)) continue;
    nextIncidents[i.id] = i;
  }
  for (const held of Object.values(data.incidents)) {
    const fresh = nextIncidents[held.id];
    if (!fresh || fresh.seq < held.seq) nextIncidents[held.id] = held;
  }
  const nextAreas: Record<string, Area> = {};
  for (const a of areas) {
    const held = nextAreas[a.id];
    if (a.count > 0 && !(held && held.seq >= a.seq)) nextAreas[a.id] = a;
  }
  return { ...data, incidents: nextIncidents, areas: nextAreas };
}
