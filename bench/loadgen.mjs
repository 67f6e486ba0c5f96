// The load generator: a separate process (pinned to its own core by run.mjs) holding every
// client socket. run.mjs drives it over Node's IPC channel, one command at a time, and gets
// measurements back. Every loop here is bounded by a count and a deadline, and every address
// it connects to or from is in 127.0.0.0/8.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { importUuid, socketIoClient } from './lib/deps.mjs';
import { makeLiveInput, rng } from './lib/front.mjs';
import { Samples, percentile } from './lib/stats.mjs';

const { io } = socketIoClient();
const { v7: uuidv7 } = await importUuid();

/** @type {Map<string, import('socket.io-client').Socket[]>} */
const pools = new Map();
const agents = new Map();

/** One keep-alive-free agent per source address: spreads sockets over 127.0.0.2, .3, … */
function agentFor(i, spread) {
  const address = `127.0.0.${2 + (i % spread)}`;
  let agent = agents.get(address);
  if (!agent) {
    agent = new http.Agent({ localAddress: address });
    agents.set(address, agent);
  }
  return agent;
}

function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`refusing to load ${host}: only 127.0.0.0/8`);
}

// ---- latency bookkeeping for fan-out: report id → submit time; watchers record arrivals.
const sentAt = new Map();
let recording;

let generation = 0;

/** Counts each report once per socket: a second copy at the same socket is a duplicate (exactly-once fan-out). */
function onReports(pool, payload, socket) {
  const rec = recording;
  if (!rec || rec.pool !== pool || !Array.isArray(payload)) return;
  const now = performance.now();
  if (socket.benchGeneration !== rec.generation) {
    socket.benchGeneration = rec.generation;
    socket.benchSeen = new Set();
  }
  for (const report of payload) {
    const t = sentAt.get(report?.id);
    if (t === undefined) continue;
    if (socket.benchSeen.has(report.id)) {
      rec.duplicates++;
      continue;
    }
    socket.benchSeen.add(report.id);
    rec.samples.push(now - t);
    rec.deliveries++;
  }
}

function emitAck(socket, event, payload, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (err, answer) => resolve(err ? { ok: false, error: { code: 'timeout' } } : answer));
  });
}

/** Templates for reports: making a fresh one costs a spread, an id and a time, not a generator run. */
function templates(seed, n = 512, spreadMs = 0) {
  const r = rng(seed);
  const now = Date.now();
  return Array.from({ length: n }, () => makeLiveInput(r, now - Math.floor(r() * spreadMs), ''));
}
function fresh(template) {
  return { ...template, id: uuidv7() };
}

