import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const integration = fileURLToPath(new URL('./tests/integration/', import.meta.url));
// Every integration file that opens Socket.IO connections runs a second time with long-polling
// as the only transport: a client behind a proxy that refuses websockets must get the same
// answers, acks, fan-out and refusals (`tests/support/sockets.ts` reads the variable).
const liveFiles = fs
  .readdirSync(integration)
  .filter((name) => name.endsWith('.test.ts') && fs.readFileSync(`${integration}${name}`, 'utf8').includes('support/sockets'))
  .map((name) => `tests/integration/${name}`);

// Tests import the shared package from source, so a test run never needs a build first.
export default defineConfig({
  resolve: {
    alias: {
      // The subpath first: a string alias also matches what starts with it and a slash.
      '@truceline/shared/api-description': fileURLToPath(new URL('./shared/src/api-description.ts', import.meta.url)),
      '@truceline/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)),
      '@truceline/server': fileURLToPath(new URL('./server/src/app.ts', import.meta.url)),
    },
  },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'websocket',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
          env: { TRUCELINE_TEST_TRANSPORT: 'websocket' },
        },
      },
      { extends: true, test: { name: 'polling', include: liveFiles, env: { TRUCELINE_TEST_TRANSPORT: 'polling' } } },
    ],
  },
});
