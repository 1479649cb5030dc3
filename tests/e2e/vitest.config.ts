import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Browser tests: Debian's Chromium (playwright-core) against the web host, one file at a time
// (each starts its own server, engine process and browser on a 2-core machine).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
})
