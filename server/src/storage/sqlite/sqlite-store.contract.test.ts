import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeStoreContract } from '../store-contract.js';
import { SqliteStore } from './sqlite-store.js';

describeStoreContract('SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-contract-'));
  return Promise.resolve({ store: SqliteStore.open(dir), cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) });
});
