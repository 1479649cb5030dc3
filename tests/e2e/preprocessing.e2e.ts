/// <reference lib="dom" />
// A model opened on its own: its preprocessing is set in the app from a preset, previewed on real
// images as the model sees them (a wrong size is named), saved, and the model evaluated from the UI.
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import { writeSmallResNet } from '../fixtures/data/fmnist.ts'
import { byTestId, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { SHARED_FIXTURES } from './support/fixtures.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let checkpoint: CheckpointInfo

beforeAll(async () => {
  app = await startApp('preprocessing')
  const model = join(app.temp, 'alone.onnx')
  await writeSmallResNet(model, 21)
  const service = app.server.service
  checkpoint = await service.openCheckpoint(model)
  await service.addDataset(
    {
      path: SHARED_FIXTURES.testSet,
      format: 'idx',
      split: 't10k',
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    },
    'fmnist test 64',
  )
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

describe('the preprocessing of a model opened on its own', () => {
  it('is set from a preset, previewed as the model sees it, and a wrong size is named', async () => {
    const page = app.page
    await app.goto(`/checkpoint/${checkpoint.id}`)
    await page.locator(byTestId('preprocessing-editor')).waitFor()
    await page.locator(byTestId('preprocessing-unset')).waitFor()
    // The dataset was added by another caller after the page loaded: it shows within seconds.
    await page.locator(byTestId('pp-dataset')).waitFor({ timeout: 10_000 })
    await page.locator(byTestId('preset-2')).click()
    const images = () => page.locator(`${byTestId('pp-preview')} img`).count()
    await expect.poll(images, { timeout: 10_000 }).toBe(12)
    await page.locator(byTestId('pp-pad')).fill('0')
    await page.locator(byTestId('pp-problem')).getByText('28×28 after preprocessing').waitFor()
    await page.locator(byTestId('pp-pad')).fill('2')
    await expect.poll(images, { timeout: 10_000 }).toBe(12)
    await page.locator(byTestId('preprocessing-editor')).scrollIntoViewIfNeeded()
    await waitForIdle(page)
    await screenshotThemes(page, 'preprocessing-editor')
    await page.locator(byTestId('pp-save')).click()
    await page.locator(byTestId('preprocessing-unset')).waitFor({ state: 'detached' })
    expect(app.server.service.getCheckpoint(checkpoint.id).preprocessing).toMatchObject({
      pad: 2,
      grayToRgb: true,
      inputSize: [32, 32],
    })
  })

  it('lets the model be evaluated from the UI once set', async () => {
    const page = app.page
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    await page.locator(byTestId('dataset-select')).selectOption({ index: 0 })
    await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 60_000 })
    await page.locator(byTestId('headline-top1-interval')).waitFor()
  })
})
