/// <reference lib="dom" />
// Two real ResNet50 runs, trained by tests/reference/make_trained_runs.sh with an ordinary
// script's metric names (train_loss, test_acc, lr_end), imported and examined as a researcher
// would: the import check, the curves, evaluations with intervals, a paired comparison, the images
// of a confusion cell, an exported figure, and a checkpoint opened on its own whose preprocessing
// is set in the app. Numbers are checked against what PyTorch logged during training.
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  CheckpointInfo,
  EvaluationResult,
  ResultInfo,
  RunInfo,
} from '../../electron/api/contract/index.ts'
import {
  byTestId,
  exportFromChart,
  isSvg,
  pickFolder,
  pickModel,
  waitForIdle,
} from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { ROOT } from './support/paths.ts'
import { screenshotThemes } from './support/screenshots.ts'

const TRAINED = process.env['E2E_TRAINED_RUNS'] ?? join(ROOT, 'tests/.tmp/trained-runs')
const FMNIST = '/usr/share/datasets/fashion-mnist'
const RUNS = ['plain-seed0', 'plain-seed1'] as const
const LAST_EPOCH = 3
const TEST_IMAGES = 1000

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null
}

const available =
  (await exists(join(TRAINED, RUNS[1], `epoch_${LAST_EPOCH}.onnx`))) &&
  (await exists(join(FMNIST, 't10k-images-idx3-ubyte.gz')))
if (!available && process.env['CI']) {
  throw new Error(
    `No trained runs in ${TRAINED}: .ci/run makes them with tests/reference/make_trained_runs.sh.`,
  )
}

interface LoggedEpoch {
  epoch: number
  train_loss: number
  test_acc: number
  lr_end: number
}

async function loggedEpochs(run: string): Promise<LoggedEpoch[]> {
  const text = await readFile(join(TRAINED, run, 'metrics.jsonl'), 'utf8')
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEpoch)
}

const percentPattern = /checked epoch (\d+) on (\d+) t10k images: ([\d.]+) % vs ([\d.]+) % logged/

let app: E2eApp
const runs: RunInfo[] = []
const finals: CheckpointInfo[] = []

beforeAll(async () => {
  if (!available) return
  app = await startApp('trained-runs', { roots: [TRAINED, FMNIST] })
})

afterEach(async (context) => {
  if (available) await app.check(context)
})

afterAll(async () => {
  await app?.close()
})

function evaluationsOf(checkpointId: number): ResultInfo<EvaluationResult>[] {
  return app.server.service
    .listResults({ checkpointId, kind: 'evaluate' })
    .map((summary) => app.server.service.getResult(summary.id) as ResultInfo<EvaluationResult>)
}

/** The evaluation of a final checkpoint on the run's logged test images (the import check's). */
function checkEvaluationOf(checkpoint: CheckpointInfo): ResultInfo<EvaluationResult> {
  const result = evaluationsOf(checkpoint.id).find(
    (r) => r.provenance.dataset?.limit === TEST_IMAGES && r.provenance.dataset.sample === null,
  )
  if (!result) throw new Error(`No evaluation of checkpoint ${checkpoint.id} on the test images.`)
  return result
}

