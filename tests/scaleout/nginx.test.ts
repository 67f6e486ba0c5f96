import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type ManagerOptions, type SocketOptions, io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { assertBuilt, ROOT } from '../process/spawn.js';
import { CLUSTER_ADMIN_PASSWORD as ADMIN_PASSWORD, type Cluster, startCluster } from './cluster.js';
import { freshDatabase, redisUrl, scaleOutAvailable } from '../support/scale-out-env.js';
import { type ClientSocket, collect, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';
import { freePort } from '../support/free-port.js';

/**
 * Debian's nginx with exactly `deploy/nginx/truceline.conf` (docs/deploy.md) in front of three
 * built server processes on one PostgreSQL and one Redis: a monitor over websocket and a
 * coordinator over long-polling, both through nginx and on different processes, see each
 * other's work live. The file's template markers are the only thing changed (see `renderSite`).
 */
const SITE = path.join(ROOT, 'deploy/nginx/truceline.conf');
// Debian installs it in /usr/sbin, which a non-root PATH may lack.
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;

const runs = scaleOutAvailable();

/** Replaces the marked lines of the site file: one `server` line per port in each upstream, and the listen port. */
function renderSite(template: string, upstreamPorts: readonly number[], listenPort: number): string {
  const out: string[] = [];
  let inUpstream = false;
  for (const line of template.split('\n')) {
    if (line.endsWith('# truceline:upstream')) {
      // The first marked line of an upstream stands for all of them; the rest are dropped.
      if (!inUpstream) {
        const options = /server\s+\S+(.*?);\s*# truceline:upstream$/.exec(line)?.[1] ?? '';
        for (const port of upstreamPorts) out.push(`    server 127.0.0.1:${port}${options}; # truceline:upstream`);
      }
      inUpstream = true;
      continue;
    }
    inUpstream = false;
    out.push(line.endsWith('# truceline:listen') ? line.replace(/listen\s+\S+;/, `listen 127.0.0.1:${listenPort};`) : line);
  }
  return out.join('\n');
}

/** What Debian's /etc/nginx/nginx.conf gives a conf.d file, with every path under `prefix` and nginx in the foreground. */
function mainConfig(prefix: string, site: string): string {
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${site};
}
`;
}

interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawns `command`; resolves once its output matches `ready`, or at once without it. */
function launch(command: string, args: string[], env: Record<string, string>, ready?: RegExp): Promise<Child> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const started = { child, output: () => out, exited };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (ready?.test(out)) resolve(started);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    if (!ready) resolve(started);
    void exited.then((code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${out}`)));
  });
}

async function stopChild(c: Child | undefined): Promise<void> {
  if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 15_000);
  await c.exited;
  clearTimeout(timer);
}

/** Waits until nginx answers through to a process that is ready. */
async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await fetch(`${url}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/api/health never answered 200 (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function json<T>(url: string, method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await json<{ token: string }>(url, 'POST', '/api/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status}`);
  return res.body.token;
}

/**
 * A socket through nginx from the loopback address `from`: nginx hashes the client's address to
 * pick a process, and every test client would otherwise come from 127.0.0.1. The agent's
 * `localAddress` is what both of engine.io-client's Node transports (ws, and xmlhttprequest-ssl
 * for polling) connect from.
 */
