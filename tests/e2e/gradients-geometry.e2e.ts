/// <reference lib="dom" />
// Issue 17 on real runs at small scale: gradient norms through the backward graph and the weight
// geometry of every epoch of two plain SGD ResNet50s trained by tests/reference/make_trained_runs.sh
// (plain-seed1 also logs per-parameter gradient norms). Both analyses are launched from the
// Analyze page on the BN-kept exports; what the result pages, the structure diagram and the
// Compare page show is read back against the stored results, and the logged norms are drawn
// beside the computed ones under their own name.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  CheckpointInfo,
  GradientsResult,
  ResultInfo,
  RunDetail,
  WeightGeometryResult,
} from '../../electron/api/contract/index.ts'
import { layerKeyOfParameterName } from '../../native-models/analysis/shared/parameter-names.ts'
import { byTestId, exportFromChart, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { ARTIFACTS, ROOT } from './support/paths.ts'
import { screenshotThemes } from './support/screenshots.ts'

const TRAINED = process.env['E2E_TRAINED_RUNS'] ?? join(ROOT, 'tests/.tmp/trained-runs')
const FMNIST = '/usr/share/datasets/fashion-mnist'
const RUNS = ['plain-seed0', 'plain-seed1'] as const
/** The run whose metrics.jsonl logs grad_norms/<param> (make_trained_runs.sh: plain-grads). */
const LOGGING = 'plain-seed1'
const EPOCHS = [1, 2, 3]
/** 4 gradients of 16 images each per checkpoint: a few seconds of forward + backward at 32². */
const IMAGES = 64
const GRADIENT_BATCH = 16
/** ResNet50: the stem, 16 bottleneck blocks and the classifier. */
const LAYER_KEYS = 18
/** ResNet50's conv and linear weights: 53 convolutions and fc. */
const WEIGHTS = 54
const LONG = 600_000

const available =
  (await stat(join(TRAINED, LOGGING, 'epoch_3.bn.onnx')).catch(() => null)) !== null &&
  (await stat(join(FMNIST, 't10k-images-idx3-ubyte.gz')).catch(() => null)) !== null
if (!available && process.env['CI']) {
  throw new Error(
    `No trained runs in ${TRAINED}: .ci/run makes them with tests/reference/make_trained_runs.sh.`,
  )
}

let app: E2eApp
const runs: RunDetail[] = []
/** Each run's BN-kept exports, by epoch. */
const kept: CheckpointInfo[][] = []

beforeAll(async () => {
  if (!available) return
  app = await startApp('gradients-geometry', { roots: [TRAINED, FMNIST] })
  for (const name of RUNS) {
    const report = await app.server.service.importRun(join(TRAINED, name), undefined, {
      check: false,
    })
    const run = app.server.service.getRun(report.run.id)
    runs.push(run)
    kept.push(EPOCHS.map((e) => run.checkpoints.find((c) => c.epoch === e && c.variant === 'bn')!))
  }
  await app.page.reload()
})

afterEach(async (context) => {
  if (available) await app.check(context)
})

afterAll(async () => {
  await app?.close()
})

const allKept = (): CheckpointInfo[] => kept.flat()
const last = (run: number): CheckpointInfo => kept[run][EPOCHS.length - 1]

function newest<T>(checkpointId: number, kind: 'gradients' | 'weight-geometry'): ResultInfo<T> {
  const summaries = app.server.service.listResults({ checkpointId, kind })
  const id = summaries.reduce((a, b) => (b.id > a.id ? b : a)).id
  return app.server.service.getResult(id) as ResultInfo<T>
}

/** As the pages write a number: four (or six) significant digits. */
const digits = (value: number, n: number): string => String(Number(value.toPrecision(n)))

async function setInteger(testid: string, value: number): Promise<void> {
  const field = app.page.locator(byTestId(testid))
  await field.fill(String(value))
  await field.dispatchEvent('change')
}

/** Starts the launcher's jobs on every BN-kept checkpoint and waits until all are done. */
async function startAllAndWait(): Promise<void> {
  const page = app.page
  const count = allKept().length
  await expect
    .poll(() => page.locator(byTestId('launcher-start')).textContent())
    .toContain(`Start ${count} jobs`)
  await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
  await page.locator(byTestId('launcher-start')).click()
  const launched = page.locator(byTestId('launcher-launched'))
  await launched.waitFor({ timeout: 60_000 })
  expect(await launched.locator(byTestId('launcher-start-error')).allTextContents()).toEqual([])
  await expect
    .poll(
      async () => {
        const failed = await launched
          .locator('[data-job-row][data-status="failed"]')
          .allTextContents()
        if (failed.length > 0) throw new Error(`A job failed: ${failed.join('\n')}`)
        return launched.locator('[data-job-row][data-status="done"]').count()
      },
      { timeout: LONG, interval: 2000 },
    )
    .toBe(count)
}

/** A picture of each chart as drawn, under tests/e2e/artifacts/ (the page screenshots show the top). */
async function shootCharts(name: string, testids: string[]): Promise<void> {
  for (const testid of testids) {
    const chart = app.page.locator(byTestId(testid))
    await chart.scrollIntoViewIfNeeded()
    await chart.screenshot({ path: join(ARTIFACTS, `${name}-${testid}.png`) })
  }
}

/** Pins a checkpoint as the baseline from its page. */
async function pin(checkpoint: CheckpointInfo): Promise<void> {
  const page = app.page
  await app.goto(`/checkpoint/${checkpoint.id}`)
  await page.locator(byTestId('checkpoint-pin')).click()
  await page.locator(byTestId('baseline-chip')).waitFor()
}

describe.skipIf(!available)('gradient norms and weight geometry of two runs', () => {
  it('imports the logged per-parameter gradient norms, nearly all of them mapped to a layer', () => {
    const logged = runs[RUNS.indexOf(LOGGING)].metrics.filter((m) =>
      m.name.startsWith('grad_norms/'),
    )
    // torchvision ResNet50 has 161 parameter tensors, each logged at every epoch.
    expect(logged).toHaveLength(161)
    expect(logged.every((m) => m.points.length === EPOCHS.length)).toBe(true)
    const mapped = logged.filter(
      (m) => layerKeyOfParameterName(m.name.slice('grad_norms/'.length)) !== null,
    )
    expect(mapped.length / logged.length).toBeGreaterThanOrEqual(0.99)
  })

  it(
    'computes the gradient norms of every epoch of both runs from the Analyze page',
    async () => {
      const page = app.page
      await app.goto(
        `/analyze?checkpoint=${allKept()
          .map((c) => c.id)
          .join(',')}&kind=gradients`,
      )
      await page.locator(byTestId('launcher-gradients')).waitFor()
      await setInteger('launcher-sample-count', IMAGES)
      await setInteger('launcher-gradient-batch', GRADIENT_BATCH)
      await startAllAndWait()
      for (const checkpoint of allKept()) {
        const result = newest<GradientsResult>(checkpoint.id, 'gradients').payload
        expect(result.gradientBatch).toBe(GRADIENT_BATCH)
        expect(result.batches).toBe(IMAGES / GRADIENT_BATCH)
        expect(result.isBnFolded).toBe(false)
        expect(result.layers).toHaveLength(LAYER_KEYS)
      }
    },
    LONG,
  )

  it('shows a checkpoint’s per-layer norms as stored, the logged norms beside them named apart', async () => {
    const page = app.page
    const checkpoint = last(RUNS.indexOf(LOGGING))
    const result = newest<GradientsResult>(checkpoint.id, 'gradients')
    await app.goto(`/result/${result.id}`)
    await page
      .locator(`${byTestId('chart-gradient-layers')} canvas`)
      .first()
      .waitFor()
    const total = result.payload.totalNorm
    expect(await page.locator(byTestId('headline-gradient-total')).textContent()).toBe(
      `${digits(total.mean, 4)} ± ${digits(total.std, 2)}`,
    )
    expect(await page.locator(byTestId('gradients-semantics')).textContent()).toContain(
      `BatchNorm in inference mode (running statistics)`,
    )
    expect(await page.locator(byTestId('gradients-semantics')).textContent()).toContain(
      `mean ± std over ${IMAGES / GRADIENT_BATCH} batches`,
    )
    expect(await page.locator(byTestId('gradients-logged-note')).textContent()).toContain(
      'logged during training (train-mode BN, averaged over the epoch)',
    )
    const rows = page.locator(byTestId('gradients-layer-row'))
    expect(await rows.count()).toBe(LAYER_KEYS)
    for (const layer of result.payload.layers) {
      const cell = page.locator(
        `${byTestId('gradients-layer-row')}[data-layer="${layer.layerKey}"] ${byTestId('gradients-layer-norm')}`,
      )
      expect(await cell.textContent({ timeout: 5000 })).toMatch(
        new RegExp(`^\\s*${digits(layer.norm.mean, 6).replace('.', '\\.')} ±`),
      )
    }
    await page
      .locator(`${byTestId('chart-gradient-trajectory')} canvas`)
      .first()
      .waitFor()
    const svg = await exportFromChart(
      page,
      'chart-gradient-layers',
      'SVG image',
      'gradient-layers.svg',
    )
    const text = svg.bytes.toString('utf8')
    for (const layer of result.payload.layers) expect(text).toContain(`>${layer.layerKey}<`)
    expect(text).toContain(`${LOGGING} · epoch 3 · logged during training`)
    await waitForIdle(page)
    await screenshotThemes(page, 'gradients-result')
    await shootCharts('gradients-result', ['chart-gradient-layers', 'chart-gradient-trajectory'])
  })

  it('colours the structure diagram by the computed gradient norm', async () => {
    const page = app.page
    const checkpoint = last(0)
    const result = newest<GradientsResult>(checkpoint.id, 'gradients').payload
    await app.goto(`/checkpoint/${checkpoint.id}`)
    await page.locator(byTestId('diagram-metric')).selectOption('grad-computed:norm')
    const stem = result.layers.find((l) => l.layerKey === 'stem')!
    const row = page.locator(`${byTestId('layer-row')}[data-key="stem"]`)
    await expect.poll(() => row.textContent()).toContain(digits(stem.norm.mean, 3))
    await shootCharts('gradients-structure', ['structure-panel'])
  })

  it('warns on a BN-folded export that its gradients are w.r.t. the folded weights', async () => {
    const page = app.page
    const folded = runs[0].checkpoints.find((c) => c.epoch === 3 && c.variant === '')!
    const stored = await app.server.service.runJob({
      kind: 'gradients',
      checkpointId: folded.id,
      modelPath: null,
      dataset: newest<GradientsResult>(last(0).id, 'gradients').provenance.dataset!,
      preprocessing: null,
      batchSize: null,
      provider: 'cpu',
      gradientBatch: GRADIENT_BATCH,
      blockOutputs: false,
    })
    await app.goto(`/result/${stored.id}`)
    const warning = page.locator(byTestId('gradients-folded'))
    expect(await warning.textContent()).toContain('folded weights W·γ/σ')
    expect(await warning.textContent()).toContain('BN-kept export')
  })

  it(
    'computes the weight geometry of every epoch of both runs and shows it as stored',
    async () => {
      const page = app.page
      await app.goto(
        `/analyze?checkpoint=${allKept()
          .map((c) => c.id)
          .join(',')}&kind=weight-geometry`,
      )
      await page.locator(byTestId('launcher-start')).waitFor()
      await screenshotThemes(page, 'geometry-launcher')
      await startAllAndWait()
      const checkpoint = last(0)
      const result = newest<WeightGeometryResult>(checkpoint.id, 'weight-geometry')
      expect(result.payload.layers).toHaveLength(WEIGHTS)
      expect(result.payload.isBnFolded).toBe(false)
      await app.goto(`/result/${result.id}`)
      await page
        .locator(`${byTestId('chart-weight-orthogonality')} canvas`)
        .first()
        .waitFor()
      await page
        .locator(`${byTestId('chart-weight-spectra')} canvas`)
        .first()
        .waitFor()
      await page
        .locator(`${byTestId('chart-weight-geometry-trajectory')} canvas`)
        .first()
        .waitFor()
      expect(await page.locator(byTestId('headline-geometry-orthogonality')).textContent()).toBe(
        digits(result.payload.summary.orthogonality, 4),
      )
      expect(await page.locator(byTestId('geometry-layer-row')).count()).toBe(WEIGHTS)
      const cells = await page.locator(byTestId('geometry-orthogonality')).allTextContents()
      const byDepth = [...result.payload.layers].sort((a, b) => a.depth - b.depth)
      expect(cells.map((c) => c.trim())).toEqual(byDepth.map((l) => digits(l.orthogonality, 6)))
      await page.locator(byTestId('geometry-measure')).selectOption('regularizer')
      const svg = await exportFromChart(
        page,
        'chart-weight-orthogonality',
        'SVG image',
        'weight-orthogonality.svg',
      )
      // The 1×1 expansions (4·planes rows of planes columns) cannot reach 0: their floor is drawn.
      expect(svg.bytes.toString('utf8')).toContain('floor (n − m)/n² when n &gt; m')
      await waitForIdle(page)
      await screenshotThemes(page, 'geometry-result')
      await shootCharts('geometry-result', [
        'chart-weight-orthogonality',
        'chart-weight-spectra',
        'chart-weight-geometry-trajectory',
      ])
    },
    LONG,
  )

  it('compares both runs side by side, epoch by epoch', async () => {
    const page = app.page
    await pin(last(0))
    const others = allKept().filter((c) => c.id !== last(0).id)
    for (const kind of ['gradients', 'weight-geometry'] as const) {
      if (kind === 'gradients')
        await app.goto(`/compare?checkpoints=${others.map((c) => c.id).join(',')}&kind=${kind}`)
      else await page.locator(byTestId(`compare-kind-${kind}`)).check()
      await expect
        .poll(() => page.locator(`${byTestId('compare-dataset')} option:checked`).textContent())
        .toMatch(new RegExp(`${allKept().length} of ${allKept().length} checkpoints`))
      const prefix = kind === 'gradients' ? 'gradient' : 'weight-geometry'
      const trajectory = `compare-chart-${prefix}-trajectory`
      await page
        .locator(`${byTestId(trajectory)} canvas`)
        .first()
        .waitFor()
      const svg = (
        await exportFromChart(page, trajectory, 'SVG image', `${kind}-trajectory.svg`)
      ).bytes.toString('utf8')
      for (const name of RUNS) expect(svg).toContain(`${name} (bn)`)
      if (kind === 'gradients') {
        const stored = newest<GradientsResult>(last(1).id, 'gradients').payload
        expect(
          await page.locator(byTestId(`value-totalNorm-${last(1).id}`)).textContent(),
        ).toContain(stored.totalNorm.mean.toFixed(4))
      }
      await waitForIdle(page)
      await screenshotThemes(page, `${kind}-compare`)
      await shootCharts(`${kind}-compare`, [
        kind === 'gradients'
          ? 'compare-chart-gradient-layers'
          : 'compare-chart-weight-orthogonality',
        trajectory,
      ])
    }
  })
})
