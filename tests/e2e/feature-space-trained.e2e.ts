/// <reference lib="dom" />
// Issue 16 on real runs at small scale: neuron-subset probes and T3A on the cached penultimate
// features of a plain SGD and a DAMP ResNet50 trained by tests/reference/make_trained_runs.sh.
// Both are launched from the Analyze page and compared side by side; what the pages show is read
// back against the stored results, the feature cache is shown to spare a second analysis of the
// same images every forward pass, T3A's base accuracy on each corruption cell is checked against
// the sweep's own evaluation of that cell, and the CLI answers consistently.
import { spawnSync } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  CheckpointInfo,
  CorruptionSweep,
  EvaluationResult,
  ProbesResult,
  ResultInfo,
  T3aResult,
} from '../../electron/api/contract/index.ts'
import { byTestId, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { ROOT } from './support/paths.ts'
import { screenshotThemes } from './support/screenshots.ts'

const TRAINED = process.env['E2E_TRAINED_RUNS'] ?? join(ROOT, 'tests/.tmp/trained-runs')
const FMNIST = '/usr/share/datasets/fashion-mnist'
const RUNS = { plain: 'plain-seed0', damp: 'damp-seed0' } as const
const KEYS = ['plain', 'damp'] as const
const LAST_EPOCH = 3
const TRAIN_SAMPLE = 3000
const TEST_SAMPLE = 1000
/** A few fractions from the paper's grid, the full layer included: the PCA baselines cost most. */
const FRACTIONS = [0.001, 0.01, 0.1, 0.5, 1]
const SEEDS = 5
/** The sweep T3A adapts to, in the protocol's order (gaussian_noise is listed before fog). */
const SWEEP = { sample: 300, corruptions: ['gaussian_noise', 'fog'], severities: [1, 3] }
const SWEEP_LABELS = [
  'clean',
  ...SWEEP.corruptions.flatMap((c) => SWEEP.severities.map((s) => `${c} ${s}`)),
]
const CLI = join(ROOT, 'bin/resnet-workbench.js')
/** Feature extraction and probes of two ResNet50s on 2 cores. */
const LONG = 900_000

const available =
  (await stat(join(TRAINED, RUNS.damp, `epoch_${LAST_EPOCH}.onnx`)).catch(() => null)) !== null &&
  (await stat(join(FMNIST, 'train-images-idx3-ubyte.gz')).catch(() => null)) !== null
if (!available && process.env['CI']) {
  throw new Error(
    `No trained runs in ${TRAINED}: .ci/run makes them with tests/reference/make_trained_runs.sh.`,
  )
}

let app: E2eApp
const final: Record<'plain' | 'damp', CheckpointInfo> = {} as never

beforeAll(async () => {
  if (!available) return
  app = await startApp('feature-space-trained', { roots: [TRAINED, FMNIST] })
  for (const key of KEYS) {
    const report = await app.server.service.importRun(join(TRAINED, RUNS[key]), undefined, {
      check: false,
    })
    const checkpoints = app.server.service.getRun(report.run.id).checkpoints
    final[key] = checkpoints.find((c) => c.epoch === LAST_EPOCH && c.variant === '')!
  }
  await app.page.reload()
})

afterEach(async (context) => {
  if (available) await app.check(context)
})

afterAll(async () => {
  await app?.close()
})

const pct = (x: number): string => `${(100 * x).toFixed(2)}`

function stored<T>(id: number): ResultInfo<T> {
  return app.server.service.getResult(id) as ResultInfo<T>
}

/** The newest stored result of `kind` for a checkpoint. */
function latest<T>(key: 'plain' | 'damp', kind: 'probes' | 't3a'): ResultInfo<T> {
  const summaries = app.server.service.listResults({ checkpointId: final[key].id, kind })
  const newest = summaries.reduce((a, b) => (b.id > a.id ? b : a))
  return stored<T>(newest.id)
}

/** The CLI on the app's workspace, with --json; its parsed stdout. */
function cli<T>(args: string[]): T {
  const run = spawnSync(
    process.execPath,
    [CLI, '--workspace', join(app.temp, 'ws'), '--json', ...args],
    { encoding: 'utf8', timeout: LONG },
  )
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as T
}

const checkpointList = () => `${final.plain.id},${final.damp.id}`
const at = (key: 'plain' | 'damp') => `${RUNS[key]}@${LAST_EPOCH}`

/** Sets an integer field as typing a number and leaving it does. */
async function setInteger(testid: string, value: number): Promise<void> {
  const field = app.page.locator(byTestId(testid))
  await field.fill(String(value))
  await field.dispatchEvent('change')
}

/** Starts the launcher's job on both checkpoints and waits until both are done. */
async function startBothAndWait(): Promise<void> {
  const page = app.page
  await expect
    .poll(() => page.locator(byTestId('launcher-start')).textContent())
    .toContain('Start 2 jobs')
  await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
  const launched = page.locator(byTestId('launcher-launched'))
  // The launcher still lists an earlier launch from this route: wait for the new jobs' rows.
  const rowIds = (status: string) =>
    launched
      .locator(`[data-job-row]${status}`)
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid') ?? ''))
  const earlier = new Set(await rowIds(''))
  await page.locator(byTestId('launcher-start')).click()
  await launched.waitFor({ timeout: 60_000 })
  const errors = await launched.locator(byTestId('launcher-start-error')).allTextContents()
  expect(errors).toEqual([])
  await expect
    .poll(
      async () => {
        const failed = await launched
          .locator('[data-job-row][data-status="failed"]')
          .allTextContents()
        if (failed.length > 0) throw new Error(`A job failed: ${failed.join('\n')}`)
        return (await rowIds('[data-status="done"]')).filter((id) => !earlier.has(id)).length
      },
      { timeout: LONG, interval: 2000 },
    )
    .toBe(2)
}

/** Scrolls the page so that `locator` is at the top of the window (the table and the chart below). */
async function scrollToTop(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'start' }))
}

