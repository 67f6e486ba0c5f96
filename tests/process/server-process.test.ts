import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { connect, disconnected } from '../support/sockets.js';
import { expectHttpError } from '../support/errors.js';
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

  it('changes a password from the command line: the old one and every session stop working, live sockets drop at the next check', async () => {
    const dataDir = tempDataDir();
    const server = await startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123', SESSION_CHECK_SECONDS: '1' });
    try {
      expect((await runCli(['add-user', 'Olena', 'monitor'], { DATA_DIR: dataDir }, 'a-long-password-1\n')).code).toBe(0);
      const session = await login(server.url, 'olena', 'a-long-password-1');
      const { socket } = await connect(server.url, session.token);
      const gone = disconnected(socket);

      const weak = await runCli(['passwd', 'olena'], { DATA_DIR: dataDir }, '1234567890\n');
      expect(weak.code).toBe(2);
      expect(weak.output).toContain('common');
      const nobody = await runCli(['passwd', 'nobody'], { DATA_DIR: dataDir }, 'a-long-password-2\n');
      expect(nobody.code).toBe(1);

      const changed = await runCli(['passwd', 'olena'], { DATA_DIR: dataDir }, 'a-long-password-2\n');
      expect(changed.output).toContain('changed the password of "Olena"; signed out 1 session');
      expect(changed.code).toBe(0);
      expectHttpError(await api(server.url, 'GET', '/api/me', { token: session.token }), 'unauthorized');
      // The CLI cannot reach the server's sockets; the server's own re-check drops them.
      expect(await gone).toBe('io server disconnect');
      socket.close();
      expectHttpError(
        await api(server.url, 'POST', '/api/auth/login', { body: { username: 'olena', password: 'a-long-password-1' } }),
        'unauthorized',
      );
      expect((await login(server.url, 'olena', 'a-long-password-2')).user.username).toBe('Olena');
    } finally {
      await server.stop();
    }
  });

  it('refuses to start with an ADMIN_PASSWORD that breaks a password rule, exit 2, naming the rule', async () => {
    await expect(startProcess({ DATA_DIR: tempDataDir(), ADMIN_PASSWORD: 'x' })).rejects.toThrow(
      /exited with 2[\s\S]*ADMIN_PASSWORD must be at least 10 characters/,
    );
    await expect(startProcess({ DATA_DIR: tempDataDir(), ADMIN_PASSWORD: '1234567890' })).rejects.toThrow(/exited with 2[\s\S]*ADMIN_PASSWORD is one of the most common/);
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
