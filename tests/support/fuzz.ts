import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ErrorCode } from '@truceline/shared';
import { expectErrorBody } from './errors.js';
import { makeBearingReport, makeReport } from './reports.js';
import { type TestServer, api } from './server.js';

/**
 * Run count and seed of every fuzz property: bounded for CI, `FUZZ_RUNS=5000` to try harder,
 * `FUZZ_SEED=<seed>` (with the `path` fast-check printed) to replay a failure.
 */
export function fuzzParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const replayPath = process.env.FUZZ_PATH;
  return {
    numRuns: runs,
    ...(seed !== undefined ? { seed } : {}),
    ...(replayPath !== undefined ? { path: replayPath } : {}),
    // The counterexample and the seed go into the thrown error's message, which vitest prints.
    verbose: 1,
    endOnFailure: process.env.FUZZ_SHRINK === undefined,
  };
}

/** `fc.assert` with the fuzz parameters; failures name the seed and path to replay. */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  defaultRuns: number,
): Promise<void> {
  await fc.assert(property, fuzzParameters<Ts>(defaultRuns));
}

/**
 * Names a large value in fast-check's report of a counterexample (printing it whole would
 * overflow the stack and hide the seed). The symbol key is not serialised, so it is not sent.
 */
function named<T extends object>(value: T, name: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => name, enumerable: false });
  return value;
}

/** Nested `depth` times: `[[[...]]]` or `{"a":{"a":...}}`. Built iteratively (no recursion limit here). */
export function deepNesting(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return named(value as object, `deepNesting(${depth}, '${kind}')`);
}

const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud83dz', '\udc00\ud800'];

/** A key that is hostile to plain-object handling; sent as own properties (via JSON.parse). */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' id', 'ID'];

/** Objects whose hostile keys are own properties, as a JSON decoder hands them to the server. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`) as Record<string, unknown>);

/**
 * Any value a hostile or broken client can put in a Socket.IO argument or a JSON body:
 * deep nesting, huge arrays, long strings, lone surrogates, -0, non-finite numbers, hostile
 * keys. Sizes stay under the socket's 2 MiB message cap, where the server must answer rather
 * than drop the connection.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom(...LONE_SURROGATES),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.integer({ min: 1, max: 600_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 200_000 }).map((n) => named(new Array<number>(n).fill(0), `new Array(${n}).fill(0)`)),
  fc.integer({ min: 1, max: 1500 }).chain((n) => fc.constantFrom(deepNesting(n, 'array'), deepNesting(n, 'object'))),
  hostileObject,
);

/** Socket.IO-only: binary attachments, top level or inside an object. */
export const binaryValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ ...makeReport(), description: Buffer.from(bytes) })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ ...makeReport(), location: { lon: Buffer.from(bytes), lat: 48 } })),
);

type Path = readonly string[];

const REPORT_PATHS: Path[] = [
  ['id'],
  ['category'],
  ['observedAt'],
  ['observedUntil'],
  ['location'],
  ['location', 'lon'],
  ['location', 'lat'],
  ['location', 'accuracyM'],
  ['location', 'source'],
  ['observer'],
  ['observer', 'lon'],
  ['bearing'],
  ['bearing', 'fromDeg'],
  ['bearing', 'toDeg'],
  ['bearing', 'reference'],
  ['distanceM'],
  ['distanceM', 'min'],
  ['distanceM', 'max'],
  ['assessment'],
  ['weapon'],
  ['method'],
  ['count'],
  ['countUnit'],
  ['countApprox'],
  ['casualties'],
  ['casualties', 'killed'],
  ['confidence'],
  ['description'],
  ['supersedes'],
  ['__proto__'],
  ['constructor'],
  ['unknownField'],
];

/** Values that are almost right for some field: the edges a validator gets wrong. */
const nearValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-0, 0, -1, 1.5, 360, 180.0000001, -90.0000001, 50_001, 100_001, 2 ** 53, 1e-300),
  fc.constantFrom('', ' shelling', 'SHELLING', 'shelling\u0000', '2026-02-30T10:00:00Z', '2000-01-01T00:00:00+24:00', '1999-12-31T23:59:59Z'),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0190a7f8-1d2e-7c3b-8a4f-5e6d7c8b9a0', 'true', 'gps '),
  fc.constantFrom('x'.repeat(2000), 'x'.repeat(2001), '\u{1F4A5}'.repeat(1000), '\u{1F4A5}'.repeat(1001), 'a\ud800b', '<script>alert(1)</script>'),
  hostileValue,
);

function setPath(target: Record<string, unknown>, keys: Path, value: unknown, remove: boolean): void {
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  // defineProperty, so `__proto__` becomes an own key as a JSON decoder would make it.
  if (remove) Reflect.deleteProperty(node, last);
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

/** A valid report (direct or bearing) with one field replaced by an almost-right value or removed. */
export const nearValidReport: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.boolean(), fc.constantFrom(...REPORT_PATHS), nearValue, fc.boolean())
  .map(([bearing, keys, value, remove]) => {
    const report = structuredClone(bearing ? makeBearingReport() : makeReport({ observedUntil: new Date().toISOString() })) as Record<string, unknown>;
    setPath(report, keys, value, remove);
    return report;
  });

/** What a rejected input must leave untouched: the sequence head and every table's rows. */
export interface StoreSnapshot {
  lastSeq: number;
  tables: Record<string, string>;
}

const SNAPSHOT_TABLES = ['users', 'reports', 'incidents', 'areas', 'reviews'];

/** Read from the database file by a second connection: what is on disk, not what a cache says. */
export async function snapshot(server: TestServer): Promise<StoreSnapshot> {
  const db = new Database(path.join(server.dataDir, 'truceline.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = Object.fromEntries(
      SNAPSHOT_TABLES.map((table) => [table, JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().all())]),
    );
    return { lastSeq: await server.app.store.lastSeq(), tables };
  } finally {
    db.close();
  }
}

/** The server still serves: health is ok and a fresh valid report is stored. */
export async function expectServerAlive(server: TestServer, token: string): Promise<void> {
  const health = await api(server.url, 'GET', '/api/health', { signal: AbortSignal.timeout(5000) });
  expect(health.status).toBe(200);
  const report = makeReport();
  const res = await api<{ report: { id: string } }>(server.url, 'POST', '/api/reports', { token, body: report, signal: AbortSignal.timeout(5000) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.report.id).toBe(report.id);
}

/**
 * The contract's error body with a code the input explains: `internal` (a bug: something
 * threw that the server did not expect) or `unavailable` (nothing failed underneath) fail.
 */
export function expectClientError(body: unknown): void {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  expect(['invalid', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'too_large', 'rate_limited'], JSON.stringify(body).slice(0, 500)).toContain(code);
  expectErrorBody(body, code as ErrorCode);
}
