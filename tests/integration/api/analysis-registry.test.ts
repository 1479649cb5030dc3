// Every registered job kind works end to end in a workspace: listed with its headline, compared
// with a baseline, exported as CSV and JSON and in bulk, and its tidy rows give the payload back.
// A kind that misses a piece in any registry fails here by name.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { headlineDeltas } from '../../../native-models/analysis/compare/headline-deltas.ts'
import { workbenchJobs } from '../../../native-models/engine/job-kinds.ts'
import { ANALYSIS_MODULES, JOB_KIND_MODULES } from '../../../electron/api/analyses/index.ts'
import { ANALYSES, JOB_KINDS } from '../../../electron/api/contract/index.ts'
import type {
  CheckpointJobBase,
  JobKind,
  ResultInfo,
} from '../../../electron/api/contract/index.ts'
import { exportBulk } from '../../../electron/api/export/bulk.ts'
import { exportData } from '../../../electron/api/export/index.ts'
import { parseTidyCsv } from '../../../electron/api/export/tidy-csv.ts'
import { payloadFromTidy, tidyValues } from '../../../electron/api/export/tidy-rows.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'analysis-registry-'))
let engine: EngineClient
let service: WorkbenchService
const checkpoints: number[] = []
/** kind → [baseline result, other result], both on the same 16 images. */
const stored = new Map<JobKind, [ResultInfo, ResultInfo]>()

function base(checkpointId: number): CheckpointJobBase {
  return {
    checkpointId,
    modelPath: null,
    dataset: idxTestImages(FMNIST_64_FOLDER, 16),
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 8,
    provider: 'cpu',
  }
}

beforeAll(async () => {
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  for (const seed of [1, 2]) {
    const path = join(temp, `resnet18-${seed}.onnx`)
    await writeSmallResNet(path, seed)
    checkpoints.push((await service.openCheckpoint(path)).id)
  }
  for (const module of JOB_KIND_MODULES) {
    const [baseline, other] = checkpoints.map((id) => module.exampleRequest(base(id)))
    stored.set(module.kind, [await service.runJob(baseline), await service.runJob(other)])
  }
}, 180_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('the analysis registries', () => {
  it('give every job kind of the contract an API module and an engine job', () => {
    const kinds = Object.keys(JOB_KINDS).sort()
    expect(JOB_KIND_MODULES.map((m) => m.kind).sort()).toEqual(kinds)
    expect(workbenchJobs().kinds.sort()).toEqual(kinds)
    expect(ANALYSIS_MODULES.map((m) => m.name).sort()).toEqual(Object.keys(ANALYSES).sort())
  })

  it('register each derived channel of the contract once', () => {
    const channels = Object.values(ANALYSES).flatMap((a) => Object.keys(a.channels))
    const derived = ANALYSIS_MODULES.flatMap((m) => m.derived.map((d) => d.channel as string))
    expect(derived.sort()).toEqual(channels.sort())
  })
})

describe.each(JOB_KIND_MODULES.map((m) => [m.kind, m] as const))('a stored %s result', (kind) => {
  const pair = (): [ResultInfo, ResultInfo] => stored.get(kind)!

  it('is listed with every headline number its kind declares', () => {
    const [baseline, other] = pair()
    const listed = service
      .listResults({ kind })
      .filter((s) => [baseline.id, other.id].includes(s.id))
    expect(listed).toHaveLength(2)
    for (const summary of listed)
      for (const field of JOB_KINDS[kind].headline)
        expect(
          Number.isFinite(summary.headline[field.key]),
          `${kind} headline '${field.key}'`,
        ).toBe(true)
  })

  it('compares with a baseline on every headline number', () => {
    const [baseline, other] = pair()
    const headline = (id: number) =>
      service.listResults({ kind }).find((s) => s.id === id)!.headline
    const fields = JOB_KINDS[kind].headline
    const rows = headlineDeltas(fields, headline(other.id), headline(baseline.id))
    expect(rows.map((r) => r.key)).toEqual(fields.map((f) => f.key))
    for (const row of rows)
      expect(row.delta).toBeCloseTo(row.value! - headline(baseline.id)[row.key], 12)
    expect(headlineDeltas(fields, headline(baseline.id), null).every((r) => r.delta === null)).toBe(
      true,
    )
  })

  it('exports its data as CSV and JSON that give the stored payload back', async () => {
    const [result] = pair()
    const csv = await exportData(service, result.id, 'csv', null)
    const [parsed] = parseTidyCsv(csv.content)
    expect(parsed.context).toMatchObject({ resultId: result.id, kind })
    expect(parsed.payload).toEqual(result.payload)
    const json = JSON.parse((await exportData(service, result.id, 'json', null)).content) as {
      payload: unknown
    }
    expect(json.payload).toEqual(result.payload)
  })

  it('takes part in the bulk export of the workspace', async () => {
    const out = join(temp, `bulk-${kind}.csv`)
    const report = await exportBulk(service, null, out)
    const results = parseTidyCsv(readFileSync(out, 'utf8'))
    expect(report.results).toBe(results.length)
    const [baseline, other] = pair()
    for (const result of [baseline, other])
      expect(results.find((r) => r.context.resultId === result.id)?.payload).toEqual(result.payload)
  })

  it('turns into tidy rows and back into the same payload', () => {
    const [result] = pair()
    expect(payloadFromTidy(kind, tidyValues(kind, result.payload))).toEqual(result.payload)
  })
})
