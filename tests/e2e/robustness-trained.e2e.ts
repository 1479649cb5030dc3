/// <reference lib="dom" />
// The baseline-versus-DAMP comparison of the robustness issue, on real runs at small scale: a plain
// SGD and a DAMP (σ = 0.1) ResNet50 trained by tests/reference/make_trained_runs.sh. Both are swept
// from the UI on a seeded subset with the plain run as CE reference, a CLI sweep of both is killed
// with SIGKILL and resumed, and their weight-noise curves on the BatchNorm-kept exports are drawn
// side by side. The protocol's numbers are recomputed here from the stored cells.
import { spawn, spawnSync } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  CheckpointInfo,
  CorruptionSweep,
  EvaluationResult,
  ResultInfo,
  WeightNoiseResult,
} from '../../electron/api/contract/index.ts'
import { corruptionSweep } from '../../electron/api/analyses/robustness/sweep.ts'
import { byTestId, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { ROOT } from './support/paths.ts'
import { screenshotThemes } from './support/screenshots.ts'

const TRAINED = process.env['E2E_TRAINED_RUNS'] ?? join(ROOT, 'tests/.tmp/trained-runs')
const FMNIST = '/usr/share/datasets/fashion-mnist'
const RUNS = { plain: 'plain-seed0', damp: 'damp-seed0' } as const
const LAST_EPOCH = 3
const SAMPLE = 300
/** One corruption of each family: noise, blur, weather, digital. */
const CHOSEN = ['gaussian_noise', 'defocus_blur', 'fog', 'jpeg_compression'] as const
const SIGMAS = [0, 0.05, 0.1, 0.2]
const CLI = join(ROOT, 'bin/resnet-workbench.js')
/** Each test computes dozens of ResNet50 evaluations on 2 cores. */
const LONG = 900_000

const available =
  (await stat(join(TRAINED, RUNS.damp, `epoch_${LAST_EPOCH}.bn.onnx`)).catch(() => null)) !==
    null && (await stat(join(FMNIST, 't10k-images-idx3-ubyte.gz')).catch(() => null)) !== null
if (!available && process.env['CI']) {
  throw new Error(
    `No trained runs in ${TRAINED}: .ci/run makes them with tests/reference/make_trained_runs.sh.`,
  )
}

let app: E2eApp
const final: Record<'plain' | 'damp', CheckpointInfo> = {} as never
const finalBn: Record<'plain' | 'damp', CheckpointInfo> = {} as never

beforeAll(async () => {
  if (!available) return
  app = await startApp('robustness-trained', { roots: [TRAINED, FMNIST] })
  for (const key of ['plain', 'damp'] as const) {
    const report = await app.server.service.importRun(join(TRAINED, RUNS[key]), undefined, {
      check: false,
    })
    const checkpoints = app.server.service.getRun(report.run.id).checkpoints
    final[key] = checkpoints.find((c) => c.epoch === LAST_EPOCH && c.variant === '')!
    finalBn[key] = checkpoints.find((c) => c.epoch === LAST_EPOCH && c.variant === 'bn')!
  }
  await app.page.reload()
})

afterEach(async (context) => {
  if (available) await app.check(context)
})

afterAll(async () => {
  await app?.close()
})

function evaluation(id: number): ResultInfo<EvaluationResult> {
  return app.server.service.getResult(id) as ResultInfo<EvaluationResult>
}

/** mCE of one checkpoint against the reference, from the stored cells (Hendrycks & Dietterich, eq. 1). */
function mceFromCells(
  sweep: CorruptionSweep,
  id: number,
  referenceId: number,
  corruptions: readonly string[] = CHOSEN,
): number {
  const errors = (checkpointId: number, corruption: string) =>
    sweep.checkpoints
      .find((c) => c.checkpointId === checkpointId)!
      .cells.filter((cell) => cell.corruption === corruption)
      .reduce((sum, cell) => sum + 1 - evaluation(cell.resultId).payload.top1, 0)
  const ces = corruptions.map((c) => errors(id, c) / errors(referenceId, c))
  return ces.reduce((a, b) => a + b, 0) / ces.length
}

describe.skipIf(!available)('a baseline and a DAMP run under corruptions and weight noise', () => {
  it(
    'sweeps both from the UI with the baseline as CE reference',
    async () => {
      const page = app.page
      const ids = [final.plain.id, final.damp.id]
      await app.goto(`/robustness?checkpoints=${ids.join(',')}`)
      await page.locator(byTestId('robustness-view')).waitFor()
      for (const id of ids)
        await expect
          .poll(() =>
            page
              .locator(byTestId(`sweep-checkpoints-checkpoint-${id}`))
              .getAttribute('aria-pressed'),
          )
          .toBe('true')
      await page.locator(byTestId('sweep-reference')).selectOption(String(final.plain.id))
      for (const box of await page.locator('[data-testid^="sweep-c-"]').all()) await box.uncheck()
      for (const name of CHOSEN) await page.locator(byTestId(`sweep-c-${name}`)).check()
      await page.locator(byTestId('sweep-sample')).fill(String(SAMPLE))
      const cells = 2 * (CHOSEN.length * 5 + 1)
      await expect
        .poll(() => page.locator(byTestId('sweep-start')).textContent())
        .toContain(`Sweep ${cells} evaluations`)
      await expect
        .poll(() => page.locator(byTestId('sweep-estimate')).textContent(), { timeout: 60_000 })
        .toContain(`${SAMPLE} images per cell`)
      await page.locator(byTestId('sweep-start')).click()
      for (const id of ids)
        await page.locator(byTestId(`sweep-${id}`)).waitFor({ timeout: 900_000 })

      const start = await app.server.service.startDerived(corruptionSweep, {
        checkpointIds: ids,
        dataset: evaluation(
          app.server.service.listResults({ checkpointId: final.plain.id, kind: 'evaluate' })[0].id,
        ).provenance.dataset!,
        preprocessing: null,
        provider: 'cpu',
        corruptions: [...CHOSEN],
        severities: [1, 2, 3, 4, 5],
        seed: 0,
        jpegQuality: null,
        padding: 'before',
        referenceCheckpointId: final.plain.id,
      })
      expect(start.jobs).toHaveLength(0) // every cell is stored: the UI's sweep is this request
      const sweep = start.result!
      expect(sweep.numImages).toBe(SAMPLE)
      expect(sweep.normalisation).toBe('reference')
      const [plain, damp] = sweep.checkpoints
      expect(plain.mce).toBeCloseTo(1, 12)
      expect(damp.mce).toBeCloseTo(mceFromCells(sweep, final.damp.id, final.plain.id), 12)
      expect(damp.cells).toHaveLength(CHOSEN.length * 5)
      for (const cell of damp.cells)
        expect(evaluation(cell.resultId).payload.numImages).toBe(SAMPLE)
      const panel = page.locator(byTestId(`sweep-${final.damp.id}`))
      expect(await panel.textContent()).toContain((100 * damp.mce!).toFixed(1))
      expect(await page.locator(byTestId('sweep-note')).textContent()).toContain(RUNS.plain)
      await waitForIdle(page)
      await page.locator(byTestId(`sweep-${final.plain.id}`)).scrollIntoViewIfNeeded()
      await screenshotThemes(page, 'robustness-trained-sweep')
    },
    LONG,
  )

  it(
    'resumes a CLI sweep of both runs killed with SIGKILL, recomputing no finished cell',
    async () => {
      const workspace = join(app.temp, 'ws')
      const args = [
        '--workspace',
        workspace,
        'corrupt',
        `${RUNS.damp}@${LAST_EPOCH}`,
        '--and',
        `${RUNS.plain}@${LAST_EPOCH}`,
        '--reference',
        `${RUNS.plain}@${LAST_EPOCH}`,
        '--sample',
        String(SAMPLE),
        '--corruptions',
        'contrast,elastic_transform',
        '--severities',
        '1,2,3,4,5',
      ]
      const evaluations = () => app.server.service.listResults({ kind: 'evaluate' }).length
      const jobs = () => app.server.service.listJobs().length
      const before = evaluations()
      const stored = new Set(app.server.service.listResults({ kind: 'evaluate' }).map((r) => r.id))
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const exited = new Promise((resolve) => child.once('exit', resolve))
      while (evaluations() < before + 3) {
        if (child.exitCode !== null)
          throw new Error(`The CLI sweep ended before it could be killed:\n${stderr}`)
        await new Promise((resume) => setTimeout(resume, 100))
      }
      child.kill('SIGKILL')
      await exited
      const finished = evaluations()
      const jobsBefore = jobs()

      const again = spawnSync(process.execPath, [CLI, '--json', ...args], {
        encoding: 'utf8',
        timeout: LONG,
      })
      expect(again.status, again.stderr).toBe(0)
      const sweep = JSON.parse(again.stdout) as CorruptionSweep
      const ids = sweep.checkpoints.flatMap((c) => [
        c.clean.resultId,
        ...c.cells.map((cell) => cell.resultId),
      ])
      expect(ids).toHaveLength(2 * (2 * 5 + 1))
      expect(new Set(ids).size).toBe(ids.length)
      // The cell counter: one job per cell the killed run had not stored, and one result per cell.
      const added = evaluations() - finished
      expect(jobs() - jobsBefore).toBe(added)
      expect(evaluations()).toBe(before + ids.filter((id) => !stored.has(id)).length)
      expect(sweep.checkpoints[0].mce).toBeCloseTo(
        mceFromCells(sweep, final.damp.id, final.plain.id, ['contrast', 'elastic_transform']),
        12,
      )
    },
    LONG,
  )

  it(
    'draws the weight-noise curves of both BatchNorm-kept exports side by side',
    async () => {
      const page = app.page
      for (const key of ['plain', 'damp'] as const) {
        const checkpoint = finalBn[key]
        expect(checkpoint.isBnFolded).toBe(false)
        await app.goto(`/checkpoint/${checkpoint.id}`)
        await page.locator(byTestId('checkpoint-weight-noise')).click()
        await page.locator(byTestId('launcher')).waitFor()
        await page.locator(byTestId('launcher-sigmas')).fill(SIGMAS.join(', '))
        await page.locator(byTestId('launcher-noise-samples')).fill('3')
        await page.locator(byTestId('launcher-noise-samples')).dispatchEvent('change')
        await page.locator(byTestId('launcher-sample-count')).fill(String(SAMPLE))
        await page.locator(byTestId('launcher-sample-count')).dispatchEvent('change')
        await expect.poll(() => page.locator(byTestId('launcher-start')).isEnabled()).toBe(true)
        await page.locator(byTestId('launcher-start')).click()
        await page
          .locator(`${byTestId('chart-weight-noise')} canvas`)
          .first()
          .waitFor({ timeout: LONG })
        expect(await page.locator(byTestId('weight-noise-folded')).count()).toBe(0)
      }
      const curves = ['plain', 'damp'].map((key) => {
        const [summary] = app.server.service.listResults({
          checkpointId: finalBn[key as 'plain' | 'damp'].id,
          kind: 'weight-noise',
        })
        return app.server.service.getResult(summary.id).payload as WeightNoiseResult
      })
      for (const curve of curves) {
        expect(curve.levels.map((l) => l.sigma)).toEqual(SIGMAS)
        expect(curve.levels[0].top1.std).toBe(0) // σ = 0 is the clean model, once
      }
      await app.goto(`/checkpoint/${finalBn.plain.id}`)
      await page.locator(byTestId('checkpoint-pin')).click()
      await page.locator(byTestId('baseline-chip')).waitFor()
      await page.locator(byTestId('nav-compare')).click()
      await page.locator(byTestId(`compare-checkpoints-checkpoint-${finalBn.damp.id}`)).click()
      await page.locator(byTestId('compare-kind-weight-noise')).check()
      await page
        .locator(`${byTestId('compare-chart-weight-noise')} canvas`)
        .first()
        .waitFor({ timeout: 30_000 })
      await expect
        .poll(() => page.locator(`${byTestId('compare-dataset')} option:checked`).textContent())
        .toMatch(/2 of 2 checkpoints/)
      await waitForIdle(page)
      await screenshotThemes(page, 'robustness-trained-weight-noise')
    },
    LONG,
  )
})
