import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { assertBuilt, runCli, startProcess } from './spawn.js';

describe('the server as a process', () => {
  beforeAll(() => assertBuilt());

  it('generates an admin password into DATA_DIR/admin-password (0600) on first start and prints where', async () => {
    const dataDir = tempDataDir();
    const server = await startProcess({ DATA_DIR: dataDir });
    try {
      const file = path.join(dataDir, 'admin-password');
      expect(server.output()).toContain(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const password = fs.readFileSync(file, 'utf8').trim();
      expect((await login(server.url, 'admin', password)).user.role).toBe('admin');
      expect(server.output()).not.toContain(password);
    } finally {
      await server.stop();
    }
  });

  it('adds a user from the command line, who can then sign in', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123' };
    const server = await startProcess(env);
    try {
      const made = await runCli(['add-user', 'Olena', 'coordinator'], { DATA_DIR: dataDir }, 'a-long-password-1\n');
      expect(made.output).toContain('created coordinator "Olena"');
      expect(made.code).toBe(0);
      expect((await login(server.url, 'olena', 'a-long-password-1')).user.role).toBe('coordinator');
      const again = await runCli(['add-user', 'OLENA', 'monitor'], { DATA_DIR: dataDir }, 'another-password-2\n');
      expect(again.code).toBe(1);
      expect(again.output).toContain('taken');
      const weak = await runCli(['add-user', 'petro', 'monitor'], { DATA_DIR: dataDir }, 'short\n');
      expect(weak.code).toBe(2);
      expect(weak.output).toContain('password');
    } finally {
      await server.stop();
    }
  });

  it('on SIGTERM stops accepting, exits 0, and keeps every acknowledged report', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123' };
    const first = await startProcess(env);
    const { token } = await login(first.url, 'admin', 'admin-password-123');
    const reports = Array.from({ length: 20 }, () => makeReport());
    const answers = await Promise.all(reports.map((body) => api(first.url, 'POST', '/api/reports', { token, body })));
    expect(answers.map((a) => a.status)).toEqual(reports.map(() => 201));
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startProcess(env);
    try {
      const again = await login(second.url, 'admin', 'admin-password-123');
      const list = await api<{ reports: { id: string }[] }>(second.url, 'GET', '/api/reports?limit=1000', { token: again.token });
      expect(new Set(list.body.reports.map((r) => r.id))).toEqual(new Set(reports.map((r) => r.id)));
    } finally {
      await second.stop();
    }
  });

  it('refuses to start on a bad setting, saying which', async () => {
    await expect(startProcess({ DATA_DIR: tempDataDir(), PORT: 'eighty' })).rejects.toThrow(/PORT must be a whole number/);
    await expect(startProcess({ DATA_DIR: tempDataDir(), DATABASE_URL: 'mysql://x' })).rejects.toThrow(/DATABASE_URL/);
  });
});
