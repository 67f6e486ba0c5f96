import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, api, startServer } from '../support/server.js';
import { expectHttpError } from '../support/errors.js';

/** Sends raw bytes and resolves with the whole answer once the server closes the connection. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** Requests Node's HTTP parser refuses before express: still the contract's error body. */
describe('requests refused by the HTTP parser', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('a URL over 16 KiB is too_large with the error body', async () => {
    const res = await api(server.url, 'GET', `/api/reports/${'x'.repeat(20_000)}`, { token: server.adminToken });
    expectHttpError(res, 'too_large');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('headers over 16 KiB are too_large with the error body', async () => {
    const res = await api(server.url, 'GET', '/api/health', { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expectHttpError(res, 'too_large');
  });

  it('a request line that is not HTTP is invalid with the error body', async () => {
    const answer = await rawRequest(server.url, 'GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/content-type: application\/json/i);
    expectHttpError({ status: 400, body: JSON.parse(body) }, 'invalid');
  });

  it('the server keeps serving after them', async () => {
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
  });
});
