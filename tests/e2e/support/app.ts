/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { TestContext } from 'vitest'
import { startServer } from '../../../electron/server/server.ts'
import type { WorkbenchServer } from '../../../electron/server/server.ts'
import { ConsoleGuard } from './console-guard.ts'
import { SHARED } from './fixtures.ts'
import { ARTIFACTS, CHROMIUM, RENDERER_OUT } from './paths.ts'

export const VIEWPORT = { width: 1280, height: 800 }

export interface AppOptions {
  /** Writes fixtures into the temp folder (a folder-browser root) before the server starts. */
  prepare?: (temp: string) => Promise<void>
  /** Opens the page once the server runs (default true). */
  open?: boolean
  /** More folder-browser roots (data outside the test's folders, e.g. a dataset under /usr/share). */
  roots?: string[]
}

export interface E2eApp {
  /** The test's own folder (workspace in `ws/`); with the shared fixtures, the folder browser's roots. */
  temp: string
  server: WorkbenchServer
  browser: Browser
  context: BrowserContext
  page: Page
  console: ConsoleGuard
  /** The app's origin, e.g. http://127.0.0.1:41234 */
  origin: string
  /** Shows a route of the one-page app ('/run/1') and waits for the shell. */
  goto(route: string): Promise<void>
  /**
   * For afterEach: a screenshot when the test failed; then the test fails on any console error,
   * page error or error toast left on screen (a test that provokes one dismisses it).
   */
  check(context: TestContext): Promise<void>
  close(): Promise<void>
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  })
}

export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    acceptDownloads: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  })
}

/** The web host in this process (real service, forked engine) and Chromium on its URL. */
export async function startApp(name: string, options: AppOptions = {}): Promise<E2eApp> {
  const temp = await mkdtemp(join(tmpdir(), `e2e-${name}-`))
  await options.prepare?.(temp)
  // The example workspace and remembered workspaces go under <temp>/config, not the user's home.
  process.env['XDG_CONFIG_HOME'] = join(temp, 'config')
  const server = await startServer({
    port: 0,
    workspace: join(temp, 'ws'),
    roots: [temp, SHARED, ...(options.roots ?? [])],
    rendererFolder: RENDERER_OUT,
  })
  const browser = await launchChromium()
  const context = await newContext(browser)
  const page = await context.newPage()
  const guard = new ConsoleGuard(page)
  const origin = `http://127.0.0.1:${server.port}`
  const app: E2eApp = {
    temp,
    server,
    browser,
    context,
    page,
    console: guard,
    origin,
    goto: (route) => gotoRoute(page, route),
    check: async (context) => {
      const name = context.task.name.replace(/[^\w-]+/g, '-').slice(0, 80)
      if (context.task.result?.state === 'fail') {
        await page.screenshot({ path: join(ARTIFACTS, `failed-${name}.png`) }).catch(() => {})
      }
      const toasts = await page.locator('[data-testid="error-toast"]').allTextContents()
      if (toasts.length > 0) {
        await page.screenshot({ path: join(ARTIFACTS, `toast-${name}.png`) })
        await page.locator('[data-testid="error-toast-dismiss"]').first().click()
      }
      guard.assertClean()
      // The app catches its own errors into a toast, so they never reach the console.
      if (toasts.length > 0) throw new Error(`The app showed an error: ${toasts.join(' | ')}`)
    },
    close: async () => {
      await browser.close()
      await server.close()
      await rm(temp, { recursive: true, force: true })
    },
  }
  if (options.open !== false) {
    await page.goto(server.url)
    await page.locator('[data-testid="nav-home"]').waitFor()
  }
  return app
}

/**
 * Sets the hash route and waits until it holds. A hash set while the router is still settling an
 * earlier navigation can be rolled back by it, so the route is set again (up to three times), and a
 * failure names the hash the page was left on.
 */
async function gotoRoute(page: Page, route: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.evaluate((hash) => (location.hash = hash), route)
    try {
      await page.waitForFunction((hash) => location.hash === `#${hash}`, route, {
        polling: 100,
        timeout: 15_000,
      })
      return
    } catch (error) {
      const shown = await page.evaluate(() => location.hash).catch(() => '(page not answering)')
      if (attempt === 3)
        throw new Error(`The page stayed on ${shown} instead of #${route}`, { cause: error })
    }
  }
}
