import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, api, startServer } from '../support/server.js';
import { makeBearingReport, makeReport } from '../support/reports.js';

const hasOgrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgrinfo && process.env.CI) throw new Error('ogrinfo (Debian gdal-bin) is required in CI: .ci/run installs it');
if (!hasOgrinfo) console.warn('\n*** ogrinfo not found: the GDAL export test is SKIPPED (apt-get install gdal-bin) ***\n');

describe.skipIf(!hasOgrinfo)('the GeoJSON export in GDAL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('opens with ogrinfo with one feature per report and the contract attributes', async () => {
    const bodies = [
      makeReport({ description: 'Quotes " and \\ backslashes,\nnew lines, кирилиця, emoji 💥' }),
      makeBearingReport({ count: 12, countApprox: true, casualties: { killed: 0, injured: 2 } }),
      ...Array.from({ length: 30 }, (_, i) => makeReport({ location: { lon: 37 + i / 10, lat: 48 } })),
    ];
    for (const body of bodies) {
      expect((await api(server.url, 'POST', '/api/reports', { token: server.adminToken, body })).status).toBe(201);
    }
    const res = await fetch(`${server.url}/api/export.geojson`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const file = path.join(server.dataDir, 'export.geojson');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Feature Count: ${bodies.length}\\b`));
    expect(info).toMatch(/Geometry: Point/);
    for (const field of ['category', 'observedAt', 'killed', 'bearingFromDeg', 'distanceMaxM', 'incidentId']) {
      expect(info).toContain(`${field}: `);
    }
  });
});
