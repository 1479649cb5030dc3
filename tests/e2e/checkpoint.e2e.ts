/// <reference lib="dom" />
// Checkpoint page: summary, results of the checkpoint, the ResNet structure diagram (coloured by
// parameters, then by a stored activation statistic) and the layer table.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import {
  activationStats,
  byTestId,
  checkpointsOf,
  evaluateCheckpoint,
  importSharedRuns,
  waitForIdle,
} from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let checkpoint: CheckpointInfo

beforeAll(async () => {
  app = await startApp('checkpoint')
  const [run] = await importSharedRuns(app, 1)
  checkpoint = checkpointsOf(app, run.id).find((c) => c.epoch === 3)!
  await evaluateCheckpoint(app, checkpoint.id)
  await activationStats(app, checkpoint.id)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('the checkpoint view', () => {
  it('opens from the library with its summary, results, structure and layers', async () => {
    const page = app.page
    await page.locator(byTestId('library-run-toggle')).first().click()
    await page.locator(`${byTestId('library-checkpoint')}`, { hasText: 'epoch 3' }).click()
    await page.locator(byTestId('checkpoint-view')).waitFor()
    await page.locator(byTestId('checkpoint-summary')).waitFor()
    expect(await page.locator(byTestId('checkpoint-title')).textContent()).toContain('epoch 3')
    await expect
      .poll(() => page.locator(`${byTestId('result-list')} [data-testid^="result-row-"]`).count())
      .toBe(2)
    // ResNet18: stem, 8 basic blocks, fc.
    await expect.poll(() => page.locator(byTestId('layer-row')).count()).toBe(10)
    await expect
      .poll(() => page.locator(byTestId('diagram-box')).count())
      .toBeGreaterThanOrEqual(10)
    await waitForIdle(page)
    await screenshotThemes(page, 'checkpoint')
  })

  it('colours the structure diagram by a stored activation statistic', async () => {
    const page = app.page
    const select = page.locator(byTestId('diagram-metric'))
    const activationOption = await select
      .locator('option[value^="act:"]')
      .first()
      .getAttribute('value')
    expect(activationOption).not.toBeNull()
    const before = await page
      .locator(byTestId('diagram-box'))
      .evaluateAll((boxes) => boxes.map((box) => box.querySelector('rect')?.getAttribute('fill')))
    await select.selectOption(activationOption)
    await expect
      .poll(() =>
        page
          .locator(byTestId('diagram-box'))
          .evaluateAll((boxes) =>
            boxes.map((box) => box.querySelector('rect')?.getAttribute('fill')),
          ),
      )
      .not.toEqual(before)
    await page.locator(byTestId('structure-panel')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'checkpoint-structure-activation')
  })
})
