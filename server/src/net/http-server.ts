import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { Config } from '../config.js';

/** The HTTP(S) server with `app` as its one request handler. */
export function createHttpServer(config: Config, app: RequestListener): http.Server {
  const server =
    config.tlsCert && config.tlsKey
      ? https.createServer({ cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey) }, app)
      : http.createServer(app);
  server.requestTimeout = 120_000;
  // Exports of years of history take a while: no overall response timeout.
  server.timeout = 0;
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
