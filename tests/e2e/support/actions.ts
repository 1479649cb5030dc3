/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Page } from 'playwright-core'
import type {
  CheckpointInfo,
  EvaluateRequest,
  ActivationStatsRequest,
  ResultInfo,
  RunInfo,
} from '../../../electron/api/contract/index.ts'
import type { E2eApp } from './app.ts'
import { SHARED_FIXTURES } from './fixtures.ts'
import { ARTIFACTS } from './paths.ts'

export const byTestId = (id: string): string => `[data-testid="${id}"]`

/** Opens `folder` in the in-app folder browser (typed into its path field, then Go). */
export async function browseTo(page: Page, folder: string): Promise<void> {
  const picker = page.locator(byTestId('folder-picker'))
  await picker.waitFor()
  await picker.getByLabel('Path').fill(folder)
  await picker.getByLabel('Path').press('Enter')
  await picker.locator(`[role="listbox"][aria-label="${folder}"]`).waitFor()
}

/** Answers a folder pick (Open run folder…, Open workspace…) with `folder`. */
export async function pickFolder(page: Page, folder: string): Promise<void> {
  await browseTo(page, folder)
  await page.locator(byTestId('folder-picker-choose')).click()
  await page.locator(byTestId('folder-picker')).waitFor({ state: 'detached' })
}

/** Answers a model pick (Open checkpoint…) with the file at `path`. */
export async function pickModel(page: Page, path: string): Promise<void> {
  await browseTo(page, dirname(path))
  const entry = page.locator(byTestId('folder-picker-entry'), { hasText: basename(path) })
  await entry.getByRole('button', { name: 'Choose' }).click()
  await page.locator(byTestId('folder-picker')).waitFor({ state: 'detached' })
}

/** Imports the shared runs through the service (no import check) and shows them in the page. */
export async function importSharedRuns(app: E2eApp, count: 1 | 2 = 2): Promise<RunInfo[]> {
  const folders = [SHARED_FIXTURES.runSeed0, SHARED_FIXTURES.runSeed1].slice(0, count)
  const runs: RunInfo[] = []
  for (const folder of folders) {
    const report = await app.server.service.importRun(folder, undefined, { check: false })
    runs.push(report.run)
  }
  await app.page.reload()
  await app.page.locator(byTestId('library-run')).first().waitFor()
  return runs
}

export function checkpointsOf(app: E2eApp, runId: number): CheckpointInfo[] {
  return app.server.service.getRun(runId).checkpoints
}

/** Evaluates a checkpoint on the run's 64 Fashion-MNIST test images through the service. */
export function evaluateCheckpoint(app: E2eApp, checkpointId: number): Promise<ResultInfo> {
  const detail = app.server.service.listRuns()
  const run = detail.find((r) => checkpointsOf(app, r.id).some((c) => c.id === checkpointId))
  const dataset = run ? app.server.service.getRun(run.id).defaultDataset : null
  if (!dataset) throw new Error(`Checkpoint ${checkpointId} has no run with a test split.`)
  const request: EvaluateRequest = {
    kind: 'evaluate',
    checkpointId,
    modelPath: null,
    dataset,
    preprocessing: null,
    batchSize: null,
    provider: 'cpu',
  }
  return app.server.service.runJob(request)
}

/** Activation statistics of a checkpoint on the run's test images, every block and the pool. */
export function activationStats(app: E2eApp, checkpointId: number): Promise<ResultInfo> {
  const run = app.server.service
    .listRuns()
    .find((r) => checkpointsOf(app, r.id).some((c) => c.id === checkpointId))
  const dataset = run ? app.server.service.getRun(run.id).defaultDataset : null
  if (!dataset) throw new Error(`Checkpoint ${checkpointId} has no run with a test split.`)
  const request: ActivationStatsRequest = {
    kind: 'activation-stats',
    checkpointId,
    modelPath: null,
    dataset,
    preprocessing: null,
    batchSize: null,
    provider: 'cpu',
    taps: null,
    histogramSamplesPerBatch: 4096,
    histogramBins: 64,
    seed: 0,
  }
  return app.server.service.runJob(request)
}

/** Sets the CKA form's minibatch n, as typing a number and leaving the field does. */
export async function setCkaBatch(page: Page, n: number): Promise<void> {
  await page.locator(byTestId('cka-batch')).fill(String(n))
  await page.locator(byTestId('cka-batch')).dispatchEvent('change')
}

/** Waits until no element shows a loading spinner or a "Loading…" text. */
export async function waitForIdle(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('.spinner, [aria-busy="true"]') === null &&
      !/Loading[^.…]*…/.test(document.querySelector('main')?.textContent ?? ''),
    undefined,
    { timeout: 30_000 },
  )
}

export interface Downloaded {
  fileName: string
  path: string
  bytes: Buffer
}

/** Uses a chart panel's Export menu and saves the download under tests/e2e/artifacts/downloads/. */
export async function exportFromChart(
  page: Page,
  chartTestId: string,
  item: 'SVG image' | 'PNG image' | 'CSV data' | 'JSON data',
  saveAs: string,
): Promise<Downloaded> {
  const chart = page.locator(byTestId(chartTestId))
  await chart.locator('summary', { hasText: 'Export' }).click()
  const download = page.waitForEvent('download', { timeout: 30_000 })
  await chart.getByRole('menuitem', { name: item }).click()
  const file = await download
  const path = join(ARTIFACTS, 'downloads', saveAs)
  await mkdir(dirname(path), { recursive: true })
  await file.saveAs(path)
  return { fileName: file.suggestedFilename(), path, bytes: await readFile(path) }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export function isPng(bytes: Buffer): boolean {
  return bytes.length > 64 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)
}

/** An SVG document: optional XML declaration, then an <svg> root in the SVG namespace, closed. */
export function isSvg(bytes: Buffer): boolean {
  const text = bytes.toString('utf8').trimStart()
  return (
    /^(<\?xml[^>]*>\s*)?<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(text) &&
    text.trimEnd().endsWith('</svg>')
  )
}
