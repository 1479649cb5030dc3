// Metric roles chosen in the app: stored with the run, over run.json's `metricRoles`, kept when
// the folder is imported again.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WorkbenchService } from '../../../electron/api/service.ts'

const temp = mkdtempSync(join(tmpdir(), 'metric-roles-'))
const folder = join(temp, 'run')
cpSync(join(import.meta.dirname, '../../fixtures/runs/metrics-only'), folder, { recursive: true })
writeFileSync(join(folder, 'run.json'), JSON.stringify({ metricRoles: { lr: 'from_run_json' } }))
const service = new WorkbenchService(join(temp, 'ws'))

afterAll(() => {
  service.close()
  rmSync(temp, { recursive: true, force: true })
})

describe('metric roles chosen in the app', () => {
  it('are stored with the run, over run.json, and survive a re-import', async () => {
    const { run } = await service.importRun(folder)
    expect(service.getRun(run.id).metricRoles).toEqual({ lr: 'from_run_json' })
    service.updateRun(run.id, { metricRoles: { 'accuracy/test': 'score', lr: 'lr_end' } })
    await service.importRun(folder)
    expect(service.getRun(run.id).metricRoles).toEqual({ 'accuracy/test': 'score', lr: 'lr_end' })
  })

  it('are refused with the fix when a role is unknown or a name is empty', () => {
    const [run] = service.listRuns()
    expect(() => service.updateRun(run.id, { metricRoles: { top5: 'x' } })).toThrow(
      /'top5' is not a metric role: use loss, accuracy/,
    )
    expect(() => service.updateRun(run.id, { metricRoles: { lr: '' } })).toThrow(
      /must name a logged series/,
    )
  })
})
