/// <reference lib="dom" />
// Robustness with corrupted images read from a folder: the sweep form lists the corruptions a
// CIFAR-10-C-layout folder holds (written by numpy from the run's test images), and the sweep's
// cells are evaluations of that folder's slices.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../electron/api/contract/index.ts'
import { byTestId, checkpointsOf, importSharedRuns, waitForIdle } from './support/actions.ts'
import { startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { SHARED_FIXTURES } from './support/fixtures.ts'
import { screenshotThemes } from './support/screenshots.ts'

const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('../reference/cifar_c_fixture.py', import.meta.url))
const numpyMissing = spawnSync(PYTHON, ['-c', 'import numpy']).status !== 0

let app: E2eApp
let last: CheckpointInfo

beforeAll(async () => {
  if (numpyMissing) return
  app = await startApp('robustness-precomputed', {
    prepare: (temp) => {
      const made = spawnSync(PYTHON, [
        SCRIPT,
        SHARED_FIXTURES.testSet,
        join(temp, 'fmnist-c'),
        'fog',
        'gaussian_noise',
      ])
      if (made.status !== 0) throw new Error(String(made.stderr))
      return Promise.resolve()
    },
  })
  const [run] = await importSharedRuns(app, 1)
  last = checkpointsOf(app, run.id)
    .filter((c) => c.variant === '')
    .at(-1)!
})

afterEach((context) => app?.check(context))

afterAll(async () => {
  await app?.close()
})

describe.skipIf(numpyMissing)('a sweep from a folder of corrupted images', () => {
  it('offers the folder’s corruptions and evaluates its slices', async () => {
    const page = app.page
    await app.goto(`/checkpoint/${last.id}`)
    await page.locator(byTestId('checkpoint-robustness')).click()
    await page.locator(byTestId('robustness-view')).waitFor()
    await page.locator(byTestId('sweep-from-folder')).check()
    const path = page.locator(byTestId('sweep-precomputed-path'))
    await path.fill(join(app.temp, 'fmnist-c'))
    await path.blur()
    await expect
      .poll(() => page.locator(byTestId('sweep-precomputed-summary')).textContent())
      .toContain('CIFAR-10-C layout, 2 corruptions, 64 images per cell')
    expect(await page.locator(byTestId('sweep-c-snow')).count()).toBe(0)
    for (const name of ['gaussian_noise', 'fog'])
      await page.locator(byTestId(`sweep-c-${name}`)).check()
    for (const s of [3, 4, 5]) await page.locator(byTestId(`sweep-s-${s}`)).uncheck()
    await page.locator(byTestId('sweep-sample')).fill('0')
    await page.locator(byTestId('sweep-precomputed-summary')).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-precomputed-form')
    await expect
      .poll(() => page.locator(byTestId('sweep-start')).textContent())
      .toMatch(/Sweep 5 evaluations/)
    await page.locator(byTestId('sweep-start')).click()
    await page.locator(byTestId(`sweep-${last.id}`)).waitFor({ timeout: 120_000 })
    expect(await page.locator(byTestId('sweep-note')).textContent()).toContain('a CIFAR-10-C set')
    const evaluated = app.server.service.listResults({ kind: 'evaluate' })
    expect(evaluated).toHaveLength(5)
    await waitForIdle(page)
    await page.locator(byTestId(`sweep-${last.id}`)).scrollIntoViewIfNeeded()
    await screenshotThemes(page, 'robustness-precomputed-sweep')
  })
})
