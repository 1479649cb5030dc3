// Home: the first-run screen of an empty workspace, then the library with two runs (a run group).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { byTestId, importSharedRuns } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp

beforeAll(async () => {
  app = await startApp('home')
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('the home view', () => {
  it('offers the four first-run actions on an empty workspace', async () => {
    const page = app.page
    await page.locator(byTestId('first-run')).waitFor()
    for (const id of [
      'first-run-import',
      'first-run-checkpoint',
      'first-run-dataset',
      'first-run-example',
    ])
      await expect.poll(() => page.locator(byTestId(id)).isEnabled()).toBe(true)
    expect(await page.locator(byTestId('workspace-folder')).textContent()).toContain(app.temp)
    await screenshotThemes(page, 'home-first-run')
  })

  it('lists runs with tags and the run group they form', async () => {
    const runs = await importSharedRuns(app)
    const page = app.page
    await app.goto('/')
    await page.locator(byTestId('home-run-row')).nth(1).waitFor()
    const rows = (await page.locator(byTestId('home-run-row')).allTextContents()).join('\n')
    for (const run of runs) expect(rows).toContain(run.name)
    expect(await page.locator(byTestId('home-group')).first().textContent()).toContain('e2e')
    expect(await page.locator(byTestId('library-run')).count()).toBe(2)
    await screenshotThemes(page, 'home-library')
  })

  it('filters the library by search and moves through it with the keyboard', async () => {
    const page = app.page
    await page.keyboard.press('/')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('library-search')
    await page.keyboard.type('seed1')
    await expect.poll(() => page.locator(byTestId('library-run')).count()).toBe(1)
    await page.locator(byTestId('library-search')).fill('')
    await expect.poll(() => page.locator(byTestId('library-run')).count()).toBe(2)
  })
})
