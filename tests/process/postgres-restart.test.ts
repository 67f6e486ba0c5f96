import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ReportInputDraft } from '@truceline/shared';
import { makeReport } from '../support/reports.js';
import { scaleOutAvailable } from '../support/scale-out-env.js';
import { api, login, tempDataDir } from '../support/server.js';
import { type PrivatePostgres, privatePostgresAvailable, startPrivatePostgres } from './private-postgres.js';
import { type ServerProcess, assertBuilt, startProcess } from './spawn.js';

const ADMIN = 'pg-restart-admin-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

// Runs where the scale-out tests run (and so always in CI), on a PostgreSQL of its own.
const run = scaleOutAvailable({ postgres: true });

describe.runIf(run)('PostgreSQL restarted under load', () => {
  let pg: PrivatePostgres;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    assertBuilt();
    if (!privatePostgresAvailable()) throw new Error('this test needs the postgresql-15 server binaries (/usr/lib/postgresql/15/bin) to run a PostgreSQL of its own');
    pg = startPrivatePostgres(await freePort());
    server = await startProcess({ DATABASE_URL: pg.url, DATA_DIR: tempDataDir(), ADMIN_PASSWORD: ADMIN, RATE_LIMIT: '0', READ_RATE_LIMIT: '0' });
    token = (await login(server.url, 'admin', ADMIN)).token;
  });
  afterAll(async () => {
    await server?.stop();
    pg?.stop();
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`loses nothing acknowledged, stores nothing twice, and serves again by itself (${mode} restart)`, async () => {
      const acked = new Map<string, Report>();
      const unacked = new Map<string, ReportInputDraft>();
      let stop = false;
      let refusedWhileDown = 0;
      const send = async (input: ReportInputDraft): Promise<boolean> => {
        try {
          const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token, body: input });
          if (res.status === 201 || res.status === 200) {
            acked.set(input.id, res.body.report);
            unacked.delete(input.id);
            return true;
          }
          expect([503, 500]).toContain(res.status);
        } catch {
          // The server itself must stay up; a failed fetch would be a failure below.
          throw new Error('the server stopped answering');
        }
        refusedWhileDown++;
        unacked.set(input.id, input);
        return false;
      };
      const lane = async () => {
        while (!stop) {
          if (!(await send(makeReport()))) await new Promise((r) => setTimeout(r, 100));
        }
      };
      const lanes = Promise.all(Array.from({ length: 4 }, lane));
      await expect.poll(() => acked.size, { timeout: 20_000 }).toBeGreaterThan(50);
      await pg.restart(mode);
      const afterRestart = acked.size;
      // Nobody restarts the server: its connections come back by themselves.
      await expect.poll(() => acked.size, { timeout: 60_000, interval: 200 }).toBeGreaterThan(afterRestart + 50);
      stop = true;
      await lanes;
      // What was refused is sent again, as an outbox would: stored once, or answered as the duplicate it is.
      for (const input of [...unacked.values()]) {
        await expect.poll(() => send(input), { timeout: 60_000, interval: 500 }).toBe(true);
      }
      expect(unacked.size).toBe(0);

      const res = await api<{ reports: Report[]; hasMore: boolean }>(server.url, 'GET', '/api/sync?limit=10000', { token });
      expect(res.status).toBe(200);
      const stored = res.body.reports;
      const ids = stored.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      const byId = new Map(stored.map((r) => [r.id, r]));
      for (const [id, report] of acked) {
        expect(byId.get(id)?.observedAt, `acknowledged report ${id} is stored`).toBe(report.observedAt);
      }
      const seqs = stored.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // The restart really interrupted something (or the test proved nothing).
      expect(refusedWhileDown, 'no submission was refused during the restart').toBeGreaterThan(0);
    });
  }
});
