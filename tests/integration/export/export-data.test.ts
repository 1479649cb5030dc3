import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  WeightNoiseResult,
  ActivationStatsResult,
  EvaluationResult,
  ResultInfo,
} from '../../../electron/api/contract/index.ts'
import { toIpcError } from '../../../electron/api/errors.ts'
import { exportBulk } from '../../../electron/api/export/bulk.ts'
import { exportData } from '../../../electron/api/export/index.ts'
import { TIDY_COLUMNS, parseTidyCsv } from '../../../electron/api/export/tidy-csv.ts'
import { createExportWorkspace } from './workspace.ts'
import type { ExportWorkspace } from './workspace.ts'

let ws: ExportWorkspace

beforeAll(async () => {
  ws = await createExportWorkspace()
})

afterAll(() => ws.dispose())

/** Values a result holds, counted from its payload by hand. */
function valueCount(result: ResultInfo): number {
  if (result.kind === 'evaluate') {
    const r = result.payload as EvaluationResult
    const k = r.classes.length
    // 11 interval values: confidence, resamples, seed, and a lower and upper bound of 4 numbers.
    const intervals = r.intervals ? 11 : 0
    return 5 + intervals + k + 5 * r.reliability.length + k * k + 2 * r.perClass.length
  }
  if (result.kind === 'weight-noise') {
    // 6 facts (images, seed, scope, folded, tensors, parameters) and 5 numbers per noise sample.
    return 6 + 5 * (result.payload as WeightNoiseResult).samples.length
  }
  const r = result.payload as ActivationStatsResult
  return (
    1 +
    r.taps.reduce(
      (n, t) =>
        n +
        t.shape.length +
        4 * t.mean.length +
        t.histogram.edges.length +
        t.histogram.counts.length +
        2,
      0,
    )
  )
}

const allIds = (): number[] => [...ws.evaluations, ...ws.activationStats, ...ws.weightNoise]

describe('data export', () => {
  it.each([0, 1, 2, 3, 4, 5])(
    'writes result %# as CSV that parses back to the stored payload',
    async (i) => {
      const id = allIds()[i]
      const stored = ws.service.getResult(id)
      const file = await exportData(ws.service, id, 'csv', null)
      expect(file.mimeType).toBe('text/csv')
      const [parsed, ...others] = parseTidyCsv(file.content)
      expect(others).toHaveLength(0)
      expect(parsed.context).toMatchObject({
        resultId: id,
        kind: stored.kind,
        epoch: 1,
      })
      expect(parsed.payload).toEqual(stored.payload)
    },
  )

  it('names every value in tidy columns, one row per value', async () => {
    const id = ws.evaluations[0]
    const file = await exportData(ws.service, id, 'csv', null)
    const [header, ...lines] = file.content.trimEnd().split('\n')
    expect(header).toBe(TIDY_COLUMNS.join(','))
    expect(lines).toHaveLength(valueCount(ws.service.getResult(id)))
    expect(lines).toContain(
      lines.find((l) => l.includes(',confusion_count,,T-shirt/top,Trouser,,,,')),
    )
    expect(lines.find((l) => l.includes(',top1,'))).toMatch(
      /^\d+,evaluate,epoch_1\.onnx,baseline,1,/,
    )
  })

  it('writes JSON holding the stored payload and provenance exactly', async () => {
    const id = ws.activationStats[1]
    const out = join(ws.folder, 'data', 'stats.json')
    const file = await exportData(ws.service, id, 'json', out)
    const stored = ws.service.getResult(id)
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as ResultInfo
    expect(file.path).toBe(out)
    expect(parsed.payload).toEqual(stored.payload)
    expect(parsed.provenance).toEqual(stored.provenance)
    expect(parsed).toMatchObject({
      id,
      kind: 'activation-stats',
      checkpointId: stored.checkpointId,
    })
  })

  it('refuses an unknown format and an unknown result', async () => {
    const format = await exportData(ws.service, ws.evaluations[0], 'xml' as 'csv', null).catch(
      (e: unknown) => toIpcError(e),
    )
    expect(format).toMatchObject({ code: 'INVALID_ARGUMENT' })
    const missing = await exportData(ws.service, 999, 'csv', null).catch((e: unknown) =>
      toIpcError(e),
    )
    expect(missing).toMatchObject({ code: 'NOT_IN_WORKSPACE' })
  })
})

describe('bulk export', () => {
  it('writes every result of the workspace as one tidy CSV, one row per value', async () => {
    const out = join(ws.folder, 'bulk', 'workspace.csv')
    const report = await exportBulk(ws.service, null, out)
    const expected = allIds().reduce((n, id) => n + valueCount(ws.service.getResult(id)), 0)
    expect(report).toEqual({ path: out, rows: expected, results: 6 })
    const text = readFileSync(out, 'utf8')
    expect(text.trimEnd().split('\n')).toHaveLength(expected + 1)
    const parsed = parseTidyCsv(text)
    expect(parsed.map((p) => p.context.resultId).sort()).toEqual(allIds().sort())
    for (const p of parsed)
      expect(p.payload).toEqual(ws.service.getResult(p.context.resultId).payload)
  })

  it("limits itself to one run's results", async () => {
    const out = join(ws.folder, 'bulk', 'seed0.csv')
    const report = await exportBulk(ws.service, ws.runs.seed0.id, out)
    const ids = [ws.evaluations[1], ws.activationStats[1], ws.weightNoise[1]]
    const expected = ids.reduce((n, id) => n + valueCount(ws.service.getResult(id)), 0)
    expect(report).toMatchObject({ rows: expected, results: 3 })
    expect(new Set(parseTidyCsv(readFileSync(out, 'utf8')).map((p) => p.context.run))).toEqual(
      new Set(['seed0']),
    )
  })

  it('writes only the header for a run without results', async () => {
    const out = join(ws.folder, 'bulk', 'seed1.csv')
    const report = await exportBulk(ws.service, ws.runs.seed1.id, out)
    expect(report).toMatchObject({ rows: 0, results: 0 })
    expect(readFileSync(out, 'utf8')).toBe(TIDY_COLUMNS.join(',') + '\n')
  })
})
