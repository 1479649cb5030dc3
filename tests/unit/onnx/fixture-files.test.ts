import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildFixtureFiles } from '../../fixtures/models/fixture-files.ts'
import { MODELS_FOLDER } from '../../fixtures/models/corpus.ts'

const MAX_COMMITTED_BYTES = 1_000_000

describe('committed model fixtures', () => {
  it('equal what make-fixtures.ts builds, byte for byte, and stay under 1 MB', async () => {
    for (const [name, bytes] of buildFixtureFiles()) {
      const committed = await readFile(path.join(MODELS_FOLDER, name))
      expect({ name, equal: Buffer.compare(committed, bytes) === 0 }).toEqual({ name, equal: true })
      expect(committed.byteLength).toBeLessThan(MAX_COMMITTED_BYTES)
    }
  })
})
