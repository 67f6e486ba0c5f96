import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { TRANSPORTS } from '../support/sockets.js';
import { assertBuilt, type ServerProcess, startProcess } from './spawn.js';

const run = promisify(execFile);
// Debian's interpreter, where `apt-get install python3-socketio python3-websocket python3-requests` puts the client.
const PYTHON = '/usr/bin/python3';
const CLIENT = path.join(import.meta.dirname, 'clients/python_socketio_client.py');

interface Outcome {
  connected: boolean;
  transport?: string;
  hello?: { user: { username: string }; lastSeq: number };
  ack?: { ok: boolean; duplicate: boolean; report: { id: string } };
  live?: boolean;
  synced?: string[];
  refused?: { error: { code: string } };
}

async function pythonClient(url: string, token: string, transport: string, report: unknown): Promise<Outcome> {
  const { stdout } = await run(PYTHON, [CLIENT, url, token, transport, JSON.stringify(report)], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
}

describe('python-socketio, a client Truceline did not write', () => {
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    assertBuilt();
    await run(PYTHON, ['-c', 'import socketio, websocket, requests']).catch(() => {
      throw new Error('python3-socketio is missing: apt-get install python3-socketio python3-websocket python3-requests');
    });
    server = await startProcess({ DATA_DIR: tempDataDir(), ADMIN_PASSWORD: 'admin-password-for-tests' });
    token = (await login(server.url, 'admin', 'admin-password-for-tests')).token;
  });
  afterAll(async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it.each(TRANSPORTS)('signs in, submits, sees its report live and syncs it over %s', async (transport) => {
    const report = makeReport();
    const outcome = await pythonClient(server.url, token, transport, report);
    expect(outcome).toMatchObject({ connected: true, transport, hello: { user: { username: 'admin' } }, ack: { ok: true, duplicate: false, report: { id: report.id } }, live: true });
    expect(outcome.synced).toContain(report.id);
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
  });

  it.each(TRANSPORTS)('is refused with the contract error for a bad token over %s', async (transport) => {
    const outcome = await pythonClient(server.url, 'not-a-token-but-long-enough-to-check', transport, makeReport());
    expect(outcome).toMatchObject({ connected: false, refused: { data: { error: { code: 'unauthorized' } } } });
    expect(server.child.exitCode).toBeNull();
  });
});
