// Resolves the workspace packages the benchmarks borrow. pnpm keeps dependencies per package,
// so each one is required from the package that declares it (no new dependencies needed).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const fromServer = createRequire(path.join(ROOT, 'server', 'package.json'));
/** `require` as the server package sees it. */
export const serverRequire = fromServer;
const fromTests = createRequire(path.join(ROOT, 'tests', 'package.json'));

/** @returns {typeof import('socket.io')} */
export const socketIoServer = () => fromServer('socket.io');
/** @returns {typeof import('socket.io-client')} */
export const socketIoClient = () => fromTests('socket.io-client');
/** @returns {typeof import('better-sqlite3')} */
export const BetterSqlite = () => fromServer('better-sqlite3');

/** ESM-only packages: imported by resolved file URL. */
export const importUuid = () => import(pathToFileURL(fromTests.resolve('uuid')).href);
/** @returns {Promise<typeof import('lighthouse')>} */
export const importLighthouse = () => import(pathToFileURL(fromTests.resolve('lighthouse')).href);
/** @returns {Promise<typeof import('chrome-launcher')>} */
export const importChromeLauncher = () => import(pathToFileURL(fromTests.resolve('chrome-launcher')).href);
/** @returns {typeof import('playwright-core')} */
export const playwright = () => fromTests('playwright-core');

/** The production build of the server (`server/dist`), imported module by module. */
export const serverDist = (rel) => import(pathToFileURL(path.join(ROOT, 'server', 'dist', rel)).href);
export const sharedDist = () => import(pathToFileURL(path.join(ROOT, 'shared', 'dist', 'index.js')).href);

/** The server's own ingest pieces, from the production build, for seeding and grouping runs. */
export async function ingestModules() {
  const [{ v7: uuidv7 }, { ReportInput }, { SqliteStore }, { normaliseReport }, { loadIncidentIndex }, { BatchPlan }, { DEFAULT_GROUPING }] =
    await Promise.all([
      importUuid(),
      sharedDist(),
      serverDist('storage/sqlite/sqlite-store.js'),
      serverDist('ingest/normalise.js'),
      serverDist('ingest/load-index.js'),
      serverDist('ingest/batch-plan.js'),
      serverDist('grouping/index.js'),
    ]);
  return { uuidv7, ReportInput, SqliteStore, normaliseReport, loadIncidentIndex, BatchPlan, DEFAULT_GROUPING };
}
