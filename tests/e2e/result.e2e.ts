/// <reference lib="dom" />
// Result page: an evaluation (headline, reliability, per-class, confusion) and activation
// statistics (layer bars, tap histogram), the provenance panel, export of every chart, delete.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationResult, ResultInfo } from '../../electron/api/contract/index.ts'
import {
  activationStats,
  byTestId,
  checkpointsOf,
  evaluateCheckpoint,
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
let evaluation: ResultInfo
let stats: ResultInfo

beforeAll(async () => {
  app = await startApp('result')
  const [run] = await importSharedRuns(app, 1)
  const checkpoint = checkpointsOf(app, run.id).find((c) => c.epoch === 2)!
  evaluation = await evaluateCheckpoint(app, checkpoint.id)
  stats = await activationStats(app, checkpoint.id)
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

async function openResult(result: ResultInfo): Promise<void> {
  await app.goto(`/result/${result.id}`)
  await app.page.locator(byTestId('result-title')).waitFor()
  await app.page.locator(byTestId('provenance')).waitFor()
  await waitForIdle(app.page)
}

describe('an evaluation result', () => {
  it('shows the stored numbers, its charts and its provenance', async () => {
    await openResult(evaluation)
    const page = app.page
    const payload = evaluation.payload as EvaluationResult
    expect(await page.locator(byTestId('headline-images')).textContent()).toBe(
      String(payload.numImages),
    )
    expect(await page.locator(byTestId('headline-top1')).textContent()).toContain(
      (payload.top1 * 100).toFixed(2),
    )
    const interval = payload.intervals!.top1
    expect(await page.locator(byTestId('headline-top1-interval')).textContent()).toContain(
      `${(interval.lower * 100).toFixed(2)} % – ${(interval.upper * 100).toFixed(2)} %`,
    )
    for (const chart of ['chart-reliability', 'chart-per-class', 'chart-confusion'])
      await page
        .locator(`${byTestId(chart)} canvas, ${byTestId(chart)} svg`)
        .first()
        .waitFor()
    expect(await page.locator(byTestId('prov-model-sha256')).textContent()).toBe(
      evaluation.provenance.modelSha256,
    )
    expect(await page.locator(byTestId('prov-dataset-fingerprint')).textContent()).toContain(
      evaluation.provenance.datasetFingerprint!.slice(0, 12),
    )
    await screenshotThemes(page, 'result-evaluation')
    await page.locator(byTestId('chart-confusion')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'result-evaluation-confusion')
    await page.locator(byTestId('provenance')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'result-evaluation-provenance')
  })

  it('shows the images behind the numbers: misclassified, and a confusion cell', async () => {
    const page = app.page
    const payload = evaluation.payload as EvaluationResult
    const drill = page.locator(byTestId('image-drill-down'))
    await drill.scrollIntoViewIfNeeded()
    const wrong = Math.round((1 - payload.top1) * payload.numImages)
    await page.locator(byTestId('images-count')).getByText(`${wrong} image`).waitFor()
    expect(await page.locator(`${byTestId('drill-image')} img`).count()).toBe(Math.min(48, wrong))
    const t = payload.confusion.findIndex((row, i) => row.some((n, p) => n > 0 && p !== i))
    const p = payload.confusion[t].findIndex((n, j) => n > 0 && j !== t)
    await page.locator(byTestId('cell-true')).selectOption(String(t))
    await page.locator(byTestId('cell-predicted')).selectOption(String(p))
    await page.locator(byTestId('choice-confusion')).check()
    const count = payload.confusion[t][p]
    await page.locator(byTestId('images-count')).getByText(`${count} image`).waitFor()
    await waitForIdle(page)
    await screenshotThemes(page, 'result-evaluation-images')
    // A click on a cell of the confusion chart opens that cell's images.
    await page
      .locator(byTestId('choice-confusion'))
      .uncheck()
      .catch(() => undefined)
    await page.getByLabel('misclassified').check()
    const chart = page.locator(`${byTestId('chart-confusion')} canvas`).first()
    await chart.scrollIntoViewIfNeeded()
    const box = (await chart.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5)
    await expect.poll(() => page.locator(byTestId('choice-confusion')).isChecked()).toBe(true)
  })

  it('exports each chart as a valid PNG and SVG', async () => {
    for (const chart of ['chart-reliability', 'chart-per-class', 'chart-confusion']) {
      const png = await exportFromChart(app.page, chart, 'PNG image', `result-${chart}.png`)
      expect(isPng(png.bytes), `${chart} PNG`).toBe(true)
      const svg = await exportFromChart(app.page, chart, 'SVG image', `result-${chart}.svg`)
      expect(isSvg(svg.bytes), `${chart} SVG`).toBe(true)
    }
  })

  it('exports its data as JSON equal to the stored result', async () => {
    const json = await exportFromChart(app.page, 'chart-reliability', 'JSON data', 'result.json')
    const exported = JSON.parse(json.bytes.toString('utf8')) as unknown
    const stored = app.server.service.getResult(evaluation.id)
    expect(JSON.stringify(exported)).toContain(
      JSON.stringify((stored.payload as EvaluationResult).confusion),
    )
  })
})

describe('an activation-statistics result', () => {
  it('shows per-layer bars and a tap histogram', async () => {
    await openResult(stats)
    const page = app.page
    expect(await page.locator(byTestId('headline-taps')).textContent()).toBe('9')
    for (const chart of ['chart-layer-bars', 'chart-tap-histogram'])
      await page
        .locator(`${byTestId(chart)} canvas, ${byTestId(chart)} svg`)
        .first()
        .waitFor()
    await screenshotThemes(page, 'result-activation')
    for (const chart of ['chart-layer-bars', 'chart-tap-histogram']) {
      const png = await exportFromChart(page, chart, 'PNG image', `result-${chart}.png`)
      expect(isPng(png.bytes), `${chart} PNG`).toBe(true)
      const svg = await exportFromChart(page, chart, 'SVG image', `result-${chart}.svg`)
      expect(isSvg(svg.bytes), `${chart} SVG`).toBe(true)
    }
  })

  it('is deleted after a confirmation and leaves the checkpoint’s list', async () => {
    const page = app.page
    await page.locator(byTestId('result-delete')).click()
    await page.locator(byTestId('result-delete-confirm')).waitFor()
    await page.locator(byTestId('result-delete-yes')).click()
    await expect
      .poll(() => app.server.service.listResults({}).map((r) => r.id))
      .not.toContain(stats.id)
    await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(`#/result/${stats.id}`)
  })
})
