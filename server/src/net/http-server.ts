import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ApiError, ERROR_STATUS } from '@truceline/shared';
import type { Config } from '../config.js';

/**
 * A request Node's parser refuses before express sees it (a URL or headers over Node's 16 KiB,
 * a broken request line or chunk) still gets the contract's error body; Node's own answer is a
 * bare `400`/`431` with no body, a status no client of the contract knows.
 */
export function answerClientError(error: NodeJS.ErrnoException & { code?: string }, socket: Duplex): void {
  const code = error.code ?? '';
  if (!socket.writable || !code.startsWith('HPE_')) {
    // A reset, or a request that took too long (Node answers 408 itself only without this listener).
    if (socket.writable && code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    else socket.destroy();
    return;
  }
  const body: ApiError =
    code === 'HPE_HEADER_OVERFLOW'
      ? { code: 'too_large', message: 'The request line and headers are larger than 16 KiB.' }
      : { code: 'invalid', message: 'The request is not well-formed HTTP.' };
  const json = JSON.stringify({ error: body });
  const status = ERROR_STATUS[body.code];
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${json}`,
  );
}

/** The HTTP(S) server with `app` as its one request handler. */
export function createHttpServer(config: Config, app: RequestListener): http.Server {
  const server =
    config.tlsCert && config.tlsKey
      ? https.createServer({ cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey) }, app)
      : http.createServer(app);
  server.requestTimeout = 120_000;
  // Exports of years of history take a while: no overall response timeout.
  server.timeout = 0;
  server.on('clientError', answerClientError);
  return server;
}

/**
 * Every request must have exactly one owner. Socket.IO replaces the server's `request`
 * listeners with one that routes `/socket.io/` to engine.io and everything else to the
 * listeners it found; a second listener would see every request, engine.io's included, and
 * two handlers writing one response crash the process. Checked once at wiring, so a future
 * change that registers another listener fails at start instead of under a polling client.
 */
export function assertOneRequestOwner(server: http.Server): void {
  const owners = server.listeners('request').length;
  if (owners !== 1) throw new Error(`the HTTP server has ${owners} request listeners; exactly one (Socket.IO's router) may answer a request`);
}
