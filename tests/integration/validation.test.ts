import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, Report, ReportInputDraft } from '@truceline/shared';
import { type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, emitAck } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { expectAckError, expectErrorBody } from '../support/errors.js';
import { isoSeconds, minutesAgo } from '../support/time.js';

/**
 * One malformed submission: `body` is sent as JSON over REST and as the socket payload;
 * `raw` is sent as the HTTP body text as is and, parsed, over the socket (so keys like
 * `__proto__` arrive as own properties, exactly as an attacker would send them).
 */
interface Case {
  name: string;
  code: ErrorCode;
  body?: unknown;
  raw?: string;
}

const valid = (overrides: Partial<ReportInputDraft> = {}) => makeReport(overrides);
const withField = (key: string, value: unknown) => ({ ...makeReport(), [key]: value });
const without = (...keys: (keyof ReportInputDraft)[]) =>
  Object.fromEntries(Object.entries(makeBearingReport()).filter(([k]) => !keys.includes(k as keyof ReportInputDraft)));
const at = minutesAgo(60);
const rawWith = (extra: string) => JSON.stringify(makeReport()).replace(/}$/, `,${extra}}`);

const CASES: Case[] = [
  // wrong types
  { name: 'category as a number', code: 'invalid', body: withField('category', 5) },
  { name: 'observedAt as epoch milliseconds', code: 'invalid', body: withField('observedAt', at) },
  { name: 'location as a string', code: 'invalid', body: withField('location', '48.14,37.75') },
  { name: 'countApprox as a string', code: 'invalid', body: valid({ countApprox: 'yes' as unknown as boolean }) },
  { name: 'negative casualties', code: 'invalid', body: valid({ casualties: { killed: -1, injured: 0 } }) },
  { name: 'a missing id', code: 'invalid', body: (({ id: _id, ...rest }) => rest)(makeReport()) },
  { name: 'a missing method', code: 'invalid', body: (({ method: _m, ...rest }) => rest)(makeReport()) },
  // coordinates
  { name: 'longitude 181', code: 'invalid', body: valid({ location: { lon: 181, lat: 48 } }) },
  { name: 'latitude -91', code: 'invalid', body: valid({ location: { lon: 37, lat: -91 } }) },
  { name: 'observer longitude -180.5', code: 'invalid', body: makeBearingReport({ observer: { lon: -180.5, lat: 48 } }) },
  { name: 'longitude "NaN" as a string', code: 'invalid', body: withField('location', { lon: 'NaN', lat: 48 }) },
  { name: 'latitude "Infinity" as a string', code: 'invalid', body: withField('location', { lon: 37, lat: 'Infinity' }) },
  { name: 'longitude 1e400 (Infinity once parsed)', code: 'invalid', raw: JSON.stringify(makeReport()).replace(/"lon":[^,}]+/, '"lon":1e400') },
  // where it was
  { name: 'no location and no bearing parts', code: 'invalid', body: without('observer', 'bearing', 'distanceM') },
  { name: 'an observer and distance without a bearing', code: 'invalid', body: without('bearing') },
  { name: 'an observer and bearing without a distance', code: 'invalid', body: without('distanceM') },
  { name: 'a bearing and distance without an observer', code: 'invalid', body: without('observer') },
  // times
  { name: 'observedUntil before observedAt', code: 'invalid', body: valid({ observedAt: isoSeconds(at), observedUntil: isoSeconds(at - 1000) }) },
  { name: 'a window over 24 h', code: 'invalid', body: valid({ observedAt: isoSeconds(at - 25 * 3_600_000), observedUntil: isoSeconds(at) }) },
  { name: 'observedAt 10 minutes in the future', code: 'invalid', body: valid({ observedAt: isoSeconds(Date.now() + 10 * 60_000) }) },
  { name: 'observedAt before 2000', code: 'invalid', body: valid({ observedAt: '1999-12-31T23:59:59Z' }) },
  { name: 'a time without seconds', code: 'invalid', body: valid({ observedAt: '2026-01-10T10:00Z' }) },
  { name: 'a time without an offset', code: 'invalid', body: valid({ observedAt: '2026-01-10T10:00:00' }) },
  { name: 'a date only', code: 'invalid', body: valid({ observedAt: '2026-01-10' }) },
  { name: 'February 30th', code: 'invalid', body: valid({ observedAt: '2026-02-30T10:00:00Z' }) },
  { name: 'hour 24', code: 'invalid', body: valid({ observedAt: '2026-01-10T24:00:00Z' }) },
  // description
  { name: 'a description of 2001 characters', code: 'invalid', body: valid({ description: 'x'.repeat(2001) }) },
  { name: 'U+0000 in the description', code: 'invalid', body: valid({ description: 'before\u0000after' }) },
  { name: 'a lone surrogate in the description', code: 'invalid', body: valid({ description: 'broken \ud800 text' }) },
  { name: 'a body over 16 KiB', code: 'too_large', body: valid({ description: 'x'.repeat(17 * 1024) }) },
  // shape
  { name: 'an unknown field', code: 'invalid', body: withField('severity', 'high') },
  { name: 'an unknown field inside location', code: 'invalid', body: withField('location', { lon: 37, lat: 48, alt: 200 }) },
  { name: 'a "__proto__" key', code: 'invalid', raw: rawWith('"__proto__":{"isAdmin":true}') },
  { name: 'a "__proto__" key inside location', code: 'invalid', raw: JSON.stringify(makeReport()).replace('"location":{', '"location":{"__proto__":{"x":1},') },
  { name: 'a "constructor" key', code: 'invalid', raw: rawWith('"constructor":{"prototype":{"isAdmin":true}}') },
  // bearings and distances
  { name: 'a sector wider than 180°', code: 'invalid', body: makeBearingReport({ bearing: { fromDeg: 10, toDeg: 200, reference: 'true' } }) },
  { name: 'a bearing of 360°', code: 'invalid', body: makeBearingReport({ bearing: { fromDeg: 360, toDeg: 360, reference: 'true' } }) },
  { name: 'a negative bearing', code: 'invalid', body: makeBearingReport({ bearing: { fromDeg: -5, toDeg: 5, reference: 'true' } }) },
  { name: 'distance min > max', code: 'invalid', body: makeBearingReport({ distanceM: { min: 3000, max: 2000 } }) },
  { name: 'distance max over 50000', code: 'invalid', body: makeBearingReport({ distanceM: { min: 1000, max: 50_001 } }) },
  { name: 'distance min 0', code: 'invalid', body: makeBearingReport({ distanceM: { min: 0, max: 100 } }) },
  // counts
  { name: 'count 0', code: 'invalid', body: valid({ count: 0 }) },
  { name: 'count 1.5', code: 'invalid', body: valid({ count: 1.5 }) },
  { name: 'count 100001', code: 'invalid', body: valid({ count: 100_001 }) },
  // enums and ids
  { name: 'an unknown category', code: 'invalid', body: withField('category', 'nuclear') },
  { name: 'an unknown method', code: 'invalid', body: withField('method', 'psychic') },
  { name: 'an unknown bearing reference', code: 'invalid', body: makeBearingReport({ bearing: { fromDeg: 1, toDeg: 2, reference: 'grid' as 'true' } }) },
  { name: 'an unknown location source', code: 'invalid', body: withField('location', { lon: 37, lat: 48, source: 'guess' }) },
  { name: 'an unknown weapon', code: 'invalid', body: withField('weapon', 'trebuchet') },
  { name: 'a category in another letter case', code: 'invalid', body: withField('category', 'Shelling') },
  { name: 'an id that is not a UUID', code: 'invalid', body: withField('id', 'report-1') },
  { name: 'a UUID with a trailing character', code: 'invalid', body: withField('id', `${makeReport().id}x`) },
  { name: 'supersedes that is not a UUID', code: 'invalid', body: withField('supersedes', 'earlier') },
  // not a report at all
  { name: 'a body that is not JSON', code: 'invalid', raw: '{"id": "oops", category: shelling' },
  { name: 'an array body', code: 'invalid', body: [makeReport()] },
  { name: 'a JSON string body', code: 'invalid', raw: '"a report"' },
  { name: 'null', code: 'invalid', raw: 'null' },
];

