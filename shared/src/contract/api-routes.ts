import type { z } from 'zod';
import { AuditQuery } from './audit.js';
import { ChangePasswordBody, CreateUserBody, LoginBody, PatchUserBody } from './account.js';
import type { ErrorCode } from './errors.js';
import { GEOJSON_CONTENT_TYPE } from './export.js';
import { PlacesResponse, PlacesQuery } from './place.js';
import { BulkSyncQuery, ReportFilterQuery, ReportListQuery, ReviewBody, SYNC_HEADERS } from './query.js';
import { ReportInput } from './report.js';
import {
  AreaListResponseBody,
  AuditPageBody,
  BasemapResponseBody,
  ExportFeatureCollection,
  HealthResponseBody,
  IncidentListResponseBody,
  LoginResponseBody,
  MapStyleBody,
  MeResponseBody,
  ReportHistoryResponseBody,
  OpenApiDocumentBody,
  ReportListResponseBody,
  ReportResponseBody,
  SyncResponseBody,
  UserListResponseBody,
  UserResponseBody,
} from './response-schemas.js';
import { SummaryQuery, SummaryResponse } from './summary.js';
import type { Role } from './taxonomy.js';

/** One answer of a route other than an error (errors all share `ErrorBody`). */
export interface ApiAnswer {
  readonly description: string;
  /** JSON schema source of a JSON answer; absent for an empty (204) or non-JSON one. */
  readonly schema?: z.ZodType;
  /** Default `application/json`; `*\/*` for files served as they are. */
  readonly contentType?: string;
  /** Response headers the answer always carries, by name, with what they mean. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Who may call a route: `public` (no token), `optional` (a valid token adds to the answer), or
 * the roles whose token is accepted (others get 403; no or a bad token 401).
 */
export type ApiAccess = 'public' | 'optional' | readonly Role[];

/**
 * One HTTP route of the API, as the published OpenAPI description shows it. `path` is in
 * OpenAPI form (`/api/reports/{id}`); the server's express routes are checked against this
 * table by `tests/integration/openapi.test.ts`, so a route added to the server without an
 * entry here fails the tests.
 */
export interface ApiRoute {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  readonly path: `/api/${string}`;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: ApiAccess;
  /** Path parameters by name (all strings in the URL). */
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly answers: Readonly<Partial<Record<200 | 201 | 204 | 206, ApiAnswer>>>;
  /**
   * Error codes this route can answer besides those its access implies (`unauthorized`,
   * `forbidden`) and those every route can (`internal`, and `unavailable` when storage fails);
   * `invalid` and `too_large` are implied by a query or a body.
   */
  readonly errors?: readonly ErrorCode[];
}

const SIGNED_IN: readonly Role[] = ['monitor', 'coordinator', 'admin'];
const COORDINATORS: readonly Role[] = ['coordinator', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

const READ_LIMITED = 'Counts against the per-account read limits (`READ_RATE_LIMIT`, `READ_CONCURRENCY`): over them, `429` with `Retry-After`.';
const REPORT_FILTERS = 'Filters: `bbox=minLon,minLat,maxLon,maxLat` (`minLon > maxLon` crosses the antimeridian), `since`/`until` (RFC 3339; the observation window overlaps `[since, until)`), `category=a,b`, `status=a,b`, `reporter=me` (coordinators: or a user id).';

/**
 * Every HTTP route of `/api`, in the order the description lists them. To add a route: add
 * its entry here (its schemas come from `shared/`), and a sample call in
 * `tests/integration/openapi.test.ts` (`SAMPLES`), which checks that the server answers as
 * written.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/health',
    tag: 'operations',
    summary: 'Readiness',
    description: '`200 {status: "ok"}` when ready (with a valid token also `lastSeq`); `503` while starting, draining, or `degraded` while commits fail.',
    access: 'optional',
    answers: { 200: { description: 'Ready.', schema: HealthResponseBody } },
    errors: ['unavailable'],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'operations',
    summary: 'This description',
    description: 'The OpenAPI 3.1 description of this interface, with the Socket.IO events under `x-socketio-events`. No token: it describes the interface, not data.',
    access: 'public',
    answers: { 200: { description: 'The document.', schema: OpenApiDocumentBody } },
  },
  {
    method: 'get',
    path: '/api/basemap',
    tag: 'basemap',
    summary: 'Which basemap the web client draws',
    description: '`styleUrl`: `MAP_STYLE_URL`, else a style of `DATA_DIR/basemap/`, else `null` (the built-in offline basemap). No token: a basemap holds no reports.',
    access: 'public',
    answers: { 200: { description: 'The basemap.', schema: BasemapResponseBody } },
  },
  {
    method: 'get',
    path: '/api/basemap/{type}-style.json',
    tag: 'basemap',
    summary: 'A style made for a tile file in DATA_DIR/basemap/',
    access: 'public',
    params: { type: '`raster` or `vector`' },
    answers: { 200: { description: 'A MapLibre style.', schema: MapStyleBody } },
    errors: ['not_found', 'invalid'],
  },
  {
    method: 'get',
    path: '/api/basemap/files/{file}',
    tag: 'basemap',
    summary: 'A file of DATA_DIR/basemap/ (Range requests supported)',
    access: 'public',
    params: { file: 'path inside the folder; may contain `/`' },
    answers: {
      200: { description: 'The file.', contentType: '*/*' },
      206: { description: 'The requested byte range.', contentType: '*/*' },
    },
    errors: ['not_found', 'invalid'],
  },
  {
    method: 'get',
    path: '/api/basemap/mbtiles/{name}/{z}/{x}/{y}',
    tag: 'basemap',
    summary: 'A tile of DATA_DIR/basemap/<name>.mbtiles',
    access: 'public',
    params: { name: 'file name without `.mbtiles`', z: 'zoom', x: 'column', y: 'row (XYZ, from the north)' },
    answers: {
      200: { description: 'The tile, as stored (gzipped vector tiles with `Content-Encoding: gzip`).', contentType: '*/*' },
      204: { description: 'No tile there.' },
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'accounts',
    summary: 'Sign in',
    description: 'Wrong credentials → `401`. Attempts per address and per username are limited: `429` with `Retry-After`.',
    access: 'public',
    body: LoginBody,
    answers: { 200: { description: 'A session token and the user.', schema: LoginResponseBody } },
    errors: ['unauthorized', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'accounts',
    summary: 'Revoke this token',
    description: 'Also disconnects the sockets opened with it.',
    access: SIGNED_IN,
    answers: { 204: { description: 'Signed out.' } },
  },
  {
    method: 'get',
    path: '/api/me',
    tag: 'accounts',
    summary: 'Who this token belongs to',
    access: SIGNED_IN,
    answers: { 200: { description: 'The user.', schema: MeResponseBody } },
  },
  {
    method: 'post',
    path: '/api/me/password',
    tag: 'accounts',
    summary: 'Change your own password',
    description: 'A wrong `currentPassword` is `400 invalid` on that field (not `401`). Revokes the user\'s other sessions; this one stays.',
    access: SIGNED_IN,
    body: ChangePasswordBody,
    answers: { 204: { description: 'Changed.' } },
    errors: ['rate_limited'],
  },
  {
    method: 'post',
    path: '/api/users',
    tag: 'accounts',
    summary: 'Create an account',
    description: 'A username that exists (case-insensitive) → `409`.',
    access: ADMINS,
    body: CreateUserBody,
    answers: { 201: { description: 'Created.', schema: UserResponseBody } },
    errors: ['conflict', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/api/users',
    tag: 'accounts',
    summary: 'List accounts',
    access: ADMINS,
    answers: { 200: { description: 'Every account.', schema: UserListResponseBody } },
  },
  {
    method: 'patch',
    path: '/api/users/{id}',
    tag: 'accounts',
    summary: 'Change role, disable, or reset the password',
    description: 'Disabling or changing the role disconnects the user\'s sockets at once; a reset or disabling revokes their sessions. An admin cannot disable themself or drop their own admin role (`409`).',
    access: ADMINS,
    params: { id: 'user id' },
    body: PatchUserBody,
    answers: { 200: { description: 'The changed account.', schema: UserResponseBody } },
    errors: ['not_found', 'conflict', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/api/reports',
    tag: 'reports',
    summary: 'Submit a report',
    description: '`201` when new; `200` with the stored state when the same `id` with the same content is already stored (idempotent retry; not rate-limited); `409` for the same `id` with other content or from another account. Acknowledged only once durably stored. Over `RATE_LIMIT` → `429`.',
    access: SIGNED_IN,
    body: ReportInput,
    answers: {
      201: { description: 'Stored.', schema: ReportResponseBody },
      200: { description: 'Already stored with the same content.', schema: ReportResponseBody },
    },
    errors: ['conflict', 'rate_limited', 'unavailable'],
  },
  {
    method: 'get',
    path: '/api/reports',
    tag: 'reports',
    summary: 'List reports',
    description: `Newest \`observedAt\` first, then \`id\`; \`limit\` 1–1000 (default 100); follow \`nextCursor\`. ${REPORT_FILTERS} ${READ_LIMITED}`,
    access: SIGNED_IN,
    query: ReportListQuery,
    answers: { 200: { description: 'A page of reports.', schema: ReportListResponseBody } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/reports/{id}',
    tag: 'reports',
    summary: 'One report',
    description: 'A malformed id is `404`, like an unknown one.',
    access: SIGNED_IN,
    params: { id: 'report id (UUID)' },
    answers: { 200: { description: 'The report.', schema: ReportResponseBody } },
    errors: ['not_found'],
  },
  {
    method: 'patch',
    path: '/api/reports/{id}',
    tag: 'reports',
    summary: 'Review a report',
    description: 'Sets `status` (a rejection needs a `note`); emits `report:updated`. The status it already has → `200`, no broadcast. An `expectedSeq` that is no longer the report\'s `seq` → `409`.',
    access: COORDINATORS,
    params: { id: 'report id (UUID)' },
    body: ReviewBody,
    answers: { 200: { description: 'The reviewed report.', schema: ReportResponseBody } },
    errors: ['not_found', 'conflict', 'unavailable'],
  },
  {
    method: 'get',
    path: '/api/reports/{id}/history',
    tag: 'audit',
    summary: "A report's review history",
    description: 'Its `report.review` and `report.reopen` audit entries (status, note, who, when), oldest first, at most 1000. A malformed id is `404`, like an unknown one.',
    access: COORDINATORS,
    params: { id: 'report id (UUID)' },
    answers: { 200: { description: 'The history.', schema: ReportHistoryResponseBody } },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/incidents',
    tag: 'reports',
    summary: 'Incidents with a matching report',
    description: `${REPORT_FILTERS} ${READ_LIMITED}`,
    access: SIGNED_IN,
    query: ReportFilterQuery,
    answers: { 200: { description: 'Incidents.', schema: IncidentListResponseBody } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/areas',
    tag: 'reports',
    summary: 'Area cells with a matching report',
    description: `${REPORT_FILTERS} ${READ_LIMITED}`,
    access: SIGNED_IN,
    query: ReportFilterQuery,
    answers: { 200: { description: 'Areas.', schema: AreaListResponseBody } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/sync',
    tag: 'reports',
    summary: 'Catch up by seq (reports:sync over HTTP)',
    description: `Every report with \`seq > afterSeq\` once, ascending; pages of up to 10,000 (default 1000). ${READ_LIMITED}`,
    access: SIGNED_IN,
    query: BulkSyncQuery,
    answers: {
      200: {
        description: 'A page.',
        schema: SyncResponseBody,
        headers: { [SYNC_HEADERS.lastSeq]: 'the answer\'s `lastSeq`, before the body', [SYNC_HEADERS.hasMore]: 'the answer\'s `hasMore`' },
      },
    },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/export.geojson',
    tag: 'exports',
    summary: 'Every matching report as GeoJSON',
    description: `Streamed; a stream that fails midway is cut, so a partial file never parses. ${REPORT_FILTERS} ${READ_LIMITED}`,
    access: COORDINATORS,
    query: ReportFilterQuery,
    answers: { 200: { description: 'An RFC 7946 FeatureCollection.', schema: ExportFeatureCollection, contentType: GEOJSON_CONTENT_TYPE } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/summary',
    tag: 'exports',
    summary: 'Counts per period',
    description: `\`period\` \`hour\`, \`day\` (default) or \`week\` in \`MISSION_TIMEZONE\`, \`cutoff=HH:MM\` where a day starts. ${REPORT_FILTERS} ${READ_LIMITED}`,
    access: COORDINATORS,
    query: SummaryQuery,
    answers: { 200: { description: 'Counts.', schema: SummaryResponse } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/summary.csv',
    tag: 'exports',
    summary: 'Counts per period as CSV',
    description: `The periods of \`GET /api/summary\`, one row each. ${READ_LIMITED}`,
    access: COORDINATORS,
    query: SummaryQuery,
    answers: { 200: { description: 'CSV with a header row.', contentType: 'text/csv' } },
    errors: ['rate_limited'],
  },
  {
    method: 'get',
    path: '/api/audit',
    tag: 'audit',
    summary: 'The audit log, oldest first',
    description: 'Hash-chained and append-only (see `docs/audit.md` for the canonical form and `pnpm audit:verify`). Admins read every entry; coordinators only `report.review`, `report.reopen` and `export` (asking for another `action` is `403`). Page with `afterSeq` = the previous page\'s `lastSeq` while `hasMore`.',
    access: COORDINATORS,
    query: AuditQuery,
    answers: { 200: { description: 'A page of entries.', schema: AuditPageBody } },
  },
  {
    method: 'get',
    path: '/api/places',
    tag: 'reports',
    summary: 'Settlements by name prefix',
    description: `Accents and case ignored, most populous first. ${READ_LIMITED}`,
    access: SIGNED_IN,
    query: PlacesQuery,
    answers: { 200: { description: 'Matches.', schema: PlacesResponse } },
    errors: ['rate_limited'],
  },
];

/** The route's error codes: its own, those implied by its access and input, and those every route can answer. */
export function errorCodesOf(route: ApiRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.query || route.body) codes.add('invalid');
  if (route.body) codes.add('too_large');
  if (Array.isArray(route.access)) {
    codes.add('unauthorized');
    if (route.access.length < SIGNED_IN.length) codes.add('forbidden');
  }
  codes.add('internal');
  return [...codes];
}

/** Express-style path (`/reports/:id`, `/basemap/files/*file`) to the OpenAPI form used above. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
