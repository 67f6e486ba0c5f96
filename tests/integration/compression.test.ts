import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_HEADERS, type SyncResponse } from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';

// Large JSON answers travel compressed to a client that accepts it (a monitor's link is slow);
// small ones and the streamed export do not.
describe('compressed answers', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
    // ~40 reports with a description: a catch-up page well over the 16 KiB threshold.
    for (let i = 0; i < 40; i++) {
      const report = makeReport({ location: { lon: 30 + i / 10, lat: 50 }, description: `Impacts along the tree line, report ${i}.` });
      expect((await api(server.url, 'POST', '/api/reports', { token: monitor.token, body: report })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (route: string, encoding: string): Promise<Response> =>
    fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${coordinator.token}`, 'accept-encoding': encoding } });

  it.each(['br', 'gzip'])('sends a large catch-up page as %s, with the same content and headers', async (encoding) => {
    const packed = await get('/api/sync?afterSeq=0&limit=10000', encoding);
    const plain = await get('/api/sync?afterSeq=0&limit=10000', 'identity');
    expect(packed.headers.get('content-encoding')).toBe(encoding);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBeGreaterThan(16 * 1024);
    const body = (await packed.json()) as SyncResponse;
    expect(body).toEqual(await plain.json());
    expect(body.reports).toHaveLength(40);
    expect(packed.headers.get(SYNC_HEADERS.lastSeq)).toBe(String(body.lastSeq));
  });

  it('compresses the report list too, and leaves small answers as they are', async () => {
    expect((await get('/api/reports?limit=1000', 'br')).headers.get('content-encoding')).toBe('br');
    const small = await get('/api/sync?afterSeq=0&limit=1', 'br');
    expect(small.status).toBe(200);
    expect(small.headers.get('content-encoding')).toBeNull();
  });

  it('streams the export uncompressed (it must be able to abort midway)', async () => {
    const res = await get('/api/export.geojson', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(40);
  });
});
