import fs from 'node:fs';

/**
 * `DATA_DIR` holds password hashes, session token hashes and every report: only the server's
 * own user may read it. Modes are set on each file rather than through `process.umask` (a
 * process-wide setting a library must not change). SQLite creates `-wal` and `-shm` with the
 * database file's mode (`os_unix.c`: `findCreateFileMode`, and `fchmod` past the umask), so
 * creating the database 0600 makes them 0600 too; files left wider by an older version are
 * tightened at open.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) 0700. An existing folder keeps the mode its operator gave it. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `file` empty with mode 0600 unless it exists (SQLite takes an empty file as a new database). */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Takes group and other access away from `file`, if it exists and has any. */
export function tightenFile(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch (error) {
    if (error !== null && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** A warning for the operator when others may list or enter `dir`, else `undefined`. */
export function widerDirWarning(dir: string): string | undefined {
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `DATA_DIR ${dir} has mode 0${mode.toString(8)}: other users can list it (its files are 0600); chmod 700 it unless that is meant`;
}
