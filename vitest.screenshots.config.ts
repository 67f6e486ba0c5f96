import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

// `pnpm screenshots`: the README's pictures of the main screens, phone and desktop, into docs/screenshots/.
export default defineConfig({ ...e2e, test: { ...e2e.test, include: ['tests/e2e/screenshots.capture.ts'] } });
