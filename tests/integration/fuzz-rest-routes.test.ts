import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '@truceline/shared';
import { type TestAccount, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { checkProperty, expectClientError, expectServerAlive, hostileObject, hostileValue, nearValidReport, snapshot } from '../support/fuzz.js';

/**
 * Every REST route, fuzzed: hostile path parameters, query strings, bodies (malformed JSON,
 * `1e309`, `-0`, deep nesting, hostile keys, huge), content types and tokens, plus near-valid
 * bodies for the routes that take one. Each answer is a success or the contract's error body
 * with its status; a refused request changes nothing stored; the server keeps serving.
 */
const RUNS = 15;
const REQUEST_TIMEOUT_MS = 10_000;

interface RouteCase {
  /** Near-valid bodies for routes that read one (any route also gets hostile ones). */
  body?: fc.Arbitrary<unknown>;
  /** Valid values for path parameters, mixed with hostile ones. */
  params?: Record<string, fc.Arbitrary<string>>;
  /** Which account's token a "signed-in" request carries; `fresh` for one that may be revoked. */
  as?: 'admin' | 'coordinator' | 'monitor' | 'fresh';
}

/** One valid object with one field changed or removed (like `nearValidReport`, for smaller bodies). */
function mutateOne(valid: () => Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid());
  return fc
    .tuple(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), fc.oneof(hostileValue, fc.constantFrom('', -0, 0, null, 'x'.repeat(5000))), fc.boolean())
    .map(([key, value, remove]) => {
      const body = valid();
      if (remove) Reflect.deleteProperty(body, key);
      else Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
      return body;
    });
}

const UUIDISH = fc.oneof(fc.uuid().map(String), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-7FFF-BFFF-FFFFFFFFFFFF'));

let ids: { report: string; user: string } = { report: '', user: '' };

const ROUTES: Record<string, RouteCase> = {
  'GET /api/health': {},
  'GET /api/basemap': {},
  'GET /api/basemap/:type-style.json': { params: { type: fc.constantFrom('raster', 'vector', 'RASTER', 'raster-vector') } },
  'GET /api/basemap/files/*file': { params: { file: fc.constantFrom('style.json', '../truceline.sqlite', '..%2F..%2Fetc%2Fpasswd', '.hidden', 'a/../../x') } },
  'GET /api/basemap/mbtiles/:name/:z/:x/:y': {
    params: { name: fc.constantFrom('region', '..', 'a.b'), z: fc.constantFrom('0', '24', '25', '-1', '1e3', '0x1'), x: fc.constantFrom('0', '9007199254740993'), y: fc.constantFrom('0', '-0') },
  },
  'POST /api/auth/login': { body: mutateOne(() => ({ username: 'admin', password: 'not-the-password' })) },
  'POST /api/auth/logout': { as: 'fresh' },
  'GET /api/me': {},
  'POST /api/me/password': { body: mutateOne(() => ({ currentPassword: 'not-the-password', newPassword: 'a-new-long-password-42' })) },
  'POST /api/users': { body: mutateOne(() => ({ username: `fuzz${Math.floor(Math.random() * 1e9)}`, password: 'a-long-enough-password', role: 'monitor' })) },
  'GET /api/users': {},
  'PATCH /api/users/:id': {
    params: { id: fc.oneof(UUIDISH, fc.constant('').map(() => ids.user)) },
    body: mutateOne(() => ({ role: 'monitor', disabled: false })),
  },
  'POST /api/reports': { body: nearValidReport, as: 'monitor' },
  'GET /api/reports': {},
  'GET /api/reports/:id': { params: { id: fc.oneof(UUIDISH, fc.constant('').map(() => ids.report)) } },
  'PATCH /api/reports/:id': {
    params: { id: fc.oneof(UUIDISH, fc.constant('').map(() => ids.report)) },
    body: mutateOne(() => ({ status: 'verified', note: 'checked', expectedSeq: 1 })),
    as: 'coordinator',
  },
  'GET /api/incidents': {},
  'GET /api/areas': {},
  'GET /api/sync': {},
  'GET /api/export.geojson': { as: 'coordinator' },
  'GET /api/summary': { as: 'coordinator' },
  'GET /api/summary.csv': { as: 'coordinator' },
  'GET /api/places': {},
  'GET /api/openapi.json': {},
  'GET /api/audit': { as: 'coordinator' },
  'GET /api/reports/:id/history': { params: { id: fc.oneof(UUIDISH, fc.constant('').map(() => ids.report)) }, as: 'coordinator' },
};

/** Path segments a router or decoder may choke on; sent as is (not encoded). */
const hostileSegment = fc.oneof(
  fc.constantFrom('%', '%zz', '%00', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '..', '.', '%2e%2e', 'a%2Fb', '%20', '~', '%F0%9F%92%A5'),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

const QUERY_KEYS = ['bbox', 'since', 'until', 'category', 'status', 'reporter', 'limit', 'cursor', 'afterSeq', 'q', 'period', 'cutoff', 'zone', '__proto__', 'constructor', 'hasOwnProperty', 'limit[]', 'bbox[0]'];

const cursorLike = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(['2026-01-01T00:00:00Z', 5]), fc.constant(['+275760-09-13T00:00:00.000Z', 'x']), fc.constant(['x', 'y']))
  .map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'));

const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-0', '1', '1000', '1001', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '1.5', '9007199254740993', 'me', 'true'),
  fc.constantFrom('37.7,48.1,37.8,48.2', '181,0,0,0', '170,-10,-170,10', '0,0,0', ',,,', '1e309,0,0,0', '-0,-0,-0,-0'),
  fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '1999-12-31T23:59:59Z', '275760-09-13T00:00:00Z', '1767225600000', 'shelling,', 'shelling,shelling', 'pending,verified', 'day', 'week', '25:00'),
  cursorLike,
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('\ud800', 'a\udfffb'),
);

