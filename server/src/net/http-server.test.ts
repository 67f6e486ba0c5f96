import http from 'node:http';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { assertOneRequestOwner } from './http-server.js';

describe('assertOneRequestOwner', () => {
  const opened: Server[] = [];
  afterEach(async () => {
    for (const io of opened.splice(0)) await new Promise<void>((resolve) => void io.close(() => resolve()));
  });

  it('accepts a server whose app was its handler before Socket.IO attached', () => {
    const server = http.createServer((_req, res) => res.end());
    opened.push(new Server(server));
    expect(() => assertOneRequestOwner(server)).not.toThrow();
  });

  it('refuses a request listener added after Socket.IO: it would answer engine.io requests too', () => {
    const server = http.createServer();
    opened.push(new Server(server));
    server.on('request', (_req, res) => res.end());
    expect(() => assertOneRequestOwner(server)).toThrow(/2 request listeners/);
  });
});
