/// <reference lib="dom" />
// Analyze: the launcher (checkpoints, analysis, dataset, estimate), jobs in the launcher and in the
// top bar's jobs panel (progress, rate, time left, cancel), and an identical request answered from
// the workspace.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import { byTestId, checkpointsOf, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { FMNIST_AT_224, SHARED_FIXTURES } from './support/fixtures.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let checkpoints: CheckpointInfo[]

beforeAll(async () => {
  app = await startApp('analyze')
  const [run] = await importSharedRuns(app, 1)
  checkpoints = checkpointsOf(app, run.id)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const jobRows = (status: string) => `[data-job-row][data-status="${status}"]`

describe('the analysis launcher', () => {
  it('opens from a checkpoint with the run’s test split and an estimate', async () => {
    const page = app.page
    const last = checkpoints.find((c) => c.epoch === 3)!
    await app.goto(`/checkpoint/${last.id}`)
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    const chip = page.locator(byTestId(`launcher-checkpoints-checkpoint-${last.id}`))
    expect(await chip.getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator(byTestId('launcher-kind-evaluate')).isChecked()).toBe(true)
    expect(await page.locator(byTestId('dataset-path')).first().textContent()).toContain(
      'eval-fmnist-64',
    )
    await expect
      .poll(() => page.locator(byTestId('launcher-estimate')).textContent())
      .toMatch(/64 images/)
    await waitForIdle(page)
    await screenshotThemes(page, 'analyze-launcher')
  })

  it('starts the evaluation and opens its result when it is stored', async () => {
    const page = app.page
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 60_000 })
    expect(page.url()).toMatch(/#\/result\/\d+$/)
  })

  it('answers the identical request from the workspace without running it again', async () => {
    const page = app.page
    const jobsBefore = app.server.service.listJobs().length
    await page.goBack()
    await page.locator(byTestId('launcher')).waitFor()
    await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('result-from-workspace')).waitFor()
    expect(app.server.service.listJobs()).toHaveLength(jobsBefore)
  })

  it('starts activation statistics on three checkpoints at once', async () => {
    const page = app.page
    await app.goto('/analyze')
    await page.locator(byTestId('launcher')).waitFor()
    for (const checkpoint of checkpoints) {
      const chip = page.locator(byTestId(`launcher-checkpoints-checkpoint-${checkpoint.id}`))
      if ((await chip.getAttribute('aria-pressed')) !== 'true') await chip.click()
    }
    await page.locator(byTestId('launcher-kind-activation-stats')).check()
    await expect
      .poll(() => page.locator(byTestId('launcher-start')).textContent())
      .toMatch(/Start 3 jobs/)
    await page.locator(byTestId('launcher-start')).click()
    const launched = page.locator(byTestId('launcher-launched'))
    await expect.poll(() => launched.locator(jobRows('done')).count(), { timeout: 90_000 }).toBe(3)
    expect(app.server.service.listResults({ kind: 'activation-stats' })).toHaveLength(3)
  })
})

describe('the jobs panel', () => {
  it('shows a running job with progress, rate and time left, and cancels it', async () => {
    const page = app.page
    const { job } = await app.server.service.startJob({
      kind: 'evaluate',
      checkpointId: null,
      modelPath: SHARED_FIXTURES.resnet50,
      dataset: {
        path: SHARED_FIXTURES.noiseIdx,
        format: 'idx',
        split: 't10k',
        holdout: null,
        classes: null,
        sample: null,
        limit: 1000,
      },
      preprocessing: FMNIST_AT_224,
      batchSize: null,
      provider: 'cpu',
    })
    if (!job) throw new Error('The long job was answered from the workspace.')
    await page.locator(byTestId('jobs-toggle')).click()
    const row = page.locator(`${byTestId('jobs-panel')} ${byTestId(`job-row-${job.id}`)}`)
    await row.locator(byTestId(`job-eta-${job.id}`)).waitFor({ timeout: 120_000 })
    expect(await row.locator(byTestId(`job-rate-${job.id}`)).textContent()).toMatch(/\d/)
    await screenshotThemes(page, 'jobs-panel-running')
    const resultsBefore = app.server.service.listResults({}).length
    await row.locator(byTestId(`job-cancel-${job.id}`)).click()
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled')
    expect(await row.textContent()).toMatch(/stopped after \d+ of 1000 images/)
    expect(app.server.service.listJobs().find((j) => j.id === job.id)?.resultId).toBeNull()
    expect(app.server.service.listResults({})).toHaveLength(resultsBefore)
    await screenshotThemes(page, 'jobs-panel-cancelled')
  })
})
