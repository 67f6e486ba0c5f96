import { z } from 'zod';
import { Category } from './taxonomy.js';
import { Position } from './report.js';
import { Place } from './place.js';

/** At most this many report ids travel inside an incident; the rest are listed via `GET /api/reports`. */
export const INCIDENT_REPORT_IDS_MAX = 50;

export const IncidentState = z.object({
  id: z.string(),
  seq: z.number(),
  location: Position,
  uncertaintyM: z.number(),
  locationMethod: z.enum(['centroid', 'triangulated']),
  reportCount: z.number(),
  /** Distinct reporters; coordinators and admins only (contract v1.1): monitors' copies omit it. */
  monitorCount: z.number().optional(),
  reportIds: z.array(z.string()),
  categories: z.array(Category),
  firstObservedAt: z.string(),
  lastObservedAt: z.string(),
  /** Nearest settlement to `location` (issue 10); absent on incidents stored before it. */
  place: Place.optional(),
  /**
   * Contract v1.1: present when `locationMethod` is `triangulated`: the bearing reports whose
   * crossing gives `location`, and the widest angle (0–90°) at which two of them cross.
   */
  triangulation: z.object({ reportIds: z.array(z.string()), crossingAngleDeg: z.number() }).optional(),
});
export type IncidentState = z.infer<typeof IncidentState>;

/** An incident that no longer exists because it was merged into (or dissolved into) another. */
export const IncidentMerged = z.object({ id: z.string(), seq: z.number(), mergedInto: z.string() });
export type IncidentMerged = z.infer<typeof IncidentMerged>;

/** What `incident:updated` carries: the current state, or a tombstone pointing to the survivor. */
export const Incident = z.union([IncidentMerged, IncidentState]);
export type Incident = IncidentState | IncidentMerged;

/** Narrowing helper: a tombstone has `mergedInto`. */
export function isMergedIncident(incident: Incident): incident is IncidentMerged {
  return 'mergedInto' in incident;
}
