/// <reference lib="dom" />
// Run page: metric curves over epochs, a run group overlaid as mean ± std, the checkpoints table,
// tags, and the metric-curves chart exported as PNG and SVG.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunInfo } from '../../electron/api/contract/index.ts'
import {
  byTestId,
  exportFromChart,
  importSharedRuns,
  isPng,
  isSvg,
  waitForIdle,
} from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let run: RunInfo

beforeAll(async () => {
  app = await startApp('run')
  ;[run] = await importSharedRuns(app, 2)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('the run view', () => {
  it('opens from the library with its curves and checkpoints', async () => {
    const page = app.page
    await page.locator(byTestId('library-run'), { hasText: run.name }).click()
    await page.locator(byTestId('run-view')).waitFor()
    expect(await page.locator(byTestId('run-title')).textContent()).toBe(run.name)
    await page
      .locator(`${byTestId('run-chart-loss')} canvas`)
      .first()
      .waitFor()
    await expect.poll(() => page.locator(byTestId('checkpoint-row')).count()).toBe(3)
    await waitForIdle(page)
    await screenshotThemes(page, 'run')
  })

  it('overlays the run group as mean ± std', async () => {
    const page = app.page
    await page.locator(byTestId('overlay-select')).selectOption('tag:e2e')
    await page.locator(byTestId('overlay-chip')).first().waitFor()
    expect(await page.locator(byTestId('overlay-chip')).first().textContent()).toMatch(
      /group e2e: 2 runs, mean ± std/,
    )
    expect(await page.evaluate(() => location.hash)).toMatch(/overlay=tag(:|%3A)e2e/)
    await waitForIdle(page)
    await screenshotThemes(page, 'run-group-overlay')
  })

  it('exports the curves as PNG and SVG', async () => {
    const png = await exportFromChart(app.page, 'run-chart-loss', 'PNG image', 'run-loss.png')
    expect(isPng(png.bytes)).toBe(true)
    const svg = await exportFromChart(app.page, 'run-chart-loss', 'SVG image', 'run-loss.svg')
    expect(isSvg(svg.bytes)).toBe(true)
  })

  it('adds a tag that the library and the workspace keep', async () => {
    const page = app.page
    await page.locator(byTestId('tag-input')).fill('sgd')
    await page.locator(byTestId('tag-input')).press('Enter')
    await expect.poll(() => app.server.service.getRun(run.id).tags).toContain('sgd')
    await expect
      .poll(() => page.locator(byTestId('library-run'), { hasText: run.name }).textContent())
      .toContain('sgd')
  })
})
