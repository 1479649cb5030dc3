/// <reference lib="dom" />
// Robustness views across checkpoints: a sweep of the last checkpoints of two seeds against a
// baseline, its summary table with paired deltas, the per-corruption bars (accuracy and Δ), the
// accuracy-vs-severity curves (mean and one corruption), the run group of both seeds as
// mean ± std, and the gallery exported as a PNG and an SVG figure.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import {
  byTestId,
  checkpointsOf,
  exportFromChart,
  importSharedRuns,
  isPng,
  isSvg,
  waitForIdle,
} from './support/actions.ts'
import type { Downloaded } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { screenshotThemes } from './support/screenshots.ts'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ARTIFACTS } from './support/paths.ts'

let app: E2eApp
let seed0: CheckpointInfo
let seed1: CheckpointInfo

beforeAll(async () => {
  app = await startApp('robustness-compare')
  const runs = await importSharedRuns(app, 2)
  const last = (runId: number) =>
    checkpointsOf(app, runId)
      .filter((c) => c.variant === '')
      .at(-1)!
  seed0 = last(runs[0].id)
  seed1 = last(runs[1].id)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const CHOSEN = ['gaussian_noise', 'contrast']

/** Clicks a button that downloads a file and keeps it under tests/e2e/artifacts/downloads/. */
async function download(testId: string, saveAs: string): Promise<Downloaded> {
  const file = app.page.waitForEvent('download', { timeout: 60_000 })
  await app.page.locator(byTestId(testId)).click()
  const done = await file
  const path = join(ARTIFACTS, 'downloads', saveAs)
  await mkdir(dirname(path), { recursive: true })
  await done.saveAs(path)
  return { fileName: done.suggestedFilename(), path, bytes: await readFile(path) }
}

describe('a sweep of two seeds against a baseline', () => {
  it('shows the summary with paired deltas and the per-corruption bars', async () => {
    const page = app.page
    await app.goto(`/robustness?checkpoints=${seed0.id},${seed1.id}`)
    await page.locator(byTestId('robustness-view')).waitFor()
    await page.locator(byTestId('sweep-baseline')).selectOption(String(seed0.id))
    for (const name of CORRUPTION_NAMES.slice(0, 15))
      await page.locator(byTestId(`sweep-c-${name}`)).uncheck()
    for (const name of CHOSEN) await page.locator(byTestId(`sweep-c-${name}`)).check()
    for (const s of [2, 4]) await page.locator(byTestId(`sweep-s-${s}`)).uncheck()
    await page.locator(byTestId('sweep-sample')).fill('0')
    await expect
      .poll(() => page.locator(byTestId('sweep-start')).textContent())
      .toMatch(/Sweep 14 evaluations/)
    await page.locator(byTestId('sweep-start')).click()
    const table = page.locator(byTestId('sweep-mce-table'))
    await table.waitFor({ timeout: 180_000 })
    const other = await page.locator(byTestId(`sweep-mce-${seed1.id}`)).textContent()
    expect(other).toMatch(/[+−]\d+\.\d pt \[[+−]\d+\.\d, [+−]\d+\.\d\]/)
    expect(await page.locator(byTestId(`sweep-mce-${seed0.id}`)).textContent()).toMatch(
      /\(baseline\)/,
    )
    const bars = page.locator(byTestId('sweep-bars'))
    await bars.locator('canvas').first().waitFor()
    await waitForIdle(page)
    await table.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-compare-summary')
    await bars.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-compare-bars')

    await page.locator(byTestId('sweep-bars-mode')).selectOption('difference')
    expect(await bars.textContent()).toMatch(/Δ top-1 vs the baseline/)
    expect(await bars.locator('[role="alert"]').count()).toBe(0)
    await bars.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-compare-deltas')
    const png = await exportFromChart(page, 'sweep-bars', 'PNG image', 'sweep-deltas.png')
    expect(isPng(png.bytes)).toBe(true)
    expect(png.fileName).toBe('corruption-bars-difference.png')
  })

  it('draws accuracy against severity, averaged and for one corruption', async () => {
    const page = app.page
    const curves = page.locator(byTestId('sweep-curves'))
    await curves.scrollIntoViewIfNeeded()
    await curves.locator('canvas').first().waitFor()
    const svg = await exportFromChart(page, 'sweep-curves', 'SVG image', 'sweep-curves.svg')
    const text = svg.bytes.toString('utf8')
    expect(isSvg(svg.bytes)).toBe(true)
    expect(text).toContain('severity (averaged over the corruptions)')
    expect(text).toContain('clean')
    await page.locator(byTestId('sweep-curve-mode')).selectOption('difference')
    expect(await curves.locator('[role="alert"]').count()).toBe(0)
    await page.locator(byTestId('sweep-curve-corruption')).selectOption('contrast')
    expect(await curves.textContent()).toMatch(/Top-1 by severity/)
    expect(await page.locator(byTestId('sweep-curve-mode')).count()).toBe(0)
    await waitForIdle(page)
    await screenshotThemes(page, 'robustness-compare-curves')
  })

  it('averages the two seeds as one run group, mean ± std', async () => {
    const page = app.page
    const groups = page.locator(byTestId('sweep-groups'))
    await groups.scrollIntoViewIfNeeded()
    await page.locator(byTestId('sweep-group-tag')).selectOption('e2e')
    const rows = page.locator(`${byTestId('sweep-groups-table')} tbody tr`)
    expect(await rows.count()).toBe(1)
    expect(await rows.first().textContent()).toMatch(/2 runs/)
    expect(await rows.first().textContent()).toMatch(/\d+\.\d ± \d+\.\d %/)
    await waitForIdle(page)
    await screenshotThemes(page, 'robustness-compare-groups')
  })

  it('exports the gallery as a PNG and an SVG figure with its caption', async () => {
    const page = app.page
    const gallery = page.locator(byTestId('corruption-gallery'))
    await gallery.scrollIntoViewIfNeeded()
    await page.locator(byTestId('gallery-position')).fill('3')
    await page.locator(byTestId('gallery-show')).click()
    await page.locator(byTestId('gallery-export-png')).waitFor({ timeout: 30_000 })
    const png = await download('gallery-export-png', 'corruption-gallery.png')
    expect(isPng(png.bytes)).toBe(true)
    expect(png.fileName).toBe('corruption-gallery-3-seed0.png')
    const svg = await download('gallery-export-svg', 'corruption-gallery.svg')
    const text = svg.bytes.toString('utf8')
    expect(isSvg(svg.bytes)).toBe(true)
    expect(text.match(/<image[^>]*data:image\/png;base64,/g)).toHaveLength(CHOSEN.length * 6)
    expect(text).toContain('Seed 0; corrupted before the zero padding')
    expect(text).toMatch(/Image t10k-images-idx3-ubyte(\.gz)?#3, class \d/)
    expect(await page.locator(byTestId('gallery-export-error')).count()).toBe(0)
    await waitForIdle(page)
    await screenshotThemes(page, 'robustness-compare-gallery')
  })
})