/** Compare with the plain run pinned as baseline and the DAMP run beside it. */
async function openCompare(kind: 'probes' | 't3a', fingerprint: string | null): Promise<void> {
  const page = app.page
  if ((await page.locator(byTestId('baseline-chip')).count()) === 0) {
    await app.goto(`/checkpoint/${final.plain.id}`)
    await page.locator(byTestId('checkpoint-pin')).click()
    await page.locator(byTestId('baseline-chip')).waitFor()
  }
  await app.goto(`/compare?checkpoints=${final.damp.id}&kind=${kind}`)
  if (fingerprint !== null)
    await expect
      .poll(async () => {
        await page.locator(byTestId('compare-dataset')).selectOption(fingerprint)
        return page.locator(byTestId('compare-dataset')).inputValue()
      })
      .toBe(fingerprint)
  await expect
    .poll(() => page.locator(`${byTestId('compare-dataset')} option:checked`).textContent())
    .toMatch(/2 of 2 checkpoints/)
}

describe.skipIf(!available)('probes and T3A on a baseline and a DAMP run', () => {
  it(
    'probes both final checkpoints from the Analyze page and compares their curves',
    async () => {
      const page = app.page
      await app.goto(`/analyze?checkpoint=${checkpointList()}&kind=probes`)
      await page.locator(byTestId('launcher-probes')).waitFor()
      // The training images: Fashion-MNIST's train split, added as a dataset.
      await page.locator(byTestId('dataset-add-toggle')).first().click()
      await page.locator(byTestId('dataset-add-path')).fill(FMNIST)
      await page.getByPlaceholder('test, val, t10k … (empty: all)').fill('train')
      await page.locator(byTestId('dataset-add')).click()
      // Reading the 60 000 training images' labels takes a while on a busy machine.
      await page
        .locator(byTestId('dataset-add-path'))
        .waitFor({ state: 'detached', timeout: 120_000 })
      expect(await page.locator(byTestId('dataset-select')).first().inputValue()).toContain(
        '"split":"train"',
      )
      await setInteger('launcher-sample-count', TRAIN_SAMPLE)
      // The test images: the runs' t10k split, sampled.
      await page.locator(byTestId('launcher-probes-test-from')).selectOption('dataset')
      await setInteger('launcher-probes-test-sample', TEST_SAMPLE)
      await page.locator(byTestId('launcher-probe-fractions')).fill(FRACTIONS.join(', '))
      await setInteger('launcher-probe-seeds', SEEDS)
      expect(await page.locator(byTestId('launcher-probe-pca')).isChecked()).toBe(true)
      expect(await page.locator(byTestId('launcher-probe-randproj')).isChecked()).toBe(true)
      await page.locator(byTestId('launcher-probe-exact')).check()
      await page.locator(byTestId('launcher-probe-exact-fractions')).fill('0.1')
      await expect
        .poll(() => page.locator(byTestId('launcher-estimate')).textContent(), { timeout: 60_000 })
        .toContain(`${TRAIN_SAMPLE} images`)
      await startBothAndWait()

      const results = KEYS.map((key) => latest<ProbesResult>(key, 'probes'))
      for (const result of results) {
        const p = result.payload
        expect(p.dim).toBe(2048)
        expect(p.numTrain).toBe(TRAIN_SAMPLE)
        expect(p.numTest).toBe(TEST_SAMPLE)
        expect(p.features.train).toMatchObject({ cache: 'computed', forwardPasses: TRAIN_SAMPLE })
        expect(p.features.test).toMatchObject({ cache: 'computed', forwardPasses: TEST_SAMPLE })
        const neurons = p.curve.filter((c) => c.basis === 'neurons' && c.solver === 'ridge')
        expect(neurons.map((c) => c.fraction)).toEqual(FRACTIONS)
        expect(neurons.map((c) => c.seeds)).toEqual(FRACTIONS.map((f) => (f === 1 ? 1 : SEEDS)))
        for (const basis of ['pca-top', 'pca-bottom', 'random-projection'])
          expect(p.curve.some((c) => c.basis === basis)).toBe(true)
        const exact = p.points.filter((point) => point.solver === 'logistic')
        expect(exact.map((point) => [point.fraction, point.seed])).toEqual([[0.1, 1]])
        // The full-layer probe is the curve's point at f = 1, and a trained ResNet50 separates
        // Fashion-MNIST far above chance.
        expect(neurons.at(-1)!.accuracy.mean).toBe(p.fullLayer.accuracy)
        expect(p.fullLayer.accuracy).toBeGreaterThan(0.6)
      }

      // The result page's headline and the stored numbers.
      await app.goto(`/result/${results[0].id}`)
      const full = results[0].payload.fullLayer.accuracy
      await expect
        .poll(() => page.locator(byTestId('headline-probe-full')).textContent())
        .toContain(pct(full))
      expect(await page.locator(byTestId('probes-features-train')).textContent()).toContain(
        `${TRAIN_SAMPLE.toLocaleString()} forward passes`,
      )

      await openCompare('probes', null)
      await page
        .locator(`${byTestId('compare-chart-probe-accuracy')} canvas`)
        .first()
        .waitFor({ timeout: 30_000 })
      for (const [i, key] of KEYS.entries()) {
        const p = results[i].payload
        const id = final[key].id
        expect(await page.locator(byTestId(`value-fullAccuracy-${id}`)).textContent()).toContain(
          pct(p.fullLayer.accuracy),
        )
        const dr90 = p.diffusedRedundancy.find((dr) => dr.delta === 0.9)!
        if (dr90.value !== null)
          expect(await page.locator(byTestId(`value-dr90-${id}`)).textContent()).toContain(
            dr90.value.toFixed(3),
          )
      }
      await waitForIdle(page)
      await scrollToTop(page.locator(byTestId('compare-table')))
      await screenshotThemes(page, 'feature-space-probes-compare')
    },
    LONG,
  )

  it(
    'answers a second probes request on the same images without a forward pass (CLI)',
    () => {
      const ui = latest<ProbesResult>('damp', 'probes').payload
      const result = cli<ResultInfo<ProbesResult>>([
        'probes',
        at('damp'),
        '--sample',
        String(TEST_SAMPLE),
        '--train-sample',
        String(TRAIN_SAMPLE),
        '--fractions',
        '0.01,1',
        '--seeds',
        '2',
        '--no-pca',
        '--no-random-projection',
      ])
      expect(result.provenance.parameters['forwardPasses']).toBe(0)
      expect(result.payload.features.train).toMatchObject({ cache: 'hit', forwardPasses: 0 })
      expect(result.payload.features.test).toMatchObject({ cache: 'hit', forwardPasses: 0 })
      // The same features, validation part and subsets (seeds 1 and 2): the same probes.
      expect(result.payload.fullLayer.accuracy).toBe(ui.fullLayer.accuracy)
      for (const point of result.payload.points) {
        const same = ui.points.find(
          (p) =>
            p.basis === point.basis &&
            p.solver === point.solver &&
            p.fraction === point.fraction &&
            p.seed === point.seed,
        )!
        expect(point.accuracy).toBe(same.accuracy)
        expect(point.regularization).toBe(same.regularization)
      }
    },
    LONG,
  )

  it(
    'runs T3A from the Analyze page on the probes’ test images, read from the feature cache',
    async () => {
      const page = app.page
      await app.goto(`/analyze?checkpoint=${checkpointList()}&kind=t3a`)
      await page.locator(byTestId('launcher-t3a')).waitFor()
      await setInteger('launcher-sample-count', TEST_SAMPLE)
      await expect
        .poll(() => page.locator(byTestId('launcher-estimate')).textContent(), { timeout: 60_000 })
        .toContain(`${TEST_SAMPLE} images`)
      await startBothAndWait()
      for (const key of KEYS) {
        const [domain] = latest<T3aResult>(key, 't3a').payload.domains
        expect(domain.numImages).toBe(TEST_SAMPLE)
        expect(domain.predicted).toBe(TEST_SAMPLE)
        expect(domain.features).toMatchObject({ cache: 'hit', forwardPasses: 0 })
        // T3A's classifier starts as the model's own: the base accuracy is the model's top-1,
        // and neither is at chance on a trained model.
        expect(domain.base.accuracy).toBeGreaterThan(0.6)
        expect(domain.filters.map((f) => f.filter)).toEqual([1, 5, 20, 50, 100, 'all'])
      }
    },
    LONG,
  )

  it(
    'adapts to the cells of a stored corruption sweep, whose evaluations give the base accuracies',
    async () => {
      const page = app.page
      const sweep = cli<CorruptionSweep>([
        'corrupt',
        at('plain'),
        '--sample',
        String(SWEEP.sample),
        '--corruptions',
        SWEEP.corruptions.join(','),
        '--severities',
        SWEEP.severities.join(','),
      ])
      const [swept] = sweep.checkpoints
      expect(swept.cells).toHaveLength(SWEEP.corruptions.length * SWEEP.severities.length)

      await app.goto(`/analyze?checkpoint=${checkpointList()}&kind=t3a`)
      await page.locator(byTestId('launcher-t3a')).waitFor()
      await page.locator(byTestId('launcher-t3a-domains')).selectOption('sweep')
      await expect
        .poll(() => page.locator(`${byTestId('launcher-t3a-sweep')} option:checked`).textContent())
        .toContain(RUNS.plain)
      expect(await page.locator(byTestId('launcher-t3a')).textContent()).toContain(
        `${SWEEP_LABELS.length} domains: ${SWEEP_LABELS.join(', ')}`,
      )
      await startBothAndWait()

      const results = KEYS.map((key) => latest<T3aResult>(key, 't3a'))
      for (const result of results) {
        expect(result.provenance.dataset!.sample).toEqual({ count: SWEEP.sample, seed: 0 })
        expect(result.payload.domains.map((d) => d.label)).toEqual(SWEEP_LABELS)
        for (const domain of result.payload.domains) expect(domain.numImages).toBe(SWEEP.sample)
      }
      // The sweep evaluated plain's cells on the same images: T3A's base classifier is the
      // model, so its top-1 on each domain is that evaluation's.
      const evaluated = new Map([
        ['clean', swept.clean.resultId],
        ...swept.cells.map((c) => [`${c.corruption} ${c.severity}`, c.resultId] as const),
      ])
      for (const domain of results[0].payload.domains) {
        const evaluation = stored<EvaluationResult>(evaluated.get(domain.label)!).payload
        expect(evaluation.numImages).toBe(SWEEP.sample)
        expect(domain.base.accuracy, domain.label).toBeCloseTo(evaluation.top1, 12)
      }

      await app.goto(`/result/${results[0].id}`)
      await page.locator(byTestId('t3a-table')).waitFor()
      for (const domain of results[0].payload.domains)
        expect(await page.locator(byTestId(`t3a-base-${domain.label}`)).textContent()).toContain(
          pct(domain.base.accuracy),
        )
      await page
        .locator(`${byTestId('chart-t3a-domains')} canvas`)
        .first()
        .waitFor()
      await waitForIdle(page)
      await screenshotThemes(page, 'feature-space-t3a-corruptions')
      await page.locator(byTestId('t3a-supports-domain')).selectOption('fog 3')
      await page.locator(byTestId('chart-t3a-supports')).scrollIntoViewIfNeeded()
      await screenshotThemes(page, 'feature-space-t3a-supports')

      await openCompare('t3a', results[0].provenance.datasetFingerprint)
      await page
        .locator(`${byTestId('compare-chart-t3a-domains')} canvas`)
        .first()
        .waitFor({ timeout: 30_000 })
      for (const [i, key] of KEYS.entries()) {
        const domains = results[i].payload.domains
        const mean = domains.reduce((sum, d) => sum + d.base.accuracy, 0) / domains.length
        expect(
          await page.locator(byTestId(`value-baseAccuracy-${final[key].id}`)).textContent(),
        ).toContain(pct(mean))
      }
      await waitForIdle(page)
      await scrollToTop(page.locator(byTestId('compare-table')))
      await screenshotThemes(page, 'feature-space-t3a-compare')
    },
    LONG,
  )

  it(
    'gives the same T3A numbers from the CLI on the same cells',
    () => {
      const ui = latest<T3aResult>('plain', 't3a').payload
      const result = cli<ResultInfo<T3aResult>>([
        't3a',
        at('plain'),
        '--sample',
        String(SWEEP.sample),
        '--corruptions',
        SWEEP.corruptions.join(','),
        '--severities',
        SWEEP.severities.join(','),
      ])
      expect(result.payload.domains.map((d) => d.label)).toEqual(SWEEP_LABELS)
      for (const domain of result.payload.domains) {
        const same = ui.domains.find((d) => d.label === domain.label)!
        expect(domain.base.accuracy).toBe(same.base.accuracy)
        expect(domain.filters.map((f) => f.accuracy)).toEqual(same.filters.map((f) => f.accuracy))
      }
    },
    LONG,
  )
})
