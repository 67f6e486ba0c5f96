import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presence, Report } from '@truceline/shared';
import { LoginLimiter } from '../../server/src/auth/login-limiter.js';
import { redisLoginLimiters } from '../../server/src/auth/redis-login-limiters.js';
import { RedisRateLimiter } from '../../server/src/ingest/redis-rate-limiter.js';
import { RedisConnectionCounts } from '../../server/src/live/redis-connection-counts.js';
import { type RedisConnection, connectRedis } from '../../server/src/redis/redis-client.js';
import { adapterErrorCount } from '../../server/src/redis/adapter-errors.js';
import { freePort } from '../support/free-port.js';
import { killRedis, startRedis } from './own-redis.js';
import { makeReport } from '../support/reports.js';
import { redisUrl, scaleOutAvailable } from '../support/scale-out-env.js';
import { type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, TRANSPORTS, connect, connectError } from '../support/sockets.js';

const available = scaleOutAvailable({ redis: true });
const silent = pino({ level: 'silent' });
const uniquePrefix = () => `t-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/** Two connections with one prefix: what two processes of one deployment share. */
async function twoProcesses(prefix = uniquePrefix()): Promise<[RedisConnection, RedisConnection]> {
  return Promise.all([connectRedis(redisUrl!, prefix, silent), connectRedis(redisUrl!, prefix, silent)]);
}

async function removeKeys(redis: RedisConnection): Promise<void> {
  const keys: string[] = [];
  for await (const key of redis.client.scanIterator({ MATCH: `${redis.prefix}:*`, COUNT: 500 })) keys.push(key);
  if (keys.length > 0) await redis.client.del(keys);
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!available)('limits shared through Redis', () => {
  let a: RedisConnection;
  let b: RedisConnection;
  beforeAll(async () => {
    [a, b] = await twoProcesses();
  });
  afterAll(async () => {
    await removeKeys(a);
    await Promise.all([a.close(), b.close()]);
  });

  it('draws every process on one token bucket per account', async () => {
    const [onA, onB] = [new RedisRateLimiter(a, 4, silent), new RedisRateLimiter(b, 4, silent)];
    const waits = [await onA.take('u1'), await onB.take('u1'), await onA.take('u1'), await onB.take('u1')];
    expect(waits).toEqual([0, 0, 0, 0]);
    // The fifth in the minute, on either process, waits for the next token: 15 s at 4 a minute.
    const refused = await onB.take('u1');
    expect(refused).toBeGreaterThan(10_000);
    expect(refused).toBeLessThanOrEqual(15_000);
    expect(await onA.take('u1')).toBeGreaterThan(10_000);
    expect(await onA.take('u2')).toBe(0);
  });

  it('counts sign-in attempts from one address over all processes', async () => {
    const [onA, onB] = [new LoginLimiter(redisLoginLimiters(a)), new LoginLimiter(redisLoginLimiters(b))];
    // 30 unsuccessful attempts in 15 minutes over any usernames, spread over both processes.
    for (let i = 0; i < 30; i++) {
      const attempt = await (i % 2 === 0 ? onA : onB).begin('203.0.113.7', `name${i}`);
      await attempt.failed();
    }
    await expect(onA.begin('203.0.113.7', 'another')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(onB.begin('203.0.113.7', 'another')).rejects.toMatchObject({ code: 'rate_limited' });
    const elsewhere = await onB.begin('203.0.113.8', 'another');
    await elsewhere.succeeded();
  });

  it('makes one name guessed from one address wait, whichever process the next guess reaches', async () => {
    const [onA, onB] = [new LoginLimiter(redisLoginLimiters(a)), new LoginLimiter(redisLoginLimiters(b))];
    // Five free failures, then the sixth sets a 30 s wait that the seventh meets on the other process.
    for (let i = 0; i < 6; i++) await (await (i % 2 === 0 ? onA : onB).begin('203.0.113.20', 'victim')).failed();
    await expect(onB.begin('203.0.113.20', 'victim')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(onA.begin('203.0.113.20', 'victim')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('counts connections per address over all processes, and forgets a dead process when its entries expire', async () => {
    let clock = Date.now();
    const now = () => clock;
    const [onA, onB] = [new RedisConnectionCounts(a, now), new RedisConnectionCounts(b, now)];
    try {
      expect(await onA.opened('198.51.100.1', '1')).toBe(1);
      expect(await onB.opened('198.51.100.1', '1')).toBe(2);
      expect(await onA.opened('198.51.100.1', '2')).toBe(3);
      expect(await onB.countOf('198.51.100.1')).toBe(3);
      onA.closed('198.51.100.1', '1');
      await until('the close to count', () => true);
      expect(await onB.countOf('198.51.100.1')).toBe(2);
      // B keeps refreshing; A "was killed" and refreshes no more: a minute later only B's counts.
      clock += 61_000;
      await onB.refresh();
      expect(await onB.countOf('198.51.100.1')).toBe(1);
    } finally {
      onA.close();
      onB.close();
    }
  });

  it('keeps limiting per process while Redis cannot be reached', async () => {
    const lost = await connectRedis(redisUrl!, uniquePrefix(), silent);
    const limiter = new RedisRateLimiter(lost, 2, silent);
    await lost.client.disconnect();
    expect([await limiter.take('u'), await limiter.take('u')]).toEqual([0, 0]);
    expect(await limiter.take('u')).toBeGreaterThan(0);
  });
});

describe.skipIf(!available).each(TRANSPORTS)('two servers sharing one Redis, over %s', (transport) => {
  let servers: TestServer[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = uniquePrefix();
  const open = async (server: TestServer, token: string, before?: (socket: ClientSocket) => void) => {
    const { socket } = await connect(server.url, token, before, { transports: [transport], upgrade: false });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    // Each with its own SQLite file: this is the fan-out and the shared limits alone; the
    // multi-process tests add the shared PostgreSQL database.
    const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, MAX_CONNECTIONS_PER_IP: '3' };
    servers = await Promise.all([startServer({ env }), startServer({ env })]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(servers.map((s) => s.close()));
    const cleaner = await connectRedis(redisUrl!, prefix, silent);
    await removeKeys(cleaner);
    await cleaner.close();
  });

  it('delivers a commit on one server to the watchers of the other, once', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const [[monitor], [coordinator]] = await Promise.all([createUsers(a, ['monitor'] as const), createUsers(b, ['coordinator'] as const)]);
    const received: Report[] = [];
    await open(b, coordinator.token, (socket) => socket.on('reports:new', (reports) => received.push(...reports)));
    const submitter = await open(a, monitor.token);
    const report = makeReport();
    expect(await submitter.emitWithAck('report:submit', report)).toMatchObject({ ok: true });
    await until('the report on the other server', () => received.some((r) => r.id === report.id));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((r) => r.id === report.id)).toHaveLength(1);
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('shows a coordinator on one server a monitor connected to the other', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const [[monitor], [coordinator]] = await Promise.all([createUsers(b, ['monitor'] as const), createUsers(a, ['coordinator'] as const)]);
    const updates: Presence[] = [];
    await open(a, coordinator.token, (socket) => socket.on('presence:update', (p) => updates.push(p)));
    const online = () => updates.at(-1)?.online.some((entry) => entry.userId === monitor.user.id) ?? false;
    const socket = await open(b, monitor.token);
    await until('the monitor to appear', online);
    socket.close();
    await until('the monitor to leave', () => !online());
    for (const s of sockets.splice(0)) s.close();
  });

  it('caps connections per address over both servers', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const [[one], [two]] = await Promise.all([createUsers(a, ['monitor'] as const), createUsers(b, ['monitor'] as const)]);
    await open(a, one.token);
    await open(b, two.token);
    await open(a, one.token);
    // The fourth connection from 127.0.0.1, on either server, is past MAX_CONNECTIONS_PER_IP=3.
    const refusal = await connectError(b.url, { token: two.token }, { transports: [transport], upgrade: false });
    expect(refusal.data).toMatchObject({ error: { code: 'rate_limited' } });
    for (const s of sockets.splice(0)) s.close();
    // Closed connections free their slots everywhere.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await open(b, two.token);
    for (const s of sockets.splice(0)) s.close();
  });
});

describe.skipIf(!available)('a server whose Redis goes away', () => {
  it('keeps delivering to its own watchers at once, counts the adapter errors, and goes on storing', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    const server = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: uniquePrefix() } });
    try {
      const [coordinator, monitor] = await createUsers(server, ['coordinator', 'monitor'] as const);
      const received: Report[] = [];
      const { socket } = await connect(server.url, coordinator.token, (s) => s.on('reports:new', (rs) => received.push(...rs)));
      await killRedis(redis);
      const errorsBefore = adapterErrorCount();
      const report = makeReport();
      const sentAt = Date.now();
      const stored = await api(server.url, 'POST', '/api/reports', { token: monitor.token, body: report });
      expect(stored.status).toBe(201);
      await until('the local watcher to get it', () => received.some((r) => r.id === report.id), 2_000);
      // Not held back until Redis answers again (it does not, in this test).
      expect(Date.now() - sentAt).toBeLessThan(2_000);
      expect(adapterErrorCount()).toBeGreaterThan(errorsBefore);
      socket.close();
    } finally {
      await server.close();
      await killRedis(redis);
    }
  });
});
