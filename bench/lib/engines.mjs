// The storage / fan-out configurations a scenario runs on (`--engines=sqlite,pg1,pg3`):
//   sqlite — one process on its SQLite file (the embedded default);
//   pg1    — one process on PostgreSQL (DATABASE_URL) + Redis (REDIS_URL);
//   pg3    — three processes on one PostgreSQL database and one Redis, load spread over them.
// Every PostgreSQL deployment gets a database of its own (a copy of a template made once through
// the server's own code, `CREATE DATABASE … TEMPLATE`), dropped afterwards, and a REDIS_PREFIX of
// its own whose keys are deleted afterwards (never FLUSHALL: the Redis is shared).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyDataDir } from './accounts.mjs';
import { serverRequire } from './deps.mjs';
import { startTruceline } from './servers.mjs';
import { stop } from './proc.mjs';

export const ENGINES = ['sqlite', 'pg1', 'pg3'];
export const databaseUrl = process.env.DATABASE_URL;
export const redisUrl = process.env.REDIS_URL;
export const processesOf = (engine) => (engine === 'pg3' ? 3 : 1);
export const isPg = (engine) => engine !== 'sqlite';

/** The engines asked for; without `--engines`, all three when both URLs are set, else SQLite (said loudly). */
export function pickEngines(option, log) {
  const scaleOut = Boolean(databaseUrl && redisUrl);
  if (option === undefined) {
    if (scaleOut) return [...ENGINES];
    log('!!! DATABASE_URL and REDIS_URL are not both set: measuring SQLite only. Set them (e.g. DATABASE_URL=postgres://root@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379) for the pg1 and pg3 rows.');
    return ['sqlite'];
  }
  const picked = option.split(',');
  for (const e of picked) if (!ENGINES.includes(e)) throw new Error(`--engines takes ${ENGINES.join(', ')}; got ${e}`);
  if (picked.some(isPg) && !scaleOut) throw new Error('--engines=pg1/pg3 need DATABASE_URL and REDIS_URL');
  return picked;
}

const pg = () => serverRequire('pg');

/** The URL of database `name` on the DATABASE_URL server. */
export function urlOf(name) {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn(client)` on the DATABASE_URL server's own database (to create and drop others). */
const admin = (fn) => withDatabase(databaseUrl, fn);

export async function databaseExists(name) {
  return admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0);
}

/** Creates database `name` (empty, or a copy of `template`). A template just closed may still show its sessions: retried. */
export async function createDatabase(name, template) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
      return urlOf(name);
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error?.message))) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function dropDatabase(name) {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export const uniqueName = (prefix) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

/** Deletes the keys this deployment left in the shared Redis: only those under its own prefix. */
async function removeRedisKeys(prefix) {
  const { createClient } = serverRequire('redis');
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    const keys = [];
    for await (const key of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) keys.push(...(Array.isArray(key) ? key : [key]));
    for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
  } finally {
    await client.quit();
  }
}

/**
 * Starts Truceline on `engine`. `template` is a data folder (SQLite: its database is copied;
 * PostgreSQL: it holds the accounts file only) and, for PostgreSQL, `pgTemplate` the database
 * copied for this deployment. `pinned: false` leaves every process unpinned (default: the server core).
 * Returns `{ urls, url, children, pids, startMs, databaseUrl?, dataDir, stop() }`.
 */
export async function startDeployment(ctx, engine, { template, pgTemplate, dataDir, pinned = true, env = {} }) {
  // A SQLite history is large: the scenario may start the server on its own copy again (template = dataDir).
  if (path.resolve(template) !== path.resolve(dataDir)) copyDataDir(template, dataDir);
  if (!isPg(engine)) {
    const t = await startTruceline(dataDir, env, { pinned });
    return { engine, urls: [t.url], url: t.url, children: [t.child], pids: [t.child.pid], startMs: t.startMs, dataDir, stop: t.stop };
  }
  const name = uniqueName('truceline_bench');
  const url = await createDatabase(name, pgTemplate);
  const prefix = `bench-${name}`;
  const shared = { DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ...env };
  const servers = [];
  const stopAll = async () => {
    await Promise.all(servers.map((s) => stop(s.child)));
  };
  try {
    // The first process migrates the database alone; the others then start together.
    const dirOf = (i) => {
      const d = `${dataDir}-p${i}`;
      fs.mkdirSync(d, { recursive: true });
      return d;
    };
    servers.push(await startTruceline(dataDir, shared, { pinned }));
    const rest = await Promise.all(Array.from({ length: processesOf(engine) - 1 }, (_, i) => startTruceline(dirOf(i + 1), shared, { pinned })));
    servers.push(...rest);
  } catch (error) {
    await stopAll();
    await dropDatabase(name);
    throw error;
  }
  let stopped = false;
  return {
    engine,
    urls: servers.map((s) => s.url),
    url: servers[0].url,
    children: servers.map((s) => s.child),
    pids: servers.map((s) => s.child.pid),
    startMs: Math.max(...servers.map((s) => s.startMs)),
    databaseUrl: url,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
      await dropDatabase(name);
      await removeRedisKeys(prefix).catch((e) => ctx.log(`  warning: could not remove Redis keys ${prefix}:*: ${e.message}`));
      for (let i = 1; i < servers.length; i++) fs.rmSync(`${dataDir}-p${i}`, { recursive: true, force: true });
    },
  };
}

/** Runs `fn(client)` on a connection to `url` (a deployment's database). */
export async function withDatabase(url, fn) {
  const client = new (pg().Client)({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template data folder for `engine`: the SQLite accounts folder, or the PostgreSQL accounts' file beside their template database. */
export function accountsFor(ctx, engine) {
  return isPg(engine) ? ctx.pgAccounts.dir : ctx.accountsDir;
}

export const PG_ACCOUNTS_DIR = (cacheDir) => path.join(cacheDir, 'pg-accounts');
