import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Small file systems the storage-fault tests make and remove themselves. They run as root
 * (CI does), where `chmod` cannot make a folder read-only, so a full disk is a tiny tmpfs and
 * a read-only folder is a read-only bind mount.
 */
export function canMount(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    fs.rmdirSync(probe);
  }
}

export interface Mount {
  dir: string;
  remove(): void;
}

/** A tmpfs of `size` (mount's syntax: `256k`, `2m`) at a fresh folder. */
export function tmpfs(size: string): Mount {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  return { dir, remove: () => unmount(dir) };
}

/** `source` seen read-only at a fresh folder. */
export function readOnlyView(source: string): Mount {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-ro-'));
  execFileSync('mount', ['--bind', source, dir]);
  execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
  return { dir, remove: () => unmount(dir) };
}

/** Grows (or shrinks) a tmpfs in place, keeping its files. */
export function resize(mount: Mount, size: string): void {
  execFileSync('mount', ['-o', `remount,size=${size}`, mount.dir]);
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  fs.rmdirSync(dir);
}
