import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './sqlite/private-files.js';

/** A backup that cannot be made or does not check out; said to the operator as is. */
export class BackupError extends Error {}

/**
 * Where a backup goes, for either engine: `dest` as a file, or a folder (existing, or written with
 * a trailing slash) that gets a dated name ending in `extension` inside. Refuses a file that
 * exists (a backup never overwrites one), makes the folder, and clears a `.partial` beside it that
 * an earlier, failed backup may have left.
 */
export function backupTarget(dest: string, extension: string): { target: string; partial: string } {
  const isDir = dest.endsWith('/') || (fs.existsSync(dest) && fs.statSync(dest).isDirectory());
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = isDir ? path.resolve(dest, `truceline-${stamp}.${extension}`) : path.resolve(dest);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists; a backup never overwrites a file`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  return { target, partial };
}

/**
 * Keeps the copy written to `partial` only if `verify` passes: then it is made private, flushed to
 * disk and renamed to `target`, so a failed backup leaves no file that looks whole.
 */
export async function keepIfVerified<V extends object>(
  partial: string,
  target: string,
  verify: () => V | Promise<V>,
): Promise<V & { path: string; bytes: number }> {
  try {
    fs.chmodSync(partial, PRIVATE_FILE_MODE);
    const verified = await verify();
    const fd = fs.openSync(partial, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(partial, target);
    return { path: target, bytes: fs.statSync(target).size, ...verified };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
