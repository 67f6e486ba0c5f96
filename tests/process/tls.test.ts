import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hello } from '@truceline/shared';
import { ADMIN_PASSWORD, type TestServer, startServer, tempDataDir } from '../support/server.js';

function request(url: string, ca: Buffer, body?: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { ca, method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('HTTPS with TLS_CERT and TLS_KEY', () => {
  let server: TestServer;
  let cert: Buffer;

  beforeAll(async () => {
    const dir = tempDataDir();
    const key = path.join(dir, 'key.pem');
    const crt = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', crt, '-days', '1'], { stdio: 'ignore' });
    cert = fs.readFileSync(crt);
    server = await startServer({ dataDir: dir, env: { TLS_CERT: crt, TLS_KEY: key }, signIn: false });
  });
  afterAll(() => server.close());

  it('serves the API over HTTPS with HSTS', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${server.url}/api/health`, cert);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('signs in and accepts Socket.IO over TLS', async () => {
    const signIn = await request(`${server.url}/api/auth/login`, cert, { username: 'admin', password: ADMIN_PASSWORD });
    expect(signIn.status).toBe(200);
    const { token } = JSON.parse(signIn.body) as { token: string };
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], ca: cert.toString(), reconnection: false, forceNew: true });
    try {
      const hello = await new Promise<Hello>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      expect(hello.user.username).toBe('admin');
    } finally {
      socket.close();
    }
  });
});
