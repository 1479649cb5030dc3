import type { Page } from 'playwright-core'

/**
 * Collects console errors and uncaught page errors (a CSP violation and a failed request are
 * console errors too); `assertClean()` fails the test with all of them.
 */
export class ConsoleGuard {
  readonly #problems: string[] = []
  #allowed: RegExp[] = []

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      const where = message.location().url ? ` (${message.location().url})` : ''
      this.#record(`console.error: ${message.text()}${where}`)
    })
    page.on('pageerror', (error) => this.#record(`page error: ${error.stack ?? error.message}`))
  }

  #record(problem: string): void {
    if (!this.#allowed.some((pattern) => pattern.test(problem))) this.#problems.push(problem)
  }

  /** Problems so far. */
  get problems(): readonly string[] {
    return this.#problems
  }

  /** Lets errors matching `pattern` pass until `assertClean` (a test that provokes one). */
  allow(pattern: RegExp): void {
    this.#allowed.push(pattern)
  }

  /** Throws when anything was recorded; forgets what it saw and what it allowed. */
  assertClean(): void {
    const problems = this.#problems.splice(0)
    this.#allowed = []
    if (problems.length > 0) {
      throw new Error(`The page logged ${problems.length} error(s):\n${problems.join('\n')}`)
    }
  }
}
