import { describe } from 'vitest';
import { freshDatabase, scaleOutAvailable } from '../../../../tests/support/scale-out-env.js';
import { describeStoreContract } from '../store-contract.js';
import { PostgresStore } from './postgres-store.js';

// Whenever DATABASE_URL is set, and always in CI (scaleOutAvailable throws there without it).
if (scaleOutAvailable({ postgres: true })) {
  describeStoreContract(
    'PostgreSQL',
    async () => {
      const db = await freshDatabase();
      return { store: await PostgresStore.open(db.url), cleanup: db.drop, openAnother: () => PostgresStore.open(db.url) };
    },
    { shared: true },
  );
} else {
  describe.skip('store contract: PostgreSQL (DATABASE_URL unset)', () => undefined);
}
