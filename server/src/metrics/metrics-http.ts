import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { bearerMatches } from './bearer.js';

/**
 * `GET /metrics` on the main port: Prometheus text for `Authorization: Bearer <METRICS_TOKEN>`,
 * 401 otherwise. Without a token it is not there at all (404), so the web client's catch-all does
 * not answer it with the app shell either.
 */
export function metricsRoute(registry: Registry | undefined, token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!registry || token === undefined) {
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('A metrics token is required\n');
      return;
    }
    scrape(registry).then((body) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(registry.contentType).send(body);
    }, next);
  };
}

function scrape(registry: Registry): Promise<string> {
  return registry.metrics();
}

/**
 * The `METRICS_PORT` listener: `/metrics` only, on `host` (loopback by default), so a scraper on
 * the machine needs no token; with `METRICS_TOKEN` also set it asks for the token here too.
 */
export async function startMetricsServer(registry: Registry, port: number, host: string, token: string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('A metrics token is required\n');
      return;
    }
    scrape(registry).then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(body),
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