const commands = {
  /** `urls`: several server processes, socket i to urls[i % urls.length] (round-robin). */
  async connect({ pool, url, urls = [url], tokens, n, spread = 16, concurrency = 64, watch = true, live }) {
    for (const u of urls) assertLoopback(u);
    const sockets = pools.get(pool) ?? [];
    pools.set(pool, sockets);
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    const one = (i) =>
      new Promise((resolve) => {
        const socket = io(urls[i % urls.length], {
          auth: live ? { token: tokens[i % tokens.length], live } : { token: tokens[i % tokens.length] },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          timeout: 60_000,
          agent: agentFor(i, spread),
        });
        if (watch) {
          socket.on('reports:new', (payload) => onReports(pool, payload, socket));
          // Every socket of the `commit` format gets each report in `commit` (a reporter also
          // gets its own just before, in `commit:own`: not counted, it would count twice).
          socket.on('commit', (message) => onReports(pool, message?.reports, socket));
        }
        socket.once('connect', () => {
          sockets.push(socket);
          resolve();
        });
        socket.once('connect_error', () => {
          failures++;
          socket.close();
          resolve();
        });
      });
    await Promise.all(
      Array.from({ length: Math.min(concurrency, n) }, async () => {
        while (next < n) await one(next++);
      }),
    );
    if (failures > 0) throw new Error(`${failures} of ${n} sockets of ${pool} failed to connect`);
    return { connected: sockets.length, ms: performance.now() - t0 };
  },

  async disconnect({ pool }) {
    for (const socket of pools.get(pool) ?? []) socket.close();
    pools.delete(pool);
    return {};
  },

  /** Steady submissions; latency from each submit to its `reports:new` at every watcher. */
  async fanout({ pool, submitPool, rate, durationMs, graceMs, seed }) {
    const watchers = pools.get(pool)?.length ?? 0;
    const submitters = pools.get(submitPool) ?? [];
    const count = Math.max(1, Math.round((rate * durationMs) / 1000));
    const rec = { pool, samples: new Samples(Math.ceil(count * watchers * 1.05) + 16), deliveries: 0, duplicates: 0, generation: ++generation };
    const acks = new Samples(count + 16);
    const bank = templates(seed);
    let acked = 0;
    let failed = 0;
    recording = rec;
    const period = 1000 / rate;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + i * period - performance.now();
      if (wait > 1) await sleep(wait);
      const input = fresh(bank[i % bank.length]);
      const t = performance.now();
      sentAt.set(input.id, t);
      submitters[i % submitters.length].emit('report:submit', input, (answer) => {
        if (answer?.ok) {
          acked++;
          acks.push(performance.now() - t);
        } else failed++;
      });
    }
    const deadline = performance.now() + graceMs;
    while ((rec.deliveries < count * watchers || acked + failed < count) && performance.now() < deadline) await sleep(10);
    recording = undefined;
    sentAt.clear();
    const sorted = rec.samples.sorted();
    const ackSorted = acks.sorted();
    return {
      sent: count,
      watchers,
      connectedAfter: (pools.get(pool) ?? []).filter((s) => s.connected).length,
      acked,
      failed,
      delivered: rec.deliveries / (count * watchers),
      duplicates: rec.duplicates,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      ackP50: percentile(ackSorted, 50),
    };
  },

  /** Closed loop: every socket submits, waits for its ack, submits again, until the deadline. */
  async ingest({ pool, durationMs, seed, keepIds = false, spreadMs = 0 }) {
    const sockets = pools.get(pool) ?? [];
    const bank = templates(seed, 4096, spreadMs);
    const lat = new Samples(1 << 18);
    const ids = [];
    const errors = {};
    let ok = 0;
    let k = 0;
    const t0 = performance.now();
    const deadline = t0 + durationMs;
    await Promise.all(
      sockets.map(async (socket) => {
        while (performance.now() < deadline) {
          const input = fresh(bank[k++ % bank.length]);
          const t = performance.now();
          const answer = await emitAck(socket, 'report:submit', input);
          if (answer?.ok) {
            ok++;
            lat.push(performance.now() - t);
            if (keepIds) ids.push(input.id);
          } else {
            const code = answer?.error?.code ?? 'unknown';
            errors[code] = (errors[code] ?? 0) + 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const sorted = lat.sorted();
    return { ok, seconds, perSecond: ok / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, ids };
  },

  /** `reports:sync` pages of 1000 from `afterSeq` until `maxReports` or the end. */
  async sync({ url, token, afterSeq = 0, maxReports }) {
    assertLoopback(url);
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    let seq = afterSeq;
    let n = 0;
    const t0 = performance.now();
    for (let pages = 0; n < maxReports && pages < 10_000; pages++) {
      const answer = await emitAck(socket, 'reports:sync', { afterSeq: seq, limit: 1000 });
      if (!answer?.reports) throw new Error(`sync failed: ${JSON.stringify(answer)}`);
      n += answer.reports.length;
      seq = answer.reports.at(-1)?.seq ?? seq;
      if (!answer.hasMore) break;
    }
    const ms = performance.now() - t0;
    socket.close();
    return { reports: n, ms, perSecond: n / (ms / 1000) };
  },

  /** `n` sequential GETs; latency of each (full body read). `bases`: the same path on several processes, round-robin. */
  async httpGets({ url, bases, token, n }) {
    const targets = bases ? bases.map((b) => `${b}${url}`) : [url];
    for (const u of targets) assertLoopback(u);
    const lat = new Samples(n);
    let items = 0;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const res = await fetch(targets[i % targets.length], { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = await res.json();
      lat.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      if (i === 0) items = (body.reports ?? body.incidents ?? body.areas ?? body.periods ?? body.tallies ?? []).length;
    }
    const sorted = lat.sorted();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), items };
  },

  /** Downloads a streamed export, counting bytes; checks it ends as a whole FeatureCollection. */
  async download({ url, token }) {
    assertLoopback(url);
    const t0 = performance.now();
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
    let bytes = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      tail = (tail + decoder.decode(chunk.subarray(Math.max(0, chunk.byteLength - 16)))).slice(-16);
    }
    const ms = performance.now() - t0;
    if (!tail.endsWith(']}\n')) throw new Error(`export did not end as a whole FeatureCollection: …${JSON.stringify(tail)}`);
    return { bytes, ms, mbPerSecond: bytes / 1e6 / (ms / 1000) };
  },
};

process.on('message', async (msg) => {
  try {
    const result = await commands[msg.cmd](msg);
    process.send({ id: msg.id, ok: true, result });
  } catch (error) {
    process.send({ id: msg.id, ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
