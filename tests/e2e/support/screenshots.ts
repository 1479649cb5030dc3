/// <reference lib="dom" />
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ARTIFACTS } from './paths.ts'

export type Theme = 'light' | 'dark'

/** Switches the theme with the top bar's toggle, as a user would. */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  const current = () => page.evaluate(() => document.documentElement.dataset['theme'])
  if ((await current()) !== theme) await page.locator('[data-testid="theme-toggle"]').click()
  await page.waitForFunction((want) => document.documentElement.dataset['theme'] === want, theme)
}

/** Waits for fonts, two frames and ECharts' entry animation (about 1 s by default). */
export async function settle(page: Page, ms = 1100): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  )
  await page.waitForTimeout(ms)
}

/**
 * Screenshots of the page at 1280×800 in light and dark into tests/e2e/artifacts/<name>-<theme>.png;
 * the page ends in the theme it started in.
 */
export async function screenshotThemes(page: Page, name: string): Promise<string[]> {
  const start = (await page.evaluate(() => document.documentElement.dataset['theme'])) as Theme
  const paths: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme)
    await page.mouse.move(0, 799) // no hover highlight in the picture
    await settle(page)
    const path = join(ARTIFACTS, `${name}-${theme}.png`)
    await page.screenshot({ path })
    paths.push(path)
  }
  await setTheme(page, start ?? 'light')
  return paths
}