/** A query string: known and hostile keys, repeated keys, and raw junk no encoder would write. */
const queryString = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { maxLength: 5 }),
    fc.constantFrom('', '&', '&&=&', '&%', '&a=%zz', '&limit=%ED%A0%80', '&=x', '&since'),
  )
  .map(([pairs, junk]) => {
    // encodeURIComponent throws on a lone surrogate; such a value goes as the escape of its UTF-8-like bytes.
    const enc = (s: string) => {
      try {
        return encodeURIComponent(s);
      } catch {
        return '%ED%A0%80';
      }
    };
    const text = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') + junk;
    return text ? `?${text}` : '';
  });

/** A raw request body: JSON of any value, JSON no parser should accept, or JSON with traps. */
const rawBody = fc.oneof(
  hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
  hostileObject.map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', '}', '{"a":}', "{'a':1}", '{"a":1,}', '[1,2', 'nul', '{"a":1e309}', '1e309', '-0', '{"a":-0}', '"\\ud800"', '{"\\u0000":1}', '\ufeff{}'),
  fc.constantFrom('{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}', '{"a":1,"a":2}'),
  fc.integer({ min: 1, max: 7000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 16 * 1024, max: 2 * 1024 * 1024 }).map((n) => JSON.stringify({ ...makeReport(), description: 'x'.repeat(n) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset',
  '',
);

type TokenChoice = 'signed-in' | 'none' | 'garbage' | 'malformed';
const tokenChoice = fc.constantFrom<TokenChoice>('signed-in', 'signed-in', 'signed-in', 'none', 'garbage', 'malformed');

describe('fuzzing every REST route', () => {
  let server: TestServer;
  let accounts: Record<'monitor' | 'coordinator' | 'admin', TestAccount>;

  beforeAll(async () => {
    server = await startServer();
    const [monitor, coordinator, target] = await createUsers(server, ['monitor', 'coordinator', 'monitor'] as const);
    accounts = { monitor, coordinator, admin: { ...monitor, token: server.adminToken } };
    const posted = await api<{ report: { id: string } }>(server.url, 'POST', '/api/reports', { token: monitor.token, body: makeReport() });
    ids = { report: posted.body.report.id, user: target.user.id };
  });
  afterAll(async () => {
    await server.close();
  });

  it('has a fuzz case for every route the server serves', () => {
    const served = server.app
      .routes()
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(served.length).toBeGreaterThan(10);
    expect(new Set(Object.keys(ROUTES))).toEqual(new Set(served));
  });

  async function tokenFor(route: RouteCase, choice: TokenChoice): Promise<Record<string, string>> {
    if (choice === 'none') return {};
    if (choice === 'garbage') return { authorization: 'Bearer not-a-token' };
    if (choice === 'malformed') return { authorization: 'Bearer \u00ff\u00fe' };
    if (route.as === 'fresh') {
      const [fresh] = await createUsers(server, ['monitor'] as const);
      return { authorization: `Bearer ${fresh.token}` };
    }
    return { authorization: `Bearer ${accounts[route.as ?? 'admin'].token}` };
  }

  for (const [key, route] of Object.entries(ROUTES)) {
    const [method, template] = key.split(' ') as [string, string];
    const params = [...template.matchAll(/[:*](\w+)/g)].map((m) => m[1] as string);
    const paramValues = fc.tuple(...params.map((name) => fc.oneof(hostileSegment, route.params?.[name] ?? hostileSegment)));
    const takesBody = method === 'POST' || method === 'PATCH';
    const body = takesBody
      ? fc.oneof(
          { weight: 2, arbitrary: rawBody.map((text) => ({ text, type: undefined as string | undefined })) },
          { weight: 3, arbitrary: (route.body ?? hostileValue).map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' as string | undefined })) },
          { weight: 1, arbitrary: fc.constant({ text: undefined as string | undefined, type: undefined as string | undefined }) },
        )
      : fc.constant({ text: undefined as string | undefined, type: undefined as string | undefined });

    it(`${key}: hostile input gets a success or the contract's error, and a refusal stores nothing`, async () => {
      await checkProperty(
        fc.asyncProperty(paramValues, queryString, body, contentType, tokenChoice, async (values, query, sent, type, auth) => {
          let path = template;
          params.forEach((name, i) => {
            path = path.replace(new RegExp(`[:*]${name}`), values[i] === '' ? 'x' : (values[i] as string));
          });
          const headers = { ...(await tokenFor(route, auth)) };
          if (sent.text !== undefined) headers['content-type'] = sent.type ?? type;
          const before = await snapshot(server);
          const res = await fetch(`${server.url}${path}${query}`, {
            method,
            headers,
            ...(sent.text !== undefined ? { body: sent.text } : {}),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = await res.text();
          const what = `${res.status} ${method} ${path.slice(0, 200)}${query.slice(0, 200)}: ${text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
            const parsed = JSON.parse(text) as { error: { code: ErrorCode } };
            expectClientError(parsed);
            expect(ERROR_STATUS[parsed.error.code], what).toBe(res.status);
            expect(await snapshot(server), what).toEqual(before);
          }
        }),
        RUNS,
      );
      await expectServerAlive(server, accounts.monitor.token);
    });
  }
});