describe.skipIf(!available)('two runs trained by an ordinary PyTorch script', () => {
  it('imports each from the UI and says what its accuracy check measured', async () => {
    const page = app.page
    for (const [i, name] of RUNS.entries()) {
      const button = i === 0 ? 'first-run-import' : 'home-import-run'
      await page.locator(byTestId(button)).click()
      await pickFolder(page, join(TRAINED, name))
      const check = page.locator(byTestId('import-check'))
      await expect.poll(() => check.textContent(), { timeout: 120_000 }).toMatch(percentPattern)
      const [, epoch, images, measured, logged] = percentPattern.exec(
        (await check.textContent()) ?? '',
      )!
      const last = (await loggedEpochs(name)).at(-1)!
      expect(Number(epoch)).toBe(LAST_EPOCH)
      expect(Number(images)).toBe(TEST_IMAGES)
      expect(Number(logged)).toBeCloseTo(100 * last.test_acc, 2)
      // The same images through ONNX Runtime as through PyTorch: at most one image of 1000 apart.
      expect(Math.abs(Number(measured) - Number(logged))).toBeLessThanOrEqual(0.1)
      const run = app.server.service.listRuns().find((r) => r.name === name)!
      runs.push(run)
      const checkpoints = app.server.service.getRun(run.id).checkpoints
      finals.push(checkpoints.find((c) => c.epoch === LAST_EPOCH && c.variant === '')!)
      if (i === 0) await screenshotThemes(page, 'trained-import-check')
      await page.getByRole('button', { name: 'Dismiss the import report' }).click()
    }
  })

  it('draws their curves from train_loss, test_acc and lr_end, the second overlaid', async () => {
    const page = app.page
    await app.goto(`/run/${runs[0].id}`)
    const notes: Record<string, string> = {
      loss: 'train_loss dotted · test_loss solid',
      accuracy: 'train_acc dotted · test_acc solid',
      lr: 'lr_end',
    }
    for (const [role, series] of Object.entries(notes)) {
      const panel = byTestId(`run-chart-${role}`)
      await page.locator(`${panel} canvas`).first().waitFor()
      expect(await page.locator(`${panel} ${byTestId('run-chart-note')}`).textContent()).toBe(
        series,
      )
    }
    const logged = await loggedEpochs(RUNS[0])
    const column = await page
      .locator(`${byTestId('checkpoint-row')} td:nth-child(3)`)
      .allTextContents()
    expect(column.slice(0, logged.length)).toEqual(
      logged.map((l) => `${(100 * l.test_acc).toFixed(2)}%`),
    )
    await page.locator(byTestId('overlay-select')).selectOption(`run:${runs[1].id}`)
    await page.locator(byTestId('overlay-chip')).first().waitFor()
    expect(await page.locator(byTestId('run-chart-missing')).count()).toBe(0)
    const scalars = page.locator(byTestId('scalars'))
    await scalars.scrollIntoViewIfNeeded()
    const names = await scalars
      .locator(byTestId('scalar-item'))
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-name')))
    expect(names).toEqual(
      expect.arrayContaining(['lr_end', 'test_acc', 'test_loss', 'train_acc', 'train_loss']),
    )
    await app.goto(`/run/${runs[0].id}`)
    await waitForIdle(page)
    await screenshotThemes(page, 'trained-run')
  })

  it('shows each evaluation with its intervals, and the pair image by image', async () => {
    const page = app.page
    const [baseline, other] = finals.map(checkEvaluationOf)
    await app.goto(`/result/${baseline.id}`)
    await page.locator(byTestId('evaluation-headline')).waitFor()
    const interval = baseline.payload.intervals!.top1
    expect(await page.locator(byTestId('headline-top1-interval')).textContent()).toContain(
      `${(interval.lower * 100).toFixed(2)} % – ${(interval.upper * 100).toFixed(2)} %`,
    )
    await app.goto(`/checkpoint/${finals[0].id}`)
    await page.locator(byTestId('checkpoint-pin')).click()
    await page.locator(byTestId('baseline-chip')).waitFor()
    await page.locator(byTestId('nav-compare')).click()
    await page.locator(byTestId(`compare-checkpoints-checkpoint-${finals[1].id}`)).click()
    await page.locator(byTestId('compare-kind-evaluate')).check()
    const paired = page.locator(byTestId(`paired-${other.id}`))
    await paired.waitFor({ timeout: 60_000 })
    const text = (await paired.textContent()) ?? ''
    const counts = /(\d+) vs (\d+) images/.exec(text)!
    // McNemar's discordant counts are the top-1 difference, image for image.
    const onlyBaseline = Number(counts[1])
    const onlyOther = Number(counts[2])
    const n = baseline.payload.numImages
    expect(onlyOther - onlyBaseline).toBe(
      Math.round((other.payload.top1 - baseline.payload.top1) * n),
    )
    expect(text).toMatch(/pp\s*\[[−+±]?[\d.]+, [−+±]?[\d.]+\].*p = /s)
    await waitForIdle(page)
    await screenshotThemes(page, 'trained-compare')
  })

  it('exports the compared per-class chart titled with both checkpoints, the data and n', async () => {
    const page = app.page
    const svg = await exportFromChart(
      page,
      'compare-chart-per-class',
      'SVG image',
      'trained-per-class.svg',
    )
    expect(isSvg(svg.bytes)).toBe(true)
    const text = svg.bytes.toString('utf8')
    expect(text).toContain(`fashion-mnist (t10k), n = ${TEST_IMAGES.toLocaleString('en')}`)
    for (const name of RUNS) expect(text).toContain(name)
  })

  it('opens the images behind a confusion cell clicked in the chart', async () => {
    const page = app.page
    const result = checkEvaluationOf(finals[0])
    await app.goto(`/result/${result.id}`)
    const chart = page.locator(`${byTestId('chart-confusion')} canvas`).first()
    await chart.waitFor()
    await chart.scrollIntoViewIfNeeded()
    await waitForIdle(page)
    const box = (await chart.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5)
    await expect.poll(() => page.locator(byTestId('choice-confusion')).isChecked()).toBe(true)
    const truth = Number(await page.locator(byTestId('cell-true')).inputValue())
    const predicted = Number(await page.locator(byTestId('cell-predicted')).inputValue())
    const count = result.payload.confusion[truth][predicted]
    await page
      .locator(byTestId('images-count'))
      .getByText(new RegExp(`^${count} image`))
      .waitFor()
    expect(await page.locator(`${byTestId('drill-image')} img`).count()).toBe(Math.min(48, count))
    await page.locator(byTestId('image-drill-down')).scrollIntoViewIfNeeded()
    await waitForIdle(page)
    await screenshotThemes(page, 'trained-confusion-cell')
  })

  it('evaluates a checkpoint opened on its own once its preprocessing is set in the app', async () => {
    const page = app.page
    const loose = join(app.temp, 'shared-by-a-colleague', 'resnet50-fmnist.onnx')
    await mkdir(join(app.temp, 'shared-by-a-colleague'))
    await copyFile(join(TRAINED, RUNS[1], `epoch_${LAST_EPOCH}.onnx`), loose)
    await app.goto('/')
    await page.locator(byTestId('home-open-checkpoint')).click()
    await pickModel(page, loose)
    await page.locator(byTestId('preprocessing-unset')).waitFor()
    await page.locator(byTestId('preset-2')).click()
    await expect
      .poll(() => page.locator(`${byTestId('pp-preview')} img`).count(), { timeout: 10_000 })
      .toBe(12)
    await page.locator(byTestId('pp-save')).click()
    await page.locator(byTestId('preprocessing-unset')).waitFor({ state: 'detached' })
    await page.locator(byTestId('checkpoint-evaluate')).click()
    await page.locator(byTestId('launcher')).waitFor()
    await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
    await page.locator(byTestId('launcher-start')).click()
    await page.locator(byTestId('evaluation-headline')).waitFor({ timeout: 120_000 })
    const looseResult = app.server.service.listResults({ kind: 'evaluate' })[0]
    const stored = app.server.service.getResult(looseResult.id) as ResultInfo<EvaluationResult>
    expect(stored.provenance.modelFile).toBe(loose)
    // The same bytes and preprocessing as the run's checkpoint: the same answers on the same images.
    const inRun = await app.server.service.runJob({
      kind: 'evaluate',
      checkpointId: finals[1].id,
      modelPath: null,
      dataset: stored.provenance.dataset!,
      preprocessing: null,
      batchSize: null,
      provider: 'cpu',
    })
    const payload = inRun.payload as EvaluationResult
    expect(stored.payload.top1).toBe(payload.top1)
    expect(stored.payload.confusion).toEqual(payload.confusion)
    await waitForIdle(page)
    await screenshotThemes(page, 'trained-loose-evaluated')
  })
})
