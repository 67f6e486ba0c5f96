import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { describeDatabase, postgresStartError } from './postgres/start-error.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * The store the configuration names (decision 9): PostgreSQL when `DATABASE_URL` is set (any
 * number of processes on one database), else the embedded SQLite file in `DATA_DIR`. Start-up
 * faults reject with a message that says what to do; `main.ts` prints it and exits 1.
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePoolSize'>>, log?: Logger): Promise<Store> {
  if (config.databaseUrl === undefined) return SqliteStore.open(config.dataDir);
  const url = config.databaseUrl;
  let store: PostgresStore;
  try {
    store = await PostgresStore.open(url, { poolSize: config.databasePoolSize });
  } catch (error) {
    throw postgresStartError(error, url);
  }
  log?.info({ database: describeDatabase(url) }, 'storing in PostgreSQL');
  return store;
}
