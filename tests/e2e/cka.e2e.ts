/// <reference lib="dom" />
// CKA view: layer × layer within a checkpoint (opened from the checkpoint page), checkpoint vs
// checkpoint with the difference mode, a run's timeline (opened from the run page) and a run
// group's mean ± std, on the shared ResNet18 runs and their 64 Fashion-MNIST test images.
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo, RunInfo } from '../../electron/api/contract/index.ts'
import {
  byTestId,
  checkpointsOf,
  exportFromChart,
  importSharedRuns,
  isPng,
  isSvg,
  setCkaBatch,
  waitForIdle,
} from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'

let app: E2eApp
let seed0: RunInfo
let seed1: RunInfo

const atEpoch = (run: RunInfo, epoch: number): CheckpointInfo =>
  checkpointsOf(app, run.id).find((c) => c.epoch === epoch && c.variant === '')!

beforeAll(async () => {
  app = await startApp('cka')
  ;[seed0, seed1] = await importSharedRuns(app, 2)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

/** 64 images in batches of 16: four minibatches, every one full. */
function smallBatches(): Promise<void> {
  return setCkaBatch(app.page, 16)
}

async function computeAndWait(): Promise<void> {
  const page = app.page
  await expect.poll(() => page.locator(byTestId('cka-start')).isEnabled()).toBe(true)
  await page.locator(byTestId('cka-start')).click()
  await page.locator(byTestId('cka-results')).waitFor({ timeout: 90_000 })
  await waitForIdle(page)
}

describe('the CKA view', () => {
  it('opens from a checkpoint and draws its layer × layer heatmap', async () => {
    const page = app.page
    const last = atEpoch(seed0, 3)
    await app.goto(`/checkpoint/${last.id}`)
    await page.locator(byTestId('checkpoint-cka')).click()
    await page.locator(byTestId('cka-view')).waitFor()
    expect(await page.locator(byTestId('cka-kind-within')).isChecked()).toBe(true)
    await smallBatches()
    await computeAndWait()
    const panel = page.locator(byTestId('cka-heatmap-within'))
    await panel.locator('canvas').first().waitFor()
    expect(await panel.getAttribute('data-missing')).toBe('0')
    expect(await page.locator(byTestId('cka-setup')).textContent()).toMatch(/n = 16/)
    await screenshotThemes(page, 'cka-within')
  })

  it('stores the Grams once: the same request is answered again without a job', async () => {
    const before = app.server.service.listJobs().length
    const page = app.page
    await page.locator(byTestId('cka-start')).click()
    await page.locator(byTestId('cka-results')).waitFor()
    expect(app.server.service.listJobs().length).toBe(before)
  })

  it('compares seed 0 with seed 1 on one 0–1 scale and as a difference', async () => {
    const page = app.page
    await page.locator(byTestId('cka-kind-pair')).check()
    const b = atEpoch(seed1, 3)
    await page.locator(byTestId(`cka-checkpoint-b-checkpoint-${b.id}`)).click()
    await computeAndWait()
    for (const id of ['cka-heatmap-within-a', 'cka-heatmap-within-b', 'cka-heatmap-pair'])
      await page
        .locator(`${byTestId(id)} canvas`)
        .first()
        .waitFor()
    await screenshotThemes(page, 'cka-pair')
    const structure = page.locator(byTestId('cka-structure'))
    await structure.locator(byTestId('diagram-box')).first().waitFor()
    await structure.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'cka-pair-structure')
    await page.locator(byTestId('cka-mode-difference')).check()
    await page
      .locator(`${byTestId('cka-heatmap-difference')} canvas`)
      .first()
      .waitFor()
    await screenshotThemes(page, 'cka-pair-difference')
  })

  it('follows a link to another comparison while it is open', async () => {
    const page = app.page
    const a = atEpoch(seed0, 1)
    const b = atEpoch(seed1, 2)
    await app.goto(`/cka?checkpoints=${a.id},${b.id}&kind=pair`)
    await expect.poll(() => page.locator(byTestId('cka-kind-pair')).isChecked()).toBe(true)
    const chip = (side: string, id: number) =>
      page.locator(byTestId(`cka-checkpoint-${side}-checkpoint-${id}`)).getAttribute('aria-pressed')
    await expect.poll(() => chip('a', a.id)).toBe('true')
    await expect.poll(() => chip('b', b.id)).toBe('true')
    await page.goBack()
    await expect.poll(() => chip('b', atEpoch(seed1, 3).id)).toBe('true')
    await expect.poll(() => chip('a', atEpoch(seed0, 3).id)).toBe('true')
  })

  it('downloads a heatmap as a tidy CSV of every cell', async () => {
    const page = app.page
    await page.locator(byTestId('cka-mode-absolute')).check()
    const download = page.waitForEvent('download')
    await page.locator(byTestId('cka-heatmap-pair-csv')).click()
    const file = await (await download).path()
    const lines = (await readFile(file, 'utf8')).trim().split('\n')
    expect(lines[0]).toBe('row,column,value')
    // ResNet18: stem, 8 blocks, pooled = 10 taps on each side.
    expect(lines.length).toBe(1 + 10 * 10)
    for (const line of lines.slice(1)) {
      const value = Number(line.split(',').at(-1))
      expect(value).toBeGreaterThanOrEqual(-1e-6)
      expect(value).toBeLessThanOrEqual(1 + 1e-6)
    }
  })

  it('exports a heatmap as PNG and SVG through the service', async () => {
    const page = app.page
    const png = await exportFromChart(page, 'cka-heatmap-pair', 'PNG image', 'cka-pair.png')
    expect(isPng(png.bytes)).toBe(true)
    expect(png.fileName).toMatch(/^cka-fmnist-resnet18-seed0_epoch_3-vs-.*\.png$/)
    const svg = await exportFromChart(page, 'cka-heatmap-pair', 'SVG image', 'cka-pair.svg')
    expect(isSvg(svg.bytes)).toBe(true)
    expect(svg.bytes.toString('utf8')).toContain('layer1.0')
  })

  it('opens a run’s timeline from the run page: each tap against the reference over epochs', async () => {
    const page = app.page
    await app.goto(`/run/${seed0.id}`)
    await page.locator(byTestId('run-cka-timeline')).click()
    await page.locator(byTestId('cka-view')).waitFor()
    expect(await page.locator(byTestId('cka-kind-timeline')).isChecked()).toBe(true)
    await smallBatches()
    await computeAndWait()
    await page
      .locator(`${byTestId('cka-timeline')} canvas`)
      .first()
      .waitFor()
    await page
      .locator(`${byTestId('cka-heatmap-grid')} canvas`)
      .first()
      .waitFor()
    await screenshotThemes(page, 'cka-timeline')
  })

  it('averages a run group: mean ± std of the layer × layer heatmaps of seed 0 and seed 1', async () => {
    const page = app.page
    await page.locator(byTestId('nav-cka')).click()
    await page.locator(byTestId('cka-kind-within')).check()
    await page.locator(byTestId('cka-group')).selectOption('e2e')
    expect(await page.locator(byTestId('cka-group-runs')).textContent()).toMatch(/2 runs/)
    await smallBatches()
    await computeAndWait()
    await page
      .locator(`${byTestId('cka-heatmap-mean')} canvas`)
      .first()
      .waitFor()
    expect(await page.locator(byTestId('cka-group-line')).textContent()).toMatch(/2 runs/)
    await screenshotThemes(page, 'cka-group')
  })
})
