/// <reference lib="dom" />
// Run page of a run whose metrics.jsonl names its series its own way (train_loss, test_acc,
// lr_end): the role panels still draw, and the Scalars section lists, filters and draws any
// series, smoothed as TensorBoard smooths, with an overlaid run that lacks some of them.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunInfo } from '../../electron/api/contract/index.ts'
import { smoothScalars } from '../../native-models/analysis/metrics/index.ts'
import { formatNumber } from '../../renderer/src/charts/options/theme.ts'
import { writeSmallResNet } from '../fixtures/data/fmnist.ts'
import { byTestId, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp, VIEWPORT } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { ARTIFACTS } from './support/paths.ts'
import { screenshotThemes, setTheme, settle } from './support/screenshots.ts'

const RUN_NAME = 'tb-names'
const STEPS_PER_EPOCH = 4
const STEP_SIZE = 25

/** train_loss four times an epoch (with steps), then test_acc, lr_end and epoch_time. */
function metricLines(epochs: number[]): { lines: string[]; trainLoss: [number, number][] } {
  const lines: string[] = []
  const trainLoss: [number, number][] = []
  for (const epoch of epochs) {
    for (let i = 1; i <= STEPS_PER_EPOCH; i++) {
      const k = (epoch - 1) * STEPS_PER_EPOCH + i
      const value = Number((2.3 * Math.exp(-0.2 * k) + 0.08 * (-1) ** k).toFixed(4))
      trainLoss.push([k * STEP_SIZE, value])
      lines.push(JSON.stringify({ epoch, step: k * STEP_SIZE, train_loss: value }))
    }
    const testAcc = [0.62, 0.74, 0.81][epoch - 1]
    const lrEnd = [0.1, 0.05, 0.01][epoch - 1]
    lines.push(JSON.stringify({ epoch, test_acc: testAcc, lr_end: lrEnd, epoch_time: 12 + epoch }))
  }
  return { lines, trainLoss }
}

const METRICS = metricLines([1, 2, 3])

async function writeTbRun(parent: string): Promise<string> {
  const folder = join(parent, RUN_NAME)
  await mkdir(folder, { recursive: true })
  for (const epoch of [1, 2, 3])
    await writeSmallResNet(join(folder, `epoch_${epoch}.onnx`), 700 + epoch)
  await writeFile(join(folder, 'metrics.jsonl'), METRICS.lines.join('\n') + '\n')
  await writeFile(join(folder, 'run.json'), JSON.stringify({ name: RUN_NAME, tags: ['tb'] }))
  return folder
}

let app: E2eApp
let seed0: RunInfo

beforeAll(async () => {
  app = await startApp('scalars', { prepare: (temp) => writeTbRun(temp).then(() => undefined) })
  ;[seed0] = await importSharedRuns(app, 1)
  await app.server.service.importRun(join(app.temp, RUN_NAME), undefined, { check: false })
  await app.page.reload()
  await app.page.locator(byTestId('library-run'), { hasText: RUN_NAME }).waitFor()
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

const panel = (role: string): string => byTestId(`run-chart-${role}`)

/** The whole run page at once (the page scrolls inside the shell), for looking at. */
async function fullPageShots(name: string): Promise<void> {
  const page = app.page
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme)
    await page.setViewportSize({ width: VIEWPORT.width, height: 2300 })
    await page.mouse.move(0, 2299)
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS, `${name}-full-${theme}.png`) })
  }
  await page.setViewportSize(VIEWPORT)
  await setTheme(page, 'light')
}

