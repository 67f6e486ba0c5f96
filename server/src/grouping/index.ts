/**
 * Incident grouping engine: pure, in-memory, incremental. The server feeds it non-rejected
 * reports and persists the incident ids it reports back.
 */
export { IncidentIndex, type GroupingStats } from './incident-index.js';
export {
  DEFAULT_GROUPING,
  DISTANCE_EPSILON_M,
  EARTH_RADIUS_M,
  type GroupingConfig,
  type Linkable,
  type LonLatPoint,
  edgeDistanceM,
  haversineM,
  linked,
  timeGapMs,
} from './link.js';
export { SpaceTimeIndex, type SpaceTimeIndexStats, type SpaceTimeItem } from './space-time-index.js';
export { MIN_WEIGHT_RADIUS_M, summarizeIncident } from './summary.js';
export {
  type GroupingChange,
  type IncidentSummary,
  type Member,
  type MemberSight,
  SUMMARY_REPORT_IDS_LIMIT,
  compareMembers,
} from './types.js';
