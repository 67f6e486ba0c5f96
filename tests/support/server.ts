import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { type Truceline, type TrucelineOptions, createTruceline, loadConfig } from '@truceline/server';
// Test fixtures write sessions the way login does; the token scheme is the server's own.
import { hashToken, newToken } from '../../server/src/auth/tokens.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestServer {
  url: string;
  dataDir: string;
  app: Truceline;
  adminToken: string;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-test-'));
}

/**
 * A real server on a free port with a real SQLite file in a temp folder. `env` takes the
 * contract's variables (RATE_LIMIT, MAX_CONNECTIONS_PER_IP, …); submission rate limiting is off unless set.
 * The read limits (READ_RATE_LIMIT, READ_CONCURRENCY) keep their defaults: every test reading as a
 * client does shows that such reading stays under them.
 */
export async function startServer(
  options: { dataDir?: string; env?: Record<string, string>; signIn?: boolean; now?: () => number; wrapStore?: TrucelineOptions['wrapStore'] } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await createTruceline(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { now: options.now, wrapStore: options.wrapStore });
  const url = await app.listen();
  // signIn: false for servers plain fetch cannot reach (self-signed HTTPS). The admin's session
  // is written directly (see createUsers); auth.test.ts signs in through the API.
  const admin = options.signIn === false ? undefined : await app.store.findUserByName('admin');
  const adminToken = admin ? await seedSession(app, admin.id) : '';
  return { url, dataDir, app, adminToken, close: () => app.close() };
}

export async function api<T = unknown>(
  url: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. the export is checked as text by its own tests)
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export async function login(url: string, username: string, password: string): Promise<{ token: string; user: { id: string; username: string; role: string } }> {
  const res = await api<{ token: string; user: { id: string; username: string; role: string } }>(url, 'POST', '/api/auth/login', {
    body: { username, password },
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let userCounter = 0;

/** Creates an account through the admin API and signs it in. */
export async function createUser(
  server: TestServer,
  role: 'monitor' | 'coordinator' | 'admin',
  username = `${role}${++userCounter}`,
): Promise<{ token: string; user: { id: string; username: string; role: string }; password: string }> {
  const password = `password-of-${username}`;
  const res = await api(server.url, 'POST', '/api/users', { token: server.adminToken, body: { username, password, role } });
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(await login(server.url, username, password)), password };
}

/**
 * Creates accounts straight in the server's store and signs them in by writing a session the
 * way a login does (a random token; only its SHA-256 stored). Every test file needs a few
 * accounts, and the users API plus login cost two scrypt runs (~0.3 s each here) per account;
 * auth.test.ts covers that path. The accounts share the admin's password hash, so seeding runs
 * no scrypt at all, and `password` is the admin's test password.
 */
export async function createUsers<const R extends readonly ('monitor' | 'coordinator' | 'admin')[]>(
  server: TestServer,
  roles: R,
): Promise<{ [K in keyof R]: TestAccount }> {
  const { store } = server.app;
  const admin = await store.findUserByName('admin');
  if (!admin) throw new Error('the test server has no admin account');
  const accounts = await Promise.all(
    roles.map(async (role): Promise<TestAccount> => {
      const username = `${role}${++userCounter}`;
      const record = await store.createUser({ id: uuidv7(), username, passwordHash: admin.passwordHash, role, createdAtMs: Date.now() });
      const user = { id: record.id, username: record.username, role: record.role };
      return { token: await seedSession(server.app, user.id), user, password: ADMIN_PASSWORD };
    }),
  );
  return accounts as { [K in keyof R]: TestAccount };
}

/** A live session token for `userId`, written as `POST /api/auth/login` writes one. */
async function seedSession(app: Truceline, userId: string): Promise<string> {
  const token = newToken();
  await app.store.createSession({ id: uuidv7(), tokenHash: hashToken(token), userId, createdAtMs: Date.now() });
  return token;
}

/** A signed-in test account: its token, its user and the password it was made with. */
export type TestAccount = Awaited<ReturnType<typeof createUser>>;
