import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the shared package, the server and the web client when a build is missing (a fresh
 * clone in CI) or when `E2E_REBUILD` is set; the browser tests run what `pnpm start` serves.
 */
export default function setup(): void {
  const missing = ['shared/dist/index.js', 'server/dist/main.js', 'client/dist/index.html'].some((f) => !fs.existsSync(path.join(root, f)));
  if (!missing && !process.env.E2E_REBUILD) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
