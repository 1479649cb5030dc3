// What a killed writer leaves in blobs/ (a temp file, a blob no result refers to) is removed when
// the workspace is next opened, once older than the grace period; fresh files stay.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { blobPath } from '../../../db/blobs.ts'

const temp = mkdtempSync(join(tmpdir(), 'startup-recovery-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function leftBehind(path: string, ageMs: number): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, 'partial')
  const then = new Date(Date.now() - ageMs)
  utimesSync(path, then, then)
  return path
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
}

describe('opening a workspace after a killed writer', () => {
  it('removes old temp files and unreferenced blobs, and keeps fresh ones', async () => {
    const folder = join(temp, 'ws')
    const created = new WorkbenchService(folder)
    created.listRuns()
    created.close()
    const blobs = join(folder, 'blobs')
    const hour = 60 * 60 * 1000
    const oldTemp = leftBehind(join(blobs, 'ab', '.tmp-1234-killed'), hour)
    const oldBlob = leftBehind(blobPath(blobs, 'ab'.repeat(32)), hour)
    const freshTemp = leftBehind(join(blobs, 'cd', '.tmp-5678-writing'), 0)
    const service = new WorkbenchService(folder)
    try {
      service.listRuns()
      await until(() => !existsSync(oldTemp) && !existsSync(oldBlob))
      expect(existsSync(oldTemp)).toBe(false)
      expect(existsSync(oldBlob)).toBe(false)
      expect(existsSync(freshTemp)).toBe(true)
    } finally {
      service.close()
    }
  })
})
