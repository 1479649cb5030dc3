/// <reference lib="dom" />
// Compare: a pinned baseline checkpoint against another one, evaluation and activation statistics
// side by side with deltas; a missing result computed from the compare page.
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
let first: CheckpointInfo
let last: CheckpointInfo

beforeAll(async () => {
  app = await startApp('compare')
  const [run] = await importSharedRuns(app, 1)
  const checkpoints = checkpointsOf(app, run.id)
  first = checkpoints.find((c) => c.epoch === 1)!
  last = checkpoints.find((c) => c.epoch === 3)!
  await evaluateCheckpoint(app, first.id)
  await activationStats(app, first.id)
  await activationStats(app, last.id)
})

afterEach((context) => app.check(context))

/** The evaluation result of a checkpoint, once stored. */
function resultIdOf(checkpointId: number): number {
  const summaries = app.server.service.listResults({ checkpointId, kind: 'evaluate' })
  return summaries[0].id
}

afterAll(async () => {
  await app?.close()
})

describe('the compare view', () => {
  it('asks for a baseline first', async () => {
    await app.goto('/compare')
    await app.page.locator(byTestId('compare-no-baseline')).waitFor()
  })

  it('computes the missing evaluation and shows both with deltas', async () => {
    const page = app.page
    await app.goto(`/checkpoint/${first.id}`)
    await page.locator(byTestId('checkpoint-pin')).click()
    await page.locator(byTestId('baseline-chip')).waitFor()
    await page.locator(byTestId('nav-compare')).click()
    await page.locator(byTestId(`compare-checkpoints-checkpoint-${last.id}`)).click()
    await page.locator(byTestId('compare-kind-evaluate')).check()
    await page.locator(byTestId(`compare-compute-${last.id}`)).click()
    await page.locator(byTestId(`delta-top1-${last.id}`)).waitFor({ timeout: 60_000 })
    expect(await page.locator(byTestId(`compare-row-${first.id}`)).count()).toBe(1)
    await page.locator(byTestId(`interval-top1-${last.id}`)).waitFor()
    const paired = page.locator(byTestId(`paired-${resultIdOf(last.id)}`))
    await paired.waitFor({ timeout: 30_000 })
    expect(await paired.textContent()).toMatch(/pp\s*\[[−+±][\d.]+, [−+±][\d.]+\].*p = /s)
    await waitForIdle(page)
    await screenshotThemes(page, 'compare-evaluation')
    await page.locator(byTestId('compare-difference')).check()
    await waitForIdle(page)
    await page.locator(byTestId('compare-difference')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'compare-evaluation-difference')
  })

  it('compares activation statistics layer by layer', async () => {
    const page = app.page
    await page.locator(byTestId('compare-kind-activation-stats')).check()
    await page.locator(byTestId('compare-layer-metric')).waitFor()
    await waitForIdle(page)
    await screenshotThemes(page, 'compare-activation')
  })
})
