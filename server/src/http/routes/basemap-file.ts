import fs from 'node:fs';
import path from 'node:path';

/**
 * Where `relative` inside `folder` really is, as the folder's real path and the path under it,
 * when it is a regular file whose real path (symlinks resolved, the folder's own included) lies
 * inside the folder's real path; else `undefined`.
 * The basemap folder is served without a token, so a link in it (`link.json` → `/etc/passwd`)
 * must not reach anything outside it.
 */
export async function regularFileInside(folder: string, relative: string): Promise<{ root: string; file: string } | undefined> {
  // No file name holds a NUL; the file system calls would throw on it (a 500) instead of "no such file".
  if (relative.includes('\0')) return undefined;
  let root: string;
  let real: string;
  try {
    root = await fs.promises.realpath(folder);
    real = await fs.promises.realpath(path.join(folder, relative));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (!real.startsWith(root + path.sep)) return undefined;
  const stat = await fs.promises.stat(real);
  return stat.isFile() ? { root, file: path.relative(root, real) } : undefined;
}

/** Missing, not a folder on the way, or a link loop: all "no such file" to a caller. */
function isMissing(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' && 'code' in error ? error.code : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG';
}
