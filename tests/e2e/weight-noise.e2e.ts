/// <reference lib="dom" />
// Weight noise: launched from a checkpoint's page with its own σ list, the result's accuracy-vs-σ
// curve with mean ± std bands and its level table, and two checkpoints' curves on Compare.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo, WeightNoiseResult } from '../../electron/api/contract/index.ts'
import { byTestId, checkpointsOf, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let checkpoints: CheckpointInfo[]

beforeAll(async () => {
  app = await startApp('weight-noise')
  const [run] = await importSharedRuns(app, 1)
  checkpoints = checkpointsOf(app, run.id).filter((c) => c.variant === '')
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`

describe('weight noise', () => {
  it('runs from a checkpoint with its own σ list and shows the curve and the levels', async () => {
    const page = app.page
    const last = checkpoints.at(-1)!
    await app.goto(`/checkpoint/${last.id}`)
    await page.locator(byTestId('checkpoint-weight-noise')).click()
    await page.locator(byTestId('launcher')).waitFor()
    expect(await page.locator(byTestId('launcher-kind-weight-noise')).isChecked()).toBe(true)
    await page.locator(byTestId('launcher-sigmas')).fill('0, 0.1, 0.3')
    await page.locator(byTestId('launcher-noise-samples')).fill('2')
    await page.locator(byTestId('launcher-noise-samples')).dispatchEvent('change')
    await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('launcher-start')).click()
    await page
      .locator(`${byTestId('chart-weight-noise')} canvas`)
      .first()
      .waitFor({ timeout: 90_000 })
    const stored = app.server.service.listResults({ kind: 'weight-noise' })[0]
    const payload = app.server.service.getResult(stored.id).payload as WeightNoiseResult
    expect(payload.levels.map((l) => [l.sigma, l.samples])).toEqual([
      [0, 1],
      [0.1, 2],
      [0.3, 2],
    ])
    const rows = page.locator(`${byTestId('weight-noise-levels')} tbody tr`)
    expect(await rows.count()).toBe(3)
    const noisiest = payload.levels[2]
    expect(await rows.nth(2).textContent()).toContain(
      `${percent(noisiest.top1.mean)} ± ${percent(noisiest.top1.std)}`,
    )
    await page.locator(byTestId('weight-noise-scope')).waitFor()
    expect(await page.locator(byTestId('headline-clean-interval')).textContent()).toMatch(
      /95 % CI [\d.]+ % – [\d.]+ %/,
    )
    await waitForIdle(page)
    await screenshotThemes(page, 'weight-noise-result')
  })

  it('overlays two checkpoints’ curves on Compare', async () => {
    const page = app.page
    const [first, last] = [checkpoints[0], checkpoints.at(-1)!]
    // The same images as the result the launcher stored, so the two curves are comparable.
    const launched = app.server.service.listResults({ kind: 'weight-noise' })[0]
    await app.server.service.runJob({
      kind: 'weight-noise',
      checkpointId: first.id,
      modelPath: null,
      dataset: app.server.service.getResult(launched.id).provenance.dataset!,
      preprocessing: null,
      batchSize: null,
      provider: 'cpu',
      sigmas: [0, 0.1, 0.3],
      samples: 2,
      seed: 0,
      scope: 'weights',
    })
    await app.goto(`/checkpoint/${first.id}`)
    await page.locator(byTestId('checkpoint-pin')).click()
    await page.locator(byTestId('baseline-chip')).waitFor()
    await page.locator(byTestId('nav-compare')).click()
    await page.locator(byTestId(`compare-checkpoints-checkpoint-${last.id}`)).click()
    await page.locator(byTestId('compare-kind-weight-noise')).check()
    await page
      .locator(`${byTestId('compare-chart-weight-noise')} canvas`)
      .first()
      .waitFor({ timeout: 30_000 })
    await expect
      .poll(() => page.locator(`${byTestId('compare-dataset')} option:checked`).textContent())
      .toMatch(/2 of 2 checkpoints/)
    await waitForIdle(page)
    await screenshotThemes(page, 'weight-noise-compare')
  })
})
