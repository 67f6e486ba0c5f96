import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { HashGate } from './hash-gate.js';

// scrypt from node:crypto: memory-hard like Argon2id, with no native module to build.
// N = 2^15, r = 8 is OWASP's floor for scrypt (32 MiB, ~50 ms here); it runs on libuv's
// thread pool, so a login does not stall the event loop that serves live reports.
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MAX_MEM = 128 * 1024 * 1024;

/**
 * Every scrypt of the process passes here: 2 at a time of libuv's 4 threads, so compression
 * and file serving keep the other two; 32 wait (a team signing in at once), more are refused.
 */
export const scryptGate = new HashGate(2, 32);

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return scryptGate.run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: MAX_MEM }, (error, key) => {
          if (error) reject(error);
          else resolve(key);
        });
      }),
  );
}

/** A self-describing hash: `scrypt$N$r$p$salt$key` (base64url), so parameters can rise later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// A fixed, valid hash of a password nobody has: made without running scrypt at start.
const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;

/**
 * Spends the time of one verification on an unknown username, so response times do not
 * tell an attacker which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
