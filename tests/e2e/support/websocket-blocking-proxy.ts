import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BlockingProxy {
  /** The origin the browser opens. */
  url: string;
  /** Where requests go; set once the server it fronts is up. */
  target: URL | undefined;
  /** WebSocket upgrades refused so far, and Socket.IO long-polling requests passed on. */
  readonly counts: { upgradesRefused: number; pollingRequests: number };
  close(): Promise<void>;
}

/**
 * An HTTP proxy that refuses every WebSocket upgrade, as hotel, hospital and office proxies
 * do, and passes plain requests on unchanged (the Host header too, as a transparent proxy does).
 */
export async function startWebsocketBlockingProxy(): Promise<BlockingProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const counts = { upgradesRefused: 0, pollingRequests: 0 };
  const proxy: BlockingProxy = { url: '', target: undefined, counts, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const target = proxy.target;
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    if (req.url?.startsWith('/socket.io/')) counts.pollingRequests++;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (_req, socket) => {
    counts.upgradesRefused++;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
