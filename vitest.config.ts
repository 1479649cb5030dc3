import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Renderer modules under test import pure analysis code as the bundler resolves it.
const resolve = {
  alias: { '@analysis': fileURLToPath(new URL('native-models/analysis', import.meta.url)) },
}

// ORT sessions spawn their own threads: keep test files from oversubscribing the 2-core machine.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
    ],
  },
})
