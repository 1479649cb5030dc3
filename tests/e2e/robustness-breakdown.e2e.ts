/// <reference lib="dom" />
// Where it breaks: per-tap CKA of a trained checkpoint between clean and corrupted images of the
// sweep form's selection, one Gram job per severity, drawn against depth and on the structure.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { corruptionBreakdown } from '../../electron/api/analyses/robustness/breakdown.ts'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CheckpointInfo, CorruptionBreakdown } from '../../electron/api/contract/index.ts'
import { byTestId, checkpointsOf, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let last: CheckpointInfo

beforeAll(async () => {
  app = await startApp('robustness-breakdown')
  const [run] = await importSharedRuns(app, 1)
  last = checkpointsOf(app, run.id)
    .filter((c) => c.variant === '')
    .at(-1)!
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('where a checkpoint breaks under a corruption', () => {
  it('draws per-tap CKA for every severity and colours the structure by it', async () => {
    const page = app.page
    await app.goto(`/robustness?checkpoints=${last.id}`)
    await page.locator(byTestId('robustness-view')).waitFor()
    for (const name of CORRUPTION_NAMES.slice(0, 15))
      await page.locator(byTestId(`sweep-c-${name}`)).uncheck()
    for (const name of ['gaussian_noise', 'contrast'])
      await page.locator(byTestId(`sweep-c-${name}`)).check()
    await page.locator(byTestId('sweep-sample')).fill('0')
    const panel = page.locator(byTestId('breakdown-panel'))
    await panel.scrollIntoViewIfNeeded()
    expect(await panel.locator(byTestId('breakdown-corruption')).inputValue()).toBe(
      'gaussian_noise',
    )
    // 64 test images: four minibatches of 16, so every value has an interval over batches.
    await panel.locator(byTestId('breakdown-batch')).fill('16')
    await panel.locator(byTestId('breakdown-threshold')).fill('0.97')
    await panel.locator(byTestId('breakdown-start')).click()
    const breaks = panel.locator(`${byTestId('breakdown-breaks')} tbody tr`)
    await expect.poll(() => breaks.count(), { timeout: 180_000 }).toBe(5)
    await panel.locator('canvas').first().waitFor()
    expect(app.server.service.listResults({ kind: 'cka-grams' })).toHaveLength(6)

    const jobsBefore = app.server.service.listJobs().length
    const stored: CorruptionBreakdown = await app.server.service.computeDerived(
      corruptionBreakdown,
      {
        checkpointId: last.id,
        dataset: app.server.service.getRun(last.runId!).defaultDataset!,
        preprocessing: null,
        provider: 'cpu',
        corruption: 'gaussian_noise',
        severities: [1, 2, 3, 4, 5],
        seed: 0,
        jpegQuality: null,
        padding: 'before',
        taps: null,
        estimator: 'minibatch',
        batchSize: 16,
        orderSeed: 0,
        spatialPooling: 'none',
        threshold: 0.97,
      },
    )
    expect(app.server.service.listJobs()).toHaveLength(jobsBefore)
    const shownBreaks = await breaks.evaluateAll((rows) =>
      rows.map((row) => row.querySelectorAll('td')[1].textContent?.trim()),
    )
    expect(shownBreaks).toEqual(
      stored.severities.map((s) => s.breaksAt ?? 'no tap below the threshold'),
    )
    expect(stored.severities.every((s) => s.intervals !== null)).toBe(true)

    const structure = panel.locator(byTestId('cka-structure'))
    await structure.locator('[data-key="layer1.0"]').waitFor()
    expect(await panel.locator(byTestId('breakdown-severity')).inputValue()).toBe('5')
    await waitForIdle(page)
    await panel.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-breakdown')
    await structure.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-breakdown-structure')
  })
})
