import { createRequire } from 'node:module';
import { passwordProblem } from '@truceline/shared';
import { AppError } from '../app-error.js';

const require = createRequire(import.meta.url);

let common: ReadonlySet<string> | undefined;

/**
 * zxcvbn-ts's list of common passwords (MIT; 49,233 entries, lower case, drawn from leaked
 * password lists), loaded on the first password set, not at start: ~40 ms and ~3 MB.
 */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize('NFC').trim().toLowerCase());
}

/** What is wrong with `password` as `username`'s new password (the rules of `PASSWORD_RULES`), or undefined. */
export function newPasswordProblem(password: string, username: string): string | undefined {
  return passwordProblem(password, username, isCommonPassword);
}

/** Throws the contract's `invalid` with an issue on `path` unless `password` meets every rule. */
export function requireGoodPassword(password: string, username: string, path: string): void {
  const problem = newPasswordProblem(password, username);
  if (problem) throw new AppError('invalid', `Invalid ${path}: ${problem}.`, [{ path, message: problem }]);
}
