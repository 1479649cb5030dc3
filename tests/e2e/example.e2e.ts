/// <reference lib="dom" />
// The example workspace from the first-run screen: created and opened in under a minute, and
// labeled synthetic on the run, its checkpoints and the results computed on it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { byTestId, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp

beforeAll(async () => {
  app = await startApp('example')
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('the example workspace', () => {
  it('is created from the first-run screen in under a minute and opens on its run', async () => {
    const page = app.page
    const started = Date.now()
    await page.locator(byTestId('first-run-example')).click()
    await page.locator(byTestId('run-view')).waitFor({ timeout: 60_000 })
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(await page.locator(byTestId('workspace-folder')).textContent()).toContain(app.temp)
    await page
      .locator(`${byTestId('run-view')} ${byTestId('synthetic-badge')}`)
      .first()
      .waitFor()
    await waitForIdle(page)
    await screenshotThemes(page, 'example-run')
  })

  it('labels its checkpoints and an evaluation of them synthetic', async () => {
    const page = app.page
    const [run] = app.server.service.listRuns()
    const checkpoint = app.server.service.getRun(run.id).checkpoints.at(-1)!
    await app.goto(`/checkpoint/${checkpoint.id}`)
    await page
      .locator(`${byTestId('checkpoint-view')} ${byTestId('synthetic-badge')}`)
      .first()
      .waitFor()
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 60_000 })
    await page.locator(`${byTestId('chart-reliability')} .chart-panel__badge`).waitFor()
    await waitForIdle(page)
    await screenshotThemes(page, 'example-result')
  })
})