describe('malformed reports', () => {
  let server: TestServer;
  let token: string;
  let submitter: ClientSocket;
  let watcher: ClientSocket;
  let seen: ReturnType<typeof collect<'reports:new'>>;

  beforeAll(async () => {
    server = await startServer();
    const [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
    token = monitor.token;
    submitter = (await connect(server.url, token)).socket;
    watcher = (await connect(server.url, coordinator.token)).socket;
    seen = collect(watcher, 'reports:new');
  });
  afterAll(async () => {
    submitter.close();
    watcher.close();
    await server.close();
  });

  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  const storedCount = async () => (await api<{ reports: Report[] }>(server.url, 'GET', '/api/reports', { token })).body.reports.length;

  it.each(CASES)('answers $name with $code over REST and the socket, and stores nothing', async ({ code, body, raw }) => {
    // Counted before, so a case that slips through fails alone rather than every case after it.
    const before = await storedCount();
    const res = await api(server.url, 'POST', '/api/reports', raw !== undefined ? { token, rawBody: raw } : { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(code === 'invalid' ? 400 : 413);
    expectErrorBody(res.body, code);
    if (code === 'invalid' && raw === undefined && !Array.isArray(body)) {
      // A schema failure names where: at least one issue with a path a form can point at.
      const issues = (res.body as { error: { issues?: unknown[] } }).error.issues;
      expect(issues?.length).toBeGreaterThan(0);
    }

    let payload: unknown = body;
    if (raw !== undefined) {
      try {
        payload = JSON.parse(raw);
      } catch {
        payload = raw;
      }
    }
    const ack = await emitAck(submitter, 'report:submit', payload as ReportInputDraft);
    expectAckError(ack, code);

    expect(await storedCount()).toBe(before);
  });

  it('stored and broadcast nothing for any of them', async () => {
    expect(await storedCount()).toBe(0);
    const marker = makeReport();
    expect(await emitAck(submitter, 'report:submit', marker)).toMatchObject({ ok: true });
    await seen.until((batch) => batch.some((r) => r.id === marker.id));
    expect(seen.seen.map((batch) => batch.map((r) => r.id))).toEqual([[marker.id]]);
  });
});
