import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Role, User } from '@truceline/shared';
import { ConfigError } from '../config.js';
import { type Store, UsernameTakenError } from '../storage/store.js';
import { newPasswordProblem } from './password-policy.js';
import { hashPassword } from './passwords.js';

export const ADMIN_PASSWORD_FILE = 'admin-password';

export type BootstrapOutcome =
  | { created: false }
  | { created: true; username: string; passwordFile?: string };

/**
 * On a database with no admin, creates `admin` with `ADMIN_PASSWORD`, or with a generated
 * password written to `DATA_DIR/admin-password` (mode 0600) so it never reaches the logs.
 * An `ADMIN_PASSWORD` that breaks a password rule is a `ConfigError` (only when it is used).
 */
export async function ensureAdmin(store: Store, dataDir: string, adminPassword: string | undefined): Promise<BootstrapOutcome> {
  if ((await store.countAdmins()) > 0) return { created: false };
  const existing = await store.findUserByName('admin');
  if (existing) {
    // An "admin" account exists but lost its role or was disabled: restore it rather than fail.
    await store.updateUser(existing.id, { role: 'admin', disabled: false }, [
      {
        atMs: Date.now(),
        actor: null,
        action: 'user.role',
        target: { type: 'user', id: existing.id },
        before: { role: existing.role, disabled: existing.disabled },
        after: { role: 'admin', disabled: false },
      },
    ]);
    return { created: false };
  }
  let password = adminPassword;
  let passwordFile: string | undefined;
  if (password !== undefined) {
    const problem = newPasswordProblem(password, 'admin');
    if (problem) throw new ConfigError(`ADMIN_PASSWORD ${problem} (it becomes the password of the new account "admin")`);
  } else {
    // 144 random bits as 24 base64url characters: within every password rule.
    password = randomBytes(18).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    passwordFile = path.join(dataDir, ADMIN_PASSWORD_FILE);
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    fs.chmodSync(passwordFile, 0o600);
  }
  try {
    await createAccount(store, 'admin', password, 'admin');
  } catch (error) {
    // Several processes starting together on one new PostgreSQL database: another one created
    // "admin" first, so this one's generated password is not the account's.
    if (!(error instanceof UsernameTakenError)) throw error;
    // Its file goes only if it still holds this password: processes may share DATA_DIR, and the
    // winner may have written its own there since.
    if (passwordFile && fs.readFileSync(passwordFile, 'utf8') === `${password}\n`) fs.rmSync(passwordFile, { force: true });
    return { created: false };
  }
  return { created: true, username: 'admin', ...(passwordFile ? { passwordFile } : {}) };
}

/** Creates an account and its `user.create` audit entry; `by` is null when no account did it (start-up, the CLI). */
export async function createAccount(store: Store, username: string, password: string, role: Role, by: User | null = null) {
  const id = uuidv7();
  const atMs = Date.now();
  return store.createUser({ id, username, passwordHash: await hashPassword(password), role, createdAtMs: atMs }, [
    {
      atMs,
      actor: by && { id: by.id, username: by.username },
      action: 'user.create',
      target: { type: 'user', id },
      after: { username, role },
    },
  ]);
}
