import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import the shared package from source, so a test run never needs a build first.
export default defineConfig({
  resolve: {
    alias: {
      '@truceline/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)),
      '@truceline/server': fileURLToPath(new URL('./server/src/app.ts', import.meta.url)),
    },
  },
  test: {
    include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
