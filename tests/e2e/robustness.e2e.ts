/// <reference lib="dom" />
// Robustness: a corruption sweep started from a checkpoint's page, its cells computed as jobs,
// the corruption × severity heatmap and the per-corruption errors, and the sweep answered from
// the stored cells when asked again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import { byTestId, checkpointsOf, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let last: CheckpointInfo

beforeAll(async () => {
  app = await startApp('robustness')
  const [run] = await importSharedRuns(app, 1)
  last = checkpointsOf(app, run.id)
    .filter((c) => c.variant === '')
    .at(-1)!
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const CHOSEN = ['gaussian_noise', 'fog']

describe('a corruption sweep', () => {
  it('runs from a checkpoint and shows accuracy per corruption and severity', async () => {
    const page = app.page
    await app.goto(`/checkpoint/${last.id}`)
    await page.locator(byTestId('checkpoint-robustness')).click()
    await page.locator(byTestId('robustness-view')).waitFor()
    const chip = page.locator(byTestId(`sweep-checkpoints-checkpoint-${last.id}`))
    expect(await chip.getAttribute('aria-pressed')).toBe('true')
    for (const name of CORRUPTION_NAMES.slice(0, 15))
      await page.locator(byTestId(`sweep-c-${name}`)).uncheck()
    for (const name of CHOSEN) await page.locator(byTestId(`sweep-c-${name}`)).check()
    for (const s of [3, 4, 5]) await page.locator(byTestId(`sweep-s-${s}`)).uncheck()
    await page.locator(byTestId('sweep-sample')).fill('0')
    await expect
      .poll(() => page.locator(byTestId('sweep-start')).textContent())
      .toMatch(/Sweep 5 evaluations/)
    await page.locator(byTestId('sweep-start')).click()
    const panel = page.locator(byTestId(`sweep-${last.id}`))
    await panel.waitFor({ timeout: 120_000 })
    await panel.locator('canvas').first().waitFor()
    const rows = panel.locator(`${byTestId('sweep-per-corruption')} tbody tr`)
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('gaussian_noise'),
      expect.stringContaining('fog'),
    ])
    expect(app.server.service.listResults({ kind: 'evaluate' })).toHaveLength(5)
    await waitForIdle(page)
    await panel.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-sweep')
  })

  it('answers again from the stored cells without a job', async () => {
    const page = app.page
    const jobsBefore = app.server.service.listJobs().length
    await page.locator(byTestId('sweep-start')).click()
    await page.locator(byTestId(`sweep-${last.id}`)).waitFor()
    expect(app.server.service.listJobs()).toHaveLength(jobsBefore)
  })

  it('shows one image under every chosen corruption and severity, as the model sees it', async () => {
    const page = app.page
    const gallery = page.locator(byTestId('corruption-gallery'))
    await gallery.scrollIntoViewIfNeeded()
    await page.locator(byTestId('gallery-position')).fill('3')
    await page.locator(byTestId('gallery-show')).click()
    const rows = page.locator(`${byTestId('gallery-grid')} tbody tr`)
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(CHOSEN.length)
    expect(await rows.first().locator('img').count()).toBe(6)
    const sources = await rows
      .nth(1)
      .locator('img')
      .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src))
    expect(new Set(sources).size).toBe(6)
    await waitForIdle(page)
    await page.locator(byTestId('gallery-grid')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-gallery')
  })
})
