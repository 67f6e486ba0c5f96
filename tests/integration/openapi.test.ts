import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, openApiDocument, openApiPath } from '@truceline/shared/api-description';
import { type TestAccount, type TestServer, ADMIN_PASSWORD, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';

type Json = Record<string, unknown>;
type Who = 'none' | 'monitor' | 'coordinator' | 'admin' | 'spare';

/** One request of a route's sample: who sends it, where, with what, and the status it must get. */
interface Call {
  as: Who;
  url: string;
  status: number;
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

const submitted = makeReport();
const otherContent = { ...submitted, category: 'explosion' as const };
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

/**
 * Sample calls of every documented route, keyed `METHOD /api/path` as in the OpenAPI document,
 * run in this order (a later call may rely on an earlier one: the report is submitted first).
 * A route added to `API_ROUTES` needs its samples here; the coverage test says which is missing.
 * Error statuses that are cheap to cause are sampled too: each must be documented for its route.
 */
const SAMPLES = (ctx: { spareId: () => string }): Record<string, Call[]> => ({
  'GET /api/health': [
    { as: 'none', url: '/api/health', status: 200 },
    { as: 'monitor', url: '/api/health', status: 200 },
  ],
  'GET /api/openapi.json': [{ as: 'none', url: '/api/openapi.json', status: 200 }],
  'GET /api/basemap': [{ as: 'none', url: '/api/basemap', status: 200 }],
  'GET /api/basemap/{type}-style.json': [{ as: 'none', url: '/api/basemap/raster-style.json', status: 404 }],
  'GET /api/basemap/files/{file}': [
    { as: 'none', url: '/api/basemap/files/style.json', status: 200 },
    { as: 'none', url: '/api/basemap/files/style.json', status: 206, headers: { range: 'bytes=0-3' } },
    { as: 'none', url: '/api/basemap/files/missing.pmtiles', status: 404 },
  ],
  'GET /api/basemap/mbtiles/{name}/{z}/{x}/{y}': [{ as: 'none', url: '/api/basemap/mbtiles/none/1/0/0', status: 404 }],
  'POST /api/auth/login': [
    { as: 'none', url: '/api/auth/login', body: { username: 'admin', password: ADMIN_PASSWORD }, status: 200 },
    { as: 'none', url: '/api/auth/login', body: { username: 'admin', password: 'not-the-password' }, status: 401 },
    { as: 'none', url: '/api/auth/login', body: { username: 'admin' }, status: 400 },
    { as: 'none', url: '/api/auth/login', rawBody: '{"username":', status: 400 },
  ],
  'GET /api/me': [
    { as: 'monitor', url: '/api/me', status: 200 },
    { as: 'none', url: '/api/me', status: 401 },
  ],
  'POST /api/me/password': [
    { as: 'spare', url: '/api/me/password', body: { currentPassword: 'not-the-password', newPassword: 'a-fresh-passphrase-42' }, status: 400 },
    { as: 'spare', url: '/api/me/password', body: { currentPassword: ADMIN_PASSWORD, newPassword: 'a-fresh-passphrase-42' }, status: 204 },
  ],
  'POST /api/users': [
    { as: 'admin', url: '/api/users', body: { username: 'described', password: 'a-long-enough-passphrase', role: 'monitor' }, status: 201 },
    { as: 'admin', url: '/api/users', body: { username: 'DESCRIBED', password: 'a-long-enough-passphrase', role: 'monitor' }, status: 409 },
    { as: 'monitor', url: '/api/users', body: { username: 'intruder', password: 'a-long-enough-passphrase', role: 'admin' }, status: 403 },
  ],
  'GET /api/users': [{ as: 'admin', url: '/api/users', status: 200 }],
  'PATCH /api/users/{id}': [
    { as: 'admin', url: `/api/users/${ctx.spareId()}`, body: { role: 'coordinator' }, status: 200 },
    { as: 'admin', url: `/api/users/${UNKNOWN_ID}`, body: { role: 'coordinator' }, status: 404 },
    { as: 'admin', url: `/api/users/${ctx.spareId()}`, body: {}, status: 400 },
  ],
  'POST /api/reports': [
    { as: 'monitor', url: '/api/reports', body: submitted, status: 201 },
    { as: 'monitor', url: '/api/reports', body: submitted, status: 200 },
    { as: 'monitor', url: '/api/reports', body: otherContent, status: 409 },
    { as: 'monitor', url: '/api/reports', body: { ...makeReport(), description: 'x'.repeat(17 * 1024) }, status: 413 },
    { as: 'monitor', url: '/api/reports', body: { ...makeReport(), unknownField: 1 }, status: 400 },
  ],
  'GET /api/reports': [
    { as: 'coordinator', url: '/api/reports', status: 200 },
    { as: 'monitor', url: '/api/reports?limit=1&category=shelling', status: 200 },
    { as: 'monitor', url: '/api/reports?limit=5000', status: 400 },
  ],
  'GET /api/reports/{id}': [
    { as: 'monitor', url: `/api/reports/${submitted.id}`, status: 200 },
    { as: 'coordinator', url: `/api/reports/${submitted.id}`, status: 200 },
    { as: 'monitor', url: `/api/reports/${UNKNOWN_ID}`, status: 404 },
    { as: 'monitor', url: '/api/reports/not-a-uuid', status: 404 },
  ],
  'PATCH /api/reports/{id}': [
    { as: 'coordinator', url: `/api/reports/${submitted.id}`, body: { status: 'verified', note: 'seen on camera' }, status: 200 },
    { as: 'coordinator', url: `/api/reports/${submitted.id}`, body: { status: 'pending', expectedSeq: 0 }, status: 409 },
    { as: 'monitor', url: `/api/reports/${submitted.id}`, body: { status: 'verified' }, status: 403 },
  ],
  'GET /api/reports/{id}/history': [
    { as: 'coordinator', url: `/api/reports/${submitted.id}/history`, status: 200 },
    { as: 'coordinator', url: `/api/reports/${UNKNOWN_ID}/history`, status: 404 },
    { as: 'monitor', url: `/api/reports/${submitted.id}/history`, status: 403 },
  ],
  'GET /api/audit': [
    { as: 'admin', url: '/api/audit', status: 200 },
    { as: 'coordinator', url: '/api/audit?action=report.review&limit=1', status: 200 },
    { as: 'coordinator', url: '/api/audit?action=auth.login', status: 403 },
    { as: 'admin', url: '/api/audit?limit=0', status: 400 },
    { as: 'monitor', url: '/api/audit', status: 403 },
  ],
  'GET /api/incidents': [
    { as: 'monitor', url: '/api/incidents', status: 200 },
    { as: 'coordinator', url: '/api/incidents', status: 200 },
    { as: 'monitor', url: '/api/incidents?bbox=1,2', status: 400 },
  ],
  'GET /api/areas': [{ as: 'monitor', url: '/api/areas', status: 200 }],
  'GET /api/sync': [
    { as: 'coordinator', url: '/api/sync?afterSeq=0', status: 200 },
    { as: 'monitor', url: '/api/sync?afterSeq=0&limit=10', status: 200 },
  ],
  'GET /api/export.geojson': [
    { as: 'coordinator', url: '/api/export.geojson', status: 200 },
    { as: 'monitor', url: '/api/export.geojson', status: 403 },
  ],
  'GET /api/summary': [
    { as: 'coordinator', url: '/api/summary?period=day', status: 200 },
    { as: 'coordinator', url: '/api/summary?cutoff=25:00', status: 400 },
  ],
  'GET /api/summary.csv': [{ as: 'coordinator', url: '/api/summary.csv', status: 200 }],
  'GET /api/places': [
    { as: 'monitor', url: '/api/places?q=Avdi', status: 200 },
    { as: 'monitor', url: '/api/places', status: 400 },
  ],
  // Last: it revokes the spare account's session.
  'POST /api/auth/logout': [
    { as: 'spare', url: '/api/auth/logout', status: 204 },
    { as: 'spare', url: '/api/auth/logout', status: 401 },
  ],
});

const documentedKeys = API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`);

function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim();
}

describe('the published OpenAPI description', () => {
  let server: TestServer;
  let served: Json;
  const tokens: Partial<Record<Who, string>> = {};
  let spare: TestAccount;
  // Every answer is checked against the served document and against the same document with
  // closed objects: an answer field the description does not name fails the second.
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const closed = openApiDocument({ closed: true });

  beforeAll(async () => {
    server = await startServer();
    fs.mkdirSync(path.join(server.dataDir, 'basemap'));
    fs.writeFileSync(path.join(server.dataDir, 'basemap', 'style.json'), JSON.stringify({ version: 8, sources: {}, layers: [] }));
    const [monitor, coordinator, spareAccount] = await createUsers(server, ['monitor', 'coordinator', 'monitor'] as const);
    spare = spareAccount;
    Object.assign(tokens, { monitor: monitor.token, coordinator: coordinator.token, admin: server.adminToken, spare: spare.token });
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    served = (await res.json()) as Json;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(served);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(served.openapi).toBe('3.1.0');
    expect((await new Validator().validate(closed)).valid).toBe(true);
  });

  it('is the document generated from the shared route table and schemas', () => {
    expect(served).toEqual(openApiDocument());
  });

  it('is served compressed to a client that accepts it', async () => {
    const res = await fetch(`${server.url}/api/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.json()).toEqual(served);
  });

  it('documents every /api route the server has, and nothing it does not have', () => {
    const actual = server.app
      .routes()
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`);
    const undocumented = actual.filter((key) => !documentedKeys.includes(key));
    expect(undocumented, 'routes the server answers that API_ROUTES (shared/src/contract/api-routes.ts) does not list').toEqual([]);
    expect(documentedKeys.filter((key) => !actual.includes(key)), 'documented routes the server does not have').toEqual([]);
    // The walk itself must see the routes: an express upgrade that hides them would make the check empty.
    expect(actual.length).toBeGreaterThanOrEqual(documentedKeys.length);
  });

  it('has a sample call for every documented route', () => {
    const sampled = Object.keys(SAMPLES({ spareId: () => 'x' }));
    expect(documentedKeys.filter((key) => !sampled.includes(key)), 'add samples to SAMPLES in this file').toEqual([]);
    expect(sampled.filter((key) => !documentedKeys.includes(key)), 'samples of routes API_ROUTES does not list').toEqual([]);
  });

  it('matches what the server answers on every route, for success and for cheap errors', async () => {
    const samples = SAMPLES({ spareId: () => spare.user.id });
    let checked = 0;
    for (const [key, calls] of Object.entries(samples)) {
      const [method, template] = key.split(' ') as [string, string];
      for (const call of calls) {
        const where = `${key} as ${call.as} (${call.url}) → ${call.status}`;
        const headers: Record<string, string> = { ...call.headers };
        const token = call.as === 'none' ? undefined : tokens[call.as];
        if (token) headers.authorization = `Bearer ${token}`;
        const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(`${server.url}${call.url}`, { method: call.method ?? method, headers, ...(body !== undefined ? { body } : {}) });
        const text = await res.text();
        expect(res.status, `${where}: ${text.slice(0, 300)}`).toBe(call.status);
        for (const doc of [served, closed]) {
          const operation = ((doc.paths as Json)[template] as Json)[method.toLowerCase()] as Json;
          const answer = (operation.responses as Record<string, Json>)[String(res.status)];
          expect(answer, `${where}: status not documented`).toBeDefined();
          const content = answer!.content as Record<string, { schema: Json }> | undefined;
          if (!content) {
            expect(text, `${where}: documented without a body`).toBe('');
            continue;
          }
          const type = mediaType(res.headers.get('content-type'));
          const documented = content[type] ?? content['*/*'];
          expect(documented, `${where}: content type ${type} not documented (${Object.keys(content).join(', ')})`).toBeDefined();
          if (!type.endsWith('json') || !documented!.schema || content[type] === undefined) continue;
          const validate = ajv.compile(documented!.schema);
          const valid = validate(JSON.parse(text));
          expect(valid, `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBe(Object.values(samples).flat().length);
  });
});