describe('scalars named the way a training script names them', () => {
  it('draws the loss, accuracy and learning-rate panels from train_loss, test_acc and lr_end', async () => {
    const page = app.page
    await page.locator(byTestId('library-run'), { hasText: RUN_NAME }).click()
    await page.locator(byTestId('run-view')).waitFor()
    for (const role of ['loss', 'accuracy', 'lr'])
      await page
        .locator(`${panel(role)} canvas`)
        .first()
        .waitFor()
    expect(await page.locator(byTestId('run-chart-empty')).count()).toBe(0)
    expect(await page.locator(`${panel('loss')} ${byTestId('run-chart-note')}`).textContent()).toBe(
      'train_loss',
    )
    expect(
      await page.locator(`${panel('accuracy')} ${byTestId('run-chart-note')}`).textContent(),
    ).toBe('test_acc')
    expect(await page.locator(`${panel('lr')} ${byTestId('run-chart-note')}`).textContent()).toBe(
      'lr_end',
    )
    expect(await page.locator(byTestId('run-best')).textContent()).toMatch(
      /best logged test accuracy 81\.00%\s+\(epoch 3\)/,
    )
    const accuracies = await page
      .locator(`${byTestId('checkpoint-row')} td:nth-child(3)`)
      .allTextContents()
    expect(accuracies).toEqual(['62.00%', '74.00%', '81.00%'])
    await waitForIdle(page)
    await screenshotThemes(page, 'scalars-run')
  })

  it('lists every series grouped by prefix, and filters them', async () => {
    const page = app.page
    const scalars = page.locator(byTestId('scalars'))
    await scalars.scrollIntoViewIfNeeded()
    const groups = await scalars.locator(`${byTestId('scalar-group')} .title`).allTextContents()
    expect(groups).toEqual(['epoch', 'lr', 'test', 'train'])
    const names = () => scalars.locator(byTestId('scalar-item')).evaluateAll(namesOf)
    expect(await names()).toEqual(['epoch_time', 'lr_end', 'test_acc', 'train_loss'])
    await page.locator(byTestId('scalars-filter')).fill('LOSS')
    await expect.poll(names).toEqual(['train_loss'])
    await page.locator(byTestId('scalars-grouping')).selectOption('split')
    await page.locator(byTestId('scalars-filter')).fill('')
    await expect
      .poll(() => scalars.locator(`${byTestId('scalar-group')} .title`).allTextContents())
      .toEqual(['test', 'train', 'no split'])
    await page.locator(byTestId('scalars-grouping')).selectOption('prefix')
  })

  it('draws a selected series by step, smoothed as TensorBoard smooths it', async () => {
    const page = app.page
    const scalars = page.locator(byTestId('scalars'))
    await scalars.locator(byTestId('scalar-item'), { hasText: 'train_loss' }).click()
    await page.locator(byTestId('scalars-x')).selectOption('step')
    await page.locator(byTestId('scalars-smoothing')).fill('0.8')
    const chart = scalars.locator(byTestId('scalar-chart'))
    await chart.locator('canvas').first().waitFor()
    expect(await chart.locator('h3').textContent()).toBe('train_loss')

    await chart.locator('canvas').first().hover()
    const body = chart.locator('.chart-panel__body')
    const tooltip = /(\d+)\s*tb-names: (\S+) \(raw (\S+)\)/
    await expect.poll(async () => tooltip.test((await body.textContent()) ?? '')).toBe(true)
    const [, step, shown, raw] = tooltip.exec((await body.textContent()) ?? '')!
    const index = METRICS.trainLoss.findIndex(([s]) => s === Number(step))
    expect(index).toBeGreaterThanOrEqual(0)
    const smoothed = smoothScalars(
      METRICS.trainLoss.map(([, v]) => v),
      0.8,
    )
    expect(shown).toBe(formatNumber(smoothed[index]))
    expect(raw).toBe(formatNumber(METRICS.trainLoss[index][1]))

    await page.locator(byTestId('scalars-log')).check()
    await chart.locator('canvas').first().waitFor()
    expect(await chart.locator('.empty').count()).toBe(0)
    await page.mouse.move(0, 799)
    await scalars.scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'scalars-section')
    await page.locator(byTestId('scalars-log')).uncheck()
  })

  it('lists the overlaid runs that lack a series', async () => {
    const page = app.page
    await page.locator(byTestId('overlay-select')).selectOption(`run:${seed0.id}`)
    await page.locator(byTestId('overlay-chip')).first().waitFor()
    await expect
      .poll(() => page.locator(`${panel('loss')} ${byTestId('run-chart-missing')}`).textContent())
      .toBe(`test not logged by: ${RUN_NAME}`)
    expect(await page.locator(`${panel('lr')} ${byTestId('run-chart-missing')}`).count()).toBe(0)
    await expect
      .poll(() => page.locator(byTestId('scalar-chart-missing')).textContent())
      .toBe(`not logged by: ${seed0.name}`)
    // The overlaid run's own series join the list.
    const items = page.locator(`${byTestId('scalars')} ${byTestId('scalar-item')}`)
    await expect.poll(() => items.evaluateAll(namesOf)).toContain('loss')
    await waitForIdle(page)
    await screenshotThemes(page, 'scalars-overlay')
    await fullPageShots('scalars-overlay')
  })

  it('draws a run that logs loss, accuracy and lr with split fields as before', async () => {
    const page = app.page
    await app.goto(`/run/${seed0.id}`)
    await page
      .locator(`${panel('lr')} canvas`)
      .first()
      .waitFor()
    expect(await page.locator(`${panel('loss')} ${byTestId('run-chart-note')}`).textContent()).toBe(
      'loss (train) dotted · loss (test) solid',
    )
    expect(await page.locator(byTestId('run-chart-missing')).count()).toBe(0)
    await waitForIdle(page)
    await fullPageShots('scalars-seed0')
  })

  it('says what names it looked for when no run logs a role', async () => {
    const page = app.page
    const bare = join(app.temp, 'bare')
    await mkdir(bare, { recursive: true })
    await writeFile(join(bare, 'metrics.jsonl'), '{"epoch": 1, "top5": 0.9}\n')
    const other = (await app.server.service.importRun(bare, undefined, { check: false })).run
    await app.goto(`/run/${other.id}`)
    await expect
      .poll(() => page.locator(`${panel('loss')} ${byTestId('run-chart-empty')}`).textContent())
      .toContain("Run 'bare' logs no loss: looked for names with the word loss, nll, xent")
    expect(
      await page.locator(`${panel('lr')} ${byTestId('run-chart-empty')}`).textContent(),
    ).toContain('logged: top5')
    await waitForIdle(page)
    await screenshotThemes(page, 'scalars-empty-panels')
  })
})

function namesOf(elements: Element[]): string[] {
  return elements.map((e) => (e as HTMLElement).dataset['name'] ?? '')
}
