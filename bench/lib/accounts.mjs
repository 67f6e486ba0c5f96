// A data folder holding the bench's accounts and live session tokens, made once and copied for
// every server start (password hashing is scrypt: hundreds of accounts take a while).
import fs from 'node:fs';
import path from 'node:path';
import { serverDist, serverRequire } from './deps.mjs';

export const ADMIN_PASSWORD = 'bench-admin-password';
export const ACCOUNTS_FILE = 'bench-accounts.json';

/** POSTs JSON to a bench server and returns the answer, throwing on an error status. */
export async function post(url, route, body, token) {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Makes `dir` hold a fresh database with `admin`, `monitors` monitor accounts and
 * `coordinators` coordinator accounts, each signed in once; writes their tokens to
 * `dir/bench-accounts.json` (with `env.DATABASE_URL` the accounts go to that PostgreSQL database). Sessions stay valid for SESSION_IDLE_DAYS after they were last used.
 */
export async function makeAccounts(dir, { monitors, coordinators }, env = {}) {
  const { createTruceline, loadConfig } = await serverDist('app.js');
  const { pino } = serverRequire('pino');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_PASSWORD, RATE_LIMIT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await createTruceline(config, pino({ level: 'silent' }));
  const url = await app.listen();
  try {
    const admin = await post(url, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const make = async (role, i) => {
      const username = `bench-${role}-${i}`;
      const password = `bench-password-${role}-${i}`;
      await post(url, '/api/users', { username, password, role }, admin.token);
      const login = await post(url, '/api/auth/login', { username, password });
      return { id: login.user.id, username, role, token: login.token };
    };
    const accounts = { admin: { id: admin.user.id, token: admin.token }, monitors: [], coordinators: [] };
    // scrypt runs on libuv's pool: a few at a time keep it busy without queueing hundreds.
    const jobs = [
      ...Array.from({ length: monitors }, (_, i) => ['monitor', i]),
      ...Array.from({ length: coordinators }, (_, i) => ['coordinator', i]),
    ];
    for (let i = 0; i < jobs.length; i += 8) {
      const made = await Promise.all(jobs.slice(i, i + 8).map(([role, n]) => make(role, n)));
      for (const a of made) (a.role === 'monitor' ? accounts.monitors : accounts.coordinators).push(a);
    }
    fs.writeFileSync(path.join(dir, ACCOUNTS_FILE), JSON.stringify(accounts));
    return accounts;
  } finally {
    await app.close();
  }
}

export function readAccounts(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, ACCOUNTS_FILE), 'utf8'));
}

/** Copies a template data folder (database file, no WAL after a clean close) to `to`. */
export function copyDataDir(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}
