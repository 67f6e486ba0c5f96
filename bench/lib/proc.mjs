// Child processes pinned to cores, health polling and RSS sampling.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** `taskset` pins a process to a core so the server and the load generator do not fight. */
export function tasksetAvailable() {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

const children = new Set();

/**
 * Spawns `node args…` pinned to `core` (when taskset exists and a core is given).
 * `ipc: true` opens Node's message channel (it survives taskset's exec).
 */
export function spawnNode(args, { core, env = {}, ipc = false, cwd, nodeArgs = [], quiet = false } = {}) {
  const node = [process.execPath, ...nodeArgs, ...args];
  const [cmd, ...rest] = core !== undefined && tasksetAvailable() ? ['taskset', '-c', String(core), ...node] : node;
  const stdio = ['ignore', quiet ? 'ignore' : 'pipe', 'pipe'];
  if (ipc) stdio.push('ipc');
  // A variable given as undefined is removed (e.g. DATABASE_URL for a SQLite server).
  const fullEnv = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
  const child = spawn(cmd, rest, { cwd, env: fullEnv, stdio });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  child.stdout?.on('data', () => {});
  child.stderrText = () => stderr;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every child this process started (on exit or failure); each by its own pid. */
export function killAll(signal = 'SIGKILL') {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child with `signal`, escalating to SIGKILL after `graceMs`. */
export async function stop(child, signal = 'SIGTERM', graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the milliseconds waited. Bounded by `timeoutMs`. */
export async function waitHealthy(url, child, timeoutMs = 120_000, everyMs = 10) {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`server exited before it was healthy:\n${child.stderrText?.() ?? ''}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - t0;
    } catch {
      // not listening yet: keep polling
    }
    await sleep(everyMs);
  }
  throw new Error(`${url} not healthy within ${timeoutMs} ms`);
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `everyMs` until `stop()`; returns {before, peak}. */
export function sampleRss(pid, everyMs = 20) {
  const before = rssBytes(pid);
  let peak = before;
  const timer = setInterval(() => {
    const now = rssBytes(pid);
    if (now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssBytes(pid);
      if (now > peak) peak = now;
      return { before, peak };
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Measures the share of one core that each of `pids` used while `work` ran. */
export async function withCpu(pids, work) {
  const before = pids.map(cpuSeconds);
  const t0 = performance.now();
  const result = await work();
  const wall = (performance.now() - t0) / 1000;
  const cpu = pids.map((pid, i) => (cpuSeconds(pid) - before[i]) / wall);
  return { result, cpu };
}
