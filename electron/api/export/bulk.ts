import { mkdir, open } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { BulkExportReport } from '../contract/index.ts'
import type { WorkbenchService } from '../service.ts'
import { resultContexts } from './context.ts'
import { TIDY_HEADER, tidyCsvLines } from './tidy-csv.ts'

/** Every result of a run (or of the workspace) as one tidy CSV, oldest result first. */
export async function exportBulk(
  service: WorkbenchService,
  runId: number | null,
  outPath: string,
): Promise<BulkExportReport> {
  if (runId !== null) service.getRun(runId)
  const summaries = service.listResults(runId === null ? {} : { runId }).sort((a, b) => a.id - b.id)
  const contextOf = resultContexts(service)
  const path = resolve(outPath)
  await mkdir(dirname(path), { recursive: true })
  const file = await open(path, 'w')
  let rows = 0
  try {
    await file.write(TIDY_HEADER)
    for (const summary of summaries) {
      const result = service.getResult(summary.id)
      const lines = tidyCsvLines(contextOf(result), result.payload)
      await file.write(lines.text)
      rows += lines.rows
    }
  } finally {
    await file.close()
  }
  return { path, rows, results: summaries.length }
}
