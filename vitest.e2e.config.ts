import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium against a real server (built client + server). Run with
// `npx vitest run --config vitest.e2e.config.ts`; the global setup builds what is missing.
export default defineConfig({
  resolve: {
    alias: {
      '@truceline/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // One browser and one server at a time: the machine has two cores.
    fileParallelism: false,
  },
});