async function connectFrom(url: string, token: string, transport: 'websocket' | 'polling', from: string, live: 'items' | 'commit'): Promise<ClientSocket> {
  const options = {
    auth: { token, live },
    transports: [transport],
    upgrade: false,
    reconnection: false,
    forceNew: true,
    agent: new http.Agent({ keepAlive: true, localAddress: from }),
  } as unknown as Partial<ManagerOptions & SocketOptions>;
  const socket: ClientSocket = io(url, options);
  await new Promise<void>((resolve, reject) => {
    socket.once('hello', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  expect(socket.io.engine.transport.name).toBe(transport);
  return socket;
}

/** Which process holds the sockets of `role`: read from each process's own `/metrics` (not through nginx). */
async function processesWith(urls: readonly string[], role: string): Promise<number[]> {
  const counts = await Promise.all(
    urls.map(async (url) => {
      const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text());
      let sum = 0;
      for (const match of text.matchAll(new RegExp(`^truceline_sockets\\{role="${role}",format="\\w+"\\} (\\d+)$`, 'gm'))) sum += Number(match[1]);
      return sum;
    }),
  );
  return counts.flatMap((count, i) => (count > 0 ? [i] : []));
}

/** `promise`, or a failure that names the step that did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Waits until no process has a socket of `role` (a closed socket leaves its process's count a moment later). */
async function untilNone(urls: readonly string[], role: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await processesWith(urls, role)).length > 0) {
    if (Date.now() > deadline) throw new Error(`sockets of ${role} are still counted 10 s after closing`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!runs)('three processes behind nginx with deploy/nginx/truceline.conf', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let cluster: Cluster | undefined;
  let nginx: Child | undefined;
  let prefix: string;
  let entry: string;
  let upstreams: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    database = await freshDatabase();
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-nginx-'));
    // As docs/deploy.md starts them: one database, one Redis, TRUST_PROXY=1 behind nginx.
    cluster = await startCluster({
      processes: 3,
      databaseUrl: database.url,
      redisUrl: redisUrl as string,
      env: { TRUST_PROXY: '1', METRICS_TOKEN },
    });
    upstreams = cluster.urls;
    const ports = upstreams.map((url) => Number(new URL(url).port));

    const listen = await freePort();
    const site = path.join(prefix, 'truceline.conf');
    fs.writeFileSync(site, renderSite(fs.readFileSync(SITE, 'utf8'), ports, listen));
    fs.writeFileSync(path.join(prefix, 'nginx.conf'), mainConfig(prefix, site));
    const nginxArgs = ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', 'stderr'];
    const check = await launch(NGINX, ['-t', ...nginxArgs], { PATH: process.env.PATH ?? '' }, /test is successful/);
    expect(await check.exited).toBe(0);
    // nginx prints nothing once it runs in the foreground: ready is when it answers.
    nginx = await launch(NGINX, nginxArgs, { PATH: process.env.PATH ?? '' });
    entry = `http://127.0.0.1:${listen}`;
    await untilHealthy(entry);
  }, 120_000);

  // Closed after each scenario, even one that timed out (its function may still be waiting).
  const opened: ClientSocket[] = [];
  afterEach(async () => {
    for (const socket of opened.splice(0)) socket.close();
    await untilNone(upstreams, 'monitor');
    await untilNone(upstreams, 'coordinator');
  });

  afterAll(async () => {
    await stopChild(nginx);
    await cluster?.stop();
    await database?.drop();
    if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
  });

  it('serves the API and refuses /metrics through the proxy', async () => {
    expect((await fetch(`${entry}/api/health`)).status).toBe(200);
    expect((await fetch(`${entry}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    // The processes themselves serve it, for a scraper that reaches them.
    expect((await fetch(`${upstreams[0]}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  /** Signs in (once) the monitor and the coordinator the scenarios use, created through nginx. */
  let tokens: Promise<{ monitor: string; coordinator: string }> | undefined;
  function accounts(): Promise<{ monitor: string; coordinator: string }> {
    tokens ??= (async () => {
      const admin = await signIn(entry, 'admin', ADMIN_PASSWORD);
      for (const [username, role] of [
        ['nginx-monitor', 'monitor'],
        ['nginx-coordinator', 'coordinator'],
      ] as const) {
        const created = await json(entry, 'POST', '/api/users', { username, password: `password-of-${username}`, role }, admin);
        expect(created.status).toBe(201);
      }
      return {
        monitor: await signIn(entry, 'nginx-monitor', 'password-of-nginx-monitor'),
        coordinator: await signIn(entry, 'nginx-coordinator', 'password-of-nginx-coordinator'),
      };
    })();
    return tokens;
  }

  // Each pairing from its own block of client addresses, so the two runs do not meet.
  it.each([
    { monitorOver: 'websocket', coordinatorOver: 'polling', addresses: 2 },
    { monitorOver: 'polling', coordinatorOver: 'websocket', addresses: 100 },
  ] as const)(
    'lets a monitor on $monitorOver and a coordinator on $coordinatorOver, on different processes, see each other’s work live',
    async ({ monitorOver, coordinatorOver, addresses }) => {
      const { monitor: monitorToken, coordinator: coordinatorToken } = await within(accounts(), 20_000, 'creating and signing in the accounts');
      const monitor = await within(connectFrom(entry, monitorToken, monitorOver, `127.0.0.${addresses}`, 'items'), 10_000, `the monitor connecting over ${monitorOver}`);
      opened.push(monitor);
      const monitorAt = await processesWith(upstreams, 'monitor');
      expect(monitorAt).toHaveLength(1);
      // The coordinator from one address after another until nginx's hash sends it to another process.
      let coordinator: ClientSocket | undefined;
      let coordinatorAt: number[] = [];
      for (let host = addresses + 1; host < addresses + 40 && !coordinator; host++) {
        const candidate = await within(
          connectFrom(entry, coordinatorToken, coordinatorOver, `127.0.0.${host}`, 'items'),
          10_000,
          `the coordinator connecting over ${coordinatorOver} from 127.0.0.${host}`,
        );
        coordinatorAt = await processesWith(upstreams, 'coordinator');
        if (coordinatorAt.length === 1 && coordinatorAt[0] !== monitorAt[0]) coordinator = candidate;
        else {
          candidate.close();
          await untilNone(upstreams, 'coordinator');
        }
      }
      if (!coordinator) throw new Error('no client address reached a second process through nginx');
      opened.push(coordinator);

      // The monitor's report reaches the coordinator on the other process, once.
      const arrivals = collect(coordinator, 'reports:new');
      const report = makeReport();
      expect(await within(emitAck(monitor, 'report:submit', report), 10_000, 'the submission being acknowledged')).toMatchObject({ ok: true, duplicate: false });
      await within(
        arrivals.until((reports) => reports.some((r) => r.id === report.id)),
        10_000,
        `the report reaching the coordinator on process ${coordinatorAt[0]} from the monitor's process ${monitorAt[0]}`,
      );
      // Another long-poll round, for a second copy to show up if one were sent.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(arrivals.seen.flat().filter((r) => r.id === report.id)).toHaveLength(1);

      // The coordinator's review (REST, through nginx, to whichever process) reaches the monitor.
      const updates = collect(monitor, 'report:updated');
      const reviewed = await json<{ report: Report }>(entry, 'PATCH', `/api/reports/${report.id}`, { status: 'verified' }, coordinatorToken);
      expect(reviewed.status).toBe(200);
      const update = await within(
        updates.until((r) => r.id === report.id),
        10_000,
        `the review reaching the monitor on process ${monitorAt[0]}`,
      );
      expect(update.status).toBe('verified');
      // Every long-polling request stayed on its session's process (one sent elsewhere would have ended the session).
      expect(monitor.connected && coordinator.connected).toBe(true);
      expect(await processesWith(upstreams, 'coordinator')).toEqual(coordinatorAt);
      expect(await processesWith(upstreams, 'monitor')).toEqual(monitorAt);
    },
    60_000,
  );
});
