import { z } from 'zod';
import { API_ROUTES, type ApiAnswer, type ApiRoute, errorCodesOf } from './api-routes.js';
import { ERROR_STATUS, ErrorBody, type ErrorCode } from './errors.js';
import { PROTOCOL_VERSION } from './events.js';
import { socketEventsSection } from './socket-events.js';

/** The interface's version as published: contract v1 with the v1.1 additions that have landed. */
export const API_VERSION = '1.1.0';

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  /**
   * Answers' objects are open in the published document (clients ignore fields they do not
   * know, and later versions add some); `closed` makes them refuse unknown fields, which is how
   * the tests catch a field the server sends but the description does not name.
   */
  closed?: boolean;
}

/**
 * JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a shared zod schema. Inputs are
 * described as a client writes them (before defaults and normalising), outputs as the
 * server sends them.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', options: OpenApiOptions = {}): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string; catchall?: unknown } } })._zod.def;
      // zod writes `additionalProperties: false` for every plain object it outputs; only strict
      // objects (inputs) refuse unknown keys on the wire.
      if (io === 'output' && !options.closed && def.type === 'object' && def.catchall === undefined) {
        delete ctx.jsonSchema.additionalProperties;
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function operationId(route: ApiRoute): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method, ...words].map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function parametersOf(route: ApiRoute): JsonSchema[] {
  const params: JsonSchema[] = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    description: route.params?.[name] ?? '',
    schema: { type: 'string' },
  }));
  if (route.query) {
    const query = jsonSchemaOf(route.query, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      params.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return params;
}

function answerOf(answer: ApiAnswer, options: OpenApiOptions): JsonSchema {
  const out: JsonSchema = { description: answer.description };
  if (answer.headers) {
    out.headers = Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
  }
  if (answer.schema) {
    out.content = { [answer.contentType ?? 'application/json']: { schema: jsonSchemaOf(answer.schema, 'output', options) } };
  } else if (answer.contentType) {
    out.content = { [answer.contentType]: { schema: { type: 'string' } } };
  }
  return out;
}

function errorAnswer(codes: ErrorCode[], errorSchema: JsonSchema): JsonSchema {
  const out: JsonSchema = {
    description: `Error ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: { 'application/json': { schema: errorSchema } },
  };
  if (codes.includes('rate_limited')) out.headers = { 'Retry-After': { description: 'seconds to wait', schema: { type: 'string' } } };
  return out;
}

function operationOf(route: ApiRoute, errorSchema: JsonSchema, options: OpenApiOptions): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.answers)) responses[status] = answerOf(answer, options);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) responses[String(status)] = errorAnswer(codes, errorSchema);
  const roles = Array.isArray(route.access) ? route.access : undefined;
  const op: JsonSchema = {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    // `optional`: a token may be sent; the empty requirement says none is needed.
    security: route.access === 'public' ? [] : route.access === 'optional' ? [{}, { bearer: [] }] : [{ bearer: [] }],
    'x-roles': roles ?? [],
  };
  const parameters = parametersOf(route);
  if (parameters.length > 0) op.parameters = parameters;
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } };
  op.responses = responses;
  return op;
}

/**
 * The OpenAPI 3.1 description of the HTTP interface, generated from `API_ROUTES` and the shared
 * zod schemas, with the Socket.IO events (generated from `SOCKET_EVENTS`) under
 * `x-socketio-events`. Served at `GET /api/openapi.json`.
 */
export function openApiDocument(options: OpenApiOptions = {}, routes: readonly ApiRoute[] = API_ROUTES): JsonSchema {
  const errorSchema = jsonSchemaOf(ErrorBody, 'output', options);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operationOf(route, errorSchema, options);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Truceline API',
      version: API_VERSION,
      summary: 'Real-time collaborative map for reporting ceasefire violations.',
      description:
        'Every error body is `{error: {code, message, issues?, retryAfterMs?}}`. Times in answers are RFC 3339 UTC. Answers may gain fields: clients ignore fields they do not know. See docs/api.md in the repository for the rules behind each route.',
    },
    servers: [{ url: '/', description: 'the server that served this document' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The `token` of `POST /api/auth/login`.' },
      },
    },
    paths,
    'x-socketio-events': socketEventsSection(PROTOCOL_VERSION, (schema, io) => jsonSchemaOf(schema, io, options)),
  };
}
