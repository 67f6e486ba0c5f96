// Seeded history databases, cached under /tmp by data version and size.
import fs from 'node:fs';
import path from 'node:path';
import { exited, spawnNode } from './proc.mjs';
import { SERVER_CORE } from './servers.mjs';

/** Directory of a seeded database holding `reports` reports (or a checkpoint copy of a bigger one). */
export function historyDir(ctx, total, at = total) {
  const base = path.join(ctx.cacheDir, `history-${total}`);
  return at === total ? base : `${base}-at-${at}`;
}

export function readMeta(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'bench-history.json'), 'utf8'));
}

/** Seeds (once) a history of `total` reports with copies at `checkpoints`; returns its directory. */
export async function ensureHistory(ctx, total, checkpoints) {
  const dir = historyDir(ctx, total);
  const complete = fs.existsSync(path.join(dir, 'bench-history.json')) && checkpoints.every((c) => fs.existsSync(path.join(historyDir(ctx, total, c), 'bench-history.json')));
  if (complete) return dir;
  ctx.log(`seeding ${total} reports into ${dir} (once; later runs reuse it)`);
  const child = spawnNode(
    [path.join(import.meta.dirname, '..', 'seed.mjs'), `--reports=${total}`, `--checkpoints=${checkpoints.join(',')}`, `--accounts=${ctx.accountsDir}`, `--out=${dir}`],
    { core: SERVER_CORE },
  );
  child.stdout.on('data', (d) => ctx.log(`  ${String(d).trim()}`));
  await exited(child);
  if (child.exitCode !== 0) throw new Error(`seeding failed: ${child.stderrText()}`);
  return dir;
}

/**
 * Seeds (once) a PostgreSQL template database holding `total` reports through the server's own
 * code (`seed.mjs --database`, PostgresStore), on a copy of the PostgreSQL accounts; returns
 * `{ dir, template }`: `dir` holds the accounts' file and the history's metadata.
 */
export async function ensurePgHistory(ctx, total) {
  const { createDatabase, databaseExists, dropDatabase, urlOf } = await import('./engines.mjs');
  const dir = path.join(ctx.cacheDir, `pg-history-${total}`);
  const template = `truceline_bench_history_${total}_${path.basename(ctx.cacheDir)}`;
  const metaFile = path.join(dir, 'bench-history.json');
  const accountsFile = path.join(ctx.pgAccounts.dir, 'bench-accounts.json');
  const fresh = fs.existsSync(metaFile) && fs.statSync(metaFile).mtimeMs > fs.statSync(accountsFile).mtimeMs && (await databaseExists(template));
  if (fresh) return { dir, template };
  ctx.log(`seeding ${total} reports into PostgreSQL template database ${template} (once; later runs reuse it)`);
  await dropDatabase(template);
  await createDatabase(template, ctx.pgAccounts.template);
  const t0 = performance.now();
  const child = spawnNode(
    [path.join(import.meta.dirname, '..', 'seed.mjs'), `--reports=${total}`, `--accounts=${ctx.pgAccounts.dir}`, `--out=${dir}`, `--database=${urlOf(template)}`],
    { core: SERVER_CORE },
  );
  child.stdout.on('data', (d) => ctx.log(`  ${String(d).trim()}`));
  await exited(child);
  if (child.exitCode !== 0) {
    await dropDatabase(template);
    throw new Error(`seeding PostgreSQL failed: ${child.stderrText()}`);
  }
  ctx.log(`  seeded PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { dir, template };
}
