import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EvaluationResult } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { closeWorkspace } from '../../../db/connection.ts'
import { saveResult } from '../../../db/queries/results.ts'
import { createTempWorkspace, sha256Of } from '../db/temp-workspace.ts'
import type { TempWorkspace } from '../db/temp-workspace.ts'

const evaluation: EvaluationResult = {
  numImages: 4,
  classes: ['a', 'b'],
  top1: 0.75,
  top5: 1,
  nll: 0.5,
  ece: 0.125,
  reliability: [],
  confusion: [
    [2, 0],
    [1, 1],
  ],
  perClass: [
    { name: 'a', count: 2, accuracy: 1 },
    { name: 'b', count: 2, accuracy: 0.5 },
  ],
}

let temp: TempWorkspace
beforeEach(async () => {
  temp = await createTempWorkspace()
})
afterEach(() => temp.dispose())

describe('headlines of results stored before schema v3', () => {
  it('are computed by the kind’s module when the service opens the workspace', () => {
    const stored = saveResult(temp.workspace.db, {
      jobId: null,
      kind: 'evaluate',
      checkpointId: null,
      datasetId: null,
      requestHash: 'old-result',
      provenance: { modelSha256: sha256Of('a') },
      payload: evaluation,
      blobs: [],
      headline: null,
    })
    closeWorkspace(temp.workspace)
    const service = new WorkbenchService(join(temp.folder, 'workspace'))
    try {
      const [summary] = service.listResults({})
      expect(summary.id).toBe(stored.id)
      expect(summary.headline).toEqual({ top1: 0.75, top5: 1, nll: 0.5, ece: 0.125, numImages: 4 })
    } finally {
      service.close()
    }
  })

  it('leave a result of a kind this version does not know without a headline', () => {
    saveResult(temp.workspace.db, {
      jobId: null,
      kind: 'from-a-later-version',
      checkpointId: null,
      datasetId: null,
      requestHash: 'unknown-kind',
      provenance: {},
      payload: { anything: 1 },
      blobs: [],
    })
    closeWorkspace(temp.workspace)
    const service = new WorkbenchService(join(temp.folder, 'workspace'))
    try {
      expect(service.listResults({}).map((s) => s.headline)).toEqual([{}])
    } finally {
      service.close()
    }
  })
})
