/// <reference lib="dom" />
// README's "Walkthrough", step by step, in the browser. Keep the step titles in sync with README.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo, RunInfo } from '../../electron/api/contract/index.ts'
import {
  byTestId,
  exportFromChart,
  isPng,
  isSvg,
  pickFolder,
  setCkaBatch,
} from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { SHARED_FIXTURES } from './support/fixtures.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let run: RunInfo
let checkpoints: CheckpointInfo[]

beforeAll(async () => {
  app = await startApp('walkthrough')
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const checkpointOf = (epoch: number): CheckpointInfo => checkpoints.find((c) => c.epoch === epoch)!

/** Clicks a checkpoint of the run in the library (expanding the run first). */
async function openCheckpointFromLibrary(epoch: number): Promise<void> {
  const page = app.page
  const row = page.locator(byTestId('library-checkpoint'), { hasText: `epoch ${epoch}` })
  if (!(await row.isVisible())) await page.locator(byTestId('library-run-toggle')).first().click()
  await row.click()
  await page.locator(byTestId('checkpoint-view')).waitFor()
  await expect
    .poll(() => page.locator(byTestId('checkpoint-title')).textContent())
    .toContain(`epoch ${epoch}`)
}

/** Evaluate… on the open checkpoint page, then Start with the launcher's proposals. */
async function evaluateWithDefaults(): Promise<void> {
  const page = app.page
  await page.locator(byTestId('checkpoint-evaluate')).click()
  await page.locator(byTestId('launcher')).waitFor()
  await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
  await page.locator(byTestId('launcher-start')).click()
}

describe('README walkthrough', () => {
  it('1. Start: a new workspace shows four actions', async () => {
    const page = app.page
    await page.locator(byTestId('first-run')).waitFor()
    const labels = [
      'Open run folder…',
      'Open checkpoint…',
      'Add dataset…',
      'Create example workspace',
    ]
    for (const label of labels)
      await page.locator(byTestId('first-run')).getByRole('button', { name: label }).waitFor()
  })

  it('2. Import a run: Open run folder… and pick a folder with epoch_N.onnx files', async () => {
    const page = app.page
    await page.getByRole('button', { name: 'Open run folder…' }).click()
    await pickFolder(page, SHARED_FIXTURES.runSeed0)
    // The run appears in the library on the left with its checkpoints …
    const libraryRun = page.locator(byTestId('library-run'), { hasText: 'fmnist-resnet18-seed0' })
    await libraryRun.waitFor({ timeout: 60_000 })
    run = app.server.service.listRuns()[0]
    checkpoints = app.server.service.getRun(run.id).checkpoints
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3])
    await page.locator(byTestId('library-run-toggle')).first().click()
    await expect.poll(() => page.locator(byTestId('library-checkpoint')).count()).toBe(3)
    // … its page draws the training curves.
    await libraryRun.click()
    await page
      .locator(`${byTestId('run-chart-loss')} canvas`)
      .first()
      .waitFor()
    await screenshotThemes(page, 'walkthrough-2-run')
  })

  it('3. Evaluate: a checkpoint, Evaluate…, the launcher’s proposals, Start, the result', async () => {
    const page = app.page
    await openCheckpointFromLibrary(3)
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    // The launcher proposes the run's test split, a seeded sample of 1000 images and an automatic
    // batch size, and shows the estimated time.
    const dataset = page.locator(byTestId('dataset-select'))
    expect(await dataset.locator('option:checked').textContent()).toMatch(
      /test split of fmnist-resnet18-seed0/,
    )
    expect(await page.locator(byTestId('launcher-sample-count')).inputValue()).toBe('1000')
    expect(await page.locator(byTestId('launcher-batch-size')).inputValue()).toBe('')
    await expect
      .poll(() => page.locator(byTestId('launcher-estimate')).textContent())
      .toMatch(/about \d/)
    await page.locator(byTestId('launcher-start')).click()
    // When the job is done its result opens, with the provenance panel and Delete / Recompute.
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 60_000 })
    for (const id of ['headline-top1', 'headline-top5', 'headline-nll', 'headline-ece'])
      expect(await page.locator(byTestId(id)).textContent()).toMatch(/\d/)
    for (const chart of ['chart-reliability', 'chart-confusion', 'chart-per-class'])
      await page.locator(byTestId(chart)).waitFor()
    for (const field of [
      'prov-model-sha256',
      'prov-dataset-path',
      'prov-preprocessing',
      'prov-provider-requested',
      'prov-parameters',
      'prov-app-version',
    ])
      expect(await page.locator(byTestId(field)).textContent()).not.toBe('')
    await page.locator(byTestId('result-delete')).waitFor()
    await page.locator(byTestId('result-recompute')).waitFor()
    await screenshotThemes(page, 'walkthrough-3-result')
  })

  it('4. Compare two checkpoints: pin a baseline, evaluate another, compare with deltas', async () => {
    const page = app.page
    await openCheckpointFromLibrary(3)
    await page.locator(byTestId('checkpoint-pin')).click()
    await page.locator(byTestId('baseline-chip')).waitFor()
    await openCheckpointFromLibrary(1)
    await evaluateWithDefaults()
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 60_000 })
    await page.locator(byTestId('nav-compare')).click()
    const other = checkpointOf(1).id
    await page.locator(byTestId(`compare-checkpoints-checkpoint-${other}`)).click()
    await page.locator(byTestId(`delta-top1-${other}`)).waitFor()
    for (const chart of ['reliability', 'per-class', 'confusion'])
      expect(await page.locator(`[data-testid*="${chart}"]`).count(), chart).toBeGreaterThan(0)
    await screenshotThemes(page, 'walkthrough-4-compare')
    await page.locator(byTestId('compare-difference')).check()
  })

  it('5. Cancel a job: Cancel in the jobs panel; the job shows cancelled and nothing is stored', async () => {
    const page = app.page
    const resultsBefore = app.server.service.listResults({}).map((r) => r.id)
    await openCheckpointFromLibrary(2)
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    // A long evaluation: 20 000 images, every one of them.
    await page.locator(byTestId('dataset-add-toggle')).click()
    await page.locator(byTestId('dataset-add-path')).fill(SHARED_FIXTURES.noiseIdx)
    await page.locator(byTestId('dataset-add')).click()
    await expect
      .poll(() => page.locator(byTestId('dataset-path')).first().textContent())
      .toContain(SHARED_FIXTURES.noiseIdx)
    await page.locator(byTestId('launcher-all-images')).check()
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('jobs-toggle')).click()
    const panel = page.locator(byTestId('jobs-panel'))
    const running = panel.locator('[data-job-row][data-status="running"]')
    await running.locator('[data-testid^="job-eta-"]').waitFor({ timeout: 60_000 })
    const jobId = Number((await running.getAttribute('data-testid'))?.replace('job-row-', ''))
    await running.getByRole('button', { name: 'Cancel' }).click()
    const row = panel.locator(byTestId(`job-row-${jobId}`))
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled')
    expect(await panel.locator(byTestId(`job-status-${jobId}`)).textContent()).toBe('cancelled')
    expect(app.server.service.listJobs().find((j) => j.id === jobId)).toMatchObject({
      status: 'cancelled',
      resultId: null,
    })
    expect(app.server.service.listResults({}).map((r) => r.id)).toEqual(resultsBefore)
    await screenshotThemes(page, 'walkthrough-5-cancelled')
    await page.locator(byTestId('jobs-toggle')).click()
  })

  it('6. Export a chart: PNG or SVG of the chart, CSV or JSON of its data', async () => {
    const page = app.page
    const result = app.server.service.listResults({ kind: 'evaluate' })[0]
    await app.goto(`/result/${result.id}`)
    await page.locator(byTestId('chart-reliability')).waitFor()
    const png = await exportFromChart(page, 'chart-reliability', 'PNG image', 'walkthrough.png')
    expect(isPng(png.bytes)).toBe(true)
    const svg = await exportFromChart(page, 'chart-reliability', 'SVG image', 'walkthrough.svg')
    expect(isSvg(svg.bytes)).toBe(true)
    const csv = await exportFromChart(page, 'chart-reliability', 'CSV data', 'walkthrough.csv')
    expect(csv.bytes.toString('utf8').split('\n')[0]).toMatch(/,/)
  })

  it('7. Layer similarity (CKA): CKA… on a checkpoint, Compute CKA, the layer × layer heatmap', async () => {
    const page = app.page
    await openCheckpointFromLibrary(3)
    await page.locator(byTestId('checkpoint-cka')).click()
    await page.locator(byTestId('cka-view')).waitFor()
    // The test split of these fixture runs has 64 images: batches of 16 instead of 256.
    await setCkaBatch(page, 16)
    await expect.poll(() => page.locator(byTestId('cka-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('cka-start')).click()
    await page
      .locator(`${byTestId('cka-heatmap-within')} canvas`)
      .first()
      .waitFor({ timeout: 90_000 })
    expect(await page.locator(byTestId('cka-heatmap-within')).getAttribute('data-missing')).toBe(
      '0',
    )
    const png = await exportFromChart(
      page,
      'cka-heatmap-within',
      'PNG image',
      'walkthrough-cka.png',
    )
    expect(isPng(png.bytes)).toBe(true)
    await screenshotThemes(page, 'walkthrough-7-cka')
  })
})
