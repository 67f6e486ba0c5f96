import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The engines of the scale-out configuration, for tests. `DATABASE_URL` names a PostgreSQL server
 * the tests may create databases on; `REDIS_URL` a Redis they may use. In CI (`CI=true`) both
 * must be set and reachable, and a test that needs them fails without them; locally it is
 * skipped with a loud message, so a developer without the engines still runs everything else.
 */
export const databaseUrl = process.env.DATABASE_URL;
export const redisUrl = process.env.REDIS_URL;

const inCi = process.env.CI === 'true';

/** Whether the scale-out tests run here; says loudly why not, and throws in CI where they must. */
export function scaleOutAvailable(needs: { postgres?: boolean; redis?: boolean } = { postgres: true, redis: true }): boolean {
  const missing = [needs.postgres && !databaseUrl ? 'DATABASE_URL' : undefined, needs.redis && !redisUrl ? 'REDIS_URL' : undefined].filter(
    (name): name is string => name !== undefined,
  );
  if (missing.length === 0) return true;
  const message = `scale-out tests need ${missing.join(' and ')} (PostgreSQL / Redis); `;
  if (inCi) throw new Error(`${message}CI must run them, so this is a failure. .ci/run sets them.`);
  process.stderr.write(`\n!!! SKIPPING: ${message}set them to run these tests (see README, "Scale-out").\n\n`);
  return false;
}

/**
 * A new, empty database on the `DATABASE_URL` server, dropped again by `drop()`: each test gets
 * its own, so tests run in parallel and leave nothing behind.
 */
export async function freshDatabase(prefix = 'truceline_t'): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!databaseUrl) throw new Error('freshDatabase needs DATABASE_URL');
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
