import { z } from 'zod';
import { LoginResponse, Presence, User, UserRecord } from './account.js';
import { Area } from './area.js';
import { AuditEntry, type AuditPage, type ReportHistoryResponse } from './audit.js';
import { MapView } from './basemap.js';
import { EXPORT_PROPERTY_KEYS } from './export.js';
import { Incident } from './incident.js';
import { Report } from './report.js';
import type { AreaListResponse, HealthResponse, IncidentListResponse, ReportListResponse, ReportResponse, UserListResponse } from './responses.js';
import type { SyncResponse } from './events.js';

/**
 * Zod schemas of the JSON answers whose TypeScript types live in `responses.ts` and
 * `events.ts`, for the published description (`api-routes.ts`). The `Matches` checks below
 * fail the type check when a schema and its interface drift apart.
 */
export const ReportResponseBody = z.object({ report: Report });
export const ReportListResponseBody = z.object({ reports: z.array(Report), nextCursor: z.string().optional(), asOfSeq: z.number() });
export const IncidentListResponseBody = z.object({ incidents: z.array(Incident), asOfSeq: z.number() });
export const AreaListResponseBody = z.object({ areas: z.array(Area), asOfSeq: z.number() });
export const SyncResponseBody = z.object({ reports: z.array(Report), lastSeq: z.number(), hasMore: z.boolean() });
export const MeResponseBody = z.object({ user: User });
export const UserResponseBody = z.object({ user: UserRecord });
export const UserListResponseBody = z.object({ users: z.array(UserRecord) });
export const LoginResponseBody = LoginResponse;
export const PresenceBody = Presence;

/** `GET /api/health`: `degraded` (with `reason` and `since`) while commits fail, e.g. a full disk. */
export const HealthResponseBody = z.object({
  status: z.enum(['ok', 'starting', 'draining', 'degraded']),
  lastSeq: z.number().optional(),
  reason: z.string().optional(),
  since: z.string().optional(),
});

export const BasemapResponseBody = z.object({ styleUrl: z.string().nullable(), defaultView: MapView });

/** A MapLibre style document; only `version` is fixed, the rest is MapLibre's. */
export const MapStyleBody = z.looseObject({ version: z.literal(8) });

/** `GET /api/export.geojson`: RFC 7946, one Point feature per report, every property key present. */
export const ExportFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.strictObject(
        Object.fromEntries(EXPORT_PROPERTY_KEYS.map((key) => [key, z.union([z.string(), z.number(), z.boolean(), z.null()])])) as Record<
          (typeof EXPORT_PROPERTY_KEYS)[number],
          z.ZodUnion<[z.ZodString, z.ZodNumber, z.ZodBoolean, z.ZodNull]>
        >,
      ),
    }),
  ),
});

/** `GET /api/audit`: a page of the audit log, oldest first. */
export const AuditPageBody = z.object({ entries: z.array(AuditEntry), lastSeq: z.number().int(), hasMore: z.boolean() });

/** `GET /api/reports/:id/history`: the report's reviews and reopenings, oldest first. */
export const ReportHistoryResponseBody = z.object({ entries: z.array(AuditEntry) });

/** The OpenAPI document itself: validated as OpenAPI by the tests, described here only by its version. */
export const OpenApiDocumentBody = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }) });

type Matches<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const drift: [
  Matches<z.infer<typeof ReportResponseBody>, ReportResponse>,
  Matches<z.infer<typeof ReportListResponseBody>, ReportListResponse>,
  Matches<z.infer<typeof IncidentListResponseBody>, IncidentListResponse>,
  Matches<z.infer<typeof AreaListResponseBody>, AreaListResponse>,
  Matches<z.infer<typeof SyncResponseBody>, SyncResponse>,
  Matches<z.infer<typeof UserListResponseBody>, UserListResponse>,
  Matches<z.infer<typeof AuditPageBody>, AuditPage>,
  Matches<z.infer<typeof ReportHistoryResponseBody>, ReportHistoryResponse>,
  // The interface predates `degraded`; the schema is what the server sends.
  HealthResponse['status'] extends z.infer<typeof HealthResponseBody>['status'] ? true : false,
] = [true, true, true, true, true, true, true, true, true];
void drift;
